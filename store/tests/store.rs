//! The `Store` contract, checked on every backend by one data-driven suite ([`exercise`]):
//! SQLite in a temp file and in memory always, PostgreSQL when
//! `CODEHUB_TEST_POSTGRES_URL` names an admin URL (`scripts/services/postgres start`
//! prints one). Each PostgreSQL run creates its own database and drops it afterwards.

use codehub_engine::Verdict;
use codehub_engine::model::{
    Clarification, ClarificationId, Contest, ContestId, ContestKind, ContestProblem, Judgement,
    Problem, ProblemId, Profile, Role, Submission, SubmissionId, SubmissionStatus, SubmittedFile,
    TestResult, UserId, now_ms,
};
use codehub_engine::ports::store::prelude::*;
use codehub_engine::ports::store::{
    Editorial, Identity, NewSubmission, NewUser, ProblemStats, ProblemTally, RatingRow,
    RefreshToken, Revealed, StoreError, VirtualStart,
};
use codehub_store::{Backend, SqlStore};
use serde_json::json;
use std::collections::BTreeSet;
use std::hash::{BuildHasher, Hasher};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

/// What [`exercise`] left in the store, to check again after a reconnect.
struct Snapshot {
    users: Vec<(UserId, String)>,
    problems: Vec<Problem>,
    contests: Vec<Contest>,
    participants: Vec<(ContestId, Vec<UserId>)>,
    submissions: Vec<Submission>,
    events: Vec<(i64, String, serde_json::Value, i64)>,
}

fn problem(slug: &str) -> Problem {
    Problem {
        id: ProblemId(-1),
        slug: slug.into(),
        name: format!("Problem «{slug}»"),
        package_hash: "ab".repeat(32),
        time_limit_ms: 2000,
        memory_limit_kib: 262_144,
        code_limit_bytes: 65_536,
        statement: "# Sum\n\nGiven $a$ and $b$, print $a+b$. \"Quotes\", \\ and ünïcödé 🚀.".into(),
        samples: vec![
            ("1 2\n".into(), "3\n".into()),
            ("".into(), "\t\"x\"\n".into()),
        ],
        answer_files: if slug.ends_with('a') {
            vec!["1.out".into(), "group.2.out".into()]
        } else {
            vec![]
        },
        practice: slug.ends_with('p'),
        created_at: -1,
        tags: vec![],
        difficulty: None,
        source: None,
        statement_language: slug.ends_with('a').then(|| "en".to_owned()),
        translations: if slug.ends_with('a') {
            [(
                "de".to_owned(),
                codehub_engine::model::Translation {
                    name: Some(format!("Aufgabe «{slug}»")),
                    statement: "# Summe\n\nGib $a+b$ aus. ü 🚀".into(),
                },
            )]
            .into()
        } else {
            Default::default()
        },
    }
}

fn contest(slug: &str, start_at: i64, problems: &[ProblemId]) -> Contest {
    Contest {
        id: ContestId(-1),
        slug: slug.into(),
        name: format!("Contest {slug}"),
        kind: ContestKind::Icpc,
        start_at,
        end_at: start_at + 5 * 3_600_000,
        freeze_at: Some(start_at + 4 * 3_600_000),
        unfreeze_at: None,
        unfrozen: false,
        penalty_minutes: 20,
        verdict_policy: None,
        allow_runs: false,
        rated: false,
        problems: problems
            .iter()
            .zip(["A", "B", "C"])
            .map(|(&problem_id, label)| ContestProblem {
                problem_id,
                label: label.into(),
            })
            .collect(),
    }
}

fn files(tag: &str) -> Vec<SubmittedFile> {
    vec![
        SubmittedFile {
            name: "main.cpp".into(),
            contents: format!(
                "// {tag}\n#include <cstdio>\nint main() {{ puts(\"hé \\\"\\n\"); }}\n"
            ),
        },
        SubmittedFile {
            name: "util.h".into(),
            contents: String::new(),
        },
    ]
}

fn judgement(verdict: Verdict, score: Option<f64>, judged_at: i64) -> Judgement {
    Judgement {
        verdict,
        score,
        time_ms: 1234,
        memory_kib: 5678,
        compile_output: "warning: unused «x»\n\u{1b}[1mbold\u{1b}[0m".into(),
        tests: vec![
            TestResult {
                name: "sample/1".into(),
                group: "sample".into(),
                sample: true,
                verdict: Verdict::Accepted,
                time_ms: 1,
                memory_kib: 2,
            },
            TestResult {
                name: "secret/group1/03".into(),
                group: "secret/group1".into(),
                sample: false,
                verdict,
                time_ms: 1234,
                memory_kib: 5678,
            },
        ],
        judged_at,
    }
}

fn new_submission(
    user: UserId,
    contest: Option<ContestId>,
    problem: ProblemId,
    at: i64,
) -> NewSubmission {
    NewSubmission {
        user_id: user,
        contest_id: contest,
        problem_id: problem,
        language: "cpp".into(),
        files: files(&format!("{user}/{at}")),
        submitted_at: at,
    }
}

fn ids(subs: &[Submission]) -> Vec<SubmissionId> {
    subs.iter().map(|s| s.id).collect()
}

#[track_caller]
fn assert_conflict<T: std::fmt::Debug>(r: Result<T, StoreError>, needle: &str) {
    match r {
        Err(StoreError::Conflict(what)) => {
            assert!(
                what.contains(needle),
                "conflict `{what}` should name `{needle}`"
            )
        }
        other => panic!("expected a conflict naming `{needle}`, got {other:?}"),
    }
}

#[track_caller]
fn assert_not_found<T: std::fmt::Debug>(r: Result<T, StoreError>) {
    assert!(
        matches!(r, Err(StoreError::NotFound(_))),
        "expected NotFound, got {r:?}"
    );
}

