//! Request bodies of the REST API. Fields whose values the gateway validates with its own
//! messages (names, roles, kinds, verdicts) are strings here; their accepted spellings
//! are those of [`crate::names`] and [`crate::verdict`].

use crate::views::{ContestProblemView, FileView};
use serde::{Deserialize, Serialize};

/// Credentials for `POST /api/auth/login` and `/api/auth/register`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Credentials {
    /// Login name: 3–32 of letters, digits, `_`, `-`, `.`.
    #[cfg_attr(feature = "openapi", schema(pattern = r"^[A-Za-z0-9_.-]{3,32}$"))]
    pub username: String,
    /// Password: 12–128 characters (ASVS 2.1.1, 2.1.2).
    #[cfg_attr(feature = "openapi", schema(min_length = 12, max_length = 128))]
    pub password: String,
}

/// `POST /api/auth/refresh`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefreshRequest {
    /// The refresh token from login (works once).
    pub refresh_token: String,
}

/// `POST /api/submissions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewSubmission {
    /// Problem.
    pub problem_id: i64,
    /// Contest (omit for practice).
    #[serde(default)]
    pub contest_id: Option<i64>,
    /// Language id (see `/api/languages`); detected from the file names if omitted.
    #[serde(default)]
    pub language: Option<String>,
    /// Source files (several form one submission). Each name follows the rule of
    /// [`crate::files::check_source_name`] (1–100 ASCII letters, digits, `_`, `-`, `+`,
    /// `.`; no directory part; no leading `.`; an extension), and at least one file is
    /// a source file of the language. 1 to 32 files.
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 32))]
    pub files: Vec<FileView>,
}

/// `POST /api/contests`: a contest to create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewContest {
    /// Unique short name: 1-64 letters, digits, `-` or `_`.
    #[cfg_attr(feature = "openapi", schema(pattern = r"^[A-Za-z0-9_-]{1,64}$"))]
    pub slug: String,
    /// Name (not blank).
    #[cfg_attr(feature = "openapi", schema(pattern = r"\S"))]
    pub name: String,
    /// `icpc` (default) or `ioi`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<ContestKindName>))]
    pub kind: Option<String>,
    /// Start, ms since the epoch (1970 to 9999, as every time here).
    #[cfg_attr(
        feature = "openapi",
        schema(minimum = 0, maximum = 253_402_300_799_999_i64)
    )]
    pub start_at: i64,
    /// End (after the start).
    #[cfg_attr(
        feature = "openapi",
        schema(minimum = 0, maximum = 253_402_300_799_999_i64)
    )]
    pub end_at: i64,
    /// Freeze time (between start and end).
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(minimum = 0, maximum = 253_402_300_799_999_i64)
    )]
    pub freeze_at: Option<i64>,
    /// Automatic unfreeze (at or after the end).
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(minimum = 0, maximum = 253_402_300_799_999_i64)
    )]
    pub unfreeze_at: Option<i64>,
    /// Penalty minutes per rejected try, 0-1000 (default 20).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1000))]
    pub penalty_minutes: Option<i64>,
    /// Problems with labels.
    pub problems: Vec<ContestProblemView>,
    /// How its submissions are judged where the package leaves it to the judge
    /// (`docs/judging.md`); absent: the judge's own policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict_policy: Option<crate::policy::VerdictPolicy>,
    /// Participants may run code on samples or typed input during the contest
    /// (`POST /api/runs`; default: not).
    #[serde(default)]
    pub allow_runs: bool,
    /// Its results change ratings once the jury finalises them (default: not).
    #[serde(default)]
    pub rated: bool,
}

