//! Pieces shared by pages.

pub mod editor;
pub mod verdict;
