//! `contest`: `--contestants` freshly registered users submit a realistic [`MIX`] (AC, WA,
//! TLE and CE in C++, Python and Java) in turn at `--rate` per second for `--duration`,
//! while `--spectators` watch the scoreboard through the [`Fleet`].
//!
//! Measures the submission POST latency, submit-to-verdict time (verdicts are polled
//! every 100 ms), judge throughput, unexpected verdicts, and the spectators' delivery
//! latency. The run fails (exit 1) if a submission was refused, not judged within five
//! minutes or judged otherwise than expected, or a delta was missed or out of order.

use crate::cli::ContestArgs;
use crate::fleet::Fleet;
use crate::target::{prepare, register_contestants};
use anyhow::{Context, bail};
use codehub_loadtest::raise_fd_limit;
use codehub_loadtest::report::{Latency, merge};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Submissions per page when polling for verdicts.
const VERDICT_PAGE: usize = 50;

/// The mix of the `contest` scenario: (language file, source, expected verdict), by weight.
const MIX: &[(&str, &str, &str)] = &[
    (
        "a.cpp",
        "#include <cstdio>\nint main() { std::puts(\"Hello World!\"); }\n",
        "AC",
    ),
    ("a.py", "print('Hello World!')\n", "AC"),
    (
        "Main.java",
        "public class Main { public static void main(String[] a) { System.out.println(\"Hello World!\"); } }\n",
        "AC",
    ),
    (
        "a.cpp",
        "#include <cstdio>\nint main() { std::puts(\"Hello World!\"); }\n",
        "AC",
    ),
    ("a.py", "print('Hello, there')\n", "WA"),
    (
        "Main.java",
        "public class Main { public static void main(String[] a) { System.out.println(\"Hello\"); } }\n",
        "WA",
    ),
    ("a.py", "while True:\n    pass\n", "TLE"),
    ("a.cpp", "int main( {\n", "CE"),
];

/// The `light` mix: quick to judge, for high rates on small machines.
const LIGHT_MIX: &[(&str, &str, &str)] = &[
    ("a.py", "print('Hello World!')\n", "AC"),
    ("a.py", "print('Hello, there')\n", "WA"),
];