/// `PATCH /api/contests/{id}`: changes to a contest; absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ContestPatch {
    /// Name (not blank).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(pattern = r"\S"))]
    pub name: Option<String>,
    /// Start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(minimum = 0, maximum = 253_402_300_799_999_i64)
    )]
    pub start_at: Option<i64>,
    /// End.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(minimum = 0, maximum = 253_402_300_799_999_i64)
    )]
    pub end_at: Option<i64>,
    /// Freeze time (`null` removes it).
    #[serde(
        default,
        with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(
        feature = "openapi",
        schema(minimum = 0, maximum = 253_402_300_799_999_i64)
    )]
    pub freeze_at: Option<Option<i64>>,
    /// Unfreeze time (`null` removes it).
    #[serde(
        default,
        with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(
        feature = "openapi",
        schema(minimum = 0, maximum = 253_402_300_799_999_i64)
    )]
    pub unfreeze_at: Option<Option<i64>>,
    /// Penalty minutes, 0-1000.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1000))]
    pub penalty_minutes: Option<i64>,
    /// Problems.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problems: Option<Vec<ContestProblemView>>,
    /// Verdict policy (`null` returns to the judge's own). Applies to submissions
    /// judged from now on; rejudge to apply it to earlier ones.
    #[serde(
        default,
        with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub verdict_policy: Option<Option<crate::policy::VerdictPolicy>>,
    /// Whether participants may run code during the contest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_runs: Option<bool>,
    /// Whether it is rated (a finalised contest's ratings are recomputed on a change).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rated: Option<bool>,
}

/// A field that distinguishes "absent" (`None`) from `null` (`Some(None)`).
mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn deserialize<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
        d: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }

    pub fn serialize<S: Serializer, T: Serialize>(
        v: &Option<Option<T>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        v.as_ref().and_then(Option::as_ref).serialize(s)
    }
}

/// `POST /api/contests/{id}/inject`: a synthetic result for load tests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Injection {
    /// Team (user) id; need not be a registered user.
    pub team: i64,
    /// Problem index in the contest (0 = A).
    pub problem: usize,
    /// Verdict code (`AC`, `WA`, …).
    #[cfg_attr(feature = "openapi", schema(value_type = VerdictCode))]
    pub verdict: String,
    /// Contest time of the synthetic submission, ms (0 to the year 9999's).
    #[cfg_attr(
        feature = "openapi",
        schema(minimum = 0, maximum = 253_402_300_799_999_i64)
    )]
    pub at_ms: i64,
}

/// `PATCH /api/users/{id}` (admin): a role change, disabling or enabling; absent fields
/// stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UserChange {
    /// `admin`, `jury`, `contestant` or `spectator`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::names::Role>))]
    pub role: Option<String>,
    /// Disable (the account cannot sign in; its sessions end) or enable it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
}

/// `PATCH /api/users/{id}/profile`: fields to change; absent ones stay, an empty string
/// clears one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProfileChange {
    /// The name shown, at most 64 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 64, pattern = r"^[^\u0000-\u001f\u007f-\u009f]*$")
    )]
    pub display_name: Option<String>,
    /// School, university or company, at most 128 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 128, pattern = r"^[^\u0000-\u001f\u007f-\u009f]*$")
    )]
    pub affiliation: Option<String>,
    /// ISO 3166-1 alpha-3 country code (three capital letters), or empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(pattern = "^([A-Z]{3})?$"))]
    pub country: Option<String>,
    /// A few words (Markdown), at most 2000 characters; no control characters but line
    /// breaks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 2000,
            pattern = r"^[^\u0000-\u0009\u000b-\u001f\u007f-\u009f]*$"
        )
    )]
    pub bio: Option<String>,
}

