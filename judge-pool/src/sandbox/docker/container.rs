//! One container: the runner image it is made from, its hardened creation and start,
//! and the connection to its runner.

use super::config::{DockerConfig, LABEL, OWNER_LABEL, RUNNER_MEMORY};
use super::pool::{Pool, remove_container, unavailable};
use super::wire;
use super::wire::{Decoder, Request, Response};
use crate::sandbox::SandboxError;
use bollard::Docker;
use bollard::container::LogOutput;
use bollard::models::{ContainerCreateBody, HostConfig, ResourcesUlimits};
use bollard::query_parameters::{
    AttachContainerOptionsBuilder, BuildImageOptionsBuilder, CreateContainerOptions,
};
use futures::{Stream, StreamExt};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::pin::Pin;
use std::sync::atomic::AtomicU64;
use std::time::Duration;
use tokio::io::{AsyncWrite, AsyncWriteExt};

/// One started container and the connection to its runner.
pub(super) struct Container {
    pub(super) id: String,
    pub(super) conn: tokio::sync::Mutex<Conn>,
    /// Current memory limit (bytes), to update only when a run needs another.
    pub(super) memory: AtomicU64,
}

pub(super) type Output =
    Pin<Box<dyn Stream<Item = Result<LogOutput, bollard::errors::Error>> + Send>>;

pub(super) struct Conn {
    pub(super) input: Pin<Box<dyn AsyncWrite + Send>>,
    pub(super) output: Output,
    pub(super) decoder: Decoder,
}

impl Conn {
    pub(super) async fn call(
        &mut self,
        req: &Request,
        payload: &[u8],
        timeout: Duration,
    ) -> Result<(Response, Vec<u8>), SandboxError> {
        let lost = |what: &str| SandboxError::Protocol(format!("docker runner connection {what}"));
        // The request's writing counts against the timeout too: a runner (or an attach
        // stream) that stops reading must not hold the judge forever.
        let exchange = async {
            self.input
                .write_all(&wire::encode(req, payload))
                .await
                .map_err(|e| SandboxError::io("write to the runner", e))?;
            self.input
                .flush()
                .await
                .map_err(|e| SandboxError::io("write to the runner", e))?;
            loop {
                if let Some(frame) = self
                    .decoder
                    .next_frame::<Response>()
                    .map_err(|e| SandboxError::io("runner frame", e))?
                {
                    return Ok(frame);
                }
                match self.output.next().await {
                    Some(Ok(LogOutput::StdOut { message })) => self.decoder.push(&message),
                    Some(Ok(LogOutput::StdErr { message })) => {
                        tracing::warn!(runner = %String::from_utf8_lossy(&message).trim(), "docker runner says");
                    }
                    Some(Ok(_)) => {}
                    Some(Err(e)) => return Err(unavailable(e)),
                    None => return Err(lost("closed")),
                }
            }
        };
        let (resp, data) = tokio::time::timeout(timeout, exchange)
            .await
            .map_err(|_| lost("timed out"))??;
        if let Some(e) = &resp.error {
            return Err(SandboxError::Protocol(format!("runner: {e}")));
        }
        Ok((resp, data))
    }
}

/// Builds (once) the runner image: the runtime image plus the runner binary.
pub(super) async fn runner_image(
    docker: &Docker,
    config: &DockerConfig,
) -> Result<String, SandboxError> {
    let binary = tokio::fs::read(&config.runner.program).await.map_err(|e| {
        SandboxError::io(
            format!("read runner {}", config.runner.program.display()),
            e,
        )
    })?;
    let mut h = Sha256::new();
    h.update(&binary);
    h.update(config.runtime_image.as_bytes());
    h.update(config.runner.args.join("\0").as_bytes());
    let tag = format!("codehub/judge-runner:{}", &hex::encode(h.finalize())[..16]);
    if docker.inspect_image(&tag).await.is_ok() {
        return Ok(tag);
    }
    let mut cmd = vec!["/opt/codehub/runner".to_owned()];
    cmd.extend(config.runner.args.iter().cloned());
    let dockerfile = format!(
        "FROM {}\nCOPY runner /opt/codehub/runner\nLABEL {LABEL}.image=runner\nCMD {}\n",
        config.runtime_image,
        serde_json::to_string(&cmd).expect("strings serialise")
    );
    let mut tar = tar::Builder::new(Vec::new());
    for (name, data, mode) in [
        ("Dockerfile", dockerfile.into_bytes(), 0o644),
        ("runner", binary, 0o755),
    ] {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(mode);
        header.set_cksum();
        tar.append_data(&mut header, name, &data[..])
            .map_err(|e| SandboxError::io("runner image context", e))?;
    }
    let context = tar
        .into_inner()
        .map_err(|e| SandboxError::io("runner image context", e))?;
    let options = BuildImageOptionsBuilder::default()
        .t(&tag)
        .rm(true)
        .forcerm(true)
        .build();
    let mut build = docker.build_image(options, None, Some(bollard::body_full(context.into())));
    while let Some(step) = build.next().await {
        let info = step.map_err(|e| unavailable(format!("building {tag}: {e}")))?;
        if let Some(e) = info.error_detail.and_then(|d| d.message) {
            return Err(unavailable(format!("building {tag}: {e}")));
        }
    }
    Ok(tag)
}

