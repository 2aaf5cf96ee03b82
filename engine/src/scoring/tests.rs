//! Scoreboard tests: hand-computed boards, then random contests against [`naive`].

use super::*;
use Verdict::*;
use proptest::prelude::*;

const MIN: i64 = 60_000;

fn rules(kind: ContestKind, problems: usize, freeze_at: Option<Millis>) -> Rules {
    Rules {
        kind,
        problem_count: problems,
        penalty_minutes: 20,
        freeze_at,
    }
}

fn judged(id: i64, team: i64, problem: usize, at: Millis, verdict: Verdict) -> Judged {
    Judged {
        id: SubmissionId(id),
        team: UserId(team),
        problem,
        at,
        verdict,
        score: 0.0,
    }
}

fn scored(id: i64, team: i64, problem: usize, at: Millis, verdict: Verdict, score: f64) -> Judged {
    Judged {
        score,
        ..judged(id, team, problem, at, verdict)
    }
}

/// `(team, rank, solved, penalty)` of each row, in order.
fn summary(rows: &[Row]) -> Vec<(i64, usize, u32, i64)> {
    rows.iter()
        .map(|r| (r.team.0, r.rank, r.solved, r.penalty))
        .collect()
}

fn changes(public: &[i64], jury: &[i64]) -> Changes {
    Changes {
        public: public.iter().map(|&t| UserId(t)).collect(),
        jury: jury.iter().map(|&t| UserId(t)).collect(),
    }
}

/// The ICPC example board: ranks 1, 2, 2, 4, 5.
fn icpc_events() -> Vec<Judged> {
    vec![
        // Team 1: A at 10:00.000, B at 20:59.999 (minute 20); a WA after the AC is ignored.
        judged(1, 1, 0, 10 * MIN, Accepted),
        judged(2, 1, 1, 20 * MIN + 59_999, Accepted),
        judged(3, 1, 0, 50 * MIN, WrongAnswer),
        // Team 2: B WA, then AC at 10:45 → 10 + 20 = 30.
        judged(4, 2, 1, 2 * MIN, WrongAnswer),
        judged(5, 2, 1, 10 * MIN + 45_000, Accepted),
        // Team 3: A WA, CE, JE, AC at 10:30 → 10 + 20 = 30 (CE and JE are free).
        judged(6, 3, 0, MIN, WrongAnswer),
        judged(7, 3, 0, 2 * MIN, CompileError),
        judged(8, 3, 0, 3 * MIN, JudgeError),
        judged(9, 3, 0, 10 * MIN + 30_000, Accepted),
        // Team 4: A at 40:00.
        judged(10, 4, 0, 40 * MIN, Accepted),
    ]
}

const ICPC_EXPECTED: [(i64, usize, u32, i64); 5] = [
    (1, 1, 2, 30),
    (2, 2, 1, 30),
    (3, 2, 1, 30),
    (4, 4, 1, 40),
    (5, 5, 0, 0),
];

#[test]
fn icpc_penalties_ties_and_first_to_solve() {
    let mut board = Scoreboard::new(rules(ContestKind::Icpc, 2, None));
    for j in icpc_events() {
        board.judged(&j);
    }
    assert_eq!(board.add_team(UserId(5)), changes(&[5], &[5]));
    assert_eq!(board.add_team(UserId(5)), Changes::default());
    let rows = board.rows(View::Jury);
    assert_eq!(summary(&rows), ICPC_EXPECTED);
    assert_eq!(board.rows(View::Public), rows);
    assert_eq!(board.team_count(), 5);

    let cell = |team: usize, p: usize| &rows[team - 1].cells[p];
    assert_eq!(
        *cell(3, 0),
        Cell {
            attempts: 2,
            pending: 0,
            solved: true,
            solved_at_min: Some(10),
            first_to_solve: false,
            score: 0.0
        }
    );
    assert_eq!(cell(1, 0).attempts, 1);
    assert_eq!(cell(1, 1).solved_at_min, Some(20));
    // A: team 1 (10:00.000) beats team 3 (10:30); B: team 2 (10:45) beats team 1.
    assert!(cell(1, 0).first_to_solve && !cell(3, 0).first_to_solve && !cell(4, 0).first_to_solve);
    assert!(cell(2, 1).first_to_solve && !cell(1, 1).first_to_solve);
    for row in &rows {
        assert_eq!(board.row(View::Jury, row.team).as_ref(), Some(row));
    }
    assert_eq!(board.row(View::Jury, UserId(99)), None);
}