/// `DELETE /api/me`: the user name again, to confirm, and the password (accounts that
/// have one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AccountDeletion {
    /// The account's user name.
    pub confirm_username: String,
    /// The account's password (needed when it has one).
    #[serde(default)]
    pub password: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_patch_keeps_absent_apart_from_null() {
        let absent: ContestPatch = serde_json::from_str("{}").unwrap();
        assert_eq!(absent.freeze_at, None);
        let null: ContestPatch = serde_json::from_str(r#"{"freeze_at":null}"#).unwrap();
        assert_eq!(null.freeze_at, Some(None));
        let set: ContestPatch = serde_json::from_str(r#"{"freeze_at":5}"#).unwrap();
        assert_eq!(set.freeze_at, Some(Some(5)));
        assert_eq!(serde_json::to_string(&absent).unwrap(), "{}");
        assert_eq!(
            serde_json::to_string(&null).unwrap(),
            r#"{"freeze_at":null}"#
        );
    }

    #[test]
    fn unknown_fields_are_refused() {
        let err =
            serde_json::from_str::<NewSubmission>(r#"{"problem_id":1,"files":[],"sneaky":true}"#)
                .unwrap_err();
        assert!(err.to_string().contains("sneaky"), "{err}");
    }
}

/// `POST /api/contests/{id}/clarifications`: a team's question, or (jury) an answer or an
/// announcement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewClarification {
    /// The text (Markdown), 1 to 4000 characters; or use `canned`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub text: String,
    /// Jury: one of the predefined answers by index (`GET /api/clarifications/canned`),
    /// used when `text` is empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canned: Option<usize>,
    /// The problem it is about (a problem of the contest); absent: general.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem_id: Option<i64>,
    /// Jury: the question this answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to_id: Option<i64>,
    /// Jury: the teams it goes to; absent: every team, except an answer, which goes to
    /// the asking team unless `to_all` is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_user_ids: Option<Vec<i64>>,
    /// Jury: send an answer to every team.
    #[serde(default)]
    pub to_all: bool,
}

/// The contest kinds a request may name (the schema of `kind`).
#[cfg(feature = "openapi")]
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum ContestKindName {
    /// ICPC: solved count, then penalty time.
    Icpc,
    /// IOI: scores per subtask.
    Ioi,
}

/// The verdict codes a request may name (the schema of `verdict`).
#[cfg(feature = "openapi")]
#[derive(utoipa::ToSchema)]
#[allow(dead_code, clippy::upper_case_acronyms)]
pub enum VerdictCode {
    /// Accepted.
    AC,
    /// Wrong answer.
    WA,
    /// Time limit exceeded.
    TLE,
    /// Memory limit exceeded.
    MLE,
    /// Run-time error.
    RTE,
    /// Compile error.
    CE,
    /// Output limit exceeded.
    OLE,
    /// Judge error.
    JE,
}

/// Run code on a problem's sample or on typed input, without making a submission
/// (`POST /api/runs`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewRun {
    /// Problem.
    pub problem_id: i64,
    /// The contest the run is made in, if any (its rules decide whether runs are allowed).
    #[serde(default)]
    pub contest_id: Option<i64>,
    /// Language id; detected from the file names if omitted.
    #[serde(default)]
    pub language: Option<String>,
    /// Source files, as for a submission.
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 32))]
    pub files: Vec<FileView>,
    /// What the program reads.
    pub input: RunInput,
}

/// What a run's program reads on its standard input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum RunInput {
    /// The problem's sample number N (1-based, in the statement's order); its output is
    /// checked against the sample's answer.
    Sample(usize),
    /// This text (at most [`MAX_RUN_INPUT_BYTES`]).
    Stdin(String),
}

/// The largest typed input of a run, bytes.
pub const MAX_RUN_INPUT_BYTES: usize = 1 << 20;

/// `PATCH /api/problems/{id}` (jury): a problem's archive details; absent fields stay.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProblemPatch {
    /// Topic tags (each 1-40 letters, digits, spaces, `-`, `+`, `#`, `.`; stored lower
    /// case; blank ones dropped; at most 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_items = 20))]
    pub tags: Option<Vec<String>>,
    /// The author's difficulty, 1-10 (`null` removes it).
    #[serde(
        default,
        with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 10))]
    pub difficulty: Option<Option<i64>>,
    /// Source (`null` removes it).
    #[serde(
        default,
        with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub source: Option<Option<String>>,
    /// Open for practice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub practice: Option<bool>,
}

/// `PUT /api/problems/{id}/editorial` (jury): a problem's editorial and hints.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EditorialBody {
    /// The editorial (Markdown with LaTeX; empty: none), at most 64 KiB.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 65536))]
    pub editorial: String,
    /// Hints, revealed one at a time (each at most 4 KiB; blank ones are dropped; at most
    /// 10).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 10))]
    pub hints: Vec<String>,
}
