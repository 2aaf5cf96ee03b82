//! The domain: users, problems, contests, submissions and their judgements.
//!
//! Times are milliseconds since the Unix epoch (`i64`), so every store and the wire agree
//! without time-zone or precision surprises.

use crate::Verdict;
use serde::{Deserialize, Serialize};

pub use codehub_protocol::ids::{ClarificationId, ContestId, ProblemId, SubmissionId, UserId};
pub use codehub_protocol::names::{ContestKind, ContestState, Role, SubmissionStatus};
pub use codehub_protocol::policy::VerdictPolicy;

/// Milliseconds since the Unix epoch.
pub type Millis = i64;

/// The current time in [`Millis`].
pub fn now_ms() -> Millis {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// A registered user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Id.
    pub id: UserId,
    /// Unique login name.
    pub username: String,
    /// Argon2 PHC string (never serialised to clients by the gateway).
    pub password_hash: String,
    /// Role.
    pub role: Role,
    /// When registered.
    pub created_at: Millis,
    /// Disabled by an administrator: cannot sign in or renew a session.
    pub disabled: bool,
    /// Deleted by its owner (anonymised; kept so submissions keep their owner).
    pub deleted: bool,
}

/// What a user tells about themselves (public), each field optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// The name shown instead of the user name.
    pub display_name: Option<String>,
    /// School, university or company.
    pub affiliation: Option<String>,
    /// ISO 3166-1 alpha-3 country code.
    pub country: Option<String>,
    /// A few words (Markdown).
    pub bio: Option<String>,
    /// Content hash of the avatar (a PNG made by the server).
    pub avatar: Option<String>,
}

/// A problem's name and statement in one more language, from its package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Translation {
    /// The name in that language, if the package gives one.
    pub name: Option<String>,
    /// The statement in that language (Markdown; empty: only the name is translated).
    pub statement: String,
}

/// A problem: metadata; the package itself is a blob named by its content hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    /// Id.
    pub id: ProblemId,
    /// Unique short name.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// SHA-256 (hex) of the package zip in the blob store.
    pub package_hash: String,
    /// Time limit per test, ms.
    pub time_limit_ms: i64,
    /// Memory limit, KiB.
    pub memory_limit_kib: i64,
    /// Largest accepted source, bytes.
    pub code_limit_bytes: i64,
    /// Statement (Markdown with LaTeX), if the package has one.
    pub statement: String,
    /// Sample tests shown with the statement: (input, answer).
    pub samples: Vec<(String, String)>,
    /// A submit-answer (output-only) problem's answer files, one per test case: a
    /// submission is these files (language `answer`), not a program. Empty for others.
    #[serde(default)]
    pub answer_files: Vec<String>,
    /// Whether learners may practise it outside contests.
    pub practice: bool,
    /// When imported.
    pub created_at: Millis,
    /// Topic tags (lower case, from the package's `keywords` or set by the jury).
    #[serde(default)]
    pub tags: Vec<String>,
    /// The author's difficulty, 1 (easiest) to 10; `None`: not given.
    #[serde(default)]
    pub difficulty: Option<i64>,
    /// Where the problem comes from (a contest, a book), if given.
    #[serde(default)]
    pub source: Option<String>,
    /// The language of `name` and `statement` (`None`: not said; English assumed).
    #[serde(default)]
    pub statement_language: Option<String>,
    /// The name and statement in other languages than the main ones above, by language
    /// code (`de`, `pt-BR`).
    #[serde(default)]
    pub translations: std::collections::BTreeMap<String, Translation>,
}

/// A problem as it appears in a contest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContestProblem {
    /// The problem.
    pub problem_id: ProblemId,
    /// Its label in the contest (`A`, `B`, …).
    pub label: String,
}

/// A contest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contest {
    /// Id.
    pub id: ContestId,
    /// Unique short name.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Scoring.
    pub kind: ContestKind,
    /// Start.
    pub start_at: Millis,
    /// End.
    pub end_at: Millis,
    /// From this moment the public scoreboard hides results (shows them pending).
    pub freeze_at: Option<Millis>,
    /// When the public scoreboard is unfrozen automatically (after the end).
    pub unfreeze_at: Option<Millis>,
    /// Set when the jury unfroze the scoreboard by hand.
    pub unfrozen: bool,
    /// ICPC penalty minutes per rejected attempt before the accepted one.
    pub penalty_minutes: i64,
    /// Problems, in label order.
    pub problems: Vec<ContestProblem>,
    /// How this contest's submissions are judged where the package leaves it to the
    /// judge (`docs/judging.md`); `None`: the judge's own policy.
    pub verdict_policy: Option<VerdictPolicy>,
    /// Participants may run code on samples or typed input while it runs
    /// (`POST /api/runs`); outside contests runs are always allowed.
    pub allow_runs: bool,
    /// Its results change participants' ratings once the jury finalises them
    /// (`crate::rating`).
    pub rated: bool,
}

impl Contest {
    /// The state at `now`.
    pub fn state(&self, now: Millis) -> ContestState {
        if now < self.start_at {
            ContestState::Scheduled
        } else if now >= self.end_at {
            ContestState::Ended
        } else if self.is_frozen(now) {
            ContestState::Frozen
        } else {
            ContestState::Running
        }
    }