#[test]
fn arrival_order_does_not_matter() {
    let events = icpc_events();
    let expected = {
        let mut board = Scoreboard::new(rules(ContestKind::Icpc, 2, None));
        for j in &events {
            board.judged(j);
        }
        board.rows(View::Jury)
    };
    for order in [
        (0..events.len()).rev().collect::<Vec<_>>(),
        vec![9, 2, 5, 0, 7, 3, 8, 1, 6, 4],
        vec![4, 8, 6, 1, 3, 0, 9, 7, 5, 2],
    ] {
        let mut board = Scoreboard::new(rules(ContestKind::Icpc, 2, None));
        for &i in &order {
            board.judged(&events[i]);
        }
        assert_eq!(board.rows(View::Jury), expected, "order {order:?}");
    }
}

#[test]
fn out_of_order_judging_and_rejudges() {
    let mut board = Scoreboard::new(rules(ContestKind::Icpc, 1, None));
    // The AC at 10:00 is judged before the WA made at 5:00.
    assert_eq!(
        board.judged(&judged(2, 1, 0, 10 * MIN, Accepted)),
        changes(&[1], &[1])
    );
    assert_eq!(summary(&board.rows(View::Jury)), [(1, 1, 1, 10)]);
    assert_eq!(
        board.judged(&judged(1, 1, 0, 5 * MIN, WrongAnswer)),
        changes(&[1], &[1])
    );
    assert_eq!(summary(&board.rows(View::Jury)), [(1, 1, 1, 30)]);
    // A WA after the AC changes nothing.
    assert_eq!(
        board.judged(&judged(3, 1, 0, 15 * MIN, WrongAnswer)),
        Changes::default()
    );
    // Rejudge the 5:00 WA as CE: no penalty any more.
    assert_eq!(
        board.judged(&judged(1, 1, 0, 5 * MIN, CompileError)),
        changes(&[1], &[1])
    );
    assert_eq!(summary(&board.rows(View::Jury)), [(1, 1, 1, 10)]);
    // Rejudge the AC as WA: unsolved with two counted tries (10:00 and 15:00).
    board.judged(&judged(2, 1, 0, 10 * MIN, WrongAnswer));
    let row = board.row(View::Jury, UserId(1)).expect("row");
    assert_eq!((row.solved, row.penalty, row.cells[0].attempts), (0, 0, 2));
    // The same judgement again is a no-op.
    assert_eq!(
        board.judged(&judged(2, 1, 0, 10 * MIN, WrongAnswer)),
        Changes::default()
    );
}

#[test]
fn first_to_solve_follows_late_judgements() {
    let mut board = Scoreboard::new(rules(ContestKind::Icpc, 1, None));
    board.judged(&judged(1, 1, 0, 20 * MIN, Accepted));
    let fts =
        |b: &Scoreboard, t| b.row(View::Jury, UserId(t)).expect("row").cells[0].first_to_solve;
    assert!(fts(&board, 1));
    // Team 2 solved earlier but is judged later: the flag moves, both rows change.
    assert_eq!(
        board.judged(&judged(2, 2, 0, 5 * MIN, Accepted)),
        changes(&[1, 2], &[1, 2])
    );
    assert!(fts(&board, 2) && !fts(&board, 1));
    // Same instant: the lower submission id wins.
    assert_eq!(
        board.judged(&judged(0, 3, 0, 5 * MIN, Accepted)),
        changes(&[2, 3], &[2, 3])
    );
    assert!(fts(&board, 3));
    // Rejudges take it away again.
    board.judged(&judged(0, 3, 0, 5 * MIN, WrongAnswer));
    assert_eq!(
        board.judged(&judged(2, 2, 0, 5 * MIN, WrongAnswer)),
        changes(&[1, 2], &[1, 2])
    );
    assert!(fts(&board, 1));
}

