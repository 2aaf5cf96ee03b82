//! The runner: pid 1 of a judge container. It serves [`Request`]s arriving on its stdin
//! (the container's attached stdin) and answers on its stdout, running programs with
//! [`process::run`], so a run inside a warm container costs one fork + exec, and its
//! accounting (CPU from the container's `cpuacct`, peak RSS from `wait4`, OOM kills from
//! `memory.oom_control`) covers the run only, never the container's start-up.
//!
//! The runner itself is unprivileged (the container's non-root user, no capabilities),
//! non-dumpable, and exits when its stdin closes; Docker then stops the container.

use super::wire::{Decoder, Request, Response, encode, read_frame, write_frame};
use crate::sandbox::check_relative;
use crate::sandbox::process::{self, Accounting, ChildSetup};
use crate::sandbox::request::RunRequest;
use std::fs;
use std::io::BufRead;
use std::io::{self, BufReader, Read, Seek, Write};
use std::os::fd::{AsRawFd, RawFd};
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

const WORK: &str = "/work";
const TMP: &str = "/tmp";

/// Serves requests until stdin closes, then exits.
pub fn runner_main() -> ! {
    // SAFETY: plain prctl: no ptrace or /proc peeking at the runner by the programs.
    unsafe { libc::prctl(libc::PR_SET_DUMPABLE, 0) };
    let open = |p: &str| fs::File::open(p).ok().map(OwnedFd::from);
    let cpu = open("/sys/fs/cgroup/cpuacct/cpuacct.usage")
        .or_else(|| open("/sys/fs/cgroup/cpuacct,cpu/cpuacct.usage"));
    let oom = open("/sys/fs/cgroup/memory/memory.oom_control");
    let acct = Accounting {
        cpu_usage: cpu.as_ref(),
        cpu_stat: false,
        memory_peak: None,
        oom_events: oom.as_ref(),
        kill: None,
    };
    let mut input = BufReader::new(io::stdin().lock());
    // SAFETY: fd 1 is our stdout; wrapping it avoids Rust's line buffering.
    let mut output = std::mem::ManuallyDrop::new(unsafe { fs::File::from_raw_fd(1) });
    loop {
        let (req, payload): (Request, Vec<u8>) = match read_frame(&mut input) {
            Ok(Some(frame)) => frame,
            Ok(None) => std::process::exit(0),
            Err(e) => {
                eprintln!("codehub runner: {e}");
                std::process::exit(1);
            }
        };
        let answer = match req {
            Request::RunInteractive { req, stderr_bytes } => {
                interactive(&mut input, &mut output, &req, stderr_bytes, &acct)
            }
            req => handle(req, payload, &acct),
        };
        let (resp, data) = match answer {
            Ok(answer) => answer,
            Err(e) => (Response::failed(e.to_string()), Vec::new()),
        };
        if write_frame(&mut *output, &resp, &data).is_err() {
            std::process::exit(1);
        }
    }
}

fn work_path(rel: &str) -> io::Result<PathBuf> {
    check_relative(rel).map_err(|e| io::Error::other(e.to_string()))?;
    Ok(Path::new(WORK).join(rel))
}

/// Removes the System V IPC objects of this IPC namespace (they would outlive a run).
fn remove_ipc() {
    for (file, kind) in [("shm", 0), ("msg", 1), ("sem", 2)] {
        let Ok(text) = fs::read_to_string(format!("/proc/sysvipc/{file}")) else {
            continue;
        };
        for line in text.lines().skip(1) {
            let Some(id) = line
                .split_whitespace()
                .nth(1)
                .and_then(|i| i.parse::<i32>().ok())
            else {
                continue;
            };
            // SAFETY: plain syscalls on ids of our own namespace.
            unsafe {
                match kind {
                    0 => libc::shmctl(id, libc::IPC_RMID, std::ptr::null_mut()),
                    1 => libc::msgctl(id, libc::IPC_RMID, std::ptr::null_mut()),
                    _ => libc::semctl(id, 0, libc::IPC_RMID),
                };
            }
        }
    }
}

fn memfd(name: &str) -> io::Result<fs::File> {
    let name = std::ffi::CString::new(name).expect("no nul");
    nix::sys::memfd::memfd_create(&name, nix::sys::memfd::MemFdCreateFlag::MFD_CLOEXEC)
        .map(fs::File::from)
        .map_err(io::Error::from)
}

fn read_capped(f: &mut fs::File, max: u64) -> io::Result<(Vec<u8>, u64)> {
    let total = f.metadata()?.len();
    f.rewind()?;
    let mut buf = Vec::new();
    f.take(max).read_to_end(&mut buf)?;
    Ok((buf, total))
}

