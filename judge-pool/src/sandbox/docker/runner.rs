//! The runner: pid 1 of a judge container. It serves [`Request`]s arriving on its stdin
//! (the container's attached stdin) and answers on its stdout, running programs with
//! [`process::run`], so a run inside a warm container costs one fork + exec, and its
//! accounting (CPU from the container's `cpuacct`, peak RSS from `wait4`, OOM kills from
//! `memory.oom_control`) covers the run only, never the container's start-up.
//!
//! The runner itself is unprivileged (the container's non-root user, no capabilities),
//! non-dumpable, and exits when its stdin closes; Docker then stops the container.

use super::wire::{Decoder, Request, Response, WINDOW, encode, write_frame};
use crate::sandbox::check_relative;
use crate::sandbox::process::{self, Accounting, ChildSetup};
use crate::sandbox::request::RunRequest;
use std::fs;
use std::io::{self, Read, Seek, Write};
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
    let mut input = Incoming::default();
    // SAFETY: fd 1 is our stdout; wrapping it avoids Rust's line buffering.
    let mut output = std::mem::ManuallyDrop::new(unsafe { fs::File::from_raw_fd(1) });
    loop {
        let (req, payload): (Request, Vec<u8>) = match input.next_frame() {
            Ok(Some(frame)) => frame,
            Ok(None) => std::process::exit(0),
            Err(e) => {
                eprintln!("codehub runner: {e}");
                std::process::exit(1);
            }
        };
        let answer = match req {
            // It writes its own answer (after its output, before the end of its input).
            Request::RunInteractive { req, stderr_bytes } => {
                match interactive(&mut input, &mut output, &req, stderr_bytes, &acct) {
                    Ok(()) => continue,
                    Err(e) => Err(e),
                }
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

/// Frames from the judge on fd 0. One decoder for every mode (requests, an interactive
/// run's input), so bytes read ahead in one are never lost to the next.
#[derive(Default)]
struct Incoming {
    decoder: Decoder,
}

impl Incoming {
    /// Reads once from fd 0 (blocking unless poll said it is readable); 0 at its end.
    fn fill(&mut self) -> io::Result<usize> {
        let mut buf = [0u8; 64 << 10];
        loop {
            // SAFETY: valid buffer; fd 0 is the judge's stream.
            let n = unsafe { libc::read(0, buf.as_mut_ptr().cast(), buf.len()) };
            if n >= 0 {
                self.decoder.push(&buf[..n as usize]);
                return Ok(n as usize);
            }
            let e = io::Error::last_os_error();
            if e.kind() != io::ErrorKind::Interrupted {
                return Err(e);
            }
        }
    }

    /// The next frame, waiting for it; `None` at a clean end of the stream.
    fn next_frame<T: for<'de> serde::Deserialize<'de>>(
        &mut self,
    ) -> io::Result<Option<(T, Vec<u8>)>> {
        loop {
            if let Some(frame) = self.decoder.next_frame()? {
                return Ok(Some(frame));
            }
            if self.fill()? == 0 {
                return if self.decoder.is_empty() {
                    Ok(None)
                } else {
                    Err(io::ErrorKind::UnexpectedEof.into())
                };
            }
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
        Request::RunInteractive { .. }
        | Request::Data
        | Request::Eof
        | Request::Hangup
        | Request::Taken { .. }
        | Request::CloseOutput
        | Request::Stop
        | Request::End => Err(io::Error::other(
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
                first_to_oom_kill: true,
            };
            let report = process::run(0, &req, &fds, None, &setup, acct, None)?;
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
/// stdin/stdout, inside the supervising loop. Nothing here blocks: every descriptor is
/// non-blocking or read only when poll says it is readable, and both directions are bounded
/// by [`WINDOW`], so the loop always gets back to the run's deadlines.
struct Relay<'a> {
    /// Frames from the judge (input data, end of input, window updates, stop).
    incoming: &'a mut Incoming,
    /// Write end of the program's stdin; `None` once closed.
    to_program: Option<fs::File>,
    /// Input not yet accepted by the program (at most [`WINDOW`] bytes: the judge keeps to
    /// the window).
    pending: Vec<u8>,
    /// The judge sent the end of the input.
    input_done: bool,
    /// The writer of the input is gone (`Hangup` or `Eof`).
    input_closed: bool,
    /// The judge asked to stop the run.
    stop: bool,
    /// Read end of the program's stdout; `None` once its reader is gone (`CloseOutput`).
    from_program: Option<fs::File>,
    /// Output sent to the judge and not yet passed on by it (at most [`WINDOW`]).
    unacked: u64,
    /// Input the program took since the last report of it.
    taken: u64,
    /// Frames for the judge not yet written to fd 1 (non-blocking during the run).
    outbox: Vec<u8>,
    /// The runner's stdout.
    out: &'a mut fs::File,
}

fn set_nonblocking(fd: RawFd, on: bool) {
    // SAFETY: plain fcntl on our own descriptor.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        let flags = if on {
            flags | libc::O_NONBLOCK
        } else {
            flags & !libc::O_NONBLOCK
        };
        libc::fcntl(fd, libc::F_SETFL, flags);
    }
}

/// Keeps fd 1 non-blocking while it lives.
struct NonBlocking(RawFd);

impl NonBlocking {
    fn new(fd: RawFd) -> Self {
        set_nonblocking(fd, true);
        NonBlocking(fd)
    }
}

impl Drop for NonBlocking {
    fn drop(&mut self) {
        set_nonblocking(self.0, false);
    }
}

impl Relay<'_> {
    /// Handles one frame of the judge's during the run.
    fn frame(&mut self, req: Request, payload: Vec<u8>) -> io::Result<()> {
        match req {
            Request::Data => self.pending.extend_from_slice(&payload),
            Request::Eof => {
                self.input_done = true;
                self.input_closed = true;
            }
            Request::Hangup => self.input_closed = true,
            Request::Taken { bytes } => self.unacked = self.unacked.saturating_sub(bytes),
            Request::CloseOutput => self.from_program = None,
            Request::Stop => self.stop = true,
            _ => {
                return Err(io::Error::other(
                    "unexpected request during an interactive run",
                ));
            }
        }
        Ok(())
    }

    fn pump_input(&mut self) {
        let Some(to) = self.to_program.as_mut() else {
            // What the program can no longer read still counts as taken: the judge goes on.
            self.taken += self.pending.len() as u64;
            self.pending.clear();
            return;
        };
        while !self.pending.is_empty() {
            match to.write(&self.pending) {
                Ok(n) => {
                    self.pending.drain(..n);
                    self.taken += n as u64;
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                Err(_) => {
                    // The program closed its input: what it did not read is dropped.
                    self.taken += self.pending.len() as u64;
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

    /// Reads the program's output into chunk frames, at most `limit` bytes.
    fn read_output(&mut self, limit: u64) -> io::Result<()> {
        let Some(from) = self.from_program.as_mut() else {
            return Ok(());
        };
        let mut buf = [0u8; 64 << 10];
        let mut budget = limit;
        while budget > 0 {
            let want = buf.len().min(budget as usize);
            match from.read(&mut buf[..want]) {
                Ok(0) => break,
                Ok(n) => {
                    let chunk = Response {
                        chunk: true,
                        ..Response::ok()
                    };
                    self.outbox.extend_from_slice(&encode(&chunk, &buf[..n]));
                    self.unacked += n as u64;
                    budget -= n as u64;
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Writes what fd 1 takes now.
    fn flush_outbox(&mut self) -> io::Result<()> {
        while !self.outbox.is_empty() {
            match self.out.write(&self.outbox) {
                Ok(n) => {
                    self.outbox.drain(..n);
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
}

impl process::Relay for Relay<'_> {
    fn interest(&self) -> Vec<libc::pollfd> {
        let poll = |fd, events| libc::pollfd {
            fd,
            events,
            revents: 0,
        };
        // The judge's frames are always read: it keeps its data to the window, and its
        // window updates, stop and end of input must get through whatever the program does.
        let mut fds = vec![poll(0, libc::POLLIN)];
        if let (Some(from), true) = (&self.from_program, self.unacked < WINDOW) {
            fds.push(poll(from.as_raw_fd(), libc::POLLIN));
        }
        if let (Some(to), false) = (&self.to_program, self.pending.is_empty()) {
            fds.push(poll(to.as_raw_fd(), libc::POLLOUT));
        }
        if !self.outbox.is_empty() {
            fds.push(poll(1, libc::POLLOUT));
        }
        fds
    }

    fn ready(&mut self, polled: &[libc::pollfd]) -> io::Result<()> {
        if polled.iter().any(|p| p.fd == 0 && p.revents != 0) {
            if self.incoming.fill()? == 0 {
                return Err(io::Error::other("the judge closed the interactive input"));
            }
            while let Some((req, payload)) = self.incoming.decoder.next_frame::<Request>()? {
                self.frame(req, payload)?;
            }
        }
        self.pump_input();
        self.read_output(WINDOW.saturating_sub(self.unacked))?;
        if self.taken > 0 {
            let taken = Response {
                chunk: true,
                taken: std::mem::take(&mut self.taken),
                ..Response::ok()
            };
            self.outbox.extend_from_slice(&encode(&taken, &[]));
        }
        self.flush_outbox()
    }

    fn stop_requested(&self) -> bool {
        self.stop
    }

    fn input_closed(&self) -> bool {
        self.input_closed
    }
}

fn pipe() -> io::Result<(fs::File, fs::File)> {
    let (r, w) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC)?;
    Ok((fs::File::from(r), fs::File::from(w)))
}

/// Runs an interactive program and writes its final answer.
fn interactive(
    input: &mut Incoming,
    out: &mut fs::File,
    req: &RunRequest,
    stderr_bytes: u64,
    acct: &Accounting,
) -> io::Result<()> {
    let (stdin_r, stdin_w) = pipe()?;
    let (stdout_r, stdout_w) = pipe()?;
    set_nonblocking(stdin_w.as_raw_fd(), true);
    set_nonblocking(stdout_r.as_raw_fd(), true);
    let mut stderr = memfd("stderr")?;
    let nonblocking_out = NonBlocking::new(out.as_raw_fd());
    let mut relay = Relay {
        incoming: input,
        to_program: Some(stdin_w),
        pending: Vec::new(),
        input_done: false,
        input_closed: false,
        stop: false,
        from_program: Some(stdout_r),
        unacked: 0,
        taken: 0,
        outbox: Vec::new(),
        out,
    };
    // Frames the judge sent right after the request may already be buffered.
    while let Some((req, payload)) = relay.incoming.decoder.next_frame::<Request>()? {
        relay.frame(req, payload)?;
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
        first_to_oom_kill: true,
    };
    let report = process::run(0, req, &fds, None, &setup, acct, Some(&mut relay))?;
    drop(fds);
    // Everything the program wrote before it ended (it and its processes are gone, so this
    // ends), unless its reader is gone; then the final answer.
    relay.read_output(u64::MAX)?;
    let (err, stderr_total) = read_capped(&mut stderr, stderr_bytes)?;
    drop(nonblocking_out);
    let Relay {
        incoming,
        mut outbox,
        out,
        ..
    } = relay;
    let answer = Response {
        report: Some(report),
        stderr_total,
        ..Response::ok()
    };
    outbox.extend_from_slice(&encode(&answer, &err));
    out.write_all(&outbox)?;
    out.flush()?;
    // The judge answers with `End`; what it sent before it is moot now.
    loop {
        match incoming.next_frame::<Request>()? {
            Some((Request::End, _)) => return Ok(()),
            Some(_) => {}
            None => return Err(io::ErrorKind::UnexpectedEof.into()),
        }
    }
}