    /// Whether the public scoreboard is frozen at `now`.
    pub fn is_frozen(&self, now: Millis) -> bool {
        let Some(freeze_at) = self.freeze_at else {
            return false;
        };
        let unfrozen = self.unfrozen || self.unfreeze_at.is_some_and(|u| now >= u);
        now >= freeze_at && !unfrozen
    }

    /// Whether submissions are accepted at `now`.
    pub fn accepts_submissions(&self, now: Millis) -> bool {
        now >= self.start_at && now < self.end_at
    }

    /// The index of `problem` in this contest.
    pub fn problem_index(&self, problem: ProblemId) -> Option<usize> {
        self.problems.iter().position(|p| p.problem_id == problem)
    }
}

/// A file of a submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedFile {
    /// File name.
    pub name: String,
    /// Contents (UTF-8 text; sources are text).
    pub contents: String,
}

/// One test's result, as stored and shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestResult {
    /// Test name (`sample/1`, `secret/group1/03`).
    pub name: String,
    /// Group.
    pub group: String,
    /// Whether a sample (its details may be shown to the contestant).
    pub sample: bool,
    /// Verdict.
    pub verdict: Verdict,
    /// CPU time, ms.
    pub time_ms: i64,
    /// Peak memory, KiB.
    pub memory_kib: i64,
}

/// The judge's result for a submission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Judgement {
    /// Verdict.
    pub verdict: Verdict,
    /// IOI score (0–100 or the package's points), if scored.
    pub score: Option<f64>,
    /// Slowest test, ms.
    pub time_ms: i64,
    /// Largest memory peak, KiB.
    pub memory_kib: i64,
    /// Compiler output (truncated).
    pub compile_output: String,
    /// Per-test results.
    pub tests: Vec<TestResult>,
    /// When judged.
    pub judged_at: Millis,
}

/// A submission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Submission {
    /// Id (also the order of arrival).
    pub id: SubmissionId,
    /// Author.
    pub user_id: UserId,
    /// The contest it was made in (`None`: practice).
    pub contest_id: Option<ContestId>,
    /// The problem.
    pub problem_id: ProblemId,
    /// Language id.
    pub language: String,
    /// Source files.
    pub files: Vec<SubmittedFile>,
    /// When it was accepted (202).
    pub submitted_at: Millis,
    /// Judging status.
    pub status: SubmissionStatus,
    /// The judgement, once done.
    pub judgement: Option<Judgement>,
}

/// A clarification: a team's question, or the jury's answer or announcement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clarification {
    /// Id.
    pub id: ClarificationId,
    /// The contest.
    pub contest_id: ContestId,
    /// The asking team; `None`: from the jury.
    pub from_user: Option<UserId>,
    /// The teams a jury message goes to; `None`: every team (a question: the jury).
    pub to_users: Option<Vec<UserId>>,
    /// The question this answers.
    pub reply_to: Option<ClarificationId>,
    /// The problem it is about; `None`: general.
    pub problem_id: Option<ProblemId>,
    /// The text (Markdown).
    pub text: String,
    /// When.
    pub created_at: Millis,
    /// Questions: whether the jury answered it.
    pub answered: bool,
    /// Questions: the judge who claimed it.
    pub claimed_by: Option<UserId>,
}

impl Clarification {
    /// Whether `user` (a team, not the jury) may read it: its own questions, and jury
    /// messages to every team or to it.
    pub fn visible_to_team(&self, user: UserId) -> bool {
        match self.from_user {
            Some(from) => from == user,
            None => self.to_users.as_ref().is_none_or(|to| to.contains(&user)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contest(freeze_at: Option<Millis>, unfreeze_at: Option<Millis>) -> Contest {
        Contest {
            id: ContestId(1),
            slug: "c".into(),
            name: "C".into(),
            kind: ContestKind::Icpc,
            start_at: 100,
            end_at: 200,
            freeze_at,
            unfreeze_at,
            unfrozen: false,
            penalty_minutes: 20,
            problems: vec![],
            verdict_policy: None,
            allow_runs: false,
            rated: false,
        }
    }

    #[test]
    fn contest_states_follow_the_clock() {
        let c = contest(Some(150), Some(250));
        assert_eq!(c.state(99), ContestState::Scheduled);
        assert_eq!(c.state(100), ContestState::Running);
        assert_eq!(c.state(150), ContestState::Frozen);
        assert_eq!(c.state(200), ContestState::Ended);
        assert!(c.is_frozen(220) && !c.is_frozen(250));
        assert!(c.accepts_submissions(199) && !c.accepts_submissions(200));
        let mut manual = c.clone();
        manual.unfrozen = true;
        assert_eq!(manual.state(160), ContestState::Running);
        assert_eq!(contest(None, None).state(160), ContestState::Running);
    }

    #[test]
    fn roles_order_by_power() {
        assert!(Role::Admin.is_jury() && Role::Jury.is_jury() && !Role::Contestant.is_jury());
        for r in [Role::Spectator, Role::Contestant, Role::Jury, Role::Admin] {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
    }
}