fn handle(req: Request, payload: Vec<u8>, acct: &Accounting) -> io::Result<(Response, Vec<u8>)> {
    match req {
        Request::Put { path, executable } => {
            let p = work_path(&path)?;
            if let Some(parent) = p.parent() {
                fs::create_dir_all(parent)?;
            }
            let _ = fs::remove_file(&p);
            fs::write(&p, &payload)?;
            let mode = if executable { 0o755 } else { 0o644 };
            fs::set_permissions(&p, fs::Permissions::from_mode(mode))?;
            Ok((Response::ok(), Vec::new()))
        }
        Request::Get { path, max } => {
            let p = work_path(&path)?;
            let mut f = fs::File::open(&p)?;
            if !f.metadata()?.is_file() {
                return Err(io::Error::other(format!("{path} is not a regular file")));
            }
            let mut buf = Vec::new();
            (&mut f).take(max).read_to_end(&mut buf)?;
            Ok((Response::ok(), buf))
        }
        Request::List => {
            let mut files = Vec::new();
            let mut stack = vec![PathBuf::from(WORK)];
            while let Some(dir) = stack.pop() {
                for entry in fs::read_dir(&dir)? {
                    let entry = entry?;
                    let ft = entry.file_type()?;
                    if ft.is_dir() {
                        stack.push(entry.path());
                    } else if ft.is_file() {
                        let rel = entry
                            .path()
                            .strip_prefix(WORK)
                            .map(Path::to_owned)
                            .unwrap_or_default();
                        files.push(rel.to_string_lossy().into_owned());
                    }
                }
            }
            files.sort();
            Ok((
                Response {
                    files,
                    ..Response::ok()
                },
                Vec::new(),
            ))
        }
        Request::Mkdir { path } => {
            let p = work_path(&path)?;
            if let Ok(meta) = fs::symlink_metadata(&p) {
                if meta.is_dir() {
                    fs::remove_dir_all(&p)?;
                } else {
                    fs::remove_file(&p)?;
                }
            }
            fs::create_dir_all(&p)?;
            Ok((Response::ok(), Vec::new()))
        }
        Request::Clear => {
            crate::sandbox::fsutil::empty_dir(Path::new(WORK))?;
            crate::sandbox::fsutil::empty_dir(Path::new(TMP))?;
            remove_ipc();
            Ok((Response::ok(), Vec::new()))
        }
        Request::RunInteractive { .. } | Request::Data | Request::Eof => Err(io::Error::other(
            "interactive input outside an interactive run",
        )),
        Request::Run {
            req,
            output_bytes,
            stderr_bytes,
        } => {
            let mut stdin = memfd("stdin")?;
            stdin.write_all(&payload)?;
            stdin.rewind()?;
            let mut stdout = memfd("stdout")?;
            let mut stderr = memfd("stderr")?;
            let fds = [
                OwnedFd::from(stdin),
                OwnedFd::from(stdout.try_clone()?),
                OwnedFd::from(stderr.try_clone()?),
            ];
            let setup = ChildSetup {
                join_cgroups: &[],
                into_cgroup: None,
                drop_to: None,
                new_ipc_namespace: false,
                seccomp: None,
            };
            let report = process::run(0, &req, &fds, &setup, acct, None)?;
            drop(fds);
            let (mut out, stdout_total) = read_capped(&mut stdout, output_bytes)?;
            let (err, stderr_total) = read_capped(&mut stderr, stderr_bytes)?;
            let stdout_len = out.len() as u64;
            out.extend_from_slice(&err);
            Ok((
                Response {
                    report: Some(report),
                    stdout_len,
                    stdout_total,
                    stderr_total,
                    ..Response::ok()
                },
                out,
            ))
        }
    }
}

/// Relays an interactive program's stdin and stdout between pipes and the runner's own
/// stdin/stdout, inside the supervising loop.
struct Relay<'a> {
    /// Frames from the judge (input data, end of input).
    decoder: Decoder,
    /// Write end of the program's stdin; `None` once closed.
    to_program: Option<fs::File>,
    /// Input not yet accepted by the program.
    pending: Vec<u8>,
    /// The judge sent the end of the input.
    input_done: bool,
    /// Read end of the program's stdout.
    from_program: fs::File,
    /// The runner's stdout.
    out: &'a mut fs::File,
}

fn set_nonblocking(fd: RawFd) {
    // SAFETY: plain fcntl on our own descriptor.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK);
    }
}

