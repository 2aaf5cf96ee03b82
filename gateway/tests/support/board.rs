//! Scoreboard checks shared by the API and cluster tests.

use serde_json::Value;

/// Whether no cell of `board` (a scoreboard as the API answers it) is pending: a verdict
/// reaches the store before the contest's actor applies it to the board, so a board read
/// right after a submission is `done` may still show it pending.
pub fn settled(board: &Value) -> bool {
    board["rows"].as_array().is_some_and(|rows| {
        rows.iter().all(|r| {
            r["cells"]
                .as_array()
                .is_some_and(|c| c.iter().all(|c| c["pending"] == 0))
        })
    })
}
