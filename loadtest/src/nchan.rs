//! The peer: nginx with the nchan module, started for a run on loopback with one worker
//! process and a configuration written here; subscribers on `/sub` (WebSocket), messages
//! POSTed to `/pub`, one channel.
//!
//! Debian's `nginx-light` and `libnginx-mod-nchan` provide it
//! (`/usr/sbin/nginx`, `/usr/lib/nginx/modules/ngx_nchan_module.so`).

use anyhow::{Context, bail};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Where Debian puts the nchan module.
pub const MODULE: &str = "/usr/lib/nginx/modules/ngx_nchan_module.so";

/// An nginx + nchan server for one run (stopped on drop).
pub struct NchanServer {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    dir: tempfile::TempDir,
    client: reqwest::Client,
}

/// The configuration: one worker, enough connections for `connections` subscribers.
/// nginx counts a subscriber's connection twice while nchan holds it (at 19,000
/// subscribers, 20,024 slots ran out: "worker_connections are not enough, reusing
/// connections", and 229 handshakes failed), so it gets twice the slots.
pub fn config(dir: &Path, port: u16, connections: usize) -> String {
    let d = dir.display();
    let workers = 2 * connections + 1024;
    format!(
        "load_module {MODULE};\n\
         daemon off;\n\
         worker_processes 1;\n\
         worker_rlimit_nofile {files};\n\
         pid {d}/nginx.pid;\n\
         error_log {d}/error.log warn;\n\
         events {{ worker_connections {workers}; multi_accept on; }}\n\
         http {{\n\
         \x20 access_log off;\n\
         \x20 client_body_temp_path {d}/body;\n\
         \x20 proxy_temp_path {d}/proxy;\n\
         \x20 fastcgi_temp_path {d}/fastcgi;\n\
         \x20 uwsgi_temp_path {d}/uwsgi;\n\
         \x20 scgi_temp_path {d}/scgi;\n\
         \x20 server {{\n\
         \x20   listen 127.0.0.1:{port} backlog=65535;\n\
         \x20   location = /pub {{ nchan_publisher; nchan_channel_id board; \
         nchan_message_buffer_length 64; nchan_message_timeout 5m; }}\n\
         \x20   location = /sub {{ nchan_subscriber websocket; nchan_channel_id board; \
         nchan_subscriber_first_message newest; }}\n\
         \x20 }}\n\
         }}\n",
        files = open_files_limit().min(workers as u64 + 1024),
    )
}

/// This process's hard limit of open files (nginx may not raise its own above it).
fn open_files_limit() -> u64 {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: a valid out-pointer.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } == 0 {
        lim.rlim_max
    } else {
        1024
    }
}

/// Whether nginx and the module are installed.
pub fn installed() -> bool {
    Path::new("/usr/sbin/nginx").exists() && Path::new(MODULE).exists()
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

impl NchanServer {
    /// Starts nginx with the configuration for `connections` subscribers and waits until
    /// it accepts a publication.
    ///
    /// # Errors
    /// nginx missing, not starting, or not answering in 10 s.
    pub async fn start(connections: usize) -> anyhow::Result<NchanServer> {
        if !installed() {
            bail!(
                "nginx with nchan is not installed (apt-get install nginx-light libnginx-mod-nchan)"
            );
        }
        let dir = tempfile::tempdir()?;
        let port = free_port()?;
        let conf: PathBuf = dir.path().join("nginx.conf");
        std::fs::write(&conf, config(dir.path(), port, connections))?;
        let child = Command::new("/usr/sbin/nginx")
            .arg("-c")
            .arg(&conf)
            .arg("-p")
            .arg(dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .context("cannot start nginx")?;
        let server = NchanServer {
            child,
            url: format!("http://127.0.0.1:{port}"),
            dir,
            client: reqwest::Client::new(),
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            match server.publish("{}".into()).await {
                Ok(()) => return Ok(server),
                Err(e) if Instant::now() > deadline => {
                    let log = std::fs::read_to_string(server.dir.path().join("error.log"))
                        .unwrap_or_default();
                    bail!("nginx did not answer: {e}; error.log: {log}");
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    }

    /// Publishes `body` to the channel.
    ///
    /// # Errors
    /// A transport error or a status other than 2xx.
    pub async fn publish(&self, body: String) -> anyhow::Result<()> {
        let resp = self
            .client
            .post(format!("{}/pub", self.url))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await?;
        if !resp.status().is_success() {
            bail!("nchan answered {}", resp.status());
        }
        Ok(())
    }

    /// The master's pid and its worker's.
    fn pids(&self) -> Vec<u32> {
        let master = self.child.id();
        let children = std::fs::read_to_string(format!("/proc/{master}/task/{master}/children"))
            .unwrap_or_default();
        std::iter::once(master)
            .chain(children.split_whitespace().filter_map(|p| p.parse().ok()))
            .collect()
    }

    /// CPU time (user + system) of nginx's processes, µs.
    pub fn cpu_us(&self) -> Option<f64> {
        self.pids()
            .iter()
            .map(|p| crate::server::cpu_us_of(*p))
            .sum()
    }

    /// Resident memory of nginx's processes, KiB.
    pub fn rss_kib(&self) -> Option<u64> {
        self.pids()
            .iter()
            .map(|p| crate::server::rss_kib_of(*p))
            .sum()
    }
}

impl Drop for NchanServer {
    fn drop(&mut self) {
        // SIGTERM lets nginx take its worker down with it.
        // SAFETY: signalling our own child process.
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGTERM);
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_configuration_has_one_worker_and_room_for_every_subscriber() {
        let c = config(Path::new("/tmp/x"), 8123, 19_000);
        assert!(c.contains("worker_processes 1;"));
        assert!(c.contains("worker_connections 39024;"));
        assert!(c.contains("listen 127.0.0.1:8123"));
        assert!(c.contains("nchan_subscriber websocket;"));
        assert!(c.contains("nchan_publisher;"));
        assert!(c.contains(&format!("load_module {MODULE};")));
    }
}
