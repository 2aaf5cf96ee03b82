//! What the REST API answers: views of the domain shaped for clients (no password
//! hashes, no other contestants' code, no hidden test data).

use crate::names::{ContestKind, ContestState, Role, SubmissionStatus};
use crate::verdict::Verdict;
use serde::{Deserialize, Serialize};

/// A user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserView {
    /// Id (also the team id on scoreboards).
    pub id: i64,
    /// Login name.
    pub username: String,
    /// What the user may do.
    pub role: Role,
}

/// Access and refresh tokens, as returned by login, registration and refresh.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenPair {
    /// JWT for `Authorization: Bearer`.
    pub access_token: String,
    /// One-use token for `POST /api/auth/refresh`.
    pub refresh_token: String,
    /// Always `Bearer`.
    #[serde(default = "bearer")]
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    /// Seconds until the session ends: refreshing never extends it, so a session signs
    /// in again at least every 30 days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_expires_in: Option<u64>,
}

fn bearer() -> String {
    "Bearer".to_owned()
}

/// Login or registration answer: who, and their tokens (flattened into the object).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Session {
    /// Who.
    pub user: UserView,
    /// Tokens.
    #[serde(flatten)]
    pub tokens: TokenPair,
}

/// A problem of a contest, with its label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContestProblemView {
    /// Problem id.
    pub problem_id: i64,
    /// Label (`A`, `B`, …): 1-8 characters, unique in the contest.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 8))]
    pub label: String,
}

/// A contest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContestView {
    /// Id.
    pub id: i64,
    /// Short name.
    pub slug: String,
    /// Its id in the Contest API (`/api/ccs/contests/{ccs_id}`).
    #[serde(default)]
    pub ccs_id: String,
    /// Name.
    pub name: String,
    /// Scoring rules.
    pub kind: ContestKind,
    /// Where the contest is at `server_time`.
    pub state: ContestState,
    /// Start (ms since the epoch).
    pub start_at: i64,
    /// End.
    pub end_at: i64,
    /// Freeze time, if any.
    pub freeze_at: Option<i64>,
    /// Automatic unfreeze time, if any.
    pub unfreeze_at: Option<i64>,
    /// Unfrozen by hand.
    pub unfrozen: bool,
    /// ICPC penalty minutes per rejected try.
    pub penalty_minutes: i64,
    /// Problems.
    pub problems: Vec<ContestProblemView>,
    /// The contest's verdict policy; absent: the judge's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict_policy: Option<crate::policy::VerdictPolicy>,
    /// Participants may run code on samples or typed input during the contest.
    #[serde(default)]
    pub allow_runs: bool,
    /// Its results change ratings once the jury finalises them.
    #[serde(default)]
    pub rated: bool,
    /// Server time of this answer (for countdowns).
    pub server_time: i64,
}

/// A sample test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SampleView {
    /// Input.
    pub input: String,
    /// Expected output.
    pub output: String,
}

/// A problem (statement and limits; never hidden data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProblemView {
    /// Id.
    pub id: i64,
    /// Short name.
    pub slug: String,
    /// Name.
    pub name: String,
    /// Time limit, ms.
    pub time_limit_ms: i64,
    /// Memory limit, KiB.
    pub memory_limit_kib: i64,
    /// Source size limit, bytes.
    pub code_limit_bytes: i64,
    /// Open for practice.
    pub practice: bool,
    /// What a submission to it is: `program` (source files in a language), or `answers`
    /// (a submit-answer, output-only problem: the files of [`Self::answer_files`],
    /// language [`ANSWER_LANGUAGE`](crate::files::ANSWER_LANGUAGE)).
    #[serde(default = "program_kind")]
    pub kind: String,
    /// The answer files a submission to an `answers` problem consists of, one per test
    /// case (a sample's may be left out); empty otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answer_files: Vec<String>,
    /// Statement (Markdown + LaTeX); omitted in lists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<String>,
    /// The statement rendered to HTML (math as MathML, raw HTML escaped); omitted in lists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement_html: Option<String>,
    /// Samples; omitted in lists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub samples: Option<Vec<SampleView>>,
    /// What the import of a package in another format (Polygon) could not convert, or
    /// converted approximately; only in the response to the import.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub import_notes: Vec<String>,
    /// Topic tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// The author's difficulty, 1-10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub difficulty: Option<i64>,
    /// Where it comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The language of `name` and `statement` (`None`: not said).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Every language the problem's name or statement is in (`?lang=` picks one).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
}

