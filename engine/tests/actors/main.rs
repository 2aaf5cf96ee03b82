//! The actor tree on the in-memory fakes (`codehub_engine::testing`): one module per
//! actor, each test a few milliseconds, no root, no database, no sandbox.

mod contest;
mod engine;
mod hub;
mod judge_pool;
mod leaderboard;
mod support;
mod user;
