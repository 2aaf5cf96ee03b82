//! The judge ↔ runner wire inside a Docker container: frames over the container's attached
//! stdin/stdout. A frame is `u32 header length (BE)`, a JSON header, `u32 payload length
//! (BE)`, the payload bytes (file contents, program input/output).

use crate::sandbox::request::{RunReport, RunRequest};
use serde::{Deserialize, Serialize};
use std::io::{self, Read, Write};

/// Largest header accepted.
const MAX_HEADER: u32 = 1 << 20;
/// Largest payload accepted.
const MAX_PAYLOAD: u32 = 1 << 30;

/// How far each direction of an interactive relay may run ahead, in bytes: input the judge
/// sends before the program has taken it, output the runner sends before the judge has
/// passed it on. A pipe's capacity, so the relay buffers no more than a pipe would and a
/// side that stops reading holds the other up, as a pipe does.
pub const WINDOW: u64 = 64 << 10;

/// A request to the runner.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Request {
    /// Write the payload to a file of `/work`.
    Put {
        /// Relative path.
        path: String,
        /// Mode 0755 instead of 0644.
        executable: bool,
    },
    /// Read a file of `/work` (at most `max` bytes) into the payload.
    Get {
        /// Relative path.
        path: String,
        /// Most bytes returned.
        max: u64,
    },
    /// List the regular files of `/work`.
    List,
    /// Make an empty directory in `/work` (replacing what was there).
    Mkdir {
        /// Relative path.
        path: String,
    },
    /// Empty `/work` and `/tmp`.
    Clear,
    /// Run a program whose stdin and stdout are relayed live. The judge sends
    /// [`Request::Data`] for its input (at most [`WINDOW`] bytes ahead of the program's
    /// `taken`), [`Request::Taken`] for output it passed on, and the other requests below;
    /// the runner answers with chunk responses (output, at most [`WINDOW`] bytes ahead of
    /// `Taken`, and `taken` input), then the final response (payload: stderr). After the
    /// final response the judge sends [`Request::End`], and the runner discards what comes
    /// until then.
    RunInteractive {
        /// What to run.
        req: RunRequest,
        /// Bytes of stderr returned.
        stderr_bytes: u64,
    },
    /// Input for a running interactive program (the payload).
    Data,
    /// The interactive program's input ends (its writer is gone and everything is sent).
    Eof,
    /// The writer of the program's input is gone; input already sent may still follow
    /// (the program's `input_closed` from now on).
    Hangup,
    /// The judge passed on this many bytes of the program's output.
    Taken {
        /// Bytes.
        bytes: u64,
    },
    /// The program's output has no reader any more: close it (its writes fail, as to a
    /// pipe without reader).
    CloseOutput,
    /// End the run now ([`crate::sandbox::RunSpec::stop`]).
    Stop,
    /// The last frame of an interactive run, sent once its final response has arrived.
    End,
    /// Run a program; the payload is its stdin.
    Run {
        /// What to run.
        req: RunRequest,
        /// Bytes of stdout returned.
        output_bytes: u64,
        /// Bytes of stderr returned.
        stderr_bytes: u64,
    },
}

/// The runner's answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Response {
    /// Set when the request failed.
    pub error: Option<String>,
    /// A chunk of an interactive program's output (the payload, possibly empty), not the
    /// final answer.
    #[serde(default)]
    pub chunk: bool,
    /// With `chunk`: bytes of input the program took since the last chunk.
    #[serde(default)]
    pub taken: u64,
    /// Files (`list`).
    #[serde(default)]
    pub files: Vec<String>,
    /// What the run did (`run`); the payload is stdout then stderr.
    pub report: Option<RunReport>,
    /// Bytes of the payload that are stdout (the rest is stderr).
    #[serde(default)]
    pub stdout_len: u64,
    /// Total stdout written (may exceed what is returned).
    #[serde(default)]
    pub stdout_total: u64,
    /// Total stderr written.
    #[serde(default)]
    pub stderr_total: u64,
}

impl Response {
    /// A plain success.
    pub fn ok() -> Self {
        Response {
            error: None,
            chunk: false,
            taken: 0,
            files: Vec::new(),
            report: None,
            stdout_len: 0,
            stdout_total: 0,
            stderr_total: 0,
        }
    }

