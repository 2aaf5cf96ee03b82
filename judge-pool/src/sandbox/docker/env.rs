//! [`DockerEnv`]: one container lent to one submission, as an [`Environment`].

use super::config::RUNNER_MEMORY;
use super::container::{Conn, Container, api_call};
use super::pool::{Pool, remove_container, unavailable};
use super::wire;
use super::wire::{Request, Response};
use crate::sandbox::process::{self, Captured, writer_closed};
use crate::sandbox::{
    Environment, RunResult, RunSpec, SandboxError, Stdin, Stdout, check_relative,
};
use bollard::container::LogOutput;
use bollard::models::ContainerUpdateBody;
use futures::StreamExt;
use std::collections::VecDeque;
use std::os::fd::{AsRawFd, OwnedFd};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::unix::pipe;
use tokio::sync::OwnedSemaphorePermit;

/// One container, for one submission; removed when dropped.
pub struct DockerEnv {
    pub(super) container: Option<Container>,
    pub(super) pool: Arc<Pool>,
    pub(super) _permit: OwnedSemaphorePermit,
}

impl DockerEnv {
    pub(super) fn container(&self) -> &Container {
        self.container.as_ref().expect("present until drop")
    }

    pub(super) async fn call(
        &self,
        req: &Request,
        payload: &[u8],
        timeout: Duration,
    ) -> Result<(Response, Vec<u8>), SandboxError> {
        self.container()
            .conn
            .lock()
            .await
            .call(req, payload, timeout)
            .await
    }
}

impl DockerEnv {
    /// Adds the container's state to a lost runner connection (did the runner exit, and
    /// was the container's memory cgroup out of memory), so a failed run says why.
    async fn explain(&self, e: SandboxError) -> SandboxError {
        let SandboxError::Protocol(message) = e else {
            return e;
        };
        let inspect = self
            .pool
            .docker
            .inspect_container(&self.container().id, None);
        let state = match tokio::time::timeout(Duration::from_secs(5), inspect).await {
            Ok(Ok(info)) => info.state.map_or_else(
                || "no state".to_owned(),
                |s| {
                    format!(
                        "running: {}, exit code: {}, out of memory: {}",
                        s.running.unwrap_or(false),
                        s.exit_code.unwrap_or(-1),
                        s.oom_killed.unwrap_or(false)
                    )
                },
            ),
            Ok(Err(e)) => format!("inspection failed: {e}"),
            Err(_) => "inspection timed out".to_owned(),
        };
        SandboxError::Protocol(format!("{message} (container {state})"))
    }
}

impl Drop for DockerEnv {
    fn drop(&mut self) {
        if let Some(c) = self.container.take()
            && tokio::runtime::Handle::try_current().is_ok()
        {
            remove_container(self.pool.docker.clone(), c.id);
        }
        self.pool.refill.notify_one();
    }
}

pub(super) const FILE_TIMEOUT: Duration = Duration::from_secs(60);

/// How often a relay whose program takes no input checks whether that input's writer is
/// gone (it cannot read on to the end of the input then).
const HANGUP_CHECK: Duration = Duration::from_millis(10);

/// Reads from the pipe, if there still is one.
async fn read_from(r: &mut Option<pipe::Receiver>, buf: &mut [u8]) -> std::io::Result<usize> {
    match r {
        Some(r) => r.read(buf).await,
        None => std::future::pending().await,
    }
}

/// Writes to the pipe, if there still is one.
async fn write_to(w: &mut Option<pipe::Sender>, data: &[u8]) -> std::io::Result<usize> {
    match w {
        Some(w) => w.write(data).await,
        None => std::future::pending().await,
    }
}

/// Waits until the stop signal fires, if there is one.
async fn stopped(stop: &mut Option<pipe::Receiver>) {
    match stop {
        // Readable or hung up: either way the judge wants the run ended.
        Some(s) => drop(s.readable().await),
        None => std::future::pending().await,
    }
}

