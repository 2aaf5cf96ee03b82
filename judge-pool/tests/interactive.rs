//! Interactive problems (`peek`) on both backends: the submission's time limit ends both
//! sides, and the verdict comes from how the two sides ended, never from the order in which
//! the judge happens to collect (reap) them.
//!
//! - `interactive_flood.cpp` (of the adversarial suite) floods the interactor with queries
//!   and reads no answer; the interactor, made `stubborn`, never ends by itself once the
//!   submission is gone. Only the submission's wall limit (3 s) can end the pair: TLE,
//!   promptly, not a judge error after the interactor's own limit (a minute more).
//! - `malformed_query.py` sends a query the interactor rejects (it exits with WA at once)
//!   and then dies on the end of its input: WA every time (Kattis' rule), whichever side
//!   the judge collects first, forced by [`ReapDelays`].

mod common;

use codehub_engine::Verdict;
use codehub_judge::judge::{Judge, JudgeOptions, ReapDelays};
use codehub_judge::language::{LanguageTable, SourceFile};
use codehub_judge::package::Problem;
use codehub_judge::sandbox::Sandbox;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Judgings per order of collection.
const REPEAT: usize = 20;
/// How late the judge collects the side it collects last: far longer than the submission
/// takes to die once the interactor has rejected its query.
const LATE: Duration = Duration::from_millis(150);

/// Judges the flood: TLE well before the interactor's own wall limit.
async fn a_flood_ends_with_the_submissions_wall_limit<S: Sandbox>(submissions: S, validators: S) {
    let judge = Judge::new(submissions, validators, Arc::new(LanguageTable::builtin()));
    let mut problem = Problem::load(&common::problems_dir().join("peek")).unwrap();
    problem.validator_args.push("stubborn".into());
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/adversarial");
    let files = [SourceFile {
        name: "interactive_flood.cpp".into(),
        contents: std::fs::read(dir.join("interactive_flood.cpp")).unwrap(),
    }];
    let started = Instant::now();
    let report = judge
        .judge(&problem, &files, None, &JudgeOptions::default())
        .await
        .unwrap();
    let took = started.elapsed();
    eprintln!("flood: {} in {} ms", report.verdict, took.as_millis());
    assert_eq!(
        report.verdict,
        Verdict::TimeLimitExceeded,
        "{:?} {:?}",
        report.judge_message,
        report.tests
    );
    // Wall limit 2 × 1 s + 1 s, plus compiling (slow on a loaded machine); the interactor's
    // own limit would end it a minute later.
    assert!(took < Duration::from_secs(20), "took {took:?}");
}

/// Judges the malformed query `REPEAT` times with each side collected late; every verdict
/// must be WA.
async fn malformed_query_is_wa_whichever_side_is_collected_first<S: Sandbox>(
    submissions: S,
    validators: S,
) {
    let mut judge = Judge::new(submissions, validators, Arc::new(LanguageTable::builtin()));
    let problem = Problem::load(&common::problems_dir().join("peek")).unwrap();
    let path = problem
        .root
        .join("submissions/wrong_answer/malformed_query.py");
    let files = [SourceFile {
        name: "malformed_query.py".into(),
        contents: std::fs::read(path).unwrap(),
    }];
    let orders = [
        (
            "validator collected late",
            ReapDelays {
                validator: LATE,
                ..ReapDelays::default()
            },
        ),
        (
            "submission collected late",
            ReapDelays {
                submission: LATE,
                ..ReapDelays::default()
            },
        ),
    ];
    let mut wrong = Vec::new();
    for (order, delays) in orders {
        judge.set_reap_delays(delays);
        let started = Instant::now();
        for i in 0..REPEAT {
            let report = judge
                .judge(&problem, &files, None, &JudgeOptions::default())
                .await
                .unwrap();
            if report.verdict != Verdict::WrongAnswer {
                wrong.push(format!(
                    "{order}, run {i}: {} ({:?})",
                    report.verdict,
                    report.tests.last().and_then(|t| t.message.clone())
                ));
            }
        }
        eprintln!(
            "{order}: {REPEAT} judgings in {} ms",
            started.elapsed().as_millis()
        );
    }
    assert!(
        wrong.is_empty(),
        "{} of {} judgings were not WA:\n{}",
        wrong.len(),
        2 * REPEAT,
        wrong.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_query_is_wa_however_late_either_side_is_reaped_natively() {
    malformed_query_is_wa_whichever_side_is_collected_first(
        common::native_sandbox(1),
        common::native_sandbox(1),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_query_is_wa_however_late_either_side_is_reaped_in_docker() {
    // Two warm containers each: the next judging's are started while one runs.
    let Some(submissions) = common::docker_sandbox(2).await else {
        return;
    };
    let Some(validators) = common::docker_sandbox(2).await else {
        return;
    };
    malformed_query_is_wa_whichever_side_is_collected_first(submissions, validators).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_ends_with_the_submissions_wall_limit_natively() {
    a_flood_ends_with_the_submissions_wall_limit(
        common::native_sandbox(1),
        common::native_sandbox(1),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_ends_with_the_submissions_wall_limit_in_docker() {
    let Some(submissions) = common::docker_sandbox(1).await else {
        return;
    };
    let Some(validators) = common::docker_sandbox(1).await else {
        return;
    };
    a_flood_ends_with_the_submissions_wall_limit(submissions, validators).await;
}