#[test]
fn freeze_hides_results_on_the_public_board_only() {
    let mut board = Scoreboard::new(rules(ContestKind::Icpc, 2, Some(60 * MIN)));
    assert!(board.is_frozen());
    board.judged(&judged(1, 1, 0, 30 * MIN, Accepted));
    // Queued: pending on both boards.
    assert_eq!(
        board.submitted(UserId(2), 0, SubmissionId(2), 70 * MIN),
        changes(&[2], &[2])
    );
    for view in [View::Public, View::Jury] {
        assert_eq!(board.row(view, UserId(2)).expect("row").cells[0].pending, 1);
    }
    // Judged after the freeze: live for the jury, still pending in public.
    assert_eq!(
        board.judged(&judged(2, 2, 0, 70 * MIN, Accepted)),
        changes(&[], &[2])
    );
    assert_eq!(
        board.judged(&judged(3, 1, 1, 65 * MIN, WrongAnswer)),
        changes(&[1], &[1])
    );
    assert_eq!(
        summary(&board.rows(View::Jury)),
        [(1, 1, 1, 30), (2, 2, 1, 70)]
    );
    assert_eq!(
        summary(&board.rows(View::Public)),
        [(1, 1, 1, 30), (2, 2, 0, 0)]
    );
    let public = board.row(View::Public, UserId(1)).expect("row");
    assert_eq!((public.cells[1].pending, public.cells[1].attempts), (1, 0));
    let public = board.row(View::Public, UserId(2)).expect("row");
    assert_eq!(
        (public.cells[0].pending, public.cells[0].solved),
        (1, false)
    );
    // A submission after the team's AC is not even pending.
    assert_eq!(
        board.submitted(UserId(1), 0, SubmissionId(4), 80 * MIN),
        Changes::default()
    );

    assert_eq!(board.unfreeze(), changes(&[1, 2], &[]));
    assert!(!board.is_frozen());
    assert_eq!(board.rows(View::Public), board.rows(View::Jury));
    assert_eq!(board.unfreeze(), Changes::default());
    // Live from now on.
    assert_eq!(
        board.judged(&judged(5, 2, 1, 90 * MIN, Accepted)),
        changes(&[2], &[2])
    );
    assert_eq!(board.rows(View::Public), board.rows(View::Jury));
}

#[test]
fn ioi_best_scores_and_totals() {
    let mut board = Scoreboard::new(rules(ContestKind::Ioi, 2, Some(100 * MIN)));
    for j in [
        scored(1, 1, 0, MIN, WrongAnswer, 30.0),
        scored(2, 1, 0, 2 * MIN, WrongAnswer, 70.0),
        scored(3, 1, 0, 3 * MIN, WrongAnswer, 50.0),
        scored(4, 1, 1, 4 * MIN, RunTimeError, 30.0),
        scored(5, 2, 0, 5 * MIN, Accepted, 100.0),
        scored(6, 3, 1, 6 * MIN, WrongAnswer, 40.5),
        scored(7, 3, 0, 7 * MIN, JudgeError, 100.0),
        // Hidden in public: team 4's 90 is after the freeze.
        scored(8, 4, 0, 100 * MIN, WrongAnswer, 90.0),
    ] {
        board.judged(&j);
    }
    let scores = |view| {
        board
            .rows(view)
            .iter()
            .map(|r| (r.team.0, r.rank, r.score, r.solved))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        scores(View::Jury),
        [
            (1, 1, 100.0, 0),
            (2, 1, 100.0, 1),
            (4, 3, 90.0, 0),
            (3, 4, 40.5, 0)
        ]
    );
    assert_eq!(
        scores(View::Public),
        [
            (1, 1, 100.0, 0),
            (2, 1, 100.0, 1),
            (3, 3, 40.5, 0),
            (4, 4, 0.0, 0)
        ]
    );
    let team1 = board.row(View::Jury, UserId(1)).expect("row");
    assert_eq!(
        (
            team1.cells[0].score,
            team1.cells[0].attempts,
            team1.cells[1].score
        ),
        (70.0, 3, 30.0)
    );
    assert!(board.row(View::Jury, UserId(2)).expect("row").cells[0].first_to_solve);
    // Rejudge: team 1's 70 becomes 20; its best is now 50.
    board.judged(&scored(2, 1, 0, 2 * MIN, WrongAnswer, 20.0));
    assert_eq!(board.row(View::Jury, UserId(1)).expect("row").score, 80.0);
}

