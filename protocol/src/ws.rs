//! The `/ws` protocol. A client sends [`ClientCommand`]s; the server sends
//! [`ServerMessage`]s: `{"channel","seq","type","ts","data"}` where `type` is a
//! [`MessageKind`], and errors `{"type":"error","code","message"}`.
//!
//! On `subscribe` the server replies with the messages after `since` if it still holds
//! all of them, otherwise with a fresh `snapshot`; after that every message of the
//! channel follows with `seq` one larger than the one before.

use crate::channel::Channel;
use crate::names::LiveState;
use crate::verdict::Verdict;
use serde::{Deserialize, Serialize};

/// A command from the client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum ClientCommand {
    /// Start receiving a channel, resuming after `since` if given.
    Subscribe {
        /// Channel name (see [`Channel`]).
        channel: String,
        /// Last `seq` the client has.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        since: Option<u64>,
    },
    /// Stop receiving a channel.
    Unsubscribe {
        /// Channel name.
        channel: String,
    },
    /// Authenticate the connection with an access token (the first message; keeps the
    /// token out of URLs and logs). Answered by an `auth` message, or a 401 error.
    Auth {
        /// Access token.
        token: String,
    },
}

impl ClientCommand {
    /// `subscribe` to `channel`.
    pub fn subscribe(channel: Channel, since: Option<u64>) -> Self {
        ClientCommand::Subscribe {
            channel: channel.to_string(),
            since,
        }
    }
}

/// The type of a server message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// A whole scoreboard ([`crate::board::Snapshot`]) or a user's submission list.
    Snapshot,
    /// Changed scoreboard rows ([`crate::board::Delta`]).
    Delta,
    /// A submission's progress ([`Status`]).
    Status,
    /// A submission's verdict ([`Status`] with `state: done`).
    Verdict,
    /// A refused command (`code`, `message`; no channel).
    Error,
    /// A new clarification ([`crate::views::ClarificationView`]); the snapshot of a
    /// clarification channel is `{"clarifications": [...]}`.
    Clarification,
    /// The connection is authenticated (`{"user_id", "role"}`; no channel).
    Auth,
}

impl MessageKind {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::Snapshot => "snapshot",
            MessageKind::Delta => "delta",
            MessageKind::Status => "status",
            MessageKind::Verdict => "verdict",
            MessageKind::Error => "error",
            MessageKind::Clarification => "clarification",
            MessageKind::Auth => "auth",
        }
    }
}

/// A message from the server, with its payload left as JSON until the receiver knows its
/// type ([`ServerMessage::data_as`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServerMessage {
    /// Channel name (absent on errors).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// Sequence number in the channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seq: Option<u64>,
    /// What the message is.
    #[serde(rename = "type")]
    pub kind: MessageKind,
    /// Server time of publication, ms since the epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ts: Option<i64>,
    /// Payload (absent on errors).
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub data: serde_json::Value,
    /// Errors: HTTP-like status code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<u16>,
    /// Errors: what went wrong.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl ServerMessage {
    /// An error message.
    pub fn error(code: u16, message: impl Into<String>) -> Self {
        ServerMessage {
            channel: None,
            seq: None,
            kind: MessageKind::Error,
            ts: None,
            data: serde_json::Value::Null,
            code: Some(code),
            message: Some(message.into()),
        }
    }

    /// The payload as `T`.
    ///
    /// # Errors
    /// If the payload is not a `T`.
    pub fn data_as<T: for<'de> Deserialize<'de>>(&self) -> serde_json::Result<T> {
        T::deserialize(&self.data)
    }
}

/// The snapshot of `user/{id}/submissions`: the user's latest submissions, newest first
/// (without source files).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserSubmissions {
    /// At most 50 submissions.
    pub submissions: Vec<crate::views::SubmissionView>,
}

/// A submission's live state (`status` and `verdict` messages on `submission/{id}` and
/// `user/{id}/submissions`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Status {
    /// Submission.
    pub submission_id: i64,
    /// Where it is.
    pub state: LiveState,
    /// Running: the test (1-based).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test: Option<usize>,
    /// Running: the number of tests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<usize>,
    /// Done: the verdict.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Verdict>,
    /// Done: IOI score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// Done: slowest test, ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_ms: Option<i64>,
    /// Done: largest memory peak, KiB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_kib: Option<i64>,
}

impl Status {
    /// Submission `submission_id` in `state`, with nothing else known.
    pub fn new(submission_id: i64, state: LiveState) -> Self {
        Status {
            submission_id,
            state,
            test: None,
            total: None,
            verdict: None,
            score: None,
            time_ms: None,
            memory_kib: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_have_the_documented_shape() {
        let sub = ClientCommand::subscribe(Channel::Submission(crate::SubmissionId(9)), Some(4));
        assert_eq!(
            serde_json::to_value(&sub).unwrap(),
            serde_json::json!({"op": "subscribe", "channel": "submission/9", "since": 4})
        );
        let un: ClientCommand =
            serde_json::from_str(r#"{"op":"unsubscribe","channel":"x"}"#).unwrap();
        assert_eq!(
            un,
            ClientCommand::Unsubscribe {
                channel: "x".into()
            }
        );
        assert!(serde_json::from_str::<ClientCommand>(r#"{"op":"publish"}"#).is_err());
    }

    #[test]
    fn server_messages_parse_with_typed_payloads() {
        let raw = r#"{"channel":"submission/3","seq":2,"type":"verdict","ts":5,
            "data":{"submission_id":3,"state":"done","verdict":"WA","score":null}}"#;
        let m: ServerMessage = serde_json::from_str(raw).unwrap();
        assert_eq!(m.kind, MessageKind::Verdict);
        let s: Status = m.data_as().unwrap();
        assert_eq!(
            (s.state, s.verdict),
            (LiveState::Done, Some(Verdict::WrongAnswer))
        );
        let e = ServerMessage::error(404, "no such channel");
        let back: ServerMessage =
            serde_json::from_str(&serde_json::to_string(&e).unwrap()).unwrap();
        assert_eq!(back, e);
    }
}
