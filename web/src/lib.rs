//! CodeHub's web UI. The sycamore application (contest pages, live scoreboard, editor,
//! admin) is built in the web-UI issue; this crate reserves its place in the workspace and
//! pulls in no dependencies until then, so the host build stays light.