#[test]
fn bad_events_change_nothing() {
    let mut board = Scoreboard::new(rules(ContestKind::Icpc, 2, None));
    assert_eq!(
        board.judged(&judged(1, 1, 2, MIN, Accepted)),
        Changes::default()
    );
    assert_eq!(
        board.submitted(UserId(1), 7, SubmissionId(1), MIN),
        Changes::default()
    );
    assert_eq!(board.team_count(), 0);
    // A queued id queued again stays where it was.
    board.submitted(UserId(1), 0, SubmissionId(1), MIN);
    assert_eq!(
        board.submitted(UserId(1), 1, SubmissionId(1), MIN),
        Changes::default()
    );
}

#[test]
fn rules_come_from_the_contest() {
    let contest = Contest {
        id: crate::model::ContestId(1),
        slug: "c".into(),
        name: "C".into(),
        kind: ContestKind::Ioi,
        start_at: 1_000_000,
        end_at: 2_000_000,
        freeze_at: Some(1_500_000),
        unfreeze_at: None,
        unfrozen: false,
        penalty_minutes: 10,
        problems: vec![],
        verdict_policy: None,
        allow_runs: false,
        rated: false,
    };
    let r = Rules::for_contest(&contest);
    assert_eq!(
        (r.kind, r.problem_count, r.penalty_minutes, r.freeze_at),
        (ContestKind::Ioi, 0, 10, Some(500_000))
    );
}

// ---- random contests against the naive recomputation ----

#[derive(Debug, Clone)]
enum Event {
    AddTeam(u8),
    Submit(u8),
    /// Judge submission `.0` where it was made.
    Judge(u8, Verdict, f64),
    /// Judge submission `.0` as if made by another team, problem or time (moves it).
    Move(u8, u8, u8, i64, Verdict),
    /// Queue submission `.0` for an out-of-range problem.
    BadProblem(u8),
    Unfreeze,
}

fn verdicts() -> impl Strategy<Value = Verdict> {
    prop_oneof![
        3 => Just(Accepted),
        3 => Just(WrongAnswer),
        3 => prop::sample::select(Verdict::ALL.to_vec()),
    ]
}

fn events() -> impl Strategy<Value = Event> {
    let score = prop_oneof![
        8 => prop::sample::select(vec![0.0, 25.0, 33.3, 50.0, 100.0]),
        1 => Just(-1.0),
        1 => Just(f64::NAN),
    ];
    prop_oneof![
        2 => any::<u8>().prop_map(Event::AddTeam),
        12 => any::<u8>().prop_map(Event::Submit),
        16 => (any::<u8>(), verdicts(), score).prop_map(|(s, v, x)| Event::Judge(s, v, x)),
        2 => (any::<u8>(), any::<u8>(), any::<u8>(), 0..40 * MIN, verdicts())
            .prop_map(|(s, t, p, at, v)| Event::Move(s, t, p, at, v)),
        1 => any::<u8>().prop_map(Event::BadProblem),
        1 => Just(Event::Unfreeze),
    ]
}

