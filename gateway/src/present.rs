//! Views of the domain for clients: builds the protocol's REST views from engine models
//! (the shapes themselves are in `codehub_protocol::views`). What a viewer may see is
//! decided here: no password hashes, no hidden tests for contestants.

use codehub_engine::model::{Contest, Problem, Role, Submission, User, now_ms};
use codehub_protocol::views::{
    ANSWERS_KIND, ContestProblemView, ContestView, FileView, PROGRAM_KIND, ProblemView, SampleView,
    SubmissionView, TestView, UserView,
};

/// A user.
pub fn user(u: &User) -> UserView {
    UserView {
        id: u.id.0,
        username: u.username.clone(),
        role: u.role,
    }
}

/// A contest, with its state and the server time now.
pub fn contest(c: &Contest) -> ContestView {
    let now = now_ms();
    ContestView {
        id: c.id.0,
        slug: c.slug.clone(),
        ccs_id: crate::ccs::objects::contest_id(c),
        name: c.name.clone(),
        kind: c.kind,
        state: c.state(now),
        start_at: c.start_at,
        end_at: c.end_at,
        freeze_at: c.freeze_at,
        unfreeze_at: c.unfreeze_at,
        unfrozen: c.unfrozen,
        penalty_minutes: c.penalty_minutes,
        verdict_policy: c.verdict_policy.clone(),
        allow_runs: c.allow_runs,
        rated: c.rated,
        problems: contest_problems(c),
        server_time: now,
    }
}

/// A contest's problems with their labels, in label order.
pub fn contest_problems(c: &Contest) -> Vec<ContestProblemView> {
    c.problems
        .iter()
        .map(|p| ContestProblemView {
            problem_id: p.problem_id.0,
            label: p.label.clone(),
        })
        .collect()
}

/// A problem with (`full`) or without statement and samples.
pub fn problem(p: &Problem, full: bool) -> ProblemView {
    ProblemView {
        id: p.id.0,
        slug: p.slug.clone(),
        name: p.name.clone(),
        time_limit_ms: p.time_limit_ms,
        memory_limit_kib: p.memory_limit_kib,
        code_limit_bytes: p.code_limit_bytes,
        practice: p.practice,
        kind: if p.answer_files.is_empty() {
            PROGRAM_KIND
        } else {
            ANSWERS_KIND
        }
        .to_owned(),
        answer_files: p.answer_files.clone(),
        statement: full.then(|| p.statement.clone()),
        statement_html: full.then(|| crate::statement::to_html(&p.statement)),
        samples: full.then(|| {
            p.samples
                .iter()
                .map(|(i, o)| SampleView {
                    input: i.clone(),
                    output: o.clone(),
                })
                .collect()
        }),
        import_notes: Vec::new(),
        tags: p.tags.clone(),
        difficulty: p.difficulty,
        source: p.source.clone(),
        language: p.statement_language.clone(),
        languages: languages_of(p),
    }
}

/// Every language `p` is in: its own first, then its translations'.
fn languages_of(p: &Problem) -> Vec<String> {
    if p.translations.is_empty() {
        return Vec::new();
    }
    let own = p
        .statement_language
        .clone()
        .unwrap_or_else(|| "en".to_owned());
    let mut all = vec![own.clone()];
    all.extend(p.translations.keys().filter(|l| **l != own).cloned());
    all
}

/// A problem with statement and samples in `lang` where it has a translation (its name
/// and statement; the main ones where the translation lacks one).
pub fn problem_in(p: &Problem, lang: Option<&str>) -> ProblemView {
    let mut view = problem(p, true);
    if let Some(t) = lang.and_then(|l| p.translations.get(l).map(|t| (l, t))) {
        let (lang, t) = t;
        if let Some(name) = &t.name {
            view.name = name.clone();
        }
        if !t.statement.is_empty() {
            view.statement_html = Some(crate::statement::to_html(&t.statement));
            view.statement = Some(t.statement.clone());
        }
        view.language = Some(lang.to_owned());
    }
    view
}

/// The view of `s` for a viewer with `viewer_role` (who is its author or the jury):
/// sample results for the author, every test for the jury.
pub fn submission(s: &Submission, viewer_role: Role) -> SubmissionView {
    let jury = viewer_role.is_jury();
    let j = s.judgement.as_ref();
    SubmissionView {
        id: s.id.0,
        user_id: s.user_id.0,
        contest_id: s.contest_id.map(|c| c.0),
        problem_id: s.problem_id.0,
        language: s.language.clone(),
        submitted_at: s.submitted_at,
        status: s.status,
        verdict: j.map(|j| j.verdict),
        score: j.and_then(|j| j.score),
        time_ms: j.map(|j| j.time_ms),
        memory_kib: j.map(|j| j.memory_kib),
        compile_output: j.map(|j| j.compile_output.clone()),
        tests: j
            .map(|j| {
                j.tests
                    .iter()
                    .filter(|t| jury || t.sample)
                    .map(|t| TestView {
                        name: t.name.clone(),
                        verdict: t.verdict,
                        time_ms: t.time_ms,
                        memory_kib: t.memory_kib,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        tests_run: j.map_or(0, |j| j.tests.len()),
        files: Some(
            s.files
                .iter()
                .map(|f| FileView {
                    name: f.name.clone(),
                    contents: f.contents.clone(),
                })
                .collect(),
        ),
    }
}
