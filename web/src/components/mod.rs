//! Pieces shared by pages.

pub mod editor;
pub mod heatmap;
pub mod verdict;
