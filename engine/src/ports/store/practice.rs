//! What learners get beside a problem: its editorial and hints, and what each user has
//! revealed of them.

use super::StoreError;
use crate::model::{ContestId, Millis, ProblemId, UserId};
use async_trait::async_trait;

/// A problem's editorial and hints (Markdown with LaTeX).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Editorial {
    /// The solution's explanation; empty: none.
    pub editorial: String,
    /// Hints, revealed one at a time, in order.
    pub hints: Vec<String>,
}

/// What a user has revealed of a problem's hints and editorial.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Revealed {
    /// Hints shown so far (the first `hints`).
    pub hints: usize,
    /// The user chose to see the editorial before solving the problem.
    pub editorial: bool,
}

/// A user's virtual participation in a past contest: its clock starts at `started_at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VirtualStart {
    /// The participant.
    pub user_id: UserId,
    /// The contest taken again.
    pub contest_id: ContestId,
    /// When the participant's own clock started (ms since the epoch).
    pub started_at: Millis,
}

/// Editorials, hints, what users revealed, and virtual participations.
#[async_trait]
pub trait PracticeStore: Send + Sync + 'static {
    /// A problem's editorial and hints (empty if none was written).
    async fn editorial(&self, problem: ProblemId) -> Result<Editorial, StoreError>;
    /// Replaces a problem's editorial and hints. [`StoreError::NotFound`] if the problem
    /// does not exist.
    async fn set_editorial(&self, problem: ProblemId, e: &Editorial) -> Result<(), StoreError>;
    /// What `user` has revealed of `problem`.
    async fn revealed(&self, user: UserId, problem: ProblemId) -> Result<Revealed, StoreError>;
    /// Records what `user` has revealed (never less than before: the larger count and
    /// either choice win).
    async fn reveal(
        &self,
        user: UserId,
        problem: ProblemId,
        revealed: Revealed,
    ) -> Result<Revealed, StoreError>;
    /// Starts a virtual participation. [`StoreError::Conflict`] if the user already has
    /// one in that contest, [`StoreError::NotFound`] if the user or contest is missing.
    async fn start_virtual(&self, start: VirtualStart) -> Result<(), StoreError>;
    /// `user`'s virtual participation in `contest`, if any.
    async fn virtual_start(
        &self,
        user: UserId,
        contest: ContestId,
    ) -> Result<Option<VirtualStart>, StoreError>;
    /// Every virtual participation of `user`, oldest first.
    async fn user_virtuals(&self, user: UserId) -> Result<Vec<VirtualStart>, StoreError>;
}
