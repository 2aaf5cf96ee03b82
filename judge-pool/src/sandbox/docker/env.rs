//! [`DockerEnv`]: one container lent to one submission, as an [`Environment`].

use super::config::RUNNER_MEMORY;
use super::container::{Conn, Container};
use super::pool::{Pool, remove_container, unavailable};
use super::wire;
use super::wire::{Request, Response};
use crate::sandbox::process::{self, Captured};
use crate::sandbox::{
    Environment, RunResult, RunSpec, SandboxError, Stdin, Stdout, check_relative,
};
use bollard::container::LogOutput;
use bollard::models::ContainerUpdateBody;
use futures::StreamExt;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::io::AsyncWriteExt;
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

/// Runs an interactive program: bytes from `from_judge` go to its stdin, its stdout goes
/// to `to_judge`, live, until the runner's final answer.
pub(super) async fn relay(
    conn: &mut Conn,
    request: Request,
    from_judge: std::os::fd::OwnedFd,
    to_judge: std::os::fd::OwnedFd,
) -> Result<(Response, Vec<u8>), SandboxError> {
    use tokio::io::AsyncReadExt;
    use tokio::net::unix::pipe;
    let pipe_err = |e| SandboxError::io("interactive pipe", e);
    let mut from_judge = pipe::Receiver::from_owned_fd(from_judge).map_err(pipe_err)?;
    let mut to_judge = Some(pipe::Sender::from_owned_fd(to_judge).map_err(pipe_err)?);
    let Conn {
        input,
        output,
        decoder,
    } = conn;
    let write_err = |e| SandboxError::io("write to the runner", e);
    input
        .write_all(&wire::encode(&request, &[]))
        .await
        .map_err(write_err)?;
    input.flush().await.map_err(write_err)?;
    let mut buf = vec![0u8; 64 << 10];
    let mut input_open = true;
    loop {
        while let Some((resp, data)) = decoder
            .next_frame::<Response>()
            .map_err(|e| SandboxError::io("runner frame", e))?
        {
            if !resp.chunk {
                if let Some(e) = &resp.error {
                    return Err(SandboxError::Protocol(format!("runner: {e}")));
                }
                return Ok((resp, data));
            }
            if let Some(w) = to_judge.as_mut()
                && w.write_all(&data).await.is_err()
            {
                // The other side stopped reading: later output has nowhere to go.
                to_judge = None;
            }
        }
        tokio::select! {
            n = from_judge.read(&mut buf), if input_open => {
                let frame = match n {
                    Ok(0) | Err(_) => {
                        input_open = false;
                        wire::encode(&Request::Eof, &[])
                    }
                    Ok(n) => wire::encode(&Request::Data, &buf[..n]),
                };
                input.write_all(&frame).await.map_err(write_err)?;
                input.flush().await.map_err(write_err)?;
            }
            item = output.next() => match item {
                Some(Ok(LogOutput::StdOut { message })) => decoder.push(&message),
                Some(Ok(LogOutput::StdErr { message })) => {
                    tracing::warn!(runner = %String::from_utf8_lossy(&message).trim(), "docker runner says");
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(unavailable(e)),
                None => return Err(SandboxError::Protocol("docker runner connection closed".into())),
            },
        }
    }
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
            self.pool
                .docker
                .update_container(
                    &c.id,
                    ContainerUpdateBody {
                        memory: Some(total),
                        memory_swap: Some(total),
                        ..Default::default()
                    },
                )
                .await
                .map_err(unavailable)?;
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
                self.call(&request, &input, timeout).await?
            }
            Some((from_judge, to_judge)) => {
                let request = Request::RunInteractive {
                    req,
                    stderr_bytes: limits.stderr_bytes,
                };
                let mut conn = self.container().conn.lock().await;
                tokio::time::timeout(timeout, relay(&mut conn, request, from_judge, to_judge))
                    .await
                    .map_err(|_| {
                        SandboxError::Protocol("docker runner connection timed out".into())
                    })??
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