/// [`ProblemView::kind`] of a problem that takes programs.
pub const PROGRAM_KIND: &str = "program";
/// [`ProblemView::kind`] of a submit-answer (output-only) problem.
pub const ANSWERS_KIND: &str = "answers";

fn program_kind() -> String {
    PROGRAM_KIND.to_owned()
}

/// One test's result, as the viewer may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TestView {
    /// Test name.
    pub name: String,
    /// Verdict.
    pub verdict: Verdict,
    /// CPU ms.
    pub time_ms: i64,
    /// Peak KiB.
    pub memory_kib: i64,
}

/// A source file, as submitted and as shown to its author and the jury.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FileView {
    /// Name: 1-100 of ASCII letters, digits, `_`, `-`, `+`, `.`; no leading `.`; an
    /// extension.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[A-Za-z0-9_+-][A-Za-z0-9_.+-]{0,98}\.[A-Za-z0-9_+-]+$",
            max_length = 100
        )
    )]
    pub name: String,
    /// Contents.
    pub contents: String,
}

/// A submission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubmissionView {
    /// Id.
    pub id: i64,
    /// Author.
    pub user_id: i64,
    /// Contest, if any.
    pub contest_id: Option<i64>,
    /// Problem.
    pub problem_id: i64,
    /// Language id.
    pub language: String,
    /// When accepted (ms since the epoch).
    pub submitted_at: i64,
    /// Where it is.
    pub status: SubmissionStatus,
    /// Verdict once judged.
    pub verdict: Option<Verdict>,
    /// IOI score.
    pub score: Option<f64>,
    /// Slowest test, ms.
    pub time_ms: Option<i64>,
    /// Largest memory peak, KiB.
    pub memory_kib: Option<i64>,
    /// Compiler output (the author and the jury only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compile_output: Option<String>,
    /// Test results: samples for the author, every test for the jury.
    #[serde(default)]
    pub tests: Vec<TestView>,
    /// Tests run in total.
    #[serde(default)]
    pub tests_run: usize,
    /// Source files (the author and the jury only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files: Option<Vec<FileView>>,
}

/// A language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LanguageView {
    /// Id to submit with.
    pub id: String,
    /// Name.
    pub name: String,
    /// File extensions (without the dot).
    pub extensions: Vec<String>,
    /// Whether the judge has its toolchain.
    pub available: bool,
}

/// Judge queue statistics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueView {
    /// Waiting.
    pub queued: usize,
    /// Being judged.
    pub judging: usize,
    /// Judges.
    pub judges: usize,
}

/// A learner's progress on one problem.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgressView {
    /// Problem.
    pub problem_id: i64,
    /// Solved (an accepted submission anywhere).
    pub solved: bool,
    /// Submissions made.
    pub attempts: usize,
    /// Best IOI score seen.
    pub best_score: Option<f64>,
}

/// A clarification: a team's question, or the jury's answer or announcement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClarificationView {
    /// Id.
    pub id: i64,
    /// The contest.
    pub contest_id: i64,
    /// The asking team; absent for the jury's messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_user_id: Option<i64>,
    /// The asking team's name, when a team asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_username: Option<String>,
    /// The teams a jury message goes to; absent: every team (or, for a question, the jury).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_user_ids: Option<Vec<i64>>,
    /// The question this answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to_id: Option<i64>,
    /// The problem it is about; absent: general.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem_id: Option<i64>,
    /// The text (Markdown).
    pub text: String,
    /// The text rendered like statements (Markdown and math to HTML, raw HTML escaped).
    pub text_html: String,
    /// When, ms since the epoch.
    pub created_at: i64,
    /// Questions only: whether the jury answered it.
    pub answered: bool,
    /// Jury only: the judge who claimed the question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claimed_by: Option<i64>,
    /// Jury only: the judges' notes on it, oldest first (never shown to teams).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub jury_notes: Vec<JuryNote>,
}