/// Every method of the trait, with its documented guarantees. Runs on an empty store.
async fn exercise(store: &SqlStore) -> Snapshot {
    // --- users -------------------------------------------------------------------------
    assert_eq!(store.count_users().await.unwrap(), 0);
    let mut users = Vec::new();
    for (name, role) in [
        ("alice", Role::Admin),
        ("bob", Role::Contestant),
        ("carol", Role::Jury),
        ("dave", Role::Spectator),
    ] {
        let user = store
            .create_user(NewUser {
                username: name.into(),
                password_hash: format!("$argon2id$v=19$m=19456,t=2,p=1${name}"),
                role,
            })
            .await
            .unwrap();
        assert_eq!((user.username.as_str(), user.role), (name, role));
        assert!(
            user.created_at > 1_600_000_000_000,
            "created_at is ms since the epoch"
        );
        assert_eq!(store.user(user.id).await.unwrap().as_ref(), Some(&user));
        assert_eq!(
            store.user_by_name(name).await.unwrap().as_ref(),
            Some(&user)
        );
        users.push(user);
    }
    let [alice, bob, carol, dave] = [0, 1, 2, 3].map(|i| users[i].id);
    assert!(alice < bob && bob < carol && carol < dave, "ids grow");
    assert_eq!(store.count_users().await.unwrap(), 4);
    assert_conflict(
        store
            .create_user(NewUser {
                username: "bob".into(),
                password_hash: "x".into(),
                role: Role::Admin,
            })
            .await,
        "username `bob`",
    );
    assert_eq!(
        store.count_users().await.unwrap(),
        4,
        "a conflict writes nothing"
    );
    assert_eq!(store.user(UserId(dave.0 + 1000)).await.unwrap(), None);
    let before = store.user(carol).await.unwrap().unwrap().role;
    store.set_role(carol, Role::Jury).await.unwrap();
    assert_eq!(store.user(carol).await.unwrap().unwrap().role, Role::Jury);
    store.set_role(carol, before).await.unwrap();
    assert!(matches!(
        store.set_role(UserId(dave.0 + 1000), Role::Jury).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(store.user_by_name("nobody").await.unwrap(), None);
    assert_eq!(
        store.user_by_name("BOB").await.unwrap(),
        None,
        "names are exact"
    );

    // --- refresh tokens: each works once ------------------------------------------------
    let token = RefreshToken {
        user_id: bob,
        expires_at: 1_900_000_000_000,
    };
    store.put_refresh_token("h1", token.clone()).await.unwrap();
    store
        .put_refresh_token(
            "h2",
            RefreshToken {
                user_id: alice,
                expires_at: 5,
            },
        )
        .await
        .unwrap();
    assert_conflict(store.put_refresh_token("h1", token.clone()).await, "token");
    assert_not_found(
        store
            .put_refresh_token(
                "h3",
                RefreshToken {
                    user_id: UserId(dave.0 + 1000),
                    expires_at: 5,
                },
            )
            .await,
    );
    assert_eq!(store.take_refresh_token("h1").await.unwrap(), Some(token));
    assert_eq!(
        store.take_refresh_token("h1").await.unwrap(),
        None,
        "rotated"
    );
    assert_eq!(store.take_refresh_token("nope").await.unwrap(), None);
    // Rotation: the new token replaces the old one.
    store
        .put_refresh_token(
            "h1-next",
            RefreshToken {
                user_id: bob,
                expires_at: 7,
            },
        )
        .await
        .unwrap();
    assert_eq!(
        store.take_refresh_token("h2").await.unwrap(),
        Some(RefreshToken {
            user_id: alice,
            expires_at: 5
        }),
        "expired tokens are returned; the caller checks expiry"
    );
    // Concurrent takes of one token: exactly one wins.
    store
        .put_refresh_token(
            "race",
            RefreshToken {
                user_id: carol,
                expires_at: 9,
            },
        )
        .await
        .unwrap();
    let mut takes = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let store = store.clone();
        takes.spawn(async move { store.take_refresh_token("race").await.unwrap() });
    }
    let winners = takes
        .join_all()
        .await
        .into_iter()
        .filter(Option::is_some)
        .count();
    assert_eq!(winners, 1, "a token is taken once");
    // Sign out everywhere: every token of one user goes, the others' stay.
    for (hash, user_id) in [("d1", dave), ("d2", dave), ("c1", carol)] {
        store
            .put_refresh_token(
                hash,
                RefreshToken {
                    user_id,
                    expires_at: 9,
                },
            )
            .await
            .unwrap();
    }
    assert_eq!(store.revoke_refresh_tokens(dave).await.unwrap(), 2);
    assert_eq!(store.take_refresh_token("d1").await.unwrap(), None);
    assert!(store.take_refresh_token("c1").await.unwrap().is_some());
    assert_eq!(store.revoke_refresh_tokens(dave).await.unwrap(), 0);
    // A new password hash.
    store
        .set_password_hash(dave, "$argon2id$new")
        .await
        .unwrap();
    assert_eq!(
        store.user(dave).await.unwrap().unwrap().password_hash,
        "$argon2id$new"
    );
    assert_not_found(store.set_password_hash(UserId(dave.0 + 1000), "x").await);
    // External identities: one per (provider, subject), one per provider per account.
    let identity = |provider: &str, subject: &str, user_id| Identity {
        provider: provider.into(),
        subject: subject.into(),
        user_id,
        email: Some(format!("{subject}@example.org")),
        linked_at: 7,
    };
    store
        .link_identity(identity("uni", "s-1", dave))
        .await
        .unwrap();
    store
        .link_identity(identity("github", "42", dave))
        .await
        .unwrap();
    assert_conflict(
        store.link_identity(identity("uni", "s-1", carol)).await,
        "uni",
    );
    assert_conflict(
        store.link_identity(identity("uni", "s-2", dave)).await,
        "uni",
    );
    assert_not_found(
        store
            .link_identity(identity("uni", "s-3", UserId(dave.0 + 1000)))
            .await,
    );
    assert_eq!(store.identity_user("uni", "s-1").await.unwrap(), Some(dave));
    assert_eq!(store.identity_user("uni", "s-9").await.unwrap(), None);
    assert_eq!(
        store.identities_of(dave).await.unwrap(),
        vec![identity("github", "42", dave), identity("uni", "s-1", dave)]
    );
    assert!(store.unlink_identity(dave, "uni").await.unwrap());
    assert!(!store.unlink_identity(dave, "uni").await.unwrap());
    assert_eq!(store.identity_user("uni", "s-1").await.unwrap(), None);
    store
        .link_identity(identity("uni", "s-1", carol))
        .await
        .unwrap();
    // Profiles, disabling, the user list, deletion.
    let erin = store
        .create_user(NewUser {
            username: "erin".into(),
            password_hash: "$argon2id$erin".into(),
            role: Role::Contestant,
        })
        .await
        .unwrap()
        .id;
    store
        .link_identity(identity("uni", "s-erin", erin))
        .await
        .unwrap();
    assert_eq!(store.profile(erin).await.unwrap(), Profile::default());
    let profile = Profile {
        display_name: Some("Carol C.".into()),
        affiliation: Some("Uni".into()),
        country: Some("NLD".into()),
        bio: Some("hi".into()),
        avatar: Some("ab12".into()),
    };
    store.set_profile(erin, &profile).await.unwrap();
    assert_eq!(store.profile(erin).await.unwrap(), profile);
    assert_not_found(store.profile(UserId(erin.0 + 1000)).await);
    store.set_disabled(erin, true).await.unwrap();
    assert!(store.user(erin).await.unwrap().unwrap().disabled);
    store.set_disabled(erin, false).await.unwrap();
    assert!(!store.user(erin).await.unwrap().unwrap().disabled);
    let (page, total) = store.list_users("RI", 10, 0).await.unwrap();
    assert!(total >= 1 && page.iter().any(|u| u.id == erin), "{page:?}");
    assert!(
        page.iter()
            .all(|u| u.username.to_lowercase().contains("ri"))
    );
    let (none, zero) = store.list_users("100%_match", 10, 0).await.unwrap();
    assert_eq!((none.len(), zero), (0, 0), "% and _ are literal");
    let (all, count) = store.list_users("", 2, 1).await.unwrap();
    assert!(all.len() <= 2 && count >= 3);
    store
        .put_refresh_token(
            "erin-last",
            RefreshToken {
                user_id: erin,
                expires_at: 9,
            },
        )
        .await
        .unwrap();
    store.delete_user(erin).await.unwrap();
    let gone = store.user(erin).await.unwrap().unwrap();
    assert_eq!(gone.username, format!("deleted-{}", erin.0));
    assert!(gone.deleted && gone.disabled && gone.password_hash.is_empty());
    assert_eq!(store.profile(erin).await.unwrap(), Profile::default());
    assert_eq!(store.identity_user("uni", "s-erin").await.unwrap(), None);
    assert_eq!(store.take_refresh_token("erin-last").await.unwrap(), None);
    let (_, after) = store.list_users("deleted-", 10, 0).await.unwrap();
    assert_eq!(after, 0, "deleted accounts are not listed");
    users.push(gone);

    // --- problems ------------------------------------------------------------------------
    let mut problems = Vec::new();
    for slug in ["sum", "sortp", "graph", "outputa"] {
        let template = problem(slug);
        let created = store.create_problem(template.clone()).await.unwrap();
        assert!(created.id.0 > 0 && created.created_at > 1_600_000_000_000);
        assert_eq!(
            Problem {
                id: template.id,
                created_at: template.created_at,
                ..created.clone()
            },
            template,
            "id and created_at assigned, the rest kept"
        );
        assert_eq!(
            store.problem(created.id).await.unwrap().as_ref(),
            Some(&created)
        );
        problems.push(created);
    }
    assert_conflict(
        store.create_problem(problem("sum")).await,
        "problem slug `sum`",
    );
    assert_eq!(store.problems().await.unwrap(), problems, "problems by id");
    assert!(store.problems().await.unwrap()[1].practice);
    assert_eq!(
        store
            .problem(ProblemId(problems[2].id.0 + 100))
            .await
            .unwrap(),
        None
    );
    let [p_sum, p_sort, p_graph] = [0, 1, 2].map(|i| problems[i].id);

    // --- contests -----------------------------------------------------------------------
    let t0 = 1_750_000_000_000;
    let late = store
        .create_contest(contest("late", t0 + 1000, &[p_sum, p_sort]))
        .await
        .unwrap();
    let mut early = store
        .create_contest(contest("early", t0, &[p_graph, p_sum, p_sort]))
        .await
        .unwrap();
    let mut tie = contest("tie", t0 + 1000, &[]);
    tie.kind = ContestKind::Ioi;
    tie.freeze_at = None;
    tie.unfreeze_at = Some(t0 + 99);
    tie.unfrozen = true;
    let tie = store.create_contest(tie).await.unwrap();
    assert!(late.id < early.id && early.id < tie.id);
    assert_eq!(early.problems[0].problem_id, p_graph);
    assert_eq!(store.contest(tie.id).await.unwrap().as_ref(), Some(&tie));
    assert_eq!(
        store.contest(early.id).await.unwrap().as_ref(),
        Some(&early)
    );
    assert_eq!(
        store.contests().await.unwrap(),
        vec![early.clone(), late.clone(), tie.clone()],
        "by start time, then id"
    );
    assert_conflict(
        store.create_contest(contest("late", 0, &[])).await,
        "contest slug `late`",
    );
    // Update: every field is replaced.
    early.name = "Early, renamed".into();
    early.kind = ContestKind::Ioi;
    early.start_at = t0 + 2000;
    early.end_at = t0 + 3000;
    early.freeze_at = None;
    early.unfreeze_at = Some(t0 + 4000);
    early.unfrozen = true;
    early.penalty_minutes = 0;
    early.problems.reverse();
    store.update_contest(&early).await.unwrap();
    assert_eq!(
        store.contest(early.id).await.unwrap().as_ref(),
        Some(&early)
    );
    assert_eq!(
        store.contests().await.unwrap(),
        vec![late.clone(), tie.clone(), early.clone()],
        "reordered by the new start time"
    );
    let mut clash = early.clone();
    clash.slug = "tie".into();
    assert_conflict(store.update_contest(&clash).await, "contest slug `tie`");
    assert_eq!(
        store.contest(early.id).await.unwrap().as_ref(),
        Some(&early)
    );
    let mut ghost = early.clone();
    ghost.id = ContestId(tie.id.0 + 100);
    ghost.slug = "ghost".into();
    assert_not_found(store.update_contest(&ghost).await);
    assert_eq!(store.contest(ghost.id).await.unwrap(), None);

    // --- participants -------------------------------------------------------------------
    for user in [dave, bob, carol, bob] {
        store.add_participant(late.id, user).await.unwrap();
    }
    store.add_participant(tie.id, alice).await.unwrap();
    assert_eq!(
        store.participants(late.id).await.unwrap(),
        vec![bob, carol, dave],
        "by user id, once each"
    );
    assert_eq!(store.participants(tie.id).await.unwrap(), vec![alice]);
    assert_eq!(
        store.participant_names(late.id).await.unwrap(),
        vec![
            (bob, "bob".to_owned()),
            (carol, "carol".to_owned()),
            (dave, "dave".to_owned())
        ],
        "names joined, by user id"
    );
    assert_eq!(store.participant_names(early.id).await.unwrap(), vec![]);
    assert_eq!(store.participants(early.id).await.unwrap(), vec![]);
    assert_not_found(store.add_participant(ghost.id, bob).await);
    assert_not_found(store.add_participant(late.id, UserId(dave.0 + 1000)).await);

    // --- submissions ----------------------------------------------------------------------
    let s1 = store
        .create_submission(new_submission(bob, Some(late.id), p_sum, t0 + 1100))
        .await
        .unwrap();
    assert_eq!(s1.status, SubmissionStatus::Queued);
    assert_eq!(s1.judgement, None);
    assert_eq!(s1.files, files(&format!("{bob}/{}", t0 + 1100)));
    assert_eq!(store.submission(s1.id).await.unwrap().as_ref(), Some(&s1));
    let s2 = store
        .create_submission(new_submission(bob, None, p_sort, t0 + 1200))
        .await
        .unwrap();
    assert_eq!(s2.contest_id, None);
    assert_eq!(store.submission(s2.id).await.unwrap().as_ref(), Some(&s2));
    let s3 = store
        .create_submission(new_submission(carol, Some(late.id), p_sort, t0 + 1300))
        .await
        .unwrap();
    let s4 = store
        .create_submission(new_submission(bob, Some(late.id), p_sort, t0 + 1400))
        .await
        .unwrap();
    let s5 = store
        .create_submission(new_submission(bob, Some(tie.id), p_sum, t0 + 1500))
        .await
        .unwrap();
    assert!(s1.id < s2.id && s2.id < s3.id && s3.id < s4.id && s4.id < s5.id);
    assert_not_found(
        store
            .create_submission(new_submission(UserId(dave.0 + 1000), None, p_sum, t0))
            .await,
    );
    assert_not_found(
        store
            .create_submission(new_submission(bob, Some(ghost.id), p_sum, t0))
            .await,
    );
    assert_not_found(
        store
            .create_submission(new_submission(bob, None, ProblemId(p_graph.0 + 100), t0))
            .await,
    );
    assert_eq!(
        store.submission(SubmissionId(s5.id.0 + 100)).await.unwrap(),
        None
    );

    // Concurrent writers (SQLite: the pool's connections contend for the write lock).
    let mut writers = tokio::task::JoinSet::new();
    for i in 0..16 {
        let store = store.clone();
        writers.spawn(async move {
            store
                .create_submission(new_submission(dave, None, p_graph, t0 + 2000 + i))
                .await
                .unwrap()
                .id
        });
    }
    let concurrent: BTreeSet<SubmissionId> = writers.join_all().await.into_iter().collect();
    assert_eq!(concurrent.len(), 16, "distinct ids");
    assert!(concurrent.first().unwrap() > &s5.id);

    // Judging lifecycle.
    store.mark_judging(s1.id).await.unwrap();
    assert_eq!(
        store.submission(s1.id).await.unwrap().unwrap().status,
        SubmissionStatus::Judging
    );
    let first = judgement(Verdict::WrongAnswer, Some(100.0 / 3.0), t0 + 1150);
    assert!(store.finish_submission(s1.id, &first).await.unwrap());
    let second = judgement(Verdict::Accepted, Some(100.0), t0 + 1160);
    assert!(
        !store.finish_submission(s1.id, &second).await.unwrap(),
        "a second judgement is not recorded"
    );
    let done = store.submission(s1.id).await.unwrap().unwrap();
    assert_eq!(done.status, SubmissionStatus::Done);
    assert_eq!(
        done.judgement.as_ref(),
        Some(&first),
        "the first judgement stays"
    );
    store.mark_judging(s1.id).await.unwrap();
    assert_eq!(
        store.submission(s1.id).await.unwrap().unwrap().status,
        SubmissionStatus::Done,
        "a late mark_judging does not undo a judgement"
    );
    // A queued submission can be finished directly (e.g. a judge that never reported).
    let ce = Judgement {
        score: None,
        tests: vec![],
        ..judgement(Verdict::CompileError, None, t0 + 1250)
    };
    assert!(store.finish_submission(s2.id, &ce).await.unwrap());
    assert_eq!(
        store.submission(s2.id).await.unwrap().unwrap().judgement,
        Some(ce)
    );
    // Rejudge.
    store.requeue_submission(s1.id).await.unwrap();
    let requeued = store.submission(s1.id).await.unwrap().unwrap();
    assert_eq!(
        (requeued.status, requeued.judgement),
        (SubmissionStatus::Queued, None)
    );
    assert!(store.finish_submission(s1.id, &second).await.unwrap());
    assert_eq!(
        store.submission(s1.id).await.unwrap().unwrap().judgement,
        Some(second.clone())
    );
    // Fencing tokens: only the latest owner of a contest stores judgements.
    let mut in_contest = None;
    for s in [&s1, &s2, &s3, &s4, &s5] {
        let stored = store.submission(s.id).await.unwrap().unwrap();
        if let (Some(c), SubmissionStatus::Queued) = (stored.contest_id, stored.status) {
            in_contest = Some((stored.id, c));
            break;
        }
    }
    let (fenced, fc) = in_contest.expect("a queued contest submission");
    let old = store.advance_fence(fc).await.unwrap();
    let new = store.advance_fence(fc).await.unwrap();
    assert_eq!(new, old + 1, "tokens grow by one");
    let stale = store
        .finish_submission_fenced(fenced, &second, fc, old)
        .await;
    assert!(matches!(stale, Err(StoreError::Fenced(_))), "{stale:?}");
    assert_eq!(
        store.submission(fenced).await.unwrap().unwrap().status,
        SubmissionStatus::Queued,
        "a stale owner writes nothing"
    );
    assert!(
        store
            .finish_submission_fenced(fenced, &second, fc, new)
            .await
            .unwrap()
    );
    assert!(
        !store
            .finish_submission_fenced(fenced, &first, fc, new)
            .await
            .unwrap(),
        "still idempotent"
    );
    store.requeue_submission(fenced).await.unwrap();
    store.mark_judging(s3.id).await.unwrap();
    let missing = SubmissionId(s5.id.0 + 1000);
    assert_not_found(store.mark_judging(missing).await);
    assert_not_found(store.finish_submission(missing, &second).await);
    assert_not_found(store.requeue_submission(missing).await);

    // Concurrent finishes of one submission: exactly one records.
    let mut finishers = tokio::task::JoinSet::new();
    for i in 0..8 {
        let store = store.clone();
        finishers.spawn(async move {
            let j = judgement(
                Verdict::Accepted,
                Some(f64::from(i)),
                t0 + 5000 + i64::from(i),
            );
            (store.finish_submission(s4.id, &j).await.unwrap(), j)
        });
    }
    let outcomes = finishers.join_all().await;
    let recorded: Vec<&Judgement> = outcomes
        .iter()
        .filter(|(r, _)| *r)
        .map(|(_, j)| j)
        .collect();
    assert_eq!(recorded.len(), 1, "one finish wins");
    assert_eq!(
        store
            .submission(s4.id)
            .await
            .unwrap()
            .unwrap()
            .judgement
            .as_ref(),
        Some(recorded[0])
    );

    // Listings and their order.
    assert_eq!(
        ids(&store.user_submissions(bob, None).await.unwrap()),
        vec![s5.id, s4.id, s2.id, s1.id],
        "all of bob's, newest first"
    );
    assert_eq!(
        ids(&store.user_submissions(bob, Some(late.id)).await.unwrap()),
        vec![s4.id, s1.id],
        "bob's in one contest, newest first"
    );
    assert_eq!(store.user_submissions(alice, None).await.unwrap(), vec![]);
    // Pages of them: newest first, at most `limit`, then older than the last one seen.
    let page = |contest, before, limit| {
        let store = store.clone();
        async move {
            ids(&store
                .user_submissions_page(bob, contest, before, limit)
                .await
                .unwrap())
        }
    };
    assert_eq!(page(None, None, 2).await, vec![s5.id, s4.id]);
    assert_eq!(page(None, Some(s4.id), 2).await, vec![s2.id, s1.id]);
    assert_eq!(page(None, Some(s1.id), 2).await, vec![]);
    assert_eq!(page(Some(late.id), None, 1).await, vec![s4.id]);
    assert_eq!(page(Some(late.id), Some(s4.id), 5).await, vec![s1.id]);
    assert_eq!(
        page(None, None, 100).await,
        ids(&store.user_submissions(bob, None).await.unwrap()),
        "a page larger than the list is all of it"
    );
    // Tallies per problem and setting: bob's s1 (AC 100 after a rejudge), s2 (CE, practice),
    // s4 (AC with the winning finish's score) and s5 (queued).
    let mut expected = vec![
        ProblemTally {
            problem_id: p_sum,
            contest_id: Some(late.id),
            attempts: 1,
            solved: true,
            best_score: Some(100.0),
        },
        ProblemTally {
            problem_id: p_sum,
            contest_id: Some(tie.id),
            attempts: 1,
            solved: false,
            best_score: None,
        },
        ProblemTally {
            problem_id: p_sort,
            contest_id: None,
            attempts: 1,
            solved: false,
            best_score: None,
        },
        ProblemTally {
            problem_id: p_sort,
            contest_id: Some(late.id),
            attempts: 1,
            solved: true,
            best_score: recorded[0].score,
        },
    ];
    expected.sort_by_key(|t| (t.problem_id, t.contest_id.map_or(0, |c| c.0)));
    assert_eq!(
        store.user_problem_tallies(bob).await.unwrap(),
        expected,
        "by problem, then practice before contests"
    );
    let dave_tally = store.user_problem_tallies(dave).await.unwrap();
    assert_eq!(
        dave_tally
            .iter()
            .map(|t| (t.problem_id, t.contest_id, t.attempts, t.solved))
            .collect::<Vec<_>>(),
        vec![(p_graph, None, 16, false)],
        "sixteen unjudged attempts are one tally"
    );
    assert_eq!(store.user_problem_tallies(alice).await.unwrap(), vec![]);
    // Marks: newest first from `since` on, the verdict only once judged.
    let marks = store.user_submission_marks(bob, t0 + 1200).await.unwrap();
    assert_eq!(
        marks
            .iter()
            .map(|m| (m.id, m.problem_id, m.contest_id, m.submitted_at, m.verdict))
            .collect::<Vec<_>>(),
        vec![
            (s5.id, p_sum, Some(tie.id), t0 + 1500, None),
            (
                s4.id,
                p_sort,
                Some(late.id),
                t0 + 1400,
                Some(Verdict::Accepted)
            ),
            (s2.id, p_sort, None, t0 + 1200, Some(Verdict::CompileError)),
        ]
    );
    assert_eq!(
        ids(&store.user_submissions_since(bob, t0 + 1400).await.unwrap()),
        vec![s5.id, s4.id],
        "whole submissions from a time on"
    );
    assert_eq!(
        ids(&store.contest_submissions(late.id).await.unwrap()),
        vec![s1.id, s3.id, s4.id],
        "a contest's, by id"
    );
    assert_eq!(store.contest_submissions(early.id).await.unwrap(), vec![]);
    let unfinished = store.unfinished_submissions().await.unwrap();
    let mut expected: Vec<SubmissionId> = vec![s3.id, s5.id];
    expected.extend(concurrent.iter().copied());
    assert_eq!(ids(&unfinished), expected, "queued and judging, by id");
    assert_eq!(unfinished[0].status, SubmissionStatus::Judging);
    assert_eq!(unfinished[1].status, SubmissionStatus::Queued);
    assert_eq!(unfinished[1], s5, "full rows, files included");

    // --- events ---------------------------------------------------------------------------
    let payload = json!({
        "submission": s1.id, "verdict": "AC", "score": 33.5, "nested": {"list": [1, null, "ü"]},
        "big": i64::MAX, "neg": -1
    });
    let e1 = store
        .append_event(Some(late.id), "judged", &payload)
        .await
        .unwrap();
    let g1 = store
        .append_event(None, "server_started", &json!(null))
        .await
        .unwrap();
    let e2 = store
        .append_event(Some(late.id), "unfrozen", &json!({}))
        .await
        .unwrap();
    let e3 = store
        .append_event(Some(tie.id), "frozen", &json!([1, 2]))
        .await
        .unwrap();
    assert!(e1 < g1 && g1 < e2 && e2 < e3);
    assert_not_found(store.append_event(Some(ghost.id), "x", &json!(1)).await);
    let late_events = store.events(Some(late.id), 0).await.unwrap();
    assert_eq!(
        late_events
            .iter()
            .map(|(id, kind, payload, _)| (*id, kind.as_str(), payload.clone()))
            .collect::<Vec<_>>(),
        vec![(e1, "judged", payload.clone()), (e2, "unfrozen", json!({}))]
    );
    assert!(late_events.iter().all(|e| e.3 > 1_600_000_000_000));
    assert_eq!(
        store.events(Some(late.id), e1).await.unwrap().len(),
        1,
        "strictly after"
    );
    assert_eq!(store.events(Some(late.id), e2).await.unwrap(), vec![]);
    // By kind: the contest's events of that kind only, strictly after the id.
    let kinds = |events: Vec<codehub_engine::ports::store::LoggedEvent>| -> Vec<i64> {
        events.into_iter().map(|e| e.0).collect()
    };
    assert_eq!(
        kinds(store.events_of_kind(late.id, "judged", 0).await.unwrap()),
        [e1]
    );
    assert_eq!(
        kinds(store.events_of_kind(late.id, "unfrozen", 0).await.unwrap()),
        [e2]
    );
    assert_eq!(
        kinds(store.events_of_kind(late.id, "judged", e1).await.unwrap()),
        Vec::<i64>::new()
    );
    assert_eq!(
        kinds(store.events_of_kind(tie.id, "judged", 0).await.unwrap()),
        Vec::<i64>::new()
    );
    // Compare-and-append: only over the kind's last id; a stale writer writes nothing.
    // (Contests of their own: the persisted check below compares the others' logs.)
    let cas = store
        .create_contest(contest("zz-cas", t0 + 1_000_000_000, &[]))
        .await
        .unwrap();
    let cas2 = store
        .create_contest(contest("zz-cas2", t0 + 1_000_000_000, &[]))
        .await
        .unwrap();
    let appended = store
        .append_events_if_last(cas.id, "feed", 0, &[json!(1), json!(2)])
        .await
        .unwrap()
        .expect("the first writer appends");
    assert_eq!(appended.len(), 2);
    assert!(appended[0] < appended[1]);
    assert_eq!(
        store
            .append_events_if_last(cas.id, "feed", 0, &[json!(3)])
            .await
            .unwrap(),
        None,
        "stale"
    );
    let more = store
        .append_events_if_last(cas.id, "feed", appended[1], &[json!(3)])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        kinds(store.events_of_kind(cas.id, "feed", 0).await.unwrap()),
        [appended[0], appended[1], more[0]]
    );
    assert_eq!(
        store
            .append_events_if_last(cas2.id, "feed", 0, &[json!(1)])
            .await
            .unwrap()
            .map(|v| v.len()),
        Some(1),
        "per contest"
    );
    assert_not_found(
        store
            .append_events_if_last(ghost.id, "feed", 0, &[json!(1)])
            .await,
    );

    let global = store.events(None, 0).await.unwrap();
    assert_eq!(global.len(), 1);
    assert_eq!((global[0].0, global[0].1.as_str()), (g1, "server_started"));
    assert_eq!(
        store.events(Some(tie.id), 0).await.unwrap()[0].2,
        json!([1, 2])
    );

    // Concurrent appends while a reader polls with a cursor: it sees every event once.
    let mut appenders = tokio::task::JoinSet::new();
    for i in 0..24 {
        let store = store.clone();
        appenders.spawn(async move {
            store
                .append_event(Some(early.id), "tick", &json!(i))
                .await
                .unwrap()
        });
    }
    let mut seen = Vec::new();
    let mut cursor = 0;
    while seen.len() < 24 {
        for (id, _, payload, _) in store.events(Some(early.id), cursor).await.unwrap() {
            assert!(id > cursor);
            cursor = id;
            seen.push((id, payload));
        }
        tokio::task::yield_now().await;
    }
    let mut appended = appenders.join_all().await;
    appended.sort();
    assert_eq!(seen.iter().map(|e| e.0).collect::<Vec<_>>(), appended);
    let mut payloads: Vec<i64> = seen.iter().map(|e| e.1.as_i64().unwrap()).collect();
    payloads.sort();
    assert_eq!(payloads, (0..24).collect::<Vec<_>>());

    let mut participants = Vec::new();
    for c in [late.id, tie.id, early.id] {
        participants.push((c, store.participants(c).await.unwrap()));
    }
    let mut submissions = Vec::new();
    for id in s1.id.0..=concurrent.last().unwrap().0 {
        submissions.extend(store.submission(SubmissionId(id)).await.unwrap());
    }
    // --- clarifications ----------------------------------------------------------------
    let q = store
        .create_clarification(Clarification {
            id: ClarificationId(-1),
            contest_id: late.id,
            from_user: Some(bob),
            to_users: None,
            reply_to: None,
            problem_id: None,
            text: "Is n ever 0? `0 ≤ n`".into(),
            created_at: 5,
            answered: false,
            claimed_by: None,
        })
        .await
        .unwrap();
    let a = store
        .create_clarification(Clarification {
            from_user: None,
            to_users: Some(vec![bob, dave]),
            reply_to: Some(q.id),
            text: "Yes.".into(),
            ..q.clone()
        })
        .await
        .unwrap();
    assert!(a.id > q.id);
    store.claim_clarification(q.id, Some(carol)).await.unwrap();
    let all = store.clarifications(late.id).await.unwrap();
    assert_eq!(all.len(), 2);
    assert!(all[0].answered, "the answer marks its question answered");
    assert_eq!(all[0].claimed_by, Some(carol));
    assert_eq!(all[1], a);
    assert_eq!(store.clarification(a.id).await.unwrap(), Some(a.clone()));
    // An answer to a question of another contest, or to none: refused, nothing written.
    assert_not_found(
        store
            .create_clarification(Clarification {
                contest_id: tie.id,
                ..a.clone()
            })
            .await,
    );
    assert_not_found(
        store
            .create_clarification(Clarification {
                reply_to: Some(ClarificationId(9999)),
                ..a.clone()
            })
            .await,
    );
    assert_not_found(store.claim_clarification(ClarificationId(9999), None).await);
    assert_eq!(store.clarifications(late.id).await.unwrap().len(), 2);
    assert!(store.clarifications(tie.id).await.unwrap().is_empty());

    // --- the archive: problem details, solve statistics; editorials and reveals ----------
    let archived = store.create_problem(problem("archived")).await.unwrap();
    let mut details = archived.clone();
    details.tags = vec!["graphs".into(), "dp".into()];
    details.difficulty = Some(7);
    details.source = Some("NWERC 2025".into());
    details.practice = true;
    store.update_problem_details(&details).await.unwrap();
    let read = store.problem(archived.id).await.unwrap().unwrap();
    assert_eq!(
        (
            &read.tags,
            read.difficulty,
            read.source.as_deref(),
            read.practice
        ),
        (&details.tags, Some(7), Some("NWERC 2025"), true)
    );
    assert_not_found(
        store
            .update_problem_details(&Problem {
                id: ProblemId(9999),
                ..details.clone()
            })
            .await,
    );
    // Alice solves it on her second try, Bob fails, a judge error counts for nobody.
    let mut tries = Vec::new();
    for (user, verdict) in [
        (alice, Verdict::WrongAnswer),
        (alice, Verdict::Accepted),
        (bob, Verdict::WrongAnswer),
        (carol, Verdict::JudgeError),
    ] {
        let s = store
            .create_submission(NewSubmission {
                user_id: user,
                contest_id: None,
                problem_id: archived.id,
                language: "cpp".into(),
                files: vec![],
                submitted_at: now_ms(),
            })
            .await
            .unwrap();
        store
            .finish_submission(s.id, &judgement(verdict, None, now_ms()))
            .await
            .unwrap();
        tries.push(s.id);
    }
    let stats_of = |all: Vec<ProblemStats>| all.into_iter().find(|s| s.problem_id == archived.id);
    let stats = stats_of(store.problem_stats().await.unwrap()).unwrap();
    assert_eq!(
        (stats.attempted, stats.solved, stats.judged, stats.accepted),
        (2, 1, 3, 1)
    );
    // A requeued submission is judged no more until it is judged again.
    store.requeue_submission(tries[1]).await.unwrap();
    let stats = stats_of(store.problem_stats().await.unwrap()).unwrap();
    assert_eq!((stats.solved, stats.judged, stats.accepted), (0, 2, 0));
    assert_eq!(
        store.editorial(archived.id).await.unwrap(),
        Editorial::default()
    );
    let written = Editorial {
        editorial: "Use BFS. $O(n)$".into(),
        hints: vec!["Graphs.".into(), "Shortest paths.".into()],
    };
    store.set_editorial(archived.id, &written).await.unwrap();
    store.set_editorial(archived.id, &written).await.unwrap();
    assert_eq!(store.editorial(archived.id).await.unwrap(), written);
    assert_not_found(store.set_editorial(ProblemId(9999), &written).await);
    assert_eq!(
        store.revealed(bob, archived.id).await.unwrap(),
        Revealed::default()
    );
    let one = Revealed {
        hints: 1,
        editorial: false,
    };
    assert_eq!(store.reveal(bob, archived.id, one).await.unwrap(), one);
    let opened = Revealed {
        hints: 0,
        editorial: true,
    };
    assert_eq!(
        store.reveal(bob, archived.id, opened).await.unwrap(),
        Revealed {
            hints: 1,
            editorial: true
        },
        "what was revealed stays revealed"
    );
    assert_eq!(
        store.revealed(alice, archived.id).await.unwrap(),
        Revealed::default(),
        "per user"
    );

    // --- ratings: the rated flag, history replaced whole, current ratings; virtuals ---
    let mut rated = store.contest(late.id).await.unwrap().unwrap();
    rated.rated = true;
    store.update_contest(&rated).await.unwrap();
    assert!(store.contest(late.id).await.unwrap().unwrap().rated);
    assert!(store.finalized_contests().await.unwrap().is_empty());
    let row = |contest: ContestId, user: UserId, round: i64, place: i64, rating: i64| RatingRow {
        contest_id: contest,
        user_id: user,
        round,
        place,
        performance: 1_654.050_424_136_632_5,
        mu: rating as f64 + 0.25,
        sigma: 173.5,
        rating,
        previous: (round > 0).then_some(1500),
    };
    let history = vec![
        row(late.id, alice, 0, 1, 1616),
        row(late.id, bob, 0, 2, 1384),
        row(tie.id, alice, 1, 1, 1650),
    ];
    store
        .replace_ratings(&[late.id, tie.id], &history)
        .await
        .unwrap();
    assert_eq!(
        store.finalized_contests().await.unwrap(),
        vec![late.id, tie.id]
    );
    assert_eq!(
        store.contest_ratings(late.id).await.unwrap(),
        history[..2].to_vec(),
        "doubles read back exactly"
    );
    assert_eq!(
        store.user_ratings(alice).await.unwrap(),
        vec![history[0].clone(), history[2].clone()]
    );
    assert_eq!(
        store.current_ratings().await.unwrap(),
        vec![(alice, "alice".into(), 1650), (bob, "bob".into(), 1384)]
    );
    // A refused replacement changes nothing.
    let mut bad = history.clone();
    bad.push(row(late.id, UserId(9999), 0, 3, 1200));
    assert_not_found(store.replace_ratings(&[late.id], &bad).await);
    assert_eq!(store.finalized_contests().await.unwrap().len(), 2);
    assert_eq!(store.user_ratings(alice).await.unwrap().len(), 2);
    // Replacing with less forgets the rest.
    store
        .replace_ratings(&[late.id], &history[..2])
        .await
        .unwrap();
    assert_eq!(
        store.current_ratings().await.unwrap(),
        vec![(alice, "alice".into(), 1616), (bob, "bob".into(), 1384)]
    );

    let start = VirtualStart {
        user_id: bob,
        contest_id: early.id,
        started_at: t0 + 5,
    };
    assert_eq!(store.virtual_start(bob, early.id).await.unwrap(), None);
    store.start_virtual(start).await.unwrap();
    assert_conflict(store.start_virtual(start).await, "virtual");
    assert_not_found(
        store
            .start_virtual(VirtualStart {
                contest_id: ContestId(9999),
                ..start
            })
            .await,
    );
    assert_eq!(
        store.virtual_start(bob, early.id).await.unwrap(),
        Some(start)
    );
    assert_eq!(store.user_virtuals(bob).await.unwrap(), vec![start]);
    assert!(store.user_virtuals(alice).await.unwrap().is_empty());

    let mut events = store.events(Some(late.id), 0).await.unwrap();
    events.extend(store.events(None, 0).await.unwrap());
    events.extend(store.events(Some(tie.id), 0).await.unwrap());
    Snapshot {
        users: users.iter().map(|u| (u.id, u.username.clone())).collect(),
        problems: store.problems().await.unwrap(),
        contests: store.contests().await.unwrap(),
        participants,
        submissions,
        events,
    }
}