impl Relay<'_> {
    fn pump_input(&mut self) {
        let Some(to) = self.to_program.as_mut() else {
            self.pending.clear();
            return;
        };
        while !self.pending.is_empty() {
            match to.write(&self.pending) {
                Ok(n) => {
                    self.pending.drain(..n);
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                Err(_) => {
                    // The program closed its input: what it did not read is dropped.
                    self.pending.clear();
                    self.to_program = None;
                    return;
                }
            }
        }
        if self.input_done {
            self.to_program = None;
        }
    }

    fn forward_output(&mut self) -> io::Result<bool> {
        let mut buf = [0u8; 64 << 10];
        match self.from_program.read(&mut buf) {
            Ok(0) => Ok(false),
            Ok(n) => {
                let chunk = Response {
                    chunk: true,
                    ..Response::ok()
                };
                self.out.write_all(&encode(&chunk, &buf[..n]))?;
                self.out.flush()?;
                Ok(true)
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(false),
            Err(e) => Err(e),
        }
    }
}

impl process::Relay for Relay<'_> {
    fn interest(&self) -> Vec<libc::pollfd> {
        let mut fds = vec![libc::pollfd {
            fd: self.from_program.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        }];
        if !self.input_done {
            fds.push(libc::pollfd {
                fd: 0,
                events: libc::POLLIN,
                revents: 0,
            });
        }
        if let (Some(to), false) = (&self.to_program, self.pending.is_empty()) {
            fds.push(libc::pollfd {
                fd: to.as_raw_fd(),
                events: libc::POLLOUT,
                revents: 0,
            });
        }
        fds
    }

    fn ready(&mut self, polled: &[libc::pollfd]) -> io::Result<()> {
        for p in polled.iter().filter(|p| p.revents != 0) {
            if p.fd == 0 {
                let mut buf = [0u8; 64 << 10];
                // SAFETY: valid buffer; poll said fd 0 is readable, so this does not block.
                let n = unsafe { libc::read(0, buf.as_mut_ptr().cast(), buf.len()) };
                if n <= 0 {
                    return Err(io::Error::other("the judge closed the interactive input"));
                }
                self.decoder.push(&buf[..n as usize]);
                while let Some((req, payload)) = self.decoder.next_frame::<Request>()? {
                    match req {
                        Request::Data => self.pending.extend_from_slice(&payload),
                        Request::Eof => self.input_done = true,
                        _ => {
                            return Err(io::Error::other(
                                "unexpected request during an interactive run",
                            ));
                        }
                    }
                }
            } else if p.fd == self.from_program.as_raw_fd() {
                while self.forward_output()? {}
            }
        }
        self.pump_input();
        Ok(())
    }
}

fn pipe() -> io::Result<(fs::File, fs::File)> {
    let (r, w) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC)?;
    Ok((fs::File::from(r), fs::File::from(w)))
}

fn interactive(
    input: &mut BufReader<io::StdinLock<'static>>,
    out: &mut fs::File,
    req: &RunRequest,
    stderr_bytes: u64,
    acct: &Accounting,
) -> io::Result<(Response, Vec<u8>)> {
    let (stdin_r, stdin_w) = pipe()?;
    let (stdout_r, stdout_w) = pipe()?;
    set_nonblocking(stdin_w.as_raw_fd());
    set_nonblocking(stdout_r.as_raw_fd());
    let mut stderr = memfd("stderr")?;
    let mut relay = Relay {
        decoder: Decoder::default(),
        to_program: Some(stdin_w),
        pending: Vec::new(),
        input_done: false,
        from_program: stdout_r,
        out,
    };
    // Frames the judge sent right after the request may already be buffered.
    let buffered = input.buffer().to_vec();
    input.consume(buffered.len());
    relay.decoder.push(&buffered);
    while let Some((req, payload)) = relay.decoder.next_frame::<Request>()? {
        match req {
            Request::Data => relay.pending.extend_from_slice(&payload),
            Request::Eof => relay.input_done = true,
            _ => {
                return Err(io::Error::other(
                    "unexpected request during an interactive run",
                ));
            }
        }
    }
    let fds = [
        OwnedFd::from(stdin_r),
        OwnedFd::from(stdout_w),
        OwnedFd::from(stderr.try_clone()?),
    ];
    let setup = ChildSetup {
        join_cgroups: &[],
        into_cgroup: None,
        drop_to: None,
        new_ipc_namespace: false,
        seccomp: None,
    };
    let report = process::run(0, req, &fds, &setup, acct, Some(&mut relay))?;
    drop(fds);
    // Everything the program wrote before it ended.
    set_nonblocking(relay.from_program.as_raw_fd());
    while relay.forward_output()? {}
    let (err, stderr_total) = read_capped(&mut stderr, stderr_bytes)?;
    Ok((
        Response {
            report: Some(report),
            stderr_total,
            ..Response::ok()
        },
        err,
    ))
}
