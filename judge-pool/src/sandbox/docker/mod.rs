//! The Docker sandbox (bollard): one hardened container per submission, from a warm pool.
//!
//! Every container is created from `codehub/judge-runner:<hash>` — the judge runtime image
//! (`deploy/judge-runtime`) plus the [`runner`] binary — with no network, a read-only root,
//! size-limited tmpfs `/work` and `/tmp`, all capabilities dropped, `no-new-privileges`, a
//! non-root uid, a pids limit, memory with equal memory+swap (no swap), a CPU quota,
//! ulimits, Docker's default seccomp profile, no host mounts and no host environment. Its
//! pid 1 is the runner, which talks to the judge over the container's attached stdio
//! ([`wire`]) and starts each program with one fork + exec, measuring that run alone.
//!
//! A container serves one [`DockerEnv`] (one submission), then is removed; the pool keeps
//! `pool_size` containers started ahead of demand and refills in the background. Every
//! container carries the label `codehub.sandbox` and its judge's pid; containers of judges
//! that no longer run are removed when a sandbox starts.

pub mod runner;
pub mod wire;

use super::native::KeeperCommand;
use super::process::{self, Captured};
use super::{
    Environment, RunResult, RunSpec, Sandbox, SandboxError, Stdin, Stdout, check_relative,
};
use bollard::Docker;
use bollard::container::LogOutput;
use bollard::models::{ContainerCreateBody, ContainerUpdateBody, HostConfig, ResourcesUlimits};
use bollard::query_parameters::{
    AttachContainerOptionsBuilder, BuildImageOptionsBuilder, CreateContainerOptions,
    ListContainersOptionsBuilder, RemoveContainerOptionsBuilder,
};
use futures::{Stream, StreamExt};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::Path;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};
use wire::{Decoder, Request, Response};

/// The label every CodeHub sandbox container carries.
pub const LABEL: &str = "codehub.sandbox";
/// The label holding the pid of the judge that owns the container.
pub const OWNER_LABEL: &str = "codehub.owner.pid";
/// Slack added to the container memory limit for the runner itself.
const RUNNER_MEMORY: u64 = 16 << 20;

/// Settings of the Docker sandbox.
#[derive(Debug, Clone)]
pub struct DockerConfig {
    /// The judge runtime image (toolchains), e.g. `codehub/judge-runtime:1`.
    pub runtime_image: String,
    /// The runner: a host binary copied into the image, and the arguments that make it run
    /// as the runner (`codehub __sandbox-runner` or `codehub-sandbox-keeper --runner`).
    pub runner: KeeperCommand,
    /// Containers kept started ahead of demand.
    pub pool_size: usize,
    /// Containers in use at once (the judge's parallelism).
    pub max_containers: usize,
    /// Size of `/work`.
    pub work_bytes: u64,
    /// Size of `/tmp`.
    pub tmp_bytes: u64,
    /// The uid (and gid) inside; it should own nothing on the host.
    pub uid: u32,
    /// CPUs a container may use.
    pub cpus: f64,
    /// Processes and threads in a container (runner included).
    pub pids_limit: i64,
}

impl DockerConfig {
    /// Defaults: runtime image version 1, pool of 2, one container per CPU.
    pub fn new(runner: KeeperCommand) -> Self {
        let cpus = std::thread::available_parallelism().map_or(2, |n| n.get());
        DockerConfig {
            runtime_image: format!("codehub/judge-runtime:{}", RUNTIME_VERSION),
            runner,
            pool_size: 2,
            max_containers: cpus,
            work_bytes: 256 << 20,
            tmp_bytes: 64 << 20,
            uid: 62_001,
            cpus: 1.0,
            pids_limit: 160,
        }
    }
}

/// The version of `deploy/judge-runtime` this code expects.
pub const RUNTIME_VERSION: &str = "1";

fn unavailable(e: impl std::fmt::Display) -> SandboxError {
    SandboxError::Unavailable(format!("docker: {e}"))
}

/// The Docker sandbox: a pool of warm containers.
#[derive(Clone)]
pub struct DockerSandbox {
    inner: Arc<Pool>,
}