/// A judge's note on a clarification (jury only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JuryNote {
    /// The note.
    pub text: String,
    /// The judge who wrote it.
    pub by: String,
    /// When, ms since the epoch.
    pub at: i64,
}

/// What the jury's resolver has revealed: the `contest/{id}/resolver` channel's messages
/// (`snapshot`, each the whole state) and `POST /api/contests/{id}/resolver`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResolverState {
    /// Steps taken.
    #[cfg_attr(feature = "openapi", schema(value_type = i64, minimum = 0, maximum = 4_294_967_295_i64))]
    pub step: u32,
    /// The cells opened so far, the latest last (at most 100,000).
    #[cfg_attr(feature = "openapi", schema(max_items = 100_000))]
    pub revealed: Vec<RevealedCell>,
}

/// A cell the resolver opened: its tries counted and when it was solved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevealedCell {
    /// The team (Contest API id).
    pub team_id: String,
    /// The problem (Contest API id).
    pub problem_id: String,
    /// Tries counted (up to the accepted one).
    #[cfg_attr(feature = "openapi", schema(value_type = i64, minimum = 0, maximum = 4_294_967_295_i64))]
    pub tries: u32,
    /// Contest minute of the accepted try; `None`: not solved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub solved_at: Option<i64>,
}

/// A configured sign-in provider, as the sign-in page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignInProvider {
    /// Its name in URLs (`/api/auth/oidc/{name}/start`).
    pub name: String,
    /// The button's text.
    pub label: String,
}

/// An external identity linked to the caller's account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkedIdentity {
    /// The provider's name.
    pub provider: String,
    /// The e-mail address it gave, if any.
    pub email: Option<String>,
    /// When it was linked (ms since the epoch).
    pub linked_at: i64,
}

/// How the caller can sign in: a password or not, and the linked identities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignInMethods {
    /// Whether the account has a password (accounts made by a provider have none until
    /// one is set).
    pub has_password: bool,
    /// Linked identities, by provider name.
    pub identities: Vec<LinkedIdentity>,
}

/// Where to send the browser to link a provider (`POST /api/me/identities/{provider}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuthorizeRedirect {
    /// The provider's authorization URL.
    pub authorize_url: String,
}

/// A user's public profile (`GET /api/users/{id}/profile`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProfileView {
    /// Id.
    pub id: i64,
    /// User name.
    pub username: String,
    /// The name shown, if set.
    pub display_name: Option<String>,
    /// School, university or company.
    pub affiliation: Option<String>,
    /// ISO 3166-1 alpha-3 country code.
    pub country: Option<String>,
    /// A few words (Markdown source).
    pub bio: Option<String>,
    /// `/api/users/{id}/avatar` when there is an avatar.
    pub avatar_url: Option<String>,
    /// When the account was made (ms since the epoch).
    pub created_at: i64,
    /// Practice problems solved.
    pub solved: Vec<SolvedProblem>,
    /// Finished contests taken part in.
    pub contests: Vec<ContestTaken>,
    /// Problems solved (practice and finished contests) by difficulty (`1`…`10`, the
    /// archive's rounded, or `unrated`), easiest first.
    #[serde(default)]
    pub solved_by_difficulty: Vec<CountOf>,
    /// Problems solved by tag, most first.
    #[serde(default)]
    pub solved_by_tag: Vec<CountOf>,
    /// Submissions per day (UTC) over the last 365 days, days without any left out.
    #[serde(default)]
    pub activity: Vec<DayCount>,
    /// The 20 latest submissions (practice and finished contests), newest first; the code
    /// is the author's to read (`/api/submissions/{id}`).
    #[serde(default)]
    pub recent: Vec<RecentSubmission>,
    /// The current rating; `None`: no finalised rated contest yet.
    #[serde(default)]
    pub rating: Option<i64>,
    /// Rating history, oldest first (the rating graph).
    #[serde(default)]
    pub ratings: Vec<RatingChangeView>,
}

