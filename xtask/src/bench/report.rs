//! The bench report: one record per figure, written as `bench-report.json`, and the check of
//! its shape (names and JSON types, not timings), used before writing and by the tests.

use serde_json::{json, Map, Value};

/// Every figure a report holds, in table order.
pub const FIGURES: &[&str] = &[
    "codegen_real_ms",
    "codegen_command_ms",
    "codegen_per_endpoint_ratio_1000_100",
    "prep_ratio_500",
    "prep_ratio_5000",
    "loopback_ratio_c1",
    "loopback_ratio_c64",
    "fan_out_bound_ratio",
    "fan_out_self_416",
    "fan_out_journal_bound_ratio",
    "generated_lines_per_endpoint",
    "client_build_s",
    "client_build_one_domain_s",
    "cold_test_s",
];

/// A target: the figure's value must be at most or at least the limit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Target {
    AtMost(f64),
    AtLeast(f64),
}

impl Target {
    fn text(self) -> String {
        match self {
            Target::AtMost(limit) => format!("<= {limit}"),
            Target::AtLeast(limit) => format!(">= {limit}"),
        }
    }

    fn holds(self, value: f64) -> bool {
        match self {
            Target::AtMost(limit) => value <= limit,
            Target::AtLeast(limit) => value >= limit,
        }
    }
}

/// One measured figure. For a comparison, `value` is the ratio itself (then `ratio` repeats it,
/// so a reader finds every comparison under the same key) and `baseline` names what it is
/// measured against in the same run.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub name: &'static str,
    pub value: f64,
    pub unit: &'static str,
    pub baseline: Option<String>,
    pub target: Option<Target>,
}

impl Figure {
    /// A plain measurement: no baseline, no target.
    pub fn plain(name: &'static str, value: f64, unit: &'static str) -> Figure {
        Figure {
            name,
            value,
            unit,
            baseline: None,
            target: None,
        }
    }

    /// A ratio against `baseline`, with a target.
    pub fn ratio(name: &'static str, value: f64, baseline: &str, target: Target) -> Figure {
        Figure {
            name,
            value,
            unit: "ratio",
            baseline: Some(baseline.to_owned()),
            target: Some(target),
        }
    }

    /// A figure with a target but no baseline (a count that must stay at zero, a size).
    pub fn targeted(name: &'static str, value: f64, unit: &'static str, target: Target) -> Figure {
        Figure {
            target: Some(target),
            ..Figure::plain(name, value, unit)
        }
    }

    pub fn holds(&self) -> Option<bool> {
        self.target.map(|t| t.holds(self.value))
    }

    fn to_json(&self) -> Value {
        json!({
            "value": self.value,
            "unit": self.unit,
            "baseline": self.baseline,
            "ratio": self.baseline.as_ref().map(|_| self.value),
            "target": self.target.map(Target::text),
            "holds": self.holds(),
        })
    }
}

/// The report as JSON: `{"figures": {name: {...}}, "machine": text}`.
pub fn to_json(figures: &[Figure], machine: &str) -> Value {
    let mut map = Map::new();
    for f in figures {
        map.insert(f.name.to_owned(), f.to_json());
    }
    json!({ "figures": map, "machine": machine })
}

/// A figure's key, the test of its JSON type, and that type in words.
type KeyKind = (&'static str, fn(&Value) -> bool, &'static str);

/// Checks a report's shape: every figure of [`FIGURES`] present, with `value` a number, `unit`
/// a string, `baseline`, `target` strings or null, `ratio` a number or null, `holds` a bool or
/// null, and `machine` a string. Returns every problem.
pub fn check_shape(report: &Value) -> Result<(), Vec<String>> {
    let mut problems = Vec::new();
    if !report["machine"].is_string() {
        problems.push("`machine` is not a string".to_owned());
    }
    let Some(figures) = report["figures"].as_object() else {
        return Err(vec!["`figures` is not an object".to_owned()]);
    };
    for name in FIGURES {
        let Some(figure) = figures.get(*name) else {
            problems.push(format!("figure `{name}` is missing"));
            continue;
        };
        let kinds: [KeyKind; 6] = [
            ("value", Value::is_number, "a number"),
            ("unit", Value::is_string, "a string"),
            (
                "baseline",
                |v| v.is_string() || v.is_null(),
                "a string or null",
            ),
            (
                "ratio",
                |v| v.is_number() || v.is_null(),
                "a number or null",
            ),
            (
                "target",
                |v| v.is_string() || v.is_null(),
                "a string or null",
            ),
            ("holds", |v| v.is_boolean() || v.is_null(), "a bool or null"),
        ];
        for (key, is, what) in kinds {
            match figure.get(key) {
                Some(v) if is(v) => {}
                Some(v) => problems.push(format!("`{name}.{key}` is {v}, not {what}")),
                None => problems.push(format!("`{name}.{key}` is missing")),
            }
        }
    }
    for name in figures.keys() {
        if !FIGURES.contains(&name.as_str()) {
            problems.push(format!("unknown figure `{name}`"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}