/// Everything in `snapshot` reads back the same from `store` (a new connection).
async fn check_persisted(store: &SqlStore, snapshot: &Snapshot) {
    assert_eq!(
        store.count_users().await.unwrap(),
        snapshot.users.len() as i64
    );
    for (id, name) in &snapshot.users {
        assert_eq!(&store.user(*id).await.unwrap().unwrap().username, name);
    }
    assert_eq!(store.problems().await.unwrap(), snapshot.problems);
    assert_eq!(store.contests().await.unwrap(), snapshot.contests);
    for (contest, users) in &snapshot.participants {
        assert_eq!(&store.participants(*contest).await.unwrap(), users);
    }
    assert!(!snapshot.submissions.is_empty());
    for s in &snapshot.submissions {
        assert_eq!(store.submission(s.id).await.unwrap().as_ref(), Some(s));
    }
    let c = snapshot.contests[0].id;
    let expected: Vec<_> = snapshot
        .events
        .iter()
        .filter(|e| e.1 == "judged" || e.1 == "unfrozen")
        .cloned()
        .collect();
    assert_eq!(store.events(Some(c), 0).await.unwrap(), expected);
    // Ids keep growing after a restart (never reused).
    let last = snapshot.submissions.iter().map(|s| s.id).max().unwrap();
    let s = &snapshot.submissions[0];
    let next = store
        .create_submission(new_submission(s.user_id, None, s.problem_id, 0))
        .await
        .unwrap();
    assert!(next.id > last);
}