/// Runs an interactive program: bytes from `from_peer` go to its stdin, its stdout goes to
/// `to_peer`, live, until the runner's final answer; `stop` ends it early.
///
/// Full duplex, and bounded as pipes are: the judge sends input only within the
/// [`wire::WINDOW`] the program's reading opens, and passes output on as the other side
/// reads it (the runner sends no more than a window ahead), so a program that stops reading
/// holds up the other side as a pipe would, and neither the judge nor the runner ever waits
/// on the other: the runner's deadlines hold whatever the programs do. Like a pipe, the
/// relay tells the program when its input's writer is gone (`Hangup`, `Eof`: see
/// [`crate::sandbox::RunResult::input_closed`]) and when its output has no reader
/// (`CloseOutput`, after `Hangup`: a relay lets go of its `from_peer` only when its run has
/// ended, so a `to_peer` without reader means the other side has ended).
pub(super) async fn relay(
    conn: &mut Conn,
    request: Request,
    from_peer: OwnedFd,
    to_peer: OwnedFd,
    stop: Option<OwnedFd>,
) -> Result<(Response, Vec<u8>), SandboxError> {
    let pipe_err = |e| SandboxError::io("interactive pipe", e);
    let write_err = |e| SandboxError::io("write to the runner", e);
    let mut from_peer = Some(pipe::Receiver::from_owned_fd(from_peer).map_err(pipe_err)?);
    let mut to_peer = Some(pipe::Sender::from_owned_fd(to_peer).map_err(pipe_err)?);
    let mut stop = stop
        .map(pipe::Receiver::from_owned_fd)
        .transpose()
        .map_err(pipe_err)?;
    let Conn {
        input,
        output,
        decoder,
    } = conn;
    // Bytes for the runner, written as it takes them; a frame is never cut.
    let mut outbox = wire::encode(&request, &[]);
    let mut written = 0;
    // Input sent that the program has not taken yet (at most a window).
    let mut in_flight = 0u64;
    // Output for the other side, and how much of its first chunk is written.
    let mut for_peer: VecDeque<Vec<u8>> = VecDeque::new();
    let mut peer_written = 0;
    // Output passed on (or dropped) and not yet reported to the runner.
    let mut taken = 0u64;
    let mut hangup_sent = false;
    let mut buf = vec![0u8; wire::WINDOW as usize];
    let mut hangup_check = tokio::time::interval(HANGUP_CHECK);
    hangup_check.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let answer = 'relay: loop {
        while let Some((resp, data)) = decoder
            .next_frame::<Response>()
            .map_err(|e| SandboxError::io("runner frame", e))?
        {
            if !resp.chunk {
                if let Some(e) = &resp.error {
                    return Err(SandboxError::Protocol(format!("runner: {e}")));
                }
                break 'relay (resp, data);
            }
            in_flight = in_flight.saturating_sub(resp.taken);
            if to_peer.is_some() {
                if !data.is_empty() {
                    for_peer.push_back(data);
                }
            } else {
                taken += data.len() as u64;
            }
        }
        if taken > 0 {
            let bytes = std::mem::take(&mut taken);
            outbox.extend_from_slice(&wire::encode(&Request::Taken { bytes }, &[]));
        }
        let credit = wire::WINDOW.saturating_sub(in_flight) as usize;
        let idle = written == outbox.len();
        let blocked = from_peer.is_some() && credit == 0 && !hangup_sent;
        tokio::select! {
            item = output.next() => match item {
                Some(Ok(LogOutput::StdOut { message })) => decoder.push(&message),
                Some(Ok(LogOutput::StdErr { message })) => {
                    tracing::warn!(runner = %String::from_utf8_lossy(&message).trim(), "docker runner says");
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(unavailable(e)),
                None => return Err(SandboxError::Protocol("docker runner connection closed".into())),
            },
            n = input.write(&outbox[written..]), if !idle => {
                match n.map_err(write_err)? {
                    0 => return Err(SandboxError::Protocol("docker runner connection closed".into())),
                    n => written += n,
                }
                if written == outbox.len() {
                    outbox.clear();
                    written = 0;
                    input.flush().await.map_err(write_err)?;
                }
            }
            n = read_from(&mut from_peer, &mut buf[..credit]), if idle && credit > 0 && from_peer.is_some() => {
                match n {
                    Ok(n) if n > 0 => {
                        outbox.extend_from_slice(&wire::encode(&Request::Data, &buf[..n]));
                        in_flight += n as u64;
                    }
                    _ => {
                        outbox.extend_from_slice(&wire::encode(&Request::Eof, &[]));
                        hangup_sent = true;
                        from_peer = None;
                    }
                }
            }
            _ = hangup_check.tick(), if blocked => {
                if from_peer.as_ref().is_some_and(|r| writer_closed(r.as_raw_fd())) {
                    outbox.extend_from_slice(&wire::encode(&Request::Hangup, &[]));
                    hangup_sent = true;
                }
            }
            n = write_to(&mut to_peer, for_peer.front().map_or(&[][..], |c| &c[peer_written..])), if !for_peer.is_empty() => {
                match n {
                    Ok(n) => {
                        peer_written += n;
                        taken += n as u64;
                        if peer_written == for_peer.front().map_or(0, Vec::len) {
                            for_peer.pop_front();
                            peer_written = 0;
                        }
                    }
                    Err(_) => {
                        // No reader left: the other side's run has ended (its relay lets go
                        // of this pipe only then), so its output is gone too, and the
                        // program learns that before its writes start failing.
                        if !hangup_sent {
                            outbox.extend_from_slice(&wire::encode(&Request::Hangup, &[]));
                            hangup_sent = true;
                        }
                        outbox.extend_from_slice(&wire::encode(&Request::CloseOutput, &[]));
                        to_peer = None;
                        taken += (for_peer.iter().map(Vec::len).sum::<usize>() - peer_written) as u64;
                        for_peer.clear();
                        peer_written = 0;
                    }
                }
            }
            () = stopped(&mut stop), if stop.is_some() => {
                outbox.extend_from_slice(&wire::encode(&Request::Stop, &[]));
                stop = None;
            }
        }
    };
    // The run is over: finish the frame under way, then end the run's stream.
    outbox.extend_from_slice(&wire::encode(&Request::End, &[]));
    input
        .write_all(&outbox[written..])
        .await
        .map_err(write_err)?;
    input.flush().await.map_err(write_err)?;
    // The program is gone: nothing reads its input any more (the other side's writes
    // fail). What it wrote before it ended still reaches the other side, as through a
    // pipe, while that side reads; then its output closes. The run's result does not wait
    // for that (the other side may never read).
    drop(from_peer);
    if let Some(mut w) = to_peer.take()
        && !for_peer.is_empty()
    {
        tokio::spawn(async move {
            for (i, chunk) in for_peer.iter().enumerate() {
                let from = if i == 0 { peer_written } else { 0 };
                if w.write_all(&chunk[from..]).await.is_err() {
                    break;
                }
            }
        });
    }
    Ok(answer)
}

