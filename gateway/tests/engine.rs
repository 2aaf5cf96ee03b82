//! The engine's supervision, in process: injected panics in a JudgeActor and a
//! ContestActor are survived (job requeued; contest state restored from the store), and
//! idle UserActors passivate. Real store (SQLite), real sandboxed judge.

use codehub_blobs::LocalBlobs;
use codehub_engine::Verdict;
use codehub_engine::actors::user::SubmitRequest;
use codehub_engine::actors::{Engine, EngineConfig, Faults};
use codehub_engine::model::{
    Contest, ContestId, ContestKind, ContestProblem, Problem, ProblemId, Role, SubmissionId,
    SubmissionStatus, SubmittedFile, UserId, now_ms,
};
use codehub_engine::ports::blobs::BlobStore;
use codehub_engine::ports::store::NewUser;
use codehub_engine::ports::store::prelude::*;
use codehub_engine::scoring::View;
use codehub_judge::judge::Judge;
use codehub_judge::language::LanguageTable;
use codehub_judge::sandbox::native::{KeeperCommand, NativeConfig, NativeSandbox};
use codehub_judge::service::SandboxedJudge;
use codehub_store::SqlStore;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const HELLO_C: &str = "#include <stdio.h>\nint main(void) { puts(\"Hello World!\"); return 0; }\n";

fn sandbox() -> NativeSandbox {
    let keeper = KeeperCommand {
        program: PathBuf::from(env!("CARGO_BIN_EXE_codehub")),
        args: vec!["__sandbox-keeper".into()],
    };
    let mut config = NativeConfig::new(keeper);
    config.max_slots = 2;
    NativeSandbox::new(config).unwrap()
}

fn zip_dir(dir: &Path) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                w.start_file(rel, zip::write::SimpleFileOptions::default())
                    .unwrap();
                std::io::Write::write_all(&mut w, &std::fs::read(&p).unwrap()).unwrap();
            }
        }
    }
    w.finish().unwrap().into_inner()
}

struct Setup {
    engine: Engine,
    store: Arc<SqlStore>,
    user: UserId,
    contest: ContestId,
    problem: ProblemId,
    _dir: tempfile::TempDir,
}

async fn setup(config: EngineConfig) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("db.sqlite").display()
    );
    let store = Arc::new(SqlStore::connect(&url).await.unwrap());
    let blobs = Arc::new(LocalBlobs::new(dir.path().join("blobs")).unwrap());
    let package =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../judge-pool/tests/problems/hello");
    let hash = blobs.put(zip_dir(&package)).await.unwrap();
    let problem = store
        .create_problem(Problem {
            id: ProblemId(0),
            slug: "hello".into(),
            name: "Hello".into(),
            package_hash: hash,
            time_limit_ms: 1000,
            memory_limit_kib: 262_144,
            code_limit_bytes: 131_072,
            statement: String::new(),
            samples: vec![],
            answer_files: vec![],
            practice: true,
            created_at: now_ms(),
            tags: vec![],
            difficulty: None,
            source: None,
            statement_language: None,
            translations: Default::default(),
        })
        .await
        .unwrap();
    let contest = store
        .create_contest(Contest {
            id: ContestId(0),
            slug: "c".into(),
            name: "C".into(),
            kind: ContestKind::Icpc,
            start_at: now_ms() - 60_000,
            end_at: now_ms() + 3_600_000,
            freeze_at: None,
            unfreeze_at: None,
            unfrozen: false,
            penalty_minutes: 20,
            verdict_policy: None,
            allow_runs: false,
            rated: false,
            problems: vec![ContestProblem {
                problem_id: problem.id,
                label: "A".into(),
            }],
        })
        .await
        .unwrap();
    let user = store
        .create_user(NewUser {
            username: "alice".into(),
            password_hash: "x".into(),
            role: Role::Contestant,
        })
        .await
        .unwrap();
    let judge = Judge::new(sandbox(), sandbox(), Arc::new(LanguageTable::builtin()));
    let service = Arc::new(SandboxedJudge::new(judge, blobs));
    let engine = Engine::start(store.clone(), service, config).await.unwrap();
    Setup {
        engine,
        store,
        user: user.id,
        contest: contest.id,
        problem: problem.id,
        _dir: dir,
    }
}

