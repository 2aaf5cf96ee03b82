//! Incremental scoreboard benchmark: 100,000 teams × 15 problems, 200,000 judged
//! submissions already on the board, then 200,000 more `judged()` calls (≈60% rejected,
//! times out of order, some rejudges), each timed; then `row()` of the changed teams.
//!
//! `cargo bench -p codehub-engine --bench leaderboard`

use codehub_engine::Verdict;
use codehub_engine::model::{ContestKind, SubmissionId, UserId};
use codehub_engine::scoring::{Judged, Rules, Scoreboard, View};
use std::hint::black_box;
use std::time::Instant;

const TEAMS: u64 = 100_000;
const PROBLEMS: usize = 15;
const PREFILL: usize = 200_000;
const UPDATES: usize = 200_000;
const CONTEST_MS: u64 = 5 * 3_600_000;
const FREEZE_MS: i64 = 4 * 3_600_000;

/// splitmix64: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// ≈60% rejected, ≈33% accepted, the rest CE/JE.
fn verdict(rng: &mut Rng) -> Verdict {
    match rng.below(100) {
        0..=34 => Verdict::WrongAnswer,
        35..=47 => Verdict::TimeLimitExceeded,
        48..=54 => Verdict::RunTimeError,
        55..=57 => Verdict::MemoryLimitExceeded,
        58..=59 => Verdict::OutputLimitExceeded,
        60..=92 => Verdict::Accepted,
        93..=98 => Verdict::CompileError,
        _ => Verdict::JudgeError,
    }
}

fn submission(rng: &mut Rng, id: i64) -> Judged {
    let verdict = verdict(rng);
    Judged {
        id: SubmissionId(id),
        team: UserId(rng.below(TEAMS) as i64 + 1),
        problem: rng.below(PROBLEMS as u64) as usize,
        at: rng.below(CONTEST_MS) as i64,
        verdict,
        score: if verdict == Verdict::Accepted {
            100.0
        } else {
            rng.below(100) as f64
        },
    }
}

fn report(what: &str, mut micros: Vec<f64>) {
    micros.sort_by(f64::total_cmp);
    let n = micros.len();
    let mean = micros.iter().sum::<f64>() / n as f64;
    println!(
        "{what:<28} n={n:>7}  median {:>6.2} µs  p99 {:>6.2} µs  mean {:>6.2} µs  max {:>8.1} µs",
        micros[n / 2],
        micros[n * 99 / 100],
        mean,
        micros[n - 1],
    );
}

fn run(kind: ContestKind) {
    let mut rng = Rng(42);
    let mut board = Scoreboard::new(Rules {
        kind,
        problem_count: PROBLEMS,
        penalty_minutes: 20,
        freeze_at: Some(FREEZE_MS),
    });
    let start = Instant::now();
    for t in 1..=TEAMS {
        board.add_team(UserId(t as i64));
    }
    let mut made = Vec::with_capacity(PREFILL + UPDATES);
    for id in 0..PREFILL {
        let j = submission(&mut rng, id as i64);
        board.judged(&j);
        made.push(j);
    }
    println!(
        "{kind:?}: {TEAMS} teams × {PROBLEMS} problems, {PREFILL} judged submissions loaded in {:.2} s",
        start.elapsed().as_secs_f64()
    );

    let mut judged = Vec::with_capacity(UPDATES);
    let mut rows = Vec::with_capacity(2 * UPDATES);
    let mut touched = 0usize;
    for i in 0..UPDATES {
        // 5% rejudges of an earlier submission with a fresh verdict; the rest are new
        // submissions judged at random times (so mostly out of order).
        let j = if rng.below(100) < 5 {
            let old = &made[rng.below(made.len() as u64) as usize];
            let verdict = verdict(&mut rng);
            Judged {
                verdict,
                score: if verdict == Verdict::Accepted {
                    100.0
                } else {
                    40.0
                },
                ..old.clone()
            }
        } else {
            submission(&mut rng, (PREFILL + i) as i64)
        };
        let t0 = Instant::now();
        let changes = board.judged(&j);
        judged.push(t0.elapsed().as_secs_f64() * 1e6);
        made.push(j);

        for view in [View::Public, View::Jury] {
            for &team in changes.on(view) {
                let t0 = Instant::now();
                black_box(board.row(view, team));
                rows.push(t0.elapsed().as_secs_f64() * 1e6);
                touched += 1;
            }
        }
    }
    report("judged()", judged);
    report("row() of a changed team", rows);
    println!(
        "  changed rows per judged(): {:.2}",
        touched as f64 / UPDATES as f64
    );

    let t0 = Instant::now();
    let all = black_box(board.rows(View::Public));
    println!(
        "  rows(Public) of {} teams: {:.1} ms",
        all.len(),
        t0.elapsed().as_secs_f64() * 1e3
    );
    let t0 = Instant::now();
    let changes = board.unfreeze();
    println!(
        "  unfreeze(): {:.1} ms ({} public rows changed)",
        t0.elapsed().as_secs_f64() * 1e3,
        changes.public.len()
    );
}

fn main() {
    run(ContestKind::Icpc);
    run(ContestKind::Ioi);
}