impl Environment for DockerEnv {
    async fn write_file(
        &self,
        path: &str,
        contents: &[u8],
        executable: bool,
    ) -> Result<(), SandboxError> {
        check_relative(path)?;
        let req = Request::Put {
            path: path.to_owned(),
            executable,
        };
        self.call(&req, contents, FILE_TIMEOUT).await.map(drop)
    }

    async fn read_file(&self, path: &str, max_len: u64) -> Result<Vec<u8>, SandboxError> {
        check_relative(path)?;
        let req = Request::Get {
            path: path.to_owned(),
            max: max_len,
        };
        self.call(&req, &[], FILE_TIMEOUT)
            .await
            .map(|(_, data)| data)
    }

    async fn list_files(&self) -> Result<Vec<String>, SandboxError> {
        self.call(&Request::List, &[], FILE_TIMEOUT)
            .await
            .map(|(r, _)| r.files)
    }

    async fn make_dir(&self, path: &str) -> Result<(), SandboxError> {
        check_relative(path)?;
        self.call(
            &Request::Mkdir {
                path: path.to_owned(),
            },
            &[],
            FILE_TIMEOUT,
        )
        .await
        .map(drop)
    }

    async fn clear(&self) -> Result<(), SandboxError> {
        self.call(&Request::Clear, &[], FILE_TIMEOUT)
            .await
            .map(drop)
    }