/// Creates, starts and attaches one hardened container.
pub(super) async fn start_container(pool: &Pool) -> Result<Container, SandboxError> {
    let c = &pool.config;
    let memory = 256u64 << 20;
    let host_config = HostConfig {
        network_mode: Some("none".into()),
        // A private IPC namespace and no /dev/shm.
        ipc_mode: Some("none".into()),
        readonly_rootfs: Some(true),
        tmpfs: Some(HashMap::from([
            (
                "/work".to_owned(),
                format!("rw,exec,nosuid,nodev,size={},mode=1777", c.work_bytes),
            ),
            (
                "/tmp".to_owned(),
                format!("rw,exec,nosuid,nodev,size={},mode=1777", c.tmp_bytes),
            ),
        ])),
        cap_drop: Some(vec!["ALL".into()]),
        security_opt: Some(vec!["no-new-privileges".into()]),
        pids_limit: Some(c.pids_limit),
        memory: Some((memory + RUNNER_MEMORY) as i64),
        memory_swap: Some((memory + RUNNER_MEMORY) as i64),
        cpu_period: Some(100_000),
        cpu_quota: Some((c.cpus * 100_000.0) as i64),
        ulimits: Some(vec![
            ResourcesUlimits {
                name: Some("nofile".into()),
                soft: Some(1024),
                hard: Some(1024),
            },
            ResourcesUlimits {
                name: Some("fsize".into()),
                soft: Some(1 << 30),
                hard: Some(1 << 30),
            },
            ResourcesUlimits {
                name: Some("stack".into()),
                soft: Some(8 << 20),
                hard: Some(-1),
            },
            ResourcesUlimits {
                name: Some("core".into()),
                soft: Some(0),
                hard: Some(0),
            },
        ]),
        ..Default::default()
    };
    let body = ContainerCreateBody {
        image: Some(pool.image.clone()),
        user: Some(format!("{}:{}", c.uid, c.uid)),
        env: Some(Vec::new()),
        attach_stdin: Some(true),
        attach_stdout: Some(true),
        attach_stderr: Some(true),
        open_stdin: Some(true),
        // The judge attaches once; when that connection closes (the judge died), the
        // runner's stdin closes, it exits and the container stops.
        stdin_once: Some(true),
        tty: Some(false),
        network_disabled: Some(true),
        hostname: Some("codehub".into()),
        labels: Some(HashMap::from([
            (LABEL.to_owned(), "1".to_owned()),
            (OWNER_LABEL.to_owned(), std::process::id().to_string()),
        ])),
        host_config: Some(host_config),
        ..Default::default()
    };
    let created = api_call(
        "create a container",
        pool.docker
            .create_container(None::<CreateContainerOptions>, body),
    )
    .await?;
    let id = created.id;
    let attach = pool.docker.attach_container(
        &id,
        Some(
            AttachContainerOptionsBuilder::default()
                .stream(true)
                .stdin(true)
                .stdout(true)
                .stderr(true)
                .build(),
        ),
    );
    let started = match api_call("attach to a container", attach).await {
        Ok(a) => api_call("start a container", pool.docker.start_container(&id, None))
            .await
            .map(|_| a),
        Err(e) => Err(e),
    };
    match started {
        Ok(a) => Ok(Container {
            id,
            conn: tokio::sync::Mutex::new(Conn {
                input: a.input,
                output: a.output,
                decoder: Decoder::default(),
            }),
            memory: AtomicU64::new(memory),
        }),
        Err(e) => {
            remove_container(pool.docker.clone(), id);
            Err(e)
        }
    }
}

/// How long a call to the Docker daemon may take before the judge gives up on it.
pub(super) const DOCKER_API_TIMEOUT: Duration = Duration::from_secs(60);

/// A Docker API call bounded by [`DOCKER_API_TIMEOUT`]: a daemon that stops answering
/// fails the judging (the job is retried) instead of hanging it.
pub(super) async fn api_call<T>(
    what: &str,
    call: impl std::future::Future<Output = Result<T, bollard::errors::Error>>,
) -> Result<T, SandboxError> {
    match tokio::time::timeout(DOCKER_API_TIMEOUT, call).await {
        Ok(result) => result.map_err(unavailable),
        Err(_) => Err(unavailable(format!(
            "the daemon did not {what} within {DOCKER_API_TIMEOUT:?}"
        ))),
    }
}
