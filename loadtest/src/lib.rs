//! CodeHub's load-test harness. The scenarios (`spectators`, `contest`, `ramp`), the HDR
//! latency reports and the plots arrive with the load-test issue; until then this crate
//! only reserves its place in the workspace.
