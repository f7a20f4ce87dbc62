//! Short texts the docs derive from the model: literals, limits, durations, leniencies, rules.
//! Each returns markdown that still goes through the `cell` or `text` filter where it is placed.

use super::markdown::code;
use crate::model::{Consequence, Lenience, Limits, Literal, Rule, Severity, Test};

/// A literal as inline markdown: `` `true` ``, `` `"x"` ``, `` `offline` (2) ``.
pub fn literal(value: &Literal) -> String {
    match value {
        Literal::Enum { name, value, .. } => format!("{} ({value})", code(name)),
        other => code(&other.display()),
    }
}

/// Each limit of a field as a short phrase: `≤ 32 UTF-16 code units`, `≤ 5000 items`, `≥ 1`, `one of 0, 1`.
pub fn limits(limits: &Limits, unit: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(n) = limits.min_chars {
        out.push(format!("≥ {n} {unit}"));
    }
    if let Some(n) = limits.max_chars {
        out.push(format!("≤ {n} {unit}"));
    }
    if let Some(n) = limits.min_items {
        out.push(format!("≥ {n} items"));
    }
    if let Some(n) = limits.max_items {
        out.push(format!("≤ {n} items"));
    }
    if let Some(n) = limits.min {
        out.push(format!("≥ {n}"));
    }
    if let Some(n) = limits.max {
        out.push(format!("≤ {n}"));
    }
    if !limits.allowed.is_empty() {
        let values: Vec<String> = limits.allowed.iter().map(Literal::display).collect();
        out.push(format!("one of {}", values.join(", ")));
    }
    if let Some(p) = &limits.pattern {
        out.push(format!("matches {}", code(p)));
    }
    out
}

/// A number of seconds in words: `1 second`, `10 seconds`, `60 seconds (1 minute)`.
pub fn seconds(n: u32) -> String {
    let plain = if n == 1 {
        "1 second".to_owned()
    } else {
        format!("{n} seconds")
    };
    let larger = if n >= 3600 && n.is_multiple_of(3600) {
        Some((n / 3600, "hour"))
    } else if n >= 60 && n.is_multiple_of(60) {
        Some((n / 60, "minute"))
    } else {
        None
    };
    match larger {
        Some((1, unit)) => format!("{plain} (1 {unit})"),
        Some((k, unit)) => format!("{plain} ({k} {unit}s)"),
        None => plain,
    }
}

/// What a reply decoder accepts beside the declared type.
pub fn lenience(lenience: &Lenience) -> Vec<String> {
    let mut out = Vec::new();
    if lenience.json_text {
        out.push("also a string holding JSON".to_owned());
    }
    if lenience.number_as_string {
        out.push("numbers as strings".to_owned());
    }
    out
}

/// Literals joined as `a`, `b` or `c`.
fn alternatives(values: &[Literal], word: &str) -> String {
    let shown: Vec<String> = values.iter().map(literal).collect();
    match shown.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} {word} {last}", rest.join(", ")),
        _ => shown.join(""),
    }
}

