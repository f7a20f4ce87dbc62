//! Test support for the `yunxin-tests` integration tests.
//!
//! Recorded fixtures (`tests/fixtures/`): [`fixture`] reads the format, [`replay`] serves each
//! exchange on 127.0.0.1 and checks the outcome, [`compare`] and [`outcome`] write the
//! differences, [`closing_server`] closes connections before replying, [`big_reply_server`]
//! answers with an oversized or endless body and counts how much of it the client took.
//! [`spec_gen`] generates random valid specs with an oracle of their wire requests,
//! [`spec_fuzz`] runs them, [`temp_crate`] lays out a temporary crate generated from a spec, with a driver.
//! [`temp_root`] makes temporary workspaces for codegen, [`spec_edit`] edits a copy of the spec
//! where the model finds a construct, [`xtask_bin`] finds the real xtask binary,
//! [`child_cargo`] runs cargo from a test, holding [`cores::busy`]. [`fault_server`] is the fault-injecting loopback server
//! the fan-out test runs as the `fault-server` binary; [`fan_out_check`] checks the `fan_out` example's
//! account of a run against that server's log. [`redis_server`] runs a real `redis-server` for the
//! shared pacing store. [`multipart`] reads `multipart/form-data` bodies strictly.

pub mod big_reply_server;
pub mod calls;
pub mod child_cargo;
pub mod closing_server;
pub mod compare;
pub mod cores;
pub mod fan_out_check;
pub mod fault_server;
pub mod fixture;
pub mod multipart;
pub mod outcome;
pub mod redis_server;
pub mod replay;
pub mod spec_edit;
pub mod spec_fuzz;
pub mod spec_gen;
pub mod temp_crate;
pub mod temp_root;
pub mod xtask_bin;
