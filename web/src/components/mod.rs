//! Pieces shared by pages.

pub mod editor;
pub mod heatmap;
pub mod rating_graph;
pub mod verdict;