/// One player's result in a finalised rated contest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RatingChangeView {
    /// Contest id.
    pub contest_id: i64,
    /// Contest name.
    pub contest_name: String,
    /// When the contest ended (ms since the epoch).
    pub ended_at: i64,
    /// The player.
    pub user_id: i64,
    /// Their user name.
    pub username: String,
    /// Final place (ties share it).
    pub place: i64,
    /// Estimated performance (rating points).
    pub performance: i64,
    /// Rating after the contest.
    pub rating: i64,
    /// Rating before it; `None`: the first rated contest.
    pub previous: Option<i64>,
    /// `rating − previous` (from the initial 1500 for a first contest).
    pub delta: i64,
}

/// A contest's rating changes (`GET /api/contests/{id}/ratings`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContestRatingsView {
    /// The contest is rated.
    pub rated: bool,
    /// The jury finalised its ratings (`changes` is empty until then).
    pub finalized: bool,
    /// Every rated participant's change, by place.
    pub changes: Vec<RatingChangeView>,
}

/// A user's current rating (`GET /api/ratings`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RatingView {
    /// The user.
    pub user_id: i64,
    /// Their user name.
    pub username: String,
    /// Rating.
    pub rating: i64,
}

/// How many of something carry a key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CountOf {
    /// The key (a difficulty, a tag).
    pub key: String,
    /// How many.
    pub count: usize,
}

/// Submissions made on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayCount {
    /// `YYYY-MM-DD`, UTC.
    pub day: String,
    /// Submissions.
    pub submissions: usize,
}

/// A submission as a profile lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecentSubmission {
    /// Submission id.
    pub id: i64,
    /// Problem id.
    pub problem_id: i64,
    /// Problem name.
    pub problem: String,
    /// The verdict, once judged.
    pub verdict: Option<Verdict>,
    /// When (ms since the epoch).
    pub submitted_at: i64,
}

/// A problem a user solved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SolvedProblem {
    /// Problem id.
    pub problem_id: i64,
    /// Its name.
    pub name: String,
}

/// A contest a user took part in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContestTaken {
    /// Contest id.
    pub contest_id: i64,
    /// Its name.
    pub name: String,
    /// Taken as a virtual participant after it ended.
    #[serde(default, rename = "virtual")]
    pub virtual_participation: bool,
}

/// A user as administrators list them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminUserView {
    /// Id.
    pub id: i64,
    /// User name.
    pub username: String,
    /// Role.
    pub role: Role,
    /// Disabled (cannot sign in).
    pub disabled: bool,
    /// When the account was made (ms since the epoch).
    pub created_at: i64,
}

/// A page of the user list (`GET /api/users`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserPage {
    /// The users of this page.
    pub users: Vec<AdminUserView>,
    /// How many match in all.
    pub total: i64,
}

/// One administrator action, as the audit log keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// Position in the log.
    pub id: i64,
    /// When (ms since the epoch).
    pub at: i64,
    /// Who did it (user id).
    pub actor_id: i64,
    /// Their user name then.
    pub actor: String,
    /// What: `set_role`, `disable`, `enable`, `reset_password`, `delete_user`, ….
    pub action: String,
    /// On what (`user 12`, `contest 3`, …).
    pub target: String,
    /// Details (the new role, …).
    pub detail: serde_json::Value,
}

/// What a run on custom input or a sample gave (`POST /api/runs`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RunView {
    /// Language id the code ran as.
    pub language: String,
    /// `CE` when it did not compile; a limit's verdict (`TLE`, `MLE`, `OLE`) or `RTE`
    /// when the run failed; on a sample, `AC` or `WA` from the problem's checker; absent
    /// when typed input ran to a normal end (nothing to check it against).
    pub verdict: Option<Verdict>,
    /// The compiler's output (empty for interpreted languages).
    pub compile_output: String,
    /// Standard output (the first [`RUN_OUTPUT_BYTES`], lossily UTF-8).
    pub stdout: String,
    /// Standard output was longer than shown.
    pub stdout_truncated: bool,
    /// Standard error (the first [`RUN_OUTPUT_BYTES`]).
    pub stderr: String,
    /// Standard error was longer than shown.
    pub stderr_truncated: bool,
    /// CPU time, ms.
    pub time_ms: u64,
    /// Peak memory, KiB.
    pub memory_kib: u64,
    /// Exit code, when the program exited by itself.
    pub exit_code: Option<i32>,
    /// On a sample: the expected answer (the first [`RUN_OUTPUT_BYTES`]) and the checker's
    /// message.
    pub sample: Option<SampleCheckView>,
}

