//! Checks that generated `validate()` methods run before a request leaves the process.

use std::fmt;

/// How string length is counted. The vendor's servers count as Java does: UTF-16 code units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LengthUnit {
    /// UTF-16 code units (Java's `String.length()`): a character outside the BMP counts twice.
    Utf16,
    /// Unicode scalar values.
    Chars,
    /// UTF-8 bytes.
    Bytes,
}

impl LengthUnit {
    /// The length of `text` in this unit.
    pub fn measure(self, text: &str) -> usize {
        match self {
            LengthUnit::Utf16 => text.encode_utf16().count(),
            LengthUnit::Chars => text.chars().count(),
            LengthUnit::Bytes => text.len(),
        }
    }

    fn name(self) -> &'static str {
        match self {
            LengthUnit::Utf16 => "UTF-16 code units",
            LengthUnit::Chars => "characters",
            LengthUnit::Bytes => "bytes",
        }
    }
}

/// Whether documented upper limits are enforced.
///
/// Some limits depend on the customer's plan (the pages say so for `body` and `ext`, for
/// example); a user whose plan allows more can relax them. Every other rule still applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LimitPolicy {
    /// Enforce every limit the vendor's pages state (the default).
    #[default]
    Documented,
    /// Skip fields' own upper limits (`max_chars`, `max_items`, `max`), keep every other rule,
    /// conditional rules included: those follow from the API's semantics, not from a plan.
    SkipUpperLimits,
}

/// The rule a value broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rule {
    /// Fewer characters than allowed.
    MinChars,
    /// More characters than allowed.
    MaxChars,
    /// Fewer items than allowed.
    MinItems,
    /// More items than allowed.
    MaxItems,
    /// A number below its minimum.
    Min,
    /// A number above its maximum.
    Max,
    /// A value outside the allowed set.
    Allowed,
    /// A string that must hold JSON does not parse as JSON.
    Json,
    /// An enum's catch-all variant, which may be decoded from replies but is never sent.
    KnownEnumValue,
    /// A field set where a conditional rule says it must be left unset.
    Absent,
    /// A field left unset where a conditional rule says it must be set.
    Present,
}

impl Rule {
    /// The spec's name of the rule.
    pub fn name(self) -> &'static str {
        match self {
            Rule::MinChars => "min_chars",
            Rule::MaxChars => "max_chars",
            Rule::MinItems => "min_items",
            Rule::MaxItems => "max_items",
            Rule::Min => "min",
            Rule::Max => "max",
            Rule::Allowed => "allowed",
            Rule::Json => "json",
            Rule::KnownEnumValue => "known_enum_value",
            Rule::Absent => "absent",
            Rule::Present => "present",
        }
    }

    fn is_upper_limit(self) -> bool {
        matches!(self, Rule::MaxChars | Rule::MaxItems | Rule::Max)
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One broken rule: where, which rule, the limit and the value found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Wire path of the value, e.g. `msgList[3].ext`.
    pub path: String,
    /// The rule broken.
    pub rule: Rule,
    /// The limit, e.g. `32 UTF-16 code units` or `one of [1, 2]`.
    pub limit: String,
    /// The value found, e.g. `33 UTF-16 code units`; never the whole of a long value.
    pub actual: String,
    /// For conditional rules, the condition that made the rule apply.
    pub condition: Option<&'static str>,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` breaks {}: limit {}, found {}",
            self.path, self.rule, self.limit, self.actual
        )?;
        if let Some(condition) = self.condition {
            write!(f, " (applies because {condition})")?;
        }
        Ok(())
    }
}

/// Every rule a request broke.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Violations {
    list: Vec<Violation>,
    policy: LimitPolicy,
}

impl Violations {
    /// An empty collector that applies `policy`.
    pub fn new(policy: LimitPolicy) -> Self {
        Violations {
            list: Vec::new(),
            policy,
        }
    }

    /// Records a violation, unless the policy skips its rule.
    pub fn push(&mut self, violation: Violation) {
        let plan_dependent = violation.rule.is_upper_limit() && violation.condition.is_none();
        if self.policy == LimitPolicy::SkipUpperLimits && plan_dependent {
            return;
        }
        self.list.push(violation);
    }

    /// The violations, in the order the fields are declared.
    pub fn as_slice(&self) -> &[Violation] {
        &self.list
    }

    /// Whether nothing was broken.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// `Ok` when nothing was broken.
    pub fn into_result(self) -> Result<(), ValidationError> {
        if self.list.is_empty() {
            Ok(())
        } else {
            Err(ValidationError {
                violations: self.list,
            })
        }
    }
}