/// Migration 0014's back-fill on a database holding data: with the `score` column dropped
/// and 0014 forgotten (the scores only in the judgements, as 0013 left them), connecting
/// applies 0014 again and every user's tallies, best scores included, read as before.
async fn check_score_backfill(url: &str, snapshot: &Snapshot) {
    let store = SqlStore::connect(url).await.unwrap();
    let mut before = Vec::new();
    for (id, _) in &snapshot.users {
        before.push(store.user_problem_tallies(*id).await.unwrap());
    }
    assert!(
        before.iter().flatten().any(|t| t.best_score.is_some()),
        "the data holds scores to fill back"
    );
    store.close().await;

    let pool = sqlx::AnyPool::connect(url).await.unwrap();
    for statement in [
        "ALTER TABLE submissions DROP COLUMN score",
        "DELETE FROM _sqlx_migrations WHERE version = 14",
    ] {
        sqlx::query(statement).execute(&pool).await.unwrap();
    }
    pool.close().await;

    let again = SqlStore::connect(url).await.unwrap();
    for ((id, name), tallies) in snapshot.users.iter().zip(&before) {
        assert_eq!(
            &again.user_problem_tallies(*id).await.unwrap(),
            tallies,
            "{name}'s tallies after 0014's back-fill"
        );
    }
    again.close().await;
}