/// A rule in plain words, e.g. ``When `returnMsgid` is `true`, `toAccids` holds at most 100 items.``
/// A warning says the value has no effect instead of "must".
pub fn rule(rule: &Rule) -> String {
    let condition = rule.when.as_ref().map(|w| {
        let field = code(&w.field.wire());
        match &w.test {
            Test::Equals(value) => format!("{field} is {}", literal(value)),
            Test::In(values) => format!("{field} is {}", alternatives(values, "or")),
            Test::NotEquals(value) => format!("{field} is not {}", literal(value)),
            Test::NotIn(values) => format!("{field} is neither {}", alternatives(values, "nor")),
            Test::IsSet(true) => format!("{field} is set"),
            Test::IsSet(false) => format!("{field} is unset"),
            Test::NonEmpty => format!("{field} holds at least one item"),
        }
    });
    let then = code(&rule.then.wire());
    let warn = rule.severity == Severity::Warning;
    let consequence = match &rule.consequence {
        Consequence::Absent if warn => format!("{then} has no effect (the client warns)"),
        Consequence::Absent => format!("{then} must be left unset"),
        Consequence::Present => format!("{then} must be set"),
        Consequence::MaxItems(n) => format!("{then} holds at most {n} items"),
        Consequence::MaxChars(n) => {
            let unit = rule.then.last().length_unit.words();
            format!("{then} is at most {n} {unit} long")
        }
        Consequence::Max(n) => format!("{then} is at most {n}"),
        Consequence::Min(n) => format!("{then} is at least {n}"),
        Consequence::Compare(op, other) => {
            let relation = match op {
                crate::model::CompareOp::LessThan => "less than",
                crate::model::CompareOp::LessOrEqual => "at most",
                crate::model::CompareOp::GreaterThan => "greater than",
                crate::model::CompareOp::GreaterOrEqual => "at least",
            };
            format!("{then} must be {relation} {}", code(&other.wire()))
        }
    };
    let severity = if warn && !matches!(rule.consequence, Consequence::Absent) {
        " (otherwise the client warns; the request is still sent)"
    } else {
        ""
    };
    match condition {
        Some(c) => format!("When {c}, {consequence}{severity}."),
        None => {
            let mut first = consequence.chars();
            let capital: String = first
                .next()
                .map(|c| c.to_uppercase().collect())
                .unwrap_or_default();
            format!("{capital}{}{severity}.", first.as_str())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LengthUnit;
    use crate::model::{Condition, FieldPath, PathStep, Ty};

    fn path(wire: &str, ty: Ty) -> FieldPath {
        FieldPath {
            steps: vec![PathStep {
                wire: wire.into(),
                rust: wire.into(),
                ty,
                required: false,
                default: None,
                length_unit: LengthUnit::Utf16,
            }],
        }
    }

    #[test]
    fn limits_read_as_phrases() {
        let l = Limits {
            max_chars: Some(32),
            max_items: Some(5000),
            min: Some(crate::model::Number::Int(1)),
            allowed: vec![Literal::Int(0)],
            ..Limits::default()
        };
        assert_eq!(
            limits(&l, LengthUnit::Utf16.words()),
            ["≤ 32 UTF-16 code units", "≤ 5000 items", "≥ 1", "one of 0"]
        );
        assert!(limits(&Limits::default(), LengthUnit::Utf16.words()).is_empty());
    }

    #[test]
    fn seconds_read_as_words() {
        assert_eq!(seconds(1), "1 second");
        assert_eq!(seconds(10), "10 seconds");
        assert_eq!(seconds(60), "60 seconds (1 minute)");
        assert_eq!(seconds(120), "120 seconds (2 minutes)");
        assert_eq!(seconds(7200), "7200 seconds (2 hours)");
    }

    #[test]
    fn rules_read_as_sentences() {
        let r = Rule {
            when: Some(Condition {
                field: path("returnMsgid", Ty::Bool),
                test: Test::Equals(Literal::Bool(true)),
            }),
            then: path("toAccids", Ty::List(Box::new(Ty::String))),
            consequence: Consequence::MaxItems(100),
            severity: Severity::Error,
            description: String::new(),
            sources: vec![],
        };
        assert_eq!(
            rule(&r),
            "When `returnMsgid` is `true`, `toAccids` holds at most 100 items."
        );
        let text = Literal::Enum {
            name: "text".into(),
            variant: "Text".into(),
            value: 0,
        };
        let tips = Literal::Enum {
            name: "tips".into(),
            variant: "Tips".into(),
            value: 10,
        };
        let r = Rule {
            when: Some(Condition {
                field: path("returnMsgid", Ty::Bool),
                test: Test::In(vec![text, tips]),
            }),
            consequence: Consequence::Absent,
            ..r
        };
        assert_eq!(
            rule(&r),
            "When `returnMsgid` is `text` (0) or `tips` (10), `toAccids` must be left unset."
        );
        let r = Rule {
            severity: Severity::Warning,
            ..r
        };
        assert_eq!(
            rule(&r),
            "When `returnMsgid` is `text` (0) or `tips` (10), `toAccids` has no effect (the client warns)."
        );
        let r = Rule {
            when: None,
            then: path("begintime", Ty::Long),
            consequence: Consequence::Compare(
                crate::model::CompareOp::LessThan,
                path("endtime", Ty::Long),
            ),
            severity: Severity::Error,
            ..r
        };
        assert_eq!(rule(&r), "`begintime` must be less than `endtime`.");
    }
}
