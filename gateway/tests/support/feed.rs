//! Reading an event feed (NDJSON) in tests, shared by the API and cluster tests.

use serde_json::Value;
use std::time::Duration;

/// The lines of an NDJSON response, read until `done` holds of those read so far (then
/// for `grace` more, to catch what should not follow), the response ends or fails, or
/// `limit` passes (`grace` never reaches past it).
pub async fn read_lines_until(
    mut resp: reqwest::Response,
    limit: Duration,
    done: impl Fn(&[Value]) -> bool,
    grace: Duration,
) -> Vec<Value> {
    let end = tokio::time::Instant::now() + limit;
    let mut deadline = end;
    let (mut buffer, mut lines, mut finished) = (Vec::new(), Vec::new(), false);
    while let Ok(Ok(Some(chunk))) = tokio::time::timeout_at(deadline, resp.chunk()).await {
        buffer.extend_from_slice(&chunk);
        while let Some(at) = buffer.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = buffer.drain(..=at).collect();
            if line.len() > 1 {
                lines.push(serde_json::from_slice(&line).unwrap());
            }
        }
        if !finished && done(&lines) {
            finished = true;
            deadline = (tokio::time::Instant::now() + grace).min(end);
        }
    }
    lines
}