fn request(s: &Setup, contest: Option<ContestId>) -> SubmitRequest {
    SubmitRequest {
        contest_id: contest,
        problem_id: s.problem,
        language: "c".into(),
        files: vec![SubmittedFile {
            name: "a.c".into(),
            contents: HELLO_C.into(),
        }],
        trace: tracing::Span::none(),
    }
}

async fn wait_judged(store: &SqlStore, id: SubmissionId) -> Verdict {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let s = store.submission(id).await.unwrap().unwrap();
        if s.status == SubmissionStatus::Done {
            return s.judgement.unwrap().verdict;
        }
        assert!(Instant::now() < deadline, "not judged in time");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A hook that fires (returns true) only on its first call.
fn once(counter: Arc<AtomicUsize>) -> Arc<dyn Fn(SubmissionId) -> bool + Send + Sync> {
    Arc::new(move |_| counter.fetch_add(1, Ordering::SeqCst) == 0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crashed_judge_actor_is_restarted_and_its_job_requeued() {
    let calls = Arc::new(AtomicUsize::new(0));
    let config = EngineConfig {
        faults: Faults {
            judge_actor: Some(once(calls.clone())),
            ..Faults::default()
        },
        ..EngineConfig::default()
    };
    let s = setup(config).await;
    let sub = s
        .engine
        .submit(s.user, request(&s, Some(s.contest)))
        .await
        .unwrap();
    assert_eq!(wait_judged(&s.store, sub.id).await, Verdict::Accepted);
    assert!(
        calls.load(Ordering::SeqCst) >= 2,
        "the first JudgeActor panicked, a second judged it"
    );
    let stats = s.engine.queue_stats().await.unwrap();
    assert_eq!(
        (stats.judges, stats.queued),
        (2, 0),
        "the pool is back to full strength"
    );
    // And the pool keeps working.
    let again = s.engine.submit(s.user, request(&s, None)).await.unwrap();
    assert_eq!(wait_judged(&s.store, again.id).await, Verdict::Accepted);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crashed_contest_actor_restores_its_scoreboard_from_the_store() {
    let calls = Arc::new(AtomicUsize::new(0));
    let config = EngineConfig {
        faults: Faults {
            contest_actor: Some(once(calls.clone())),
            ..Faults::default()
        },
        ..EngineConfig::default()
    };
    let s = setup(config).await;
    let sub = s
        .engine
        .submit(s.user, request(&s, Some(s.contest)))
        .await
        .unwrap();
    assert_eq!(wait_judged(&s.store, sub.id).await, Verdict::Accepted);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if calls.load(Ordering::SeqCst) >= 1
            && let Ok(board) = s.engine.scoreboard(s.contest, View::Jury).await
            && board.rows.iter().any(|r| r.team == s.user && r.solved == 1)
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the restarted contest actor did not restore the AC"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "the panic was injected exactly once"
    );
    // The restarted actor handles new work.
    let second = s
        .engine
        .submit(s.user, request(&s, Some(s.contest)))
        .await
        .unwrap();
    assert_eq!(wait_judged(&s.store, second.id).await, Verdict::Accepted);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_user_actors_passivate_and_come_back_on_demand() {
    let config = EngineConfig {
        user_idle: Duration::from_secs(1),
        ..EngineConfig::default()
    };
    let s = setup(config).await;
    let first = s.engine.submit(s.user, request(&s, None)).await.unwrap();
    assert_eq!(s.engine.active_users().await.unwrap(), 1);
    let deadline = Instant::now() + Duration::from_secs(30);
    while s.engine.active_users().await.unwrap() != 0 {
        assert!(Instant::now() < deadline, "not passivated");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let second = s.engine.submit(s.user, request(&s, None)).await.unwrap();
    assert!(second.id > first.id);
    assert_eq!(s.engine.active_users().await.unwrap(), 1);
    assert_eq!(wait_judged(&s.store, second.id).await, Verdict::Accepted);
}
