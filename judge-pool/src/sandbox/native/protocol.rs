//! The wire protocol between the judge and a sandbox keeper.
//!
//! One `SOCK_SEQPACKET` Unix socket per keeper: each message is one JSON datagram, and file
//! descriptors (the run's stdin/stdout/stderr, cgroup files) travel beside it with
//! `SCM_RIGHTS`, so the keeper never needs to see a host path.

use nix::sys::socket::{ControlMessage, ControlMessageOwned, MsgFlags, recvmsg, sendmsg};
use serde::{Deserialize, Serialize};
use std::io::{IoSlice, IoSliceMut};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::path::PathBuf;

pub use crate::sandbox::request::{Killed, RunReport, RunRequest};

/// Largest message either side sends.
const MAX_MESSAGE: usize = 256 << 10;
/// Most file descriptors sent with one message.
const MAX_FDS: usize = 16;

/// What the keeper needs to build its sandbox.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeeperConfig {
    /// An empty host directory on which the new root is mounted (a tmpfs).
    pub root_dir: PathBuf,
    /// Host paths made visible read-only at the same place (symlinks are copied as links).
    pub readonly_paths: Vec<PathBuf>,
    /// Size of the writable `/work` tmpfs.
    pub work_bytes: u64,
    /// Size of the writable `/tmp` tmpfs.
    pub tmp_bytes: u64,
    /// The cgroup descriptors that come with the setup message.
    pub cgroup: CgroupLayout,
}

/// Which cgroup descriptors come with [`Message::Setup`], in this order: `procs`
/// `cgroup.procs` files, then CPU usage, memory peak and OOM events, then the run
/// cgroup's directory if `dir`, then `cgroup.kill` if `kill`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct CgroupLayout {
    /// The unified (v2) hierarchy: CPU usage is `cpu.stat`'s `usage_usec`, not
    /// `cpuacct.usage` in nanoseconds.
    pub unified: bool,
    /// How many `cgroup.procs` descriptors.
    pub procs: usize,
    /// Whether the run cgroup's directory comes (for `clone3(CLONE_INTO_CGROUP)`).
    pub dir: bool,
    /// Whether `cgroup.kill` comes.
    pub kill: bool,
}

impl CgroupLayout {
    /// How many descriptors in all.
    pub fn count(&self) -> usize {
        self.procs + 3 + usize::from(self.dir) + usize::from(self.kill)
    }
}

/// How the judge mapped the keeper's user namespace.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct IdMapping {
    /// The id the keeper takes inside: 0 when the judge (root) mapped the keeper and
    /// [`SANDBOX_UID`] to two unprivileged host ids; [`SANDBOX_UID`] when an unprivileged
    /// judge mapped only its own id (then the keeper holds its capabilities in the
    /// namespace only until each run drops them).
    pub keeper_id: u32,
    /// Whether `setgroups(2)` is allowed (an unprivileged mapping must deny it).
    pub setgroups: bool,
}

/// The uid and gid of programs inside the sandbox (mapped to an unprivileged host id).
pub const SANDBOX_UID: u32 = 1000;

/// Every message of the protocol.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Message {
    /// Host → keeper, with the cgroup descriptors.
    Setup(KeeperConfig),
    /// Keeper → host: namespaces created; the host may write the id maps now.
    Unshared,
    /// Host → keeper: id maps written.
    Mapped(IdMapping),
    /// Keeper → host: host pid of the sandbox's init.
    Init {
        /// Host pid.
        pid: i32,
    },
    /// Keeper → host: the sandbox is ready for runs; with an `O_PATH` descriptor of the
    /// sandbox root.
    Ready,
    /// Host → keeper, with stdin, stdout and stderr descriptors.
    Run(RunRequest),
    /// Keeper → host: the run is over and every process of it is gone.
    Done(RunReport),
    /// Keeper → host: something failed; the keeper exits after sending it.
    Failed {
        /// What failed.
        message: String,
    },
}

/// One end of a keeper socket.
#[derive(Debug)]
pub struct Channel {
    fd: OwnedFd,
}

impl Channel {
    /// Wraps a connected `SOCK_SEQPACKET` socket.
    pub fn new(fd: OwnedFd) -> Self {
        Channel { fd }
    }

    /// Takes ownership of a raw descriptor (the keeper's stdin).
    ///
    /// # Safety
    /// `fd` must be an open socket owned by no one else.
    pub unsafe fn from_raw(fd: RawFd) -> Self {
        // SAFETY: guaranteed by the caller.
        Channel {
            fd: unsafe { OwnedFd::from_raw_fd(fd) },
        }
    }

    /// The socket descriptor.
    pub fn raw(&self) -> RawFd {
        self.fd.as_raw_fd()
    }

    /// Sends one message with descriptors.
    pub fn send(&self, msg: &Message, fds: &[RawFd]) -> std::io::Result<()> {
        let bytes = serde_json::to_vec(msg).map_err(std::io::Error::other)?;
        if bytes.len() > MAX_MESSAGE {
            return Err(std::io::Error::other("sandbox message too large"));
        }
        let iov = [IoSlice::new(&bytes)];
        let cmsgs = [ControlMessage::ScmRights(fds)];
        let cmsgs: &[ControlMessage] = if fds.is_empty() { &[] } else { &cmsgs };
        loop {
            match sendmsg::<()>(self.raw(), &iov, cmsgs, MsgFlags::MSG_NOSIGNAL, None) {
                Ok(_) => return Ok(()),
                Err(nix::errno::Errno::EINTR) => continue,
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Receives one message and its descriptors; `Ok(None)` when the peer is gone.
    pub fn recv(&self) -> std::io::Result<Option<(Message, Vec<OwnedFd>)>> {
        let mut buf = vec![0u8; MAX_MESSAGE];
        let mut space = nix::cmsg_space!([RawFd; MAX_FDS]);
        let (len, fds) = loop {
            let mut iov = [IoSliceMut::new(&mut buf)];
            match recvmsg::<()>(
                self.raw(),
                &mut iov,
                Some(&mut space),
                MsgFlags::MSG_CMSG_CLOEXEC,
            ) {
                Ok(msg) => {
                    let mut fds = Vec::new();
                    for cmsg in msg.cmsgs()? {
                        if let ControlMessageOwned::ScmRights(raw) = cmsg {
                            // SAFETY: the kernel just installed these descriptors for us.
                            fds.extend(
                                raw.into_iter()
                                    .map(|fd| unsafe { OwnedFd::from_raw_fd(fd) }),
                            );
                        }
                    }
                    break (msg.bytes, fds);
                }
                Err(nix::errno::Errno::EINTR) => continue,
                Err(e) => return Err(e.into()),
            }
        };
        if len == 0 {
            return Ok(None);
        }
        let msg = serde_json::from_slice(&buf[..len]).map_err(std::io::Error::other)?;
        Ok(Some((msg, fds)))
    }
}