struct Pool {
    docker: Docker,
    config: DockerConfig,
    /// The runner image tag.
    image: String,
    /// Started containers waiting for a submission.
    ready: Mutex<Vec<Container>>,
    /// One permit per container in use.
    permits: Arc<Semaphore>,
    /// Wakes the refill task.
    refill: Notify,
}

/// One started container and the connection to its runner.
struct Container {
    id: String,
    conn: tokio::sync::Mutex<Conn>,
    /// Current memory limit (bytes), to update only when a run needs another.
    memory: AtomicU64,
}

type Output = Pin<Box<dyn Stream<Item = Result<LogOutput, bollard::errors::Error>> + Send>>;

struct Conn {
    input: Pin<Box<dyn AsyncWrite + Send>>,
    output: Output,
    decoder: Decoder,
}

impl Conn {
    async fn call(
        &mut self,
        req: &Request,
        payload: &[u8],
        timeout: Duration,
    ) -> Result<(Response, Vec<u8>), SandboxError> {
        let lost = |what: &str| SandboxError::Protocol(format!("docker runner connection {what}"));
        self.input
            .write_all(&wire::encode(req, payload))
            .await
            .map_err(|e| SandboxError::io("write to the runner", e))?;
        self.input
            .flush()
            .await
            .map_err(|e| SandboxError::io("write to the runner", e))?;
        let read = async {
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
        let (resp, data) = tokio::time::timeout(timeout, read)
            .await
            .map_err(|_| lost("timed out"))??;
        if let Some(e) = &resp.error {
            return Err(SandboxError::Protocol(format!("runner: {e}")));
        }
        Ok((resp, data))
    }
}

fn pid_alive(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

impl DockerSandbox {
    /// Connects to the Docker daemon, prepares the runner image and removes containers
    /// left by judges that died.
    ///
    /// # Errors
    /// [`SandboxError::Unavailable`] when the daemon does not answer or the runtime image
    /// is missing (it says how to build it).
    pub async fn new(config: DockerConfig) -> Result<Self, SandboxError> {
        let docker = Docker::connect_with_local_defaults()
            .map_err(|e| unavailable(format!("the daemon does not answer ({e})")))?;
        docker
            .ping()
            .await
            .map_err(|e| unavailable(format!("the daemon does not answer ({e})")))?;
        if docker.inspect_image(&config.runtime_image).await.is_err() {
            return Err(SandboxError::Unavailable(format!(
                "docker: image {} is missing; build it with deploy/judge-runtime/build-offline.sh",
                config.runtime_image
            )));
        }
        let image = runner_image(&docker, &config).await?;
        remove_stale(&docker).await;
        let pool = Arc::new(Pool {
            permits: Arc::new(Semaphore::new(config.max_containers.max(1))),
            docker,
            config,
            image,
            ready: Mutex::new(Vec::new()),
            refill: Notify::new(),
        });
        tokio::spawn(refill_loop(Arc::downgrade(&pool)));
        pool.refill.notify_one();
        Ok(DockerSandbox { inner: pool })
    }

    /// Containers started and waiting.
    pub fn ready_containers(&self) -> usize {
        self.inner.ready.lock().expect("pool lock").len()
    }

    /// Waits until the warm pool is full (benchmarks, tests).
    pub async fn wait_warm(&self) {
        for _ in 0..600 {
            if self.ready_containers() >= self.inner.config.pool_size {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Creates and starts one container now (no pool): the cold path.
    ///
    /// # Errors
    /// Docker failures.
    pub async fn cold_container_ms(&self) -> Result<f64, SandboxError> {
        let t = std::time::Instant::now();
        let c = start_container(&self.inner).await?;
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        remove_container(self.inner.docker.clone(), c.id);
        Ok(ms)
    }
}

/// Builds (once) the runner image: the runtime image plus the runner binary.
async fn runner_image(docker: &Docker, config: &DockerConfig) -> Result<String, SandboxError> {
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

/// Removes CodeHub containers whose judge process is gone.
async fn remove_stale(docker: &Docker) {
    let filters = HashMap::from([("label", vec![LABEL])]);
    let options = ListContainersOptionsBuilder::default()
        .all(true)
        .filters(&filters)
        .build();
    let Ok(list) = docker.list_containers(Some(options)).await else {
        return;
    };
    for c in list {
        let owner = c
            .labels
            .as_ref()
            .and_then(|l| l.get(OWNER_LABEL))
            .and_then(|p| p.parse::<u32>().ok());
        let orphan = owner.is_none_or(|pid| !pid_alive(pid));
        if let (true, Some(id)) = (orphan, c.id) {
            tracing::info!(container = %id, "removing a sandbox container left by a dead judge");
            let _ = docker
                .remove_container(
                    &id,
                    Some(RemoveContainerOptionsBuilder::default().force(true).build()),
                )
                .await;
        }
    }
}

fn remove_container(docker: Docker, id: String) {
    tokio::spawn(async move {
        let _ = docker
            .remove_container(
                &id,
                Some(RemoveContainerOptionsBuilder::default().force(true).build()),
            )
            .await;
    });
}

/// Creates, starts and attaches one hardened container.
async fn start_container(pool: &Pool) -> Result<Container, SandboxError> {
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
    let created = pool
        .docker
        .create_container(None::<CreateContainerOptions>, body)
        .await
        .map_err(unavailable)?;
    let id = created.id;
    let attach = pool
        .docker
        .attach_container(
            &id,
            Some(
                AttachContainerOptionsBuilder::default()
                    .stream(true)
                    .stdin(true)
                    .stdout(true)
                    .stderr(true)
                    .build(),
            ),
        )
        .await;
    let started = match attach {
        Ok(a) => pool.docker.start_container(&id, None).await.map(|_| a),
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
            Err(unavailable(e))
        }
    }
}

async fn refill_loop(pool: std::sync::Weak<Pool>) {
    loop {
        let Some(p) = pool.upgrade() else { return };
        let missing = p
            .config
            .pool_size
            .saturating_sub(p.ready.lock().expect("pool lock").len());
        if missing == 0 {
            // Holding the pool for at most a second: a dropped sandbox stops this loop soon.
            tokio::select! {
                _ = p.refill.notified() => {}
                _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            }
            continue;
        }
        match start_container(&p).await {
            Ok(c) => p.ready.lock().expect("pool lock").push(c),
            Err(e) => {
                tracing::warn!(error = %e, "cannot start a warm sandbox container");
                drop(p);
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        for c in self.ready.lock().expect("pool lock").drain(..) {
            if tokio::runtime::Handle::try_current().is_ok() {
                remove_container(self.docker.clone(), c.id);
            }
        }
    }
}

impl Sandbox for DockerSandbox {
    type Env = DockerEnv;

    fn backend(&self) -> &'static str {
        "docker"
    }

    fn uses_host_toolchains(&self) -> bool {
        false
    }

    async fn acquire(&self) -> Result<DockerEnv, SandboxError> {
        let permit = self
            .inner
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| SandboxError::Protocol("sandbox pool closed".into()))?;
        let warm = self.inner.ready.lock().expect("pool lock").pop();
        self.inner.refill.notify_one();
        let container = match warm {
            Some(c) => c,
            None => start_container(&self.inner).await?,
        };
        Ok(DockerEnv {
            container: Some(container),
            pool: self.inner.clone(),
            _permit: permit,
        })
    }
}

/// One container, for one submission; removed when dropped.
pub struct DockerEnv {
    container: Option<Container>,
    pool: Arc<Pool>,
    _permit: OwnedSemaphorePermit,
}

impl DockerEnv {
    fn container(&self) -> &Container {
        self.container.as_ref().expect("present until drop")
    }

    async fn call(
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

const FILE_TIMEOUT: Duration = Duration::from_secs(60);

/// Runs an interactive program: bytes from `from_judge` go to its stdin, its stdout goes
/// to `to_judge`, live, until the runner's final answer.
async fn relay(
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