fn sqlite_url(path: &std::path::Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}

#[tokio::test]
async fn sqlite_file() {
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(&dir.path().join("codehub.db"));
    let store = SqlStore::connect(&url).await.unwrap();
    assert_eq!(store.backend(), Backend::Sqlite);
    let snapshot = exercise(&store).await;
    store.close().await;
    drop(store);

    // Reopening runs the (already applied) migrations again and finds everything.
    let again = SqlStore::connect(&url).await.unwrap();
    check_persisted(&again, &snapshot).await;
    again.close().await;
    check_score_backfill(&url, &snapshot).await;

    // WAL is a property of the file: check it from outside the store.
    use sqlx::Connection;
    let mut raw = sqlx::SqliteConnection::connect(&url).await.unwrap();
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&mut raw)
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    raw.close().await.unwrap();
}

#[tokio::test]
async fn sqlite_in_memory() {
    // One connection, never recycled: every statement sees the same database.
    let store = SqlStore::connect("sqlite::memory:").await.unwrap();
    exercise(&store).await;
    store.close().await;
}

#[tokio::test]
async fn bad_urls_are_errors() {
    for url in [
        "mysql://localhost/x",
        "nonsense",
        "sqlite:///nonexistent-dir/x/y.db",
    ] {
        let err = SqlStore::connect(url).await.unwrap_err();
        assert!(matches!(err, StoreError::Database(_)), "{url}: {err:?}");
    }
    let err = SqlStore::connect("postgres://u:secret@127.0.0.1:notaport/x")
        .await
        .unwrap_err();
    assert!(!err.to_string().contains("secret"), "{err}");
}

