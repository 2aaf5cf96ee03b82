//! Live channels: what a WebSocket client subscribes to. Their names are formatted and
//! parsed here only.
//!
//! | channel | name |
//! |---|---|
//! | a contest's public scoreboard | `contest/{id}/scoreboard` |
//! | a contest's jury scoreboard | `contest/{id}/scoreboard/jury` |
//! | a user's submissions | `user/{id}/submissions` |
//! | one submission's verdict stream | `submission/{id}` |
//! | a contest's clarifications to every team | `contest/{id}/clarifications` |
//! | every clarification of a contest (jury) | `contest/{id}/clarifications/jury` |
//! | a team's own clarifications (its questions, answers to it) | `user/{id}/clarifications` |
//! | what the jury's resolver has revealed | `contest/{id}/resolver` |

use crate::board::View;
use crate::ids::{ContestId, SubmissionId, UserId};
use std::fmt;
use std::str::FromStr;

/// A live channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    /// A contest's scoreboard, as `view` sees it.
    Scoreboard(ContestId, View),
    /// Status and verdict messages of every submission of a user.
    UserSubmissions(UserId),
    /// Status and verdict messages of one submission.
    Submission(SubmissionId),
    /// A contest's clarifications: those to every team (public), or all (jury).
    Clarifications(ContestId, View),
    /// A team's own clarifications, of every contest: its questions and the jury's
    /// messages to it alone.
    UserClarifications(UserId),
    /// What the jury's resolver has revealed (public).
    Resolver(ContestId),
}

impl Channel {
    /// The channel's kind, without its ids (a metric label).
    pub fn kind(&self) -> &'static str {
        match self {
            Channel::Scoreboard(_, View::Public) => "scoreboard",
            Channel::Scoreboard(_, View::Jury) => "scoreboard_jury",
            Channel::UserSubmissions(_) => "user_submissions",
            Channel::Submission(_) => "submission",
            Channel::Clarifications(_, View::Public) => "clarifications",
            Channel::Clarifications(_, View::Jury) => "clarifications_jury",
            Channel::UserClarifications(_) => "user_clarifications",
            Channel::Resolver(_) => "resolver",
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Channel::Scoreboard(c, View::Public) => write!(f, "contest/{c}/scoreboard"),
            Channel::Scoreboard(c, View::Jury) => write!(f, "contest/{c}/scoreboard/jury"),
            Channel::UserSubmissions(u) => write!(f, "user/{u}/submissions"),
            Channel::Submission(s) => write!(f, "submission/{s}"),
            Channel::Clarifications(c, View::Public) => write!(f, "contest/{c}/clarifications"),
            Channel::Clarifications(c, View::Jury) => {
                write!(f, "contest/{c}/clarifications/jury")
            }
            Channel::UserClarifications(u) => write!(f, "user/{u}/clarifications"),
            Channel::Resolver(c) => write!(f, "contest/{c}/resolver"),
        }
    }
}

/// A string that is not a channel name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownChannel(pub String);

impl fmt::Display for UnknownChannel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown channel `{}` (expected contest/ID/scoreboard, contest/ID/scoreboard/jury, \
             contest/ID/clarifications, contest/ID/clarifications/jury, contest/ID/resolver, \
             user/ID/submissions, \
             user/ID/clarifications or submission/ID)",
            self.0
        )
    }
}

impl std::error::Error for UnknownChannel {}

impl FromStr for Channel {
    type Err = UnknownChannel;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        let mut parts = name.split('/');
        let mut next = || parts.next();
        let id = |s: Option<&str>| {
            s.filter(|s| !s.starts_with('+'))
                .and_then(|s| s.parse::<i64>().ok())
        };
        let parsed = match next() {
            Some("contest") => id(next()).and_then(|c| match (next(), next()) {
                (Some("scoreboard"), None) => Some(Channel::Scoreboard(ContestId(c), View::Public)),
                (Some("scoreboard"), Some("jury")) => {
                    Some(Channel::Scoreboard(ContestId(c), View::Jury))
                }
                (Some("clarifications"), None) => {
                    Some(Channel::Clarifications(ContestId(c), View::Public))
                }
                (Some("clarifications"), Some("jury")) => {
                    Some(Channel::Clarifications(ContestId(c), View::Jury))
                }
                (Some("resolver"), None) => Some(Channel::Resolver(ContestId(c))),
                _ => None,
            }),
            Some("user") => id(next()).and_then(|u| match next() {
                Some("submissions") => Some(Channel::UserSubmissions(UserId(u))),
                Some("clarifications") => Some(Channel::UserClarifications(UserId(u))),
                _ => None,
            }),
            Some("submission") => id(next()).map(|s| Channel::Submission(SubmissionId(s))),
            _ => None,
        };
        match parsed {
            Some(channel) if next().is_none() => Ok(channel),
            _ => Err(UnknownChannel(name.to_owned())),
        }
    }
}

impl serde::Serialize for Channel {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Channel {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_channel_round_trips_through_its_name() {
        let all = [
            Channel::Scoreboard(ContestId(3), View::Public),
            Channel::Scoreboard(ContestId(3), View::Jury),
            Channel::UserSubmissions(UserId(-7)),
            Channel::Submission(SubmissionId(42)),
            Channel::Clarifications(ContestId(3), View::Public),
            Channel::Clarifications(ContestId(3), View::Jury),
            Channel::UserClarifications(UserId(5)),
        ];
        let names = [
            "contest/3/scoreboard",
            "contest/3/scoreboard/jury",
            "user/-7/submissions",
            "submission/42",
            "contest/3/clarifications",
            "contest/3/clarifications/jury",
            "user/5/clarifications",
        ];
        for (channel, name) in all.iter().zip(names) {
            assert_eq!(channel.to_string(), name);
            assert_eq!(name.parse::<Channel>().unwrap(), *channel);
            let json = serde_json::to_string(channel).unwrap();
            assert_eq!(serde_json::from_str::<Channel>(&json).unwrap(), *channel);
        }
    }

    #[test]
    fn malformed_names_are_refused() {
        for bad in [
            "",
            "contest",
            "contest/x/scoreboard",
            "contest/1",
            "contest/1/scoreboard/public",
            "contest/1/scoreboard/jury/more",
            "user/1",
            "user/1/submissions/2",
            "submission/",
            "submission/+1",
            "submission/1/",
            "Submission/1",
        ] {
            let err = bad.parse::<Channel>().unwrap_err();
            assert_eq!(err.0, bad);
        }
    }
}
