//! The pool of warm containers: [`DockerSandbox`] connects, cleans up after dead judges,
//! keeps `pool_size` containers started ahead of demand and lends them.

use super::config::{DockerConfig, LABEL, OWNER_LABEL};
use super::container::{Container, runner_image, start_container};
use super::env::DockerEnv;
use crate::sandbox::{Sandbox, SandboxError};
use bollard::Docker;
use bollard::query_parameters::{ListContainersOptionsBuilder, RemoveContainerOptionsBuilder};
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{Notify, Semaphore};

pub(super) fn unavailable(e: impl std::fmt::Display) -> SandboxError {
    SandboxError::Unavailable(format!("docker: {e}"))
}

/// The Docker sandbox: a pool of warm containers.
#[derive(Clone)]
pub struct DockerSandbox {
    pub(super) inner: Arc<Pool>,
}

pub(super) struct Pool {
    pub(super) docker: Docker,
    pub(super) config: DockerConfig,
    /// The runner image tag.
    pub(super) image: String,
    /// Started containers waiting for a submission.
    pub(super) ready: Mutex<Vec<Container>>,
    /// One permit per container in use.
    pub(super) permits: Arc<Semaphore>,
    /// Wakes the refill task.
    pub(super) refill: Notify,
}

pub(super) fn pid_alive(pid: u32) -> bool {
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

    /// Containers lent out now (each holds one of `max_containers` permits).
    pub fn containers_in_use(&self) -> usize {
        self.inner
            .config
            .max_containers
            .max(1)
            .saturating_sub(self.inner.permits.available_permits())
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

/// Removes CodeHub containers whose judge process is gone.
pub(super) async fn remove_stale(docker: &Docker) {
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

pub(super) fn remove_container(docker: Docker, id: String) {
    tokio::spawn(async move {
        let _ = docker
            .remove_container(
                &id,
                Some(RemoveContainerOptionsBuilder::default().force(true).build()),
            )
            .await;
    });
}

pub(super) async fn refill_loop(pool: std::sync::Weak<Pool>) {
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