/// A request broke one or more of the spec's rules; it was not sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// Every broken rule.
    pub violations: Vec<Violation>,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "request not sent: {} rule(s) broken",
            self.violations.len()
        )?;
        for v in &self.violations {
            write!(f, "; {v}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// Joins a parent path and a field's wire name.
pub fn child(parent: &str, wire: &str) -> String {
    if parent.is_empty() {
        wire.to_owned()
    } else {
        format!("{parent}.{wire}")
    }
}

fn preview(text: &str) -> String {
    const MAX: usize = 40;
    if text.chars().count() <= MAX {
        format!("{text:?}")
    } else {
        format!("{:?}...", text.chars().take(MAX).collect::<String>())
    }
}

/// String length at most `max` in `unit`.
pub fn max_chars(
    out: &mut Violations,
    path: String,
    text: &str,
    max: usize,
    unit: LengthUnit,
    condition: Option<&'static str>,
) {
    let len = unit.measure(text);
    if len > max {
        out.push(Violation {
            path,
            rule: Rule::MaxChars,
            limit: format!("{max} {}", unit.name()),
            actual: format!("{len} {}", unit.name()),
            condition,
        });
    }
}

/// String length at least `min` in `unit`.
pub fn min_chars(
    out: &mut Violations,
    path: String,
    text: &str,
    min: usize,
    unit: LengthUnit,
    condition: Option<&'static str>,
) {
    let len = unit.measure(text);
    if len < min {
        out.push(Violation {
            path,
            rule: Rule::MinChars,
            limit: format!("{min} {}", unit.name()),
            actual: format!("{len} {}", unit.name()),
            condition,
        });
    }
}

/// At most `max` items.
pub fn max_items(
    out: &mut Violations,
    path: String,
    len: usize,
    max: usize,
    condition: Option<&'static str>,
) {
    if len > max {
        out.push(Violation {
            path,
            rule: Rule::MaxItems,
            limit: format!("{max} items"),
            actual: format!("{len} items"),
            condition,
        });
    }
}

/// At least `min` items.
pub fn min_items(
    out: &mut Violations,
    path: String,
    len: usize,
    min: usize,
    condition: Option<&'static str>,
) {
    if len < min {
        out.push(Violation {
            path,
            rule: Rule::MinItems,
            limit: format!("{min} items"),
            actual: format!("{len} items"),
            condition,
        });
    }
}

/// A number at most `max`.
pub fn max_value(
    out: &mut Violations,
    path: String,
    value: i64,
    max: i64,
    condition: Option<&'static str>,
) {
    if value > max {
        out.push(Violation {
            path,
            rule: Rule::Max,
            limit: max.to_string(),
            actual: value.to_string(),
            condition,
        });
    }
}

/// A number at least `min`.
pub fn min_value(
    out: &mut Violations,
    path: String,
    value: i64,
    min: i64,
    condition: Option<&'static str>,
) {
    if value < min {
        out.push(Violation {
            path,
            rule: Rule::Min,
            limit: min.to_string(),
            actual: value.to_string(),
            condition,
        });
    }
}

/// A number from a fixed set.
pub fn allowed_int(out: &mut Violations, path: String, value: i64, allowed: &[i64]) {
    if !allowed.contains(&value) {
        out.push(Violation {
            path,
            rule: Rule::Allowed,
            limit: format!("one of {allowed:?}"),
            actual: value.to_string(),
            condition: None,
        });
    }
}

/// A string from a fixed set.
pub fn allowed_str(out: &mut Violations, path: String, value: &str, allowed: &[&str]) {
    if !allowed.contains(&value) {
        out.push(Violation {
            path,
            rule: Rule::Allowed,
            limit: format!("one of {allowed:?}"),
            actual: preview(value),
            condition: None,
        });
    }
}

/// A string that must parse as JSON.
pub fn json_text(out: &mut Violations, path: String, text: &str) {
    if let Err(err) = serde_json::from_str::<serde_json::Value>(text) {
        out.push(Violation {
            path,
            rule: Rule::Json,
            limit: "valid JSON text".into(),
            actual: format!("{} ({err})", preview(text)),
            condition: None,
        });
    }
}

/// An enum value the spec lists (the catch-all variant is for replies only).
pub fn known_enum(out: &mut Violations, path: String, type_name: &str, code: Option<i64>) {
    if let Some(code) = code {
        out.push(Violation {
            path,
            rule: Rule::KnownEnumValue,
            limit: format!("a value {type_name} lists"),
            actual: code.to_string(),
            condition: None,
        });
    }
}

/// A field that a conditional rule says must be left unset.
pub fn absent(out: &mut Violations, path: String, is_set: bool, condition: &'static str) {
    if is_set {
        out.push(Violation {
            path,
            rule: Rule::Absent,
            limit: "left unset".into(),
            actual: "set".into(),
            condition: Some(condition),
        });
    }
}

/// A field that a conditional rule says must be set.
pub fn present(out: &mut Violations, path: String, is_set: bool, condition: &'static str) {
    if !is_set {
        out.push(Violation {
            path,
            rule: Rule::Present,
            limit: "set".into(),
            actual: "unset".into(),
            condition: Some(condition),
        });
    }
}
