//! The machine's cores, shared by the tests of one test binary. A child cargo build loads every
//! core; a pace measurement run beside one measures the build, not the client (a fan-out ratio
//! fell from 0.98 to 0.93 that way once the cold build got faster and the two overlapped). Tests
//! that build hold [`busy`], pace measurements hold [`quiet`]: a measurement waits for the builds
//! in progress, and builds wait for it, while light tests run beside either.
//!
//! A test must not take `busy` while it holds it already: with a measurement waiting, the second
//! read waits behind it, for ever.

use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

static CORES: RwLock<()> = RwLock::new(());

/// Held while a child build (or anything else that loads every core) runs.
pub fn busy() -> RwLockReadGuard<'static, ()> {
    // A failed test leaves the lock poisoned; the cores are still there.
    CORES.read().unwrap_or_else(PoisonError::into_inner)
}

/// Held while a test measures pace against the clock.
pub fn quiet() -> RwLockWriteGuard<'static, ()> {
    CORES.write().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_measurement_excludes_builds_and_builds_share_the_cores() {
        let build = busy();
        let other_build = busy();
        assert!(CORES.try_write().is_err(), "a measurement beside a build");
        drop((build, other_build));
        let measurement = quiet();
        assert!(CORES.try_read().is_err(), "a build beside a measurement");
        drop(measurement);
        assert!(CORES.try_read().is_ok());
    }
}
