//! Located problems in a spec: file, line, column and spec path.

use std::fmt;

/// One problem found in the spec.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The spec file, as given to the loader (e.g. `spec/endpoints/send_batch_msg.yaml`).
    pub file: String,
    /// 1-based line and column, where known.
    pub location: Option<(usize, usize)>,
    /// Dotted path in the spec, e.g. `endpoints.send_batch_msg.fields.toAccids.max_items`.
    pub spec_path: String,
    /// What is wrong and, where it helps, what would be right.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.location {
            Some((line, col)) => write!(f, "{}:{line}:{col}: ", self.file)?,
            None => write!(f, "{}: ", self.file)?,
        }
        if !self.spec_path.is_empty() {
            write!(f, "{}: ", self.spec_path)?;
        }
        f.write_str(&self.message)
    }
}

/// Every problem of one run, in file and line order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Whether no problem was found.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Sorts by file and position and drops exact repeats, so output is stable.
    pub fn finish(mut self) -> Self {
        self.0.sort();
        self.0.dedup();
        self
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        write!(
            f,
            "{} problem(s) in the spec; nothing was written",
            self.0.len()
        )
    }
}

impl std::error::Error for Diagnostics {}