    async fn run(&self, spec: RunSpec) -> Result<RunResult, SandboxError> {
        let limits = spec.limits.clone();
        let (input, interactive) = match (spec.stdin, spec.stdout) {
            (Stdin::Pipe(from_judge), Stdout::Pipe(to_judge)) => {
                (Vec::new(), Some((from_judge, to_judge)))
            }
            (Stdin::Pipe(_), _) | (_, Stdout::Pipe(_)) => {
                return Err(SandboxError::Unavailable(
                    "the docker sandbox pipes stdin and stdout together (interactive runs) or not at all".into(),
                ));
            }
            (Stdin::Null, _) => (Vec::new(), None),
            (Stdin::File(p), _) => {
                let data = tokio::fs::read(&p)
                    .await
                    .map_err(|e| SandboxError::io(format!("read {}", p.display()), e))?;
                (data, None)
            }
        };
        // The container's memory limit is the run's (plus the runner's own slack).
        let c = self.container();
        if c.memory.load(Ordering::Relaxed) != limits.memory_bytes {
            let total = (limits.memory_bytes + RUNNER_MEMORY) as i64;
            api_call(
                "update a container's memory limit",
                self.pool.docker.update_container(
                    &c.id,
                    ContainerUpdateBody {
                        memory: Some(total),
                        memory_swap: Some(total),
                        ..Default::default()
                    },
                ),
            )
            .await?;
            c.memory.store(limits.memory_bytes, Ordering::Relaxed);
        }
        // The container's pids limit bounds processes; RLIMIT_NPROC would count every
        // container's processes of the same uid on the host.
        let req = process::request(spec.argv, spec.env, &limits, 1 << 16);
        let timeout = limits.wall_time + Duration::from_secs(30);
        let (resp, data) = match interactive {
            None => {
                let request = Request::Run {
                    req,
                    output_bytes: limits.output_bytes,
                    stderr_bytes: limits.stderr_bytes,
                };
                match self.call(&request, &input, timeout).await {
                    Ok(answer) => answer,
                    Err(e) => return Err(self.explain(e).await),
                }
            }
            Some((from_judge, to_judge)) => {
                let request = Request::RunInteractive {
                    req,
                    stderr_bytes: limits.stderr_bytes,
                };
                let mut conn = self.container().conn.lock().await;
                let stop = spec.stop.map(|s| s.0);
                let answer = tokio::time::timeout(
                    timeout,
                    relay(&mut conn, request, from_judge, to_judge, stop),
                )
                .await
                .map_err(|_| SandboxError::Protocol("docker runner connection timed out".into()))?;
                drop(conn);
                match answer {
                    Ok(answer) => answer,
                    Err(e) => return Err(self.explain(e).await),
                }
            }
        };
        let report = resp
            .report
            .ok_or_else(|| SandboxError::Protocol("run without a report".into()))?;
        let split = (resp.stdout_len as usize).min(data.len());
        let (stdout, stderr) = (data[..split].to_vec(), data[split..].to_vec());
        process::result(
            report,
            &limits,
            Captured {
                bytes: stdout,
                truncated: resp.stdout_total > limits.output_bytes,
            },
            Captured {
                bytes: stderr,
                truncated: resp.stderr_total > limits.stderr_bytes,
            },
        )
    }
}
