//! What learners get beside a problem: its editorial and hints, and what each user has
//! revealed of them.

use super::StoreError;
use crate::model::{ProblemId, UserId};
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

/// Editorials, hints and what users revealed.
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
}
