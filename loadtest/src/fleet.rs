//! The fleet: worker processes (copies of this binary, `worker` subcommand) that hold a
//! run's spectator connections, so that no process runs into the open-files limit.
//!
//! Protocol over each worker's stdin/stdout: the worker prints `ready <established>`, is
//! told `end <final seq>`, waits (at most 10 s) for the deltas still on their way, and
//! answers with its [`WorkerReport`] as one JSON line.

use crate::cli::Target;
use anyhow::Context;
use codehub_loadtest::report::WorkerReport;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

/// The worker processes holding a run's spectators.
pub(crate) struct Fleet {
    children: Vec<std::process::Child>,
    readers: Vec<BufReader<std::process::ChildStdout>>,
}

impl Fleet {
    /// Starts workers (one per 8,000 connections unless `--processes`) on `urls` and
    /// waits until they are connected; `peer`: they open the peer's subscriptions
    /// (`nchan`) instead of CodeHub's.
    pub(crate) fn spawn(
        urls: &[String],
        t: &Target,
        connections: usize,
        peer: Option<&str>,
    ) -> anyhow::Result<Fleet> {
        let processes = t
            .processes
            .unwrap_or(connections.div_ceil(8000))
            .max(1)
            .min(connections.max(1));
        let exe = std::env::current_exe()?;
        let mut children = Vec::new();
        for k in 0..processes {
            let share = connections / processes + usize::from(k < connections % processes);
            let mut cmd = Command::new(&exe);
            cmd.arg("worker")
                .args([
                    "--contest",
                    &t.contest.to_string(),
                    "--connections",
                    &share.to_string(),
                ])
                .args(["--source", &(2 + (k * 50) % 200).to_string()]);
            for u in urls {
                cmd.args(["--url", u]);
            }
            if let Some(peer) = peer {
                cmd.args(["--peer", peer]);
            }
            children.push(cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).spawn()?);
        }
        let bar = ProgressBar::new(connections as u64);
        bar.set_style(
            ProgressStyle::with_template("{msg:>12} [{bar:40}] {pos}/{len}").expect("template"),
        );
        bar.set_message("connecting");
        let mut readers = Vec::new();
        for w in &mut children {
            let mut r = BufReader::new(w.stdout.take().context("worker stdout")?);
            let line = tokio::task::block_in_place(|| {
                let mut line = String::new();
                r.read_line(&mut line).map(|_| line)
            })?;
            let ready: u64 = line
                .trim()
                .strip_prefix("ready ")
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            bar.inc(ready);
            readers.push(r);
        }
        bar.finish_and_clear();
        Ok(Fleet { children, readers })
    }

    /// How many worker processes there are.
    pub(crate) fn processes(&self) -> usize {
        self.children.len()
    }

    /// Tells the workers the channel's final `seq` and collects their reports (all are
    /// told first: each may wait for deltas still on their way).
    pub(crate) fn finish(mut self, final_seq: u64) -> anyhow::Result<Vec<WorkerReport>> {
        for w in &mut self.children {
            let mut stdin = w.stdin.take().context("worker stdin")?;
            writeln!(stdin, "end {final_seq}")?;
        }
        let mut reports = Vec::new();
        for r in &mut self.readers {
            let line = tokio::task::block_in_place(|| {
                let mut line = String::new();
                r.read_line(&mut line).map(|_| line)
            })?;
            reports.push(
                serde_json::from_str(line.trim())
                    .with_context(|| format!("worker report: {line}"))?,
            );
        }
        Ok(reports)
    }
}

impl Drop for Fleet {
    fn drop(&mut self) {
        for w in &mut self.children {
            let _ = w.kill();
            let _ = w.wait();
        }
    }
}