    /// A failure.
    pub fn failed(message: impl Into<String>) -> Self {
        Response {
            error: Some(message.into()),
            ..Self::ok()
        }
    }
}

/// Encodes a frame.
pub fn encode<T: Serialize>(header: &T, payload: &[u8]) -> Vec<u8> {
    let head = serde_json::to_vec(header).expect("headers serialise");
    let mut out = Vec::with_capacity(8 + head.len() + payload.len());
    out.extend_from_slice(&(head.len() as u32).to_be_bytes());
    out.extend_from_slice(&head);
    out.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    out.extend_from_slice(payload);
    out
}

/// Reads one frame from a blocking reader; `Ok(None)` at a clean end of stream.
pub fn read_frame<T: for<'de> Deserialize<'de>>(
    r: &mut impl Read,
) -> io::Result<Option<(T, Vec<u8>)>> {
    let mut len = [0u8; 4];
    match r.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let head_len = u32::from_be_bytes(len);
    if head_len > MAX_HEADER {
        return Err(io::Error::other("frame header too large"));
    }
    let mut head = vec![0u8; head_len as usize];
    r.read_exact(&mut head)?;
    r.read_exact(&mut len)?;
    let payload_len = u32::from_be_bytes(len);
    if payload_len > MAX_PAYLOAD {
        return Err(io::Error::other("frame payload too large"));
    }
    let mut payload = vec![0u8; payload_len as usize];
    r.read_exact(&mut payload)?;
    let header = serde_json::from_slice(&head).map_err(io::Error::other)?;
    Ok(Some((header, payload)))
}

/// Writes one frame to a blocking writer and flushes.
pub fn write_frame<T: Serialize>(w: &mut impl Write, header: &T, payload: &[u8]) -> io::Result<()> {
    w.write_all(&encode(header, payload))?;
    w.flush()
}

/// Incremental frame decoder for byte chunks arriving from a stream.
#[derive(Default)]
pub struct Decoder {
    buf: Vec<u8>,
}

impl Decoder {
    /// Adds bytes.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// Whether no byte is buffered (not even part of a frame).
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// The next complete frame, if the buffer holds one.
    ///
    /// # Errors
    /// On an oversized or malformed frame.
    pub fn next_frame<T: for<'de> Deserialize<'de>>(&mut self) -> io::Result<Option<(T, Vec<u8>)>> {
        let b = &self.buf;
        if b.len() < 4 {
            return Ok(None);
        }
        let head_len = u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
        if head_len > MAX_HEADER {
            return Err(io::Error::other("frame header too large"));
        }
        let head_end = 4 + head_len as usize;
        if b.len() < head_end + 4 {
            return Ok(None);
        }
        let payload_len = u32::from_be_bytes([
            b[head_end],
            b[head_end + 1],
            b[head_end + 2],
            b[head_end + 3],
        ]);
        if payload_len > MAX_PAYLOAD {
            return Err(io::Error::other("frame payload too large"));
        }
        let end = head_end + 4 + payload_len as usize;
        if b.len() < end {
            return Ok(None);
        }
        let header = serde_json::from_slice(&b[4..head_end]).map_err(io::Error::other)?;
        let payload = b[head_end + 4..end].to_vec();
        self.buf.drain(..end);
        Ok(Some((header, payload)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_whole_and_in_pieces() {
        let req = Request::Put {
            path: "a/b.c".into(),
            executable: true,
        };
        let bytes = encode(&req, b"contents");
        let (back, payload): (Request, Vec<u8>) = read_frame(&mut &bytes[..]).unwrap().unwrap();
        assert!(matches!(back, Request::Put { ref path, executable: true } if path == "a/b.c"));
        assert_eq!(payload, b"contents");

        let mut d = Decoder::default();
        let two = [bytes.clone(), bytes].concat();
        for chunk in two.chunks(3) {
            d.push(chunk);
        }
        assert!(d.next_frame::<Request>().unwrap().is_some());
        assert!(d.next_frame::<Request>().unwrap().is_some());
        assert!(d.next_frame::<Request>().unwrap().is_none());
        assert!(read_frame::<Request>(&mut &[][..]).unwrap().is_none());
    }
}
