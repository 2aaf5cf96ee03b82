//! Virtual contests: a past contest taken again on one's own clock, with the original
//! teams as ghost rows standing where they stood at the same elapsed time.
//!
//! A virtual participant submits to the contest's problems as practice submissions (the
//! problems are open for practice once the contest ended); those made between the start
//! of their clock and its end count on their ghost board, timed from their own start.
//! The original contest's submissions are read once per [`GHOST_TTL`] per contest (without
//! source files), since every participant's board is computed from them on each poll.

use codehub_engine::actors::leaderboard::build_board;
use codehub_engine::model::{Contest, ContestId, Millis, Submission, UserId};
use codehub_engine::ports::store::{Store, StoreError, VirtualStart};
use codehub_engine::scoring::{Row, View};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a contest's submissions are kept for ghost boards (a rejudge of a past
/// contest shows on them after at most this long).
pub const GHOST_TTL: Duration = Duration::from_secs(10);

type Loaded = (Instant, Arc<Vec<Submission>>);

/// Past contests' submissions, without source files, kept for [`GHOST_TTL`].
#[derive(Default)]
pub struct GhostCache {
    contests: Mutex<HashMap<ContestId, Loaded>>,
}

impl GhostCache {
    /// `contest`'s submissions (files left out), from memory when fresh.
    ///
    /// # Errors
    /// Store failures.
    pub async fn submissions(
        &self,
        store: &dyn Store,
        contest: ContestId,
    ) -> Result<Arc<Vec<Submission>>, StoreError> {
        if let Some((at, subs)) = self.lock().get(&contest)
            && at.elapsed() < GHOST_TTL
        {
            return Ok(subs.clone());
        }
        let mut subs = store.contest_submissions(contest).await?;
        for s in &mut subs {
            s.files = Vec::new();
        }
        let subs = Arc::new(subs);
        let mut all = self.lock();
        all.retain(|_, (at, _)| at.elapsed() < GHOST_TTL);
        all.insert(contest, (Instant::now(), subs.clone()));
        Ok(subs)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<ContestId, Loaded>> {
        self.contests.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The participant's clock at `now`: contest time elapsed, capped at the contest's length.
pub fn elapsed(contest: &Contest, start: &VirtualStart, now: Millis) -> Millis {
    (now - start.started_at).clamp(0, contest.end_at - contest.start_at)
}

/// The ghost board at contest time `at`: the original teams' submissions made by then,
/// and the participant's own (`own`: their practice submissions) made within their clock
/// up to `at`. The board is the jury's unless the contest's public board is still
/// frozen.
pub fn ghost_board(
    contest: &Contest,
    originals: &[Submission],
    teams: &[UserId],
    start: &VirtualStart,
    own: &[Submission],
    at: Millis,
    now: Millis,
) -> Vec<Row> {
    let mut subs: Vec<Submission> = originals
        .iter()
        .filter(|s| s.submitted_at - contest.start_at <= at && s.user_id != start.user_id)
        .cloned()
        .collect();
    subs.extend(
        own.iter()
            .filter(|s| {
                s.user_id == start.user_id
                    && s.contest_id.is_none()
                    && (0..=at).contains(&(s.submitted_at - start.started_at))
            })
            .map(|s| Submission {
                submitted_at: contest.start_at + (s.submitted_at - start.started_at),
                files: Vec::new(),
                ..s.clone()
            }),
    );
    let mut everyone = teams.to_vec();
    everyone.push(start.user_id);
    let board = build_board(contest, &everyone, &subs, now);
    let view = if contest.is_frozen(now) {
        View::Public
    } else {
        View::Jury
    };
    board.rows(view)
}
