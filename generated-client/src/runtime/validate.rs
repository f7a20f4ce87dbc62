//! The checks generated `validate()` methods run before a request leaves the process: every
//! broken rule is collected with its wire path, the rule, the limit and the value found, as data.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::error::bounded;

/// How string length is counted. The vendor's servers count as Java does: UTF-16 code units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
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
    pub fn measure(self, text: &str) -> u64 {
        (match self {
            LengthUnit::Utf16 => text.encode_utf16().count(),
            LengthUnit::Chars => text.chars().count(),
            LengthUnit::Bytes => text.len(),
        }) as u64
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
#[non_exhaustive]
pub enum LimitPolicy {
    /// Enforce every limit the vendor's pages state (the default).
    #[default]
    Documented,
    /// Skip fields' own upper limits (`max_chars`, `max_items`, `max`), keep every other rule,
    /// conditional rules included: those follow from the API's semantics, not from a plan.
    SkipUpperLimits,
}

/// The rule a value broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
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
    /// A string that must hold JSON does not parse as JSON, or a value given to a field's JSON
    /// setter (`<field>_json`) could not be encoded.
    Json,
    /// An enum's catch-all variant, which may be decoded from replies but is never sent.
    KnownEnumValue,
    /// A field set where a conditional rule says it must be left unset.
    Absent,
    /// A field left unset where a conditional rule says it must be set.
    Present,
    /// A string that does not match the field's pattern.
    Pattern,
    /// A value not less than the field it must be less than.
    LessThan,
    /// A value greater than the field it must be at most.
    LessOrEqual,
    /// A value not greater than the field it must be greater than.
    GreaterThan,
    /// A value less than the field it must be at least.
    GreaterOrEqual,
    /// A path parameter that would not stay one path segment: empty, `.` or `..` (which URL
    /// resolution removes, sending the request to another resource).
    PathSegment,
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
            Rule::Pattern => "pattern",
            Rule::LessThan => "less_than",
            Rule::LessOrEqual => "less_or_equal",
            Rule::GreaterThan => "greater_than",
            Rule::GreaterOrEqual => "greater_or_equal",
            Rule::PathSegment => "path_segment",
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

/// A limit, or the value found, as data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Measure {
    /// A string length, counted in `unit`.
    Length {
        /// The length.
        len: u64,
        /// How it is counted.
        unit: LengthUnit,
    },
    /// Items of a list or entries of a map.
    Items(u64),
    /// An integer.
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// A regular expression the value must match.
    Pattern(String),
    /// Another field's value: `field` holds `value`.
    Field {
        /// Its wire path.
        field: String,
        /// Its value, shown.
        value: String,
    },
    /// The values allowed, as the wire spells them.
    OneOf(Vec<String>),
    /// A value shown as text: at most [`MAX_SHOWN_CHARS`] characters of it.
    Text(String),
    /// Valid JSON text.
    JsonText,
    /// A path segment that stays one: not empty, `.` or `..`.
    PathSegment,
    /// A value the named enum lists.
    ListedIn(String),
    /// Whether the field is set.
    Set(bool),
}

/// The most characters of a value a [`Measure::Text`] keeps: violations never carry whole
/// messages.
pub const MAX_SHOWN_CHARS: usize = 40;

fn shown(text: &str) -> String {
    match text.char_indices().nth(MAX_SHOWN_CHARS) {
        None => format!("{text:?}"),
        Some((cut, _)) => format!("{:?}...", &text[..cut]),
    }
}

impl fmt::Display for Measure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Measure::Length { len, unit } => write!(f, "{len} {}", unit.name()),
            Measure::Items(n) => write!(f, "{n} items"),
            Measure::Int(n) => write!(f, "{n}"),
            Measure::Float(n) => write!(f, "{n}"),
            Measure::Pattern(p) => write!(f, "matches `{}`", bounded(p)),
            Measure::Field { field, value } => write!(f, "`{field}` ({value})"),
            Measure::OneOf(values) => write!(f, "one of [{}]", bounded(&values.join(", "))),
            Measure::Text(text) => f.write_str(text),
            Measure::JsonText => f.write_str("valid JSON text"),
            Measure::PathSegment => f.write_str("a path segment other than empty, `.` and `..`"),
            Measure::ListedIn(ty) => write!(f, "a value {ty} lists"),
            Measure::Set(true) => f.write_str("set"),
            Measure::Set(false) => f.write_str("unset"),
        }
    }
}

