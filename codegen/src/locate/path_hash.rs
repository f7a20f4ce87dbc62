//! Hashes of dotted spec paths, so the locator stores 16 bytes per key instead of its path.

/// FNV-1a (128 bits) of a dotted path, extended key by key exactly as the path text grows. A
/// collision could only misplace a message, never accept or reject a spec.
#[derive(Clone, Copy)]
pub(super) struct PathHash {
    pub(super) state: u128,
    /// Whether the path text is still empty, so the next key takes no `.` before it.
    empty: bool,
}

impl PathHash {
    const EMPTY: PathHash = PathHash {
        state: 0x6c62272e07bb014262b821756295c58d,
        empty: true,
    };

    pub(super) fn of(path: &str) -> PathHash {
        PathHash::EMPTY.feed(path)
    }

    fn feed(mut self, text: &str) -> PathHash {
        for byte in text.bytes() {
            self.state ^= u128::from(byte);
            self.state = self.state.wrapping_mul(0x0000000001000000000000000000013B);
        }
        self.empty &= text.is_empty();
        self
    }

    pub(super) fn key(self, key: &str) -> PathHash {
        if self.empty {
            self.feed(key)
        } else {
            self.feed(".").feed(key)
        }
    }

    pub(super) fn item(self, index: usize) -> PathHash {
        self.feed("[").feed(&index.to_string()).feed("]")
    }
}