/// Runs `contest`: register, submit while spectators watch, wait for every verdict.
pub(crate) async fn contest_cmd(c: ContestArgs) -> anyhow::Result<ExitCode> {
    use codehub_protocol::requests::NewSubmission;
    use codehub_protocol::views::{ContestView, FileView, SubmissionView};
    use codehub_protocol::{SubmissionStatus, Verdict};
    use serde_json::json;
    raise_fd_limit();
    if !(c.rate.is_finite() && c.rate > 0.0) || c.contestants == 0 {
        bail!("--rate must be positive and --contestants at least 1");
    }
    let p = prepare(&c.target).await?;
    let sampler = match (&c.resources, &p.local) {
        (None, _) => None,
        (Some(path), Some(server)) => Some(crate::resources::spawn_sampler(
            server.child.id(),
            c.sample_every,
            path.with_extension("csv"),
        )),
        (Some(_), None) => bail!("--resources reads the server's /proc: it needs --local"),
    };
    let client = p.admin.client().clone();
    let url = p.admin.url().to_owned();
    let contest: ContestView = client
        .get(format!("{url}/api/contests/{}", c.target.contest))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let problem = match c.problem {
        Some(id) => id,
        None => {
            contest
                .problems
                .first()
                .context("the contest has no problem")?
                .problem_id
        }
    };
    let contestants = register_contestants(&client, &url, "lt", c.contestants).await?;
    let fleet = Fleet::spawn(&p.urls, &c.target, c.spectators.max(1), None)?;
    // Verdicts are noticed as they come (every 100 ms), not after the submitting phase.
    let seen: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<i64, (Instant, String)>>> =
        Default::default();
    let poller = {
        let (url, contestants, seen) = (url.clone(), contestants.clone(), seen.clone());
        let contest_id = c.target.contest;
        tokio::spawn(async move {
            // A page of the newest submissions holds what is in flight, so the requests
            // stay the same size however long the run; an older page is read only while
            // the oldest of a page is not yet known to be judged (a judging backlog).
            let list_url =
                format!("{url}/api/submissions?contest_id={contest_id}&limit={VERDICT_PAGE}");
            loop {
                for contestant in contestants.iter() {
                    let mut page_url = list_url.clone();
                    loop {
                        let Ok(resp) = contestant.send(|c| c.get(&page_url)).await else {
                            break;
                        };
                        let Ok(list) = resp.json::<Vec<SubmissionView>>().await else {
                            break;
                        };
                        let now = Instant::now();
                        let mut seen = seen.lock().expect("verdicts lock");
                        let oldest = list.last().map(|s| s.id);
                        let settled_before = oldest.is_some_and(|id| seen.contains_key(&id));
                        for s in &list {
                            if s.status == SubmissionStatus::Done {
                                seen.entry(s.id).or_insert_with(|| {
                                    (now, s.verdict.map_or("", Verdict::code).to_owned())
                                });
                            }
                        }
                        match oldest {
                            Some(id) if list.len() == VERDICT_PAGE && !settled_before => {
                                page_url = format!("{list_url}&before={id}");
                            }
                            _ => break,
                        }
                    }
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
    };
    let mut post = codehub_loadtest::report::histogram();
    let mut pending: Vec<(i64, usize, Instant, &str)> = Vec::new();
    let mut refused = 0u64;
    let start = Instant::now();
    let interval = Duration::from_secs_f64(1.0 / c.rate);
    let mut k = 0usize;
    while start.elapsed() < c.duration {
        let mix = if c.mix == "light" { LIGHT_MIX } else { MIX };
        let (file, source, expected) = mix[k % mix.len()];
        let who = k % contestants.len();
        let submission = NewSubmission {
            problem_id: problem,
            contest_id: Some(c.target.contest),
            language: None,
            files: vec![FileView {
                name: file.to_owned(),
                contents: source.to_owned(),
            }],
        };
        let t = Instant::now();
        let resp = contestants[who]
            .send(|c| c.post(format!("{url}/api/submissions")).json(&submission))
            .await?;
        let _ = post.record(
            (t.elapsed().as_millis() as u64).clamp(1, codehub_loadtest::report::MAX_LATENCY_MS),
        );
        if resp.status().as_u16() == 202 {
            let submission: SubmissionView = resp.json().await.context("submission answer")?;
            pending.push((submission.id, who, t, expected));
        } else {
            refused += 1;
        }
        k += 1;
        if let Some(wait) = (interval * k as u32).checked_sub(start.elapsed()) {
            tokio::time::sleep(wait).await;
        }
    }
    let submitting = start.elapsed();
    // Wait for every verdict.
    let mut verdict_latency = codehub_loadtest::report::histogram();
    let mut wrong = 0u64;
    let deadline = Instant::now() + Duration::from_secs(300);
    while Instant::now() < deadline {
        let all = {
            let seen = seen.lock().expect("verdicts lock");
            pending.iter().all(|(id, ..)| seen.contains_key(id))
        };
        if all {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    poller.abort();
    {
        let seen = seen.lock().expect("verdicts lock");
        pending.retain(|(id, _, at, expected)| match seen.get(id) {
            Some((done, v)) => {
                let ms = done.saturating_duration_since(*at).as_millis() as u64;
                let _ =
                    verdict_latency.record(ms.clamp(1, codehub_loadtest::report::MAX_LATENCY_MS));
                if v != expected {
                    wrong += 1;
                }
                false
            }
            None => true,
        });
    }
    let judging = start.elapsed();
    let (final_seq, _) = p.admin.board(c.target.contest).await?;
    let reports = fleet.finish(final_seq)?;
    let (spectators, delivery) = merge(&reports).map_err(anyhow::Error::msg)?;
    let resources = match (&c.resources, sampler) {
        (Some(path), Some((task, samples))) => {
            task.abort();
            let samples = samples.lock().expect("samples lock").clone();
            crate::resources::write_csv(&path.with_extension("csv"), &samples)?;
            crate::resources::plot(
                path,
                &samples,
                &format!(
                    "codehub serve: {} spectators, {} submissions/s",
                    c.spectators, c.rate
                ),
            )?;
            let growth = crate::resources::growth_after_warmup(&samples);
            json!({
                "samples": samples.len(),
                "rss_kib_first": samples.first().map(|s| s.rss_kib),
                "rss_kib_last": samples.last().map(|s| s.rss_kib),
                "rss_kib_max": samples.iter().map(|s| s.rss_kib).max(),
                "open_fds_last": samples.last().map(|s| s.open_fds),
                "rss_growth_after_warmup_kib": growth.map(|g| g.0),
                "open_fds_growth_after_warmup": growth.map(|g| g.1),
            })
        }
        _ => serde_json::Value::Null,
    };
    if let Some(path) = &c.metrics {
        std::fs::write(path, p.admin.metrics().await?)?;
    }
    let judged = verdict_latency.len();
    let ok = pending.is_empty()
        && refused == 0
        && wrong == 0
        && spectators.missed == 0
        && spectators.out_of_order == 0;
    let out = json!({
        "scenario": "contest",
        "urls": p.urls,
        "contestants": c.contestants,
        "mix": c.mix,
        "submissions": k,
        "submissions_refused": refused,
        "submissions_per_s": k as f64 / submitting.as_secs_f64(),
        "post_latency_ms": Latency::of(&post),
        "submit_to_verdict_ms": Latency::of(&verdict_latency),
        "judged": judged,
        "unexpected_verdicts": wrong,
        "not_judged": pending.len(),
        "judge_throughput_per_s": judged as f64 / judging.as_secs_f64(),
        "connections_established": spectators.established,
        "deltas_missed": spectators.missed,
        "deltas_out_of_order": spectators.out_of_order,
        "latency_ms": Latency::of(&delivery),
        "server_resources": resources,
        "ok": ok,
    });
    eprintln!("{}", serde_json::to_string_pretty(&out)?);
    if let Some(path) = &c.report {
        std::fs::write(path, serde_json::to_string_pretty(&out)?)?;
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
