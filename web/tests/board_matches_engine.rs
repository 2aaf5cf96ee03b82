//! The browser's board, fed the engine's deltas, must equal the engine's own board after
//! every event: same order, same ranks (including ranks of rows the delta did not carry).

use codehub_engine::Verdict;
use codehub_engine::model::{ContestKind, SubmissionId, UserId};
use codehub_engine::scoring::{Judged, Rules, Scoreboard, View};
use codehub_protocol::board::{Delta, Row, Snapshot};
use codehub_web::board::Board;
use proptest::prelude::*;

/// The rows as the browser receives them (through JSON).
fn wire_rows(rows: Vec<codehub_engine::scoring::Row>) -> Vec<Row> {
    serde_json::from_value(serde_json::to_value(rows).unwrap()).unwrap()
}

#[derive(Debug, Clone)]
enum Event {
    Submit { team: i64, problem: usize, at: i64 },
    Judge { nth: usize, verdict: u8, score: f64 },
}

fn event() -> impl Strategy<Value = Event> {
    prop_oneof![
        (1i64..40, 0usize..4, 0i64..18_000_000).prop_map(|(team, problem, at)| Event::Submit {
            team,
            problem,
            at
        }),
        (0usize..400, 0u8..4, 0.0f64..100.0).prop_map(|(nth, verdict, score)| Event::Judge {
            nth,
            verdict,
            score
        }),
    ]
}

fn run(kind: ContestKind, events: Vec<Event>, freeze: Option<i64>) {
    let mut engine = Scoreboard::new(Rules {
        kind,
        problem_count: 4,
        penalty_minutes: 20,
        freeze_at: freeze,
    });
    let view = View::Public;
    let mut board = Board::new(
        kind,
        Snapshot {
            contest_id: codehub_engine::model::ContestId(1),
            view: View::Public,
            frozen: false,
            problems: vec!["A".into(); 4],
            seq: 0,
            rows: vec![],
        },
    );
    let mut subs: Vec<(UserId, usize, i64)> = Vec::new();
    for (seq, e) in events.into_iter().enumerate() {
        let changes = match e {
            Event::Submit { team, problem, at } => {
                subs.push((UserId(team), problem, at));
                engine.submitted(UserId(team), problem, SubmissionId(subs.len() as i64), at)
            }
            Event::Judge {
                nth,
                verdict,
                score,
            } => {
                if subs.is_empty() {
                    continue;
                }
                let i = nth % subs.len();
                let (team, problem, at) = subs[i];
                let verdict = [
                    Verdict::Accepted,
                    Verdict::WrongAnswer,
                    Verdict::CompileError,
                    Verdict::TimeLimitExceeded,
                ][verdict as usize];
                engine.judged(&Judged {
                    id: SubmissionId(i as i64 + 1),
                    team,
                    problem,
                    at,
                    verdict,
                    score,
                })
            }
        };
        let rows: Vec<_> = changes
            .on(view)
            .iter()
            .filter_map(|t| engine.row(view, *t))
            .collect();
        board.apply(
            seq as u64 + 1,
            Delta {
                frozen: false,
                rows: wire_rows(rows),
            },
        );
        assert_eq!(
            board.rows(),
            wire_rows(engine.rows(view)).as_slice(),
            "after event {seq}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn icpc_board_follows_the_engine(events in proptest::collection::vec(event(), 1..300)) {
        run(ContestKind::Icpc, events, None);
    }

    #[test]
    fn icpc_frozen_board_follows_the_engine(events in proptest::collection::vec(event(), 1..300)) {
        run(ContestKind::Icpc, events, Some(9_000_000));
    }

    #[test]
    fn ioi_board_follows_the_engine(events in proptest::collection::vec(event(), 1..300)) {
        run(ContestKind::Ioi, events, None);
    }
}