/// A run's output checked against a sample's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SampleCheckView {
    /// The sample's answer.
    pub expected: String,
    /// The answer was longer than shown.
    pub expected_truncated: bool,
    /// The checker's message (where the output first differs), if any.
    pub message: Option<String>,
}

/// How much of a run's output, error output and expected answer a [`RunView`] shows, bytes.
pub const RUN_OUTPUT_BYTES: usize = 64 << 10;

/// One problem of the practice archive (`GET /api/archive`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArchiveEntry {
    /// Problem id.
    pub id: i64,
    /// Short name.
    pub slug: String,
    /// Name.
    pub name: String,
    /// Topic tags.
    pub tags: Vec<String>,
    /// The difficulty shown, 1.0 (easiest) to 10.0: computed from who solves it once
    /// enough users tried (`docs/practice.md`), else the author's.
    pub difficulty: Option<f64>,
    /// The author's difficulty, 1-10.
    pub author_difficulty: Option<i64>,
    /// Where it comes from.
    pub source: Option<String>,
    /// Users who submitted to it (judged).
    pub attempted: i64,
    /// Users who solved it.
    pub solved: i64,
    /// Accepted share of its judged submissions, 0-1 (absent before any).
    pub acceptance: Option<f64>,
    /// The caller solved it (false when signed out).
    pub solved_by_me: bool,
}

/// A page of the practice archive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArchivePage {
    /// Problems matching the search, in all pages.
    pub total: usize,
    /// This page (1-based).
    pub page: usize,
    /// Problems per page.
    pub per_page: usize,
    /// This page's problems.
    pub problems: Vec<ArchiveEntry>,
    /// Every tag of the archive with how many problems carry it, most used first.
    pub tags: Vec<TagCount>,
}

/// A tag and how many archive problems carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TagCount {
    /// The tag.
    pub tag: String,
    /// Problems with it.
    pub problems: usize,
}

/// What a user sees of a problem's hints and editorial
/// (`GET /api/problems/{id}/editorial`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EditorialView {
    /// How many hints the problem has.
    pub hints_total: usize,
    /// The hints revealed so far (the jury: all), in order.
    pub hints: Vec<RichText>,
    /// Whether the problem has an editorial.
    pub has_editorial: bool,
    /// The editorial, once the user solved the problem or chose to see it (the jury:
    /// always).
    pub editorial: Option<RichText>,
    /// The user solved the problem.
    pub solved: bool,
}

/// Markdown with LaTeX and its HTML (math as MathML, raw HTML escaped).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RichText {
    /// The Markdown.
    pub markdown: String,
    /// Rendered.
    pub html: String,
}

/// A virtual participation in a past contest, with its ghost board
/// (`GET /api/contests/{id}/virtual`): the original teams as they stood at the same
/// elapsed time, and the virtual participant among them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VirtualView {
    /// The contest.
    pub contest_id: i64,
    /// The virtual participant (their row's `team`).
    pub user_id: i64,
    /// When their clock started (ms since the epoch).
    pub started_at: i64,
    /// When their clock stops: `started_at` plus the contest's length.
    pub ends_at: i64,
    /// Contest time the board shows (ms since the contest's start).
    pub at_ms: i64,
    /// Contest time elapsed on the participant's clock now (the contest's length once
    /// over).
    pub elapsed_ms: i64,
    /// The participant's clock has run out.
    pub finished: bool,
    /// Problems, in label order (submit to them as practice problems).
    pub problems: Vec<ContestProblemView>,
    /// The board at `at_ms`, best first.
    pub rows: Vec<crate::board::Row>,
    /// Names of the rows' teams.
    pub teams: Vec<crate::board::Team>,
}