/// A row without its rank, for change detection.
fn unranked(rows: &[Row]) -> HashMap<UserId, Row> {
    rows.iter()
        .map(|r| {
            (
                r.team,
                Row {
                    rank: 0,
                    ..r.clone()
                },
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn incremental_boards_match_the_naive_recomputation(
        ioi in any::<bool>(),
        team_count in 1usize..30,
        problems in 1usize..6,
        freeze in prop::option::of(0..40i64),
        penalty in 0..30i64,
        // (team, problem, minute, extra ms): few minutes, so ties and equal times abound.
        subs in prop::collection::vec((any::<u8>(), any::<u8>(), 0..40i64, prop_oneof![Just(0i64), 0..MIN]), 1..80),
        evs in prop::collection::vec(events(), 0..200),
    ) {
        let rules = Rules {
            kind: if ioi { ContestKind::Ioi } else { ContestKind::Icpc },
            problem_count: problems,
            penalty_minutes: penalty,
            freeze_at: freeze.map(|m| m * MIN),
        };
        let team_of = |x: u8| UserId(i64::from(x) % team_count as i64 + 1);
        let subs: Vec<(UserId, usize, SubmissionId, Millis)> = subs
            .iter()
            .enumerate()
            .map(|(i, &(t, p, m, ms))| (team_of(t), usize::from(p) % problems, SubmissionId(i as i64 + 1), m * MIN + ms))
            .collect();
        let sub = |x: u8| subs[usize::from(x) % subs.len()];

        let mut board = Scoreboard::new(rules.clone());
        let (mut teams, mut queued, mut done, mut unfrozen) = (vec![], vec![], vec![], false);
        let mut before = [HashMap::new(), HashMap::new()];
        for ev in evs {
            let changes = match ev {
                Event::AddTeam(t) => {
                    teams.push(team_of(t));
                    board.add_team(team_of(t))
                }
                Event::Submit(s) => {
                    queued.push(sub(s));
                    let (team, problem, id, at) = sub(s);
                    board.submitted(team, problem, id, at)
                }
                Event::Judge(s, verdict, score) => {
                    let (team, problem, id, at) = sub(s);
                    let j = Judged { id, team, problem, at, verdict, score };
                    done.push(j.clone());
                    board.judged(&j)
                }
                Event::Move(s, t, p, at, verdict) => {
                    let j = Judged {
                        id: sub(s).2,
                        team: team_of(t),
                        problem: usize::from(p) % problems,
                        at,
                        verdict,
                        score: 50.0,
                    };
                    done.push(j.clone());
                    board.judged(&j)
                }
                Event::BadProblem(s) => {
                    let (team, _, id, at) = sub(s);
                    queued.push((team, problems, id, at));
                    board.submitted(team, problems, id, at)
                }
                Event::Unfreeze => {
                    unfrozen = true;
                    board.unfreeze()
                }
            };
            prop_assert_eq!(board.is_frozen(), rules.freeze_at.is_some() && !unfrozen);
            for view in VIEWS {
                let expected = naive::recompute(&rules, &teams, &queued, &done, unfrozen, view);
                prop_assert_eq!(&board.rows(view), &expected, "{:?}", view);
                prop_assert_eq!(board.team_count(), expected.len());
                for row in &expected {
                    prop_assert_eq!(board.row(view, row.team), Some(row.clone()));
                }
                let after = unranked(&expected);
                let mut changed: Vec<UserId> = after
                    .iter()
                    .filter(|&(team, row)| before[super::board_idx(view)].get(team) != Some(row))
                    .map(|(&team, _)| team)
                    .collect();
                changed.sort_unstable();
                prop_assert_eq!(changes.on(view), &changed[..], "changes on {:?}", view);
                before[super::board_idx(view)] = after;
            }
        }
    }
}