/// Whether a broken rule stops the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Severity {
    /// The pages say the server refuses it: the request is not sent.
    Error,
    /// The pages say the value has no effect: the request is sent, the caller may read why.
    Warning,
}

/// One broken rule: where, which rule, the limit and the value found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Violation {
    /// Wire path of the value, e.g. `msgList[3].ext`.
    pub path: String,
    /// The rule broken.
    pub rule: Rule,
    /// The limit, e.g. 32 UTF-16 code units.
    pub limit: Measure,
    /// The value found, e.g. 33 UTF-16 code units; never the whole of a long value.
    pub actual: Measure,
    /// For conditional rules, the condition that made the rule apply.
    pub condition: Option<String>,
    /// Whether it stops the request.
    pub severity: Severity,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` breaks {}: limit {}, found {}",
            self.path, self.rule, self.limit, self.actual
        )?;
        if let Some(condition) = &self.condition {
            write!(f, " (applies because {condition})")?;
        }
        Ok(())
    }
}

/// A request broke one or more of the spec's rules; it was not sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ValidationError {
    /// Every broken rule that stops the request.
    pub violations: Vec<Violation>,
    /// Rules whose values have no effect; they alone would not stop the request.
    pub warnings: Vec<Violation>,
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

/// Implemented by generated requests and request objects: pushes every broken rule.
pub trait Validate {
    /// Checks every field and rule, with paths relative to where `v` stands.
    fn validate_into(&self, v: &mut Validator);
}

/// Collects violations while a request's generated checks walk it. Build one with
/// [`Validator::check`]; the check methods are for generated code.
#[derive(Debug)]
pub struct Validator {
    policy: LimitPolicy,
    /// The wire path of the object being checked, e.g. `msgList[2]`.
    prefix: String,
    /// The rule in force, for conditional checks.
    condition: Option<(&'static str, Severity)>,
    errors: Vec<Violation>,
    warnings: Vec<Violation>,
}

impl Validator {
    /// An empty collector that applies `policy`.
    pub fn new(policy: LimitPolicy) -> Self {
        Validator {
            policy,
            prefix: String::new(),
            condition: None,
            errors: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// Runs every check of `value`.
    pub fn check(policy: LimitPolicy, value: &impl Validate) -> Self {
        let mut v = Validator::new(policy);
        value.validate_into(&mut v);
        v
    }

    /// The violations that stop the request, in field order.
    pub fn errors(&self) -> &[Violation] {
        &self.errors
    }

    /// The values that have no effect, in field order.
    pub fn warnings(&self) -> &[Violation] {
        &self.warnings
    }

    /// `Ok(warnings)` when nothing stops the request.
    pub fn finish(self) -> Result<Vec<Violation>, ValidationError> {
        if self.errors.is_empty() {
            Ok(self.warnings)
        } else {
            Err(ValidationError {
                violations: self.errors,
                warnings: self.warnings,
            })
        }
    }

    /// Records a broken rule at `wire` (relative to the current object).
    #[doc(hidden)]
    pub fn push(&mut self, wire: &str, rule: Rule, limit: Measure, actual: Measure) {
        let (condition, severity) = match self.condition {
            Some((text, severity)) => (Some(text.to_owned()), severity),
            None => (None, Severity::Error),
        };
        // Plan-dependent limits are a field's own upper limits, never a conditional rule's.
        if self.policy == LimitPolicy::SkipUpperLimits
            && rule.is_upper_limit()
            && condition.is_none()
        {
            return;
        }
        let violation = Violation {
            path: self.path_of(wire),
            rule,
            limit,
            actual,
            condition,
            severity,
        };
        match severity {
            Severity::Error => self.errors.push(violation),
            Severity::Warning => self.warnings.push(violation),
        }
    }

    fn path_of(&self, wire: &str) -> String {
        match (self.prefix.is_empty(), wire.is_empty()) {
            (true, _) => wire.to_owned(),
            (false, true) => self.prefix.clone(),
            (false, false) => format!("{}.{wire}", self.prefix),
        }
    }

    /// Runs `checks` with `condition` in force: their violations name it and take `severity`.
    #[doc(hidden)]
    pub fn when(
        &mut self,
        condition: &'static str,
        severity: Severity,
        checks: impl FnOnce(&mut Self),
    ) {
        let outer = self.condition.replace((condition, severity));
        checks(self);
        self.condition = outer;
    }

    /// At most `max` characters in `unit`.
    #[doc(hidden)]
    pub fn max_chars(&mut self, wire: &str, value: &impl Text, max: u64, unit: LengthUnit) {
        if let Some(text) = value.text() {
            let len = unit.measure(text);
            if len > max {
                let (limit, actual) = (
                    Measure::Length { len: max, unit },
                    Measure::Length { len, unit },
                );
                self.push(wire, Rule::MaxChars, limit, actual);
            }
        }
    }

    /// At least `min` characters in `unit`.
    #[doc(hidden)]
    pub fn min_chars(&mut self, wire: &str, value: &impl Text, min: u64, unit: LengthUnit) {
        if let Some(text) = value.text() {
            let len = unit.measure(text);
            if len < min {
                let (limit, actual) = (
                    Measure::Length { len: min, unit },
                    Measure::Length { len, unit },
                );
                self.push(wire, Rule::MinChars, limit, actual);
            }
        }
    }

    /// A file of at most `max` bytes.
    #[doc(hidden)]
    pub fn max_bytes(&mut self, wire: &str, value: &impl Blob, max: u64) {
        if let Some(len) = value.size().filter(|len| *len > max) {
            self.size_broken(wire, Rule::MaxChars, max, len);
        }
    }

    /// A file of at least `min` bytes.
    #[doc(hidden)]
    pub fn min_bytes(&mut self, wire: &str, value: &impl Blob, min: u64) {
        if let Some(len) = value.size().filter(|len| *len < min) {
            self.size_broken(wire, Rule::MinChars, min, len);
        }
    }

    /// A file's size `len` broke `rule` at `limit` bytes.
    fn size_broken(&mut self, wire: &str, rule: Rule, limit: u64, len: u64) {
        let unit = LengthUnit::Bytes;
        let (limit, actual) = (
            Measure::Length { len: limit, unit },
            Measure::Length { len, unit },
        );
        self.push(wire, rule, limit, actual);
    }

    /// A string holding valid JSON text.
    #[doc(hidden)]
    pub fn json(&mut self, wire: &str, value: &impl Text) {
        if let Some(text) = value.text() {
            if serde_json::from_str::<serde::de::IgnoredAny>(text).is_err() {
                self.push(
                    wire,
                    Rule::Json,
                    Measure::JsonText,
                    Measure::Text(shown(text)),
                );
            }
        }
    }

    /// The values a JSON setter could not encode, as (wire name, serde_json's error): each
    /// refuses the request under rule `json`, naming its field and the error.
    #[doc(hidden)]
    pub fn unencodable(&mut self, failures: &[(&'static str, String)]) {
        for (wire, error) in failures {
            self.push(
                wire,
                Rule::Json,
                Measure::JsonText,
                Measure::Text(shown(&format!("unencodable: {error}"))),
            );
        }
    }

    /// A path parameter that stays one segment of the path once percent-encoded.
    #[doc(hidden)]
    pub fn path_segment(&mut self, wire: &str, value: &impl Text) {
        if let Some(text) = value.text() {
            if matches!(text, "" | "." | "..") {
                self.push(
                    wire,
                    Rule::PathSegment,
                    Measure::PathSegment,
                    Measure::Text(shown(text)),
                );
            }
        }
    }

    /// A string among `allowed`.
    #[doc(hidden)]
    pub fn one_of_text(&mut self, wire: &str, value: &impl Text, allowed: &[&str]) {
        if let Some(text) = value.text().filter(|t| !allowed.contains(t)) {
            let limit = Measure::OneOf(allowed.iter().map(|a| format!("{a:?}")).collect());
            self.push(wire, Rule::Allowed, limit, Measure::Text(shown(text)));
        }
    }

    /// At most `max` items.
    #[doc(hidden)]
    pub fn max_items(&mut self, wire: &str, value: &impl Count, max: u64) {
        if let Some(n) = value.count().filter(|n| *n > max) {
            self.push(wire, Rule::MaxItems, Measure::Items(max), Measure::Items(n));
        }
    }

    /// At least `min` items.
    #[doc(hidden)]
    pub fn min_items(&mut self, wire: &str, value: &impl Count, min: u64) {
        if let Some(n) = value.count().filter(|n| *n < min) {
            self.push(wire, Rule::MinItems, Measure::Items(min), Measure::Items(n));
        }
    }

    /// A number at most `max`.
    #[doc(hidden)]
    pub fn max(&mut self, wire: &str, value: &impl Number, max: impl Into<Num>) {
        let max = max.into();
        if let Some(n) = value.number().filter(|n| *n > max) {
            self.push(wire, Rule::Max, max.measure(), n.measure());
        }
    }

    /// A number at least `min`.
    #[doc(hidden)]
    pub fn min(&mut self, wire: &str, value: &impl Number, min: impl Into<Num>) {
        let min = min.into();
        if let Some(n) = value.number().filter(|n| *n < min) {
            self.push(wire, Rule::Min, min.measure(), n.measure());
        }
    }

    /// A number among `allowed`.
    #[doc(hidden)]
    pub fn one_of(&mut self, wire: &str, value: &impl Number, allowed: &[i64]) {
        if let Some(n) = value
            .number()
            .filter(|n| !allowed.iter().any(|a| Num::Int(*a) == *n))
        {
            let limit = Measure::OneOf(allowed.iter().map(i64::to_string).collect());
            self.push(wire, Rule::Allowed, limit, n.measure());
        }
    }

    /// A string matching `pattern` whole.
    #[doc(hidden)]
    pub fn matches(&mut self, wire: &str, value: &impl Text, pattern: &Pattern) {
        if let Some(text) = value.text().filter(|t| !pattern.is_match(t)) {
            let limit = Measure::Pattern(pattern.text.to_owned());
            self.push(wire, Rule::Pattern, limit, Measure::Text(shown(text)));
        }
    }

    /// Each string of a list matching `pattern` whole; a broken item is named by its index.
    #[doc(hidden)]
    pub fn matches_each(&mut self, wire: &str, value: &impl TextList, pattern: &Pattern) {
        for (i, text) in value.items().iter().enumerate() {
            if !pattern.is_match(text) {
                let limit = Measure::Pattern(pattern.text.to_owned());
                let item = format!("{wire}[{i}]");
                self.push(&item, Rule::Pattern, limit, Measure::Text(shown(text)));
            }
        }
    }

    /// `value` compares with `other` (the field `other_wire`) as `op` says; a value that is
    /// unset, or a string that holds no number, is not compared.
    #[doc(hidden)]
    pub fn compare(
        &mut self,
        wire: &str,
        value: &impl Comparable,
        op: Compare,
        other_wire: &str,
        other: &impl Comparable,
    ) {
        let (Some(a), Some(b)) = (value.comparable(), other.comparable()) else {
            return;
        };
        let (holds, rule) = match op {
            Compare::LessThan => (a < b, Rule::LessThan),
            Compare::LessOrEqual => (a <= b, Rule::LessOrEqual),
            Compare::GreaterThan => (a > b, Rule::GreaterThan),
            Compare::GreaterOrEqual => (a >= b, Rule::GreaterOrEqual),
        };
        if !holds {
            let limit = Measure::Field {
                field: self.path_of(other_wire),
                value: b.to_string(),
            };
            self.push(wire, rule, limit, a.measure());
        }
    }

    /// A value the enum `type_name` lists: an open enum's catch-all is for replies only.
    #[doc(hidden)]
    pub fn listed(&mut self, wire: &str, value: &impl Unlisted, type_name: &str) {
        if let Some(code) = value.unlisted() {
            let limit = Measure::ListedIn(type_name.to_owned());
            self.push(wire, Rule::KnownEnumValue, limit, Measure::Int(code));
        }
    }

    /// A field a rule says must be left unset.
    #[doc(hidden)]
    pub fn absent<T>(&mut self, wire: &str, value: &Option<T>) {
        if value.is_some() {
            self.push(wire, Rule::Absent, Measure::Set(false), Measure::Set(true));
        }
    }

    /// A field a rule says must be set.
    #[doc(hidden)]
    pub fn present<T>(&mut self, wire: &str, value: &Option<T>) {
        if value.is_none() {
            self.push(wire, Rule::Present, Measure::Set(true), Measure::Set(false));
        }
    }

    /// The checks of a nested object (or of each item of a list, or each entry of a map).
    #[doc(hidden)]
    pub fn nested(&mut self, wire: &str, value: &impl Nested) {
        value.each(&mut |step, item| {
            let path = match step {
                Step::Here => self.path_of(wire),
                Step::Index(i) => format!("{}[{i}]", self.path_of(wire)),
                Step::Key(k) => format!("{}.{k}", self.path_of(wire)),
            };
            let outer = std::mem::replace(&mut self.prefix, path);
            item.validate_into(self);
            self.prefix = outer;
        });
    }
}

/// A string field, set or not.
#[doc(hidden)] // What generated checks take; not part of the API.
pub trait Text {
    /// The text, when set.
    fn text(&self) -> Option<&str>;
}

impl Text for str {
    fn text(&self) -> Option<&str> {
        Some(self)
    }
}

impl Text for String {
    fn text(&self) -> Option<&str> {
        Some(self)
    }
}

impl<T: Text + ?Sized> Text for &T {
    fn text(&self) -> Option<&str> {
        (**self).text()
    }
}

impl<T: Text> Text for Option<T> {
    fn text(&self) -> Option<&str> {
        self.as_ref().and_then(Text::text)
    }
}

/// A file field, set or not.
#[doc(hidden)] // What generated checks take; not part of the API.
pub trait Blob {
    /// Its size in bytes, when set.
    fn size(&self) -> Option<u64>;
}

impl Blob for super::file_content::FileContent {
    fn size(&self) -> Option<u64> {
        Some(self.len() as u64)
    }
}

impl<T: Blob> Blob for Option<T> {
    fn size(&self) -> Option<u64> {
        self.as_ref().and_then(Blob::size)
    }
}

/// A list of strings, set or not.
#[doc(hidden)] // What generated checks take; not part of the API.
pub trait TextList {
    /// Its strings; none when unset.
    fn items(&self) -> &[String];
}

impl TextList for Vec<String> {
    fn items(&self) -> &[String] {
        self
    }
}

impl TextList for Option<Vec<String>> {
    fn items(&self) -> &[String] {
        self.as_deref().unwrap_or_default()
    }
}

impl<T: TextList + ?Sized> TextList for &T {
    fn items(&self) -> &[String] {
        (**self).items()
    }
}

/// A list or map field, set or not.
#[doc(hidden)] // What generated checks take; not part of the API.
pub trait Count {
    /// Its number of items, when set.
    fn count(&self) -> Option<u64>;
}

impl<T> Count for [T] {
    fn count(&self) -> Option<u64> {
        Some(self.len() as u64)
    }
}

impl<T> Count for Vec<T> {
    fn count(&self) -> Option<u64> {
        Some(self.len() as u64)
    }
}

impl<K, T> Count for std::collections::BTreeMap<K, T> {
    fn count(&self) -> Option<u64> {
        Some(self.len() as u64)
    }
}

impl<T: Count + ?Sized> Count for &T {
    fn count(&self) -> Option<u64> {
        (**self).count()
    }
}

impl<T: Count> Count for Option<T> {
    fn count(&self) -> Option<u64> {
        self.as_ref().and_then(Count::count)
    }
}

/// A number a check compares: integers exactly, floats as floats.
#[doc(hidden)] // What generated checks take; not part of the API.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Num {
    /// An integer.
    Int(i64),
    /// A floating-point number.
    Float(f64),
}

impl Num {
    fn measure(self) -> Measure {
        match self {
            Num::Int(i) => Measure::Int(i),
            Num::Float(f) => Measure::Float(f),
        }
    }

    fn as_f64(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Float(f) => f,
        }
    }
}

impl PartialOrd for Num {
    fn partial_cmp(&self, other: &Num) -> Option<std::cmp::Ordering> {
        match (self, other) {
            (Num::Int(a), Num::Int(b)) => a.partial_cmp(b),
            _ => self.as_f64().partial_cmp(&other.as_f64()),
        }
    }
}

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Num::Int(i) => write!(f, "{i}"),
            Num::Float(x) => write!(f, "{x}"),
        }
    }
}

impl From<i32> for Num {
    fn from(n: i32) -> Num {
        Num::Int(i64::from(n))
    }
}

impl From<i64> for Num {
    fn from(n: i64) -> Num {
        Num::Int(n)
    }
}

impl From<f64> for Num {
    fn from(n: f64) -> Num {
        Num::Float(n)
    }
}

/// A numeric field, set or not.
#[doc(hidden)] // What generated checks take; not part of the API.
pub trait Number {
    /// Its value, when set.
    fn number(&self) -> Option<Num>;
}

impl Number for i32 {
    fn number(&self) -> Option<Num> {
        Some(Num::from(*self))
    }
}

impl Number for i64 {
    fn number(&self) -> Option<Num> {
        Some(Num::Int(*self))
    }
}

impl Number for f64 {
    fn number(&self) -> Option<Num> {
        Some(Num::Float(*self))
    }
}

impl<T: Number> Number for Option<T> {
    fn number(&self) -> Option<Num> {
        self.as_ref().and_then(Number::number)
    }
}

/// A value a cross-field rule compares: a number, or a string holding one (the pages type some
/// timestamps as strings).
#[doc(hidden)] // What generated checks take; not part of the API.
pub trait Comparable {
    /// Its number, when set and numeric.
    fn comparable(&self) -> Option<Num>;
}

impl Comparable for i32 {
    fn comparable(&self) -> Option<Num> {
        self.number()
    }
}

impl Comparable for i64 {
    fn comparable(&self) -> Option<Num> {
        self.number()
    }
}

impl Comparable for f64 {
    fn comparable(&self) -> Option<Num> {
        self.number()
    }
}

impl Comparable for String {
    fn comparable(&self) -> Option<Num> {
        self.as_str().comparable()
    }
}

impl Comparable for str {
    fn comparable(&self) -> Option<Num> {
        let t = self.trim();
        t.parse::<i64>().map(Num::Int).ok().or_else(|| {
            t.parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .map(Num::Float)
        })
    }
}

impl<T: Comparable + ?Sized> Comparable for &T {
    fn comparable(&self) -> Option<Num> {
        (**self).comparable()
    }
}

impl<T: Comparable> Comparable for Option<T> {
    fn comparable(&self) -> Option<Num> {
        self.as_ref().and_then(Comparable::comparable)
    }
}

/// How a field compares with another.
#[doc(hidden)] // What generated checks take; not part of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compare {
    /// `<`
    LessThan,
    /// `<=`
    LessOrEqual,
    /// `>`
    GreaterThan,
    /// `>=`
    GreaterOrEqual,
}

/// A field's regular expression, compiled on first use (the generator checked that it compiles).
#[doc(hidden)] // What generated checks take; not part of the API.
#[derive(Debug)]
pub struct Pattern {
    text: &'static str,
    compiled: std::sync::OnceLock<Option<regex::Regex>>,
}

impl Pattern {
    /// The pattern `text`, which the whole value must match.
    pub const fn new(text: &'static str) -> Self {
        Pattern {
            text,
            compiled: std::sync::OnceLock::new(),
        }
    }

    /// Whether `value` matches the pattern whole. A pattern that does not compile (the
    /// generator refuses such specs) matches nothing rather than panicking.
    pub fn is_match(&self, value: &str) -> bool {
        self.compiled
            .get_or_init(|| regex::Regex::new(&format!("^(?:{})$", self.text)).ok())
            .as_ref()
            .is_some_and(|re| re.is_match(value))
    }
}

/// An enum field: the wire code of a value the spec does not list.
#[doc(hidden)] // What generated checks take; not part of the API.
pub trait Unlisted {
    /// The code, when the value is the catch-all variant.
    fn unlisted(&self) -> Option<i64>;
}

impl<T: Unlisted> Unlisted for Option<T> {
    fn unlisted(&self) -> Option<i64> {
        self.as_ref().and_then(Unlisted::unlisted)
    }
}

impl<T: Unlisted> Unlisted for Vec<T> {
    fn unlisted(&self) -> Option<i64> {
        self.iter().find_map(Unlisted::unlisted)
    }
}

/// Where an item sits inside a field.
#[doc(hidden)] // What generated checks take; not part of the API.
#[derive(Debug, Clone, Copy)]
pub enum Step<'a> {
    /// The field itself.
    Here,
    /// An item of a list.
    Index(usize),
    /// An entry of a map.
    Key(&'a str),
}

/// A field holding objects to check: an object, a list or map of them, set or not.
#[doc(hidden)] // What generated checks take; not part of the API.
pub trait Nested {
    /// Calls `f` with each object and where it sits.
    fn each(&self, f: &mut dyn FnMut(Step<'_>, &dyn Validate));
}

impl<T: Validate> Nested for T {
    fn each(&self, f: &mut dyn FnMut(Step<'_>, &dyn Validate)) {
        f(Step::Here, self)
    }
}

impl<T: Validate> Nested for Option<T> {
    fn each(&self, f: &mut dyn FnMut(Step<'_>, &dyn Validate)) {
        if let Some(v) = self {
            f(Step::Here, v)
        }
    }
}

impl<T: Validate> Nested for Vec<T> {
    fn each(&self, f: &mut dyn FnMut(Step<'_>, &dyn Validate)) {
        for (i, v) in self.iter().enumerate() {
            f(Step::Index(i), v)
        }
    }
}

impl<T: Validate> Nested for Option<Vec<T>> {
    fn each(&self, f: &mut dyn FnMut(Step<'_>, &dyn Validate)) {
        if let Some(list) = self {
            list.each(f)
        }
    }
}

impl<T: Validate> Nested for std::collections::BTreeMap<String, T> {
    fn each(&self, f: &mut dyn FnMut(Step<'_>, &dyn Validate)) {
        for (k, v) in self {
            f(Step::Key(k), v)
        }
    }
}

impl<T: Validate> Nested for Option<std::collections::BTreeMap<String, T>> {
    fn each(&self, f: &mut dyn FnMut(Step<'_>, &dyn Validate)) {
        if let Some(map) = self {
            map.each(f)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Item {
        ext: Option<String>,
    }

    impl Validate for Item {
        fn validate_into(&self, v: &mut Validator) {
            v.max_chars("ext", &self.ext, 3, LengthUnit::Utf16);
        }
    }

    struct Request {
        from: String,
        to: Vec<String>,
        items: Vec<Item>,
        flag: Option<bool>,
        kind: Option<i32>,
        payload: Option<String>,
    }

    impl Validate for Request {
        fn validate_into(&self, v: &mut Validator) {
            v.max_chars("from", &self.from, 2, LengthUnit::Utf16);
            v.max_items("to", &self.to, 2);
            v.nested("items", &self.items);
            v.one_of("kind", &self.kind, &[0, 1]);
            v.json("payload", &self.payload);
            if self.flag.unwrap_or(false) {
                v.when("flag = true", Severity::Error, |v| {
                    v.max_items("to", &self.to, 1)
                });
            }
        }
    }

    #[test]
    fn objects_in_an_optional_map_are_validated_under_their_keys() {
        let mut map = std::collections::BTreeMap::new();
        map.insert(
            "k|1".to_owned(),
            Item {
                ext: Some("long".into()),
            },
        );
        let mut v = Validator::new(LimitPolicy::default());
        v.nested("byId", &Some(map));
        let paths: Vec<&str> = v.errors().iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["byId.k|1.ext"]);
        let none: Option<std::collections::BTreeMap<String, Item>> = None;
        let mut v = Validator::new(LimitPolicy::default());
        v.nested("byId", &none);
        assert!(v.errors().is_empty());
    }

    fn request() -> Request {
        Request {
            from: "ab".into(),
            to: vec!["x".into()],
            items: vec![
                Item { ext: None },
                Item {
                    ext: Some("😀😀".into()),
                },
            ],
            flag: None,
            kind: Some(1),
            payload: Some("{}".into()),
        }
    }

    #[test]
    fn a_valid_request_passes_and_each_limit_is_data() {
        let mut r = request();
        r.items[1].ext = Some("😀".into());
        assert_eq!(
            Validator::check(LimitPolicy::Documented, &r).finish(),
            Ok(vec![])
        );
        let r = request();
        let err = Validator::check(LimitPolicy::Documented, &r)
            .finish()
            .unwrap_err();
        assert_eq!(err.violations.len(), 1);
        let v = &err.violations[0];
        assert_eq!(v.path, "items[1].ext");
        assert_eq!(v.rule, Rule::MaxChars);
        assert_eq!(
            v.limit,
            Measure::Length {
                len: 3,
                unit: LengthUnit::Utf16
            }
        );
        assert_eq!(
            v.actual,
            Measure::Length {
                len: 4,
                unit: LengthUnit::Utf16
            }
        );
        assert_eq!(
            v.to_string(),
            "`items[1].ext` breaks max_chars: limit 3 UTF-16 code units, found 4 UTF-16 code units"
        );
    }

    #[test]
    fn a_list_pattern_checks_each_item_and_names_it_by_index() {
        struct Ids(Option<Vec<String>>);
        impl Validate for Ids {
            fn validate_into(&self, v: &mut Validator) {
                static ID: Pattern = Pattern::new(r"[^|,]+\|[123]\|[^|,]+");
                v.matches_each("ids", &self.0, &ID);
            }
        }
        let ids = |list: &[&str]| Ids(Some(list.iter().map(|s| s.to_string()).collect()));
        assert_eq!(
            Validator::check(LimitPolicy::Documented, &Ids(None)).finish(),
            Ok(vec![])
        );
        assert_eq!(
            Validator::check(LimitPolicy::Documented, &ids(&["a|1|b", "a|3|t"])).finish(),
            Ok(vec![])
        );
        let err = Validator::check(
            LimitPolicy::Documented,
            &ids(&["a|1|b", "a|4|b", "a,b|1|c"]),
        )
        .finish()
        .unwrap_err();
        let found: Vec<(&str, Rule)> = err
            .violations
            .iter()
            .map(|v| (v.path.as_str(), v.rule))
            .collect();
        assert_eq!(
            found,
            [("ids[1]", Rule::Pattern), ("ids[2]", Rule::Pattern)]
        );
    }

    #[test]
    fn conditions_name_themselves_and_survive_the_plan_policy() {
        let mut r = request();
        r.items.clear();
        r.to = vec!["a".into(), "b".into(), "c".into()];
        r.flag = Some(true);
        r.kind = Some(7);
        r.payload = Some("{".into());
        let err = Validator::check(LimitPolicy::Documented, &r)
            .finish()
            .unwrap_err();
        let rules: Vec<(Rule, Option<&str>)> = err
            .violations
            .iter()
            .map(|v| (v.rule, v.condition.as_deref()))
            .collect();
        assert_eq!(
            rules,
            [
                (Rule::MaxItems, None),
                (Rule::Allowed, None),
                (Rule::Json, None),
                (Rule::MaxItems, Some("flag = true"))
            ]
        );
        let relaxed = Validator::check(LimitPolicy::SkipUpperLimits, &r)
            .finish()
            .unwrap_err();
        let rules: Vec<Rule> = relaxed.violations.iter().map(|v| v.rule).collect();
        assert_eq!(rules, [Rule::Allowed, Rule::Json, Rule::MaxItems]);
    }

    #[test]
    fn warnings_do_not_stop_the_request() {
        struct Warned(Option<String>);
        impl Validate for Warned {
            fn validate_into(&self, v: &mut Validator) {
                v.when("type is text", Severity::Warning, |v| {
                    v.absent("msgDesc", &self.0)
                });
            }
        }
        let warnings = Validator::check(LimitPolicy::Documented, &Warned(Some("x".into())))
            .finish()
            .unwrap();
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].severity, Severity::Warning);
        assert_eq!(warnings[0].rule, Rule::Absent);
        let none = Validator::check(LimitPolicy::Documented, &Warned(None)).finish();
        assert_eq!(none, Ok(vec![]));
    }

    #[test]
    fn long_values_are_cut_in_what_a_violation_shows() {
        let mut r = request();
        r.items.clear();
        r.payload = Some("x".repeat(1000));
        let err = Validator::check(LimitPolicy::Documented, &r)
            .finish()
            .unwrap_err();
        match &err.violations[0].actual {
            Measure::Text(t) => assert!(t.chars().count() < MAX_SHOWN_CHARS + 8, "{t}"),
            other => panic!("{other:?}"),
        }
    }
}