/// Writes submissions forever, printing `WROTE <id>` once each `create_submission` has
/// resolved; run by [`sqlite_survives_sigkill`] in a child process and killed there.
#[tokio::test]
#[ignore = "helper: run by sqlite_survives_sigkill in a child process"]
async fn sigkill_writer() {
    let Ok(url) = std::env::var("CODEHUB_STORE_SIGKILL_URL") else {
        return;
    };
    let store = SqlStore::connect(&url).await.unwrap();
    let user = store
        .create_user(NewUser {
            username: "writer".into(),
            password_hash: "h".into(),
            role: Role::Contestant,
        })
        .await
        .unwrap();
    let problem = store.create_problem(problem("p")).await.unwrap();
    for i in 0.. {
        let s = store
            .create_submission(new_submission(user.id, None, problem.id, i))
            .await
            .unwrap();
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        writeln!(out, "WROTE {}", s.id).unwrap();
        out.flush().unwrap();
    }
}

#[tokio::test]
async fn sqlite_survives_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(&dir.path().join("killed.db"));
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--ignored", "--exact", "sigkill_writer", "--nocapture"])
        .env("CODEHUB_STORE_SIGKILL_URL", &url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut acknowledged = Vec::new();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    while acknowledged.len() < 50 {
        let line = lines.next().expect("writer exited early").unwrap();
        if let Some(id) = line.strip_prefix("WROTE ") {
            acknowledged.push(SubmissionId(id.parse().unwrap()));
        }
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    let store = SqlStore::connect(&url).await.unwrap();
    for id in &acknowledged {
        let s = store.submission(*id).await.unwrap();
        assert!(s.is_some(), "acknowledged submission {id} lost");
    }
    assert!(store.unfinished_submissions().await.unwrap().len() >= acknowledged.len());
    store.close().await;
}

/// `admin_url` with its database replaced by `database`.
fn with_database(admin_url: &str, database: &str) -> String {
    let (base, query) = match admin_url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (admin_url, String::new()),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    format!("{}/{database}{query}", &base[..path_start])
}

#[tokio::test]
async fn postgres() {
    use sqlx::migrate::MigrateDatabase;
    let Ok(admin_url) = std::env::var("CODEHUB_TEST_POSTGRES_URL") else {
        eprintln!(
            "postgres: SKIPPED (set CODEHUB_TEST_POSTGRES_URL, see scripts/services/postgres)"
        );
        return;
    };
    let suffix = std::hash::RandomState::new().build_hasher().finish();
    let database = format!("codehub_test_{}_{suffix:016x}", std::process::id());
    let url = with_database(&admin_url, &database);
    sqlx::any::install_default_drivers();
    sqlx::Any::create_database(&url)
        .await
        .unwrap_or_else(|e| panic!("creating database {database}: {e}"));

    let run = tokio::spawn({
        let url = url.clone();
        async move {
            let store = SqlStore::connect(&url).await.unwrap();
            assert_eq!(store.backend(), Backend::Postgres);
            let snapshot = exercise(&store).await;
            store.close().await;
            let again = SqlStore::connect(&url).await.unwrap();
            check_persisted(&again, &snapshot).await;
            again.close().await;
            check_score_backfill(&url, &snapshot).await;
        }
    })
    .await;
    sqlx::Any::force_drop_database(&url)
        .await
        .unwrap_or_else(|e| panic!("dropping database {database}: {e}"));
    if let Err(e) = run {
        std::panic::resume_unwind(e.into_panic());
    }
}

#[test]
fn database_urls() {
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:55432/postgres", "t"),
        "postgres://postgres@127.0.0.1:55432/t"
    );
    assert_eq!(
        with_database("postgres://u:p@h:1?sslmode=disable", "t"),
        "postgres://u:p@h:1/t?sslmode=disable"
    );
}
