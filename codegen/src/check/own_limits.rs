//! Limits of one field that contradict each other, beyond min above max: allowed values the
//! field's own limits refuse, and a required list that may hold no item.

use super::Checker;
use crate::model::*;

impl Checker<'_> {
    /// Each allowed value must pass the field's own limits, or it could never be sent.
    pub(super) fn allowed_within_limits(
        &mut self,
        file: usize,
        path: &str,
        limits: &Limits,
        unit: LengthUnit,
    ) {
        let pattern = limits
            .pattern
            .as_deref()
            .and_then(|p| regex::Regex::new(&format!("^(?:{p})$")).ok());
        for (i, value) in limits.allowed.iter().enumerate() {
            let problem = match value {
                Literal::Int(_) | Literal::Float(_) => {
                    let n = match value {
                        Literal::Int(i) => *i as f64,
                        Literal::Float(f) => *f,
                        _ => unreachable!("matched above"),
                    };
                    if let Some(min) = limits.min.filter(|m| n < m.as_f64()) {
                        Some(format!("is below the field's own min {min}"))
                    } else {
                        limits
                            .max
                            .filter(|m| n > m.as_f64())
                            .map(|max| format!("is above the field's own max {max}"))
                    }
                }
                Literal::Str(s) => {
                    let len = unit.measure(s);
                    if let Some(max) = limits.max_chars.filter(|m| len > *m) {
                        Some(format!(
                            "is {len} {} long, above the field's own max_chars {max}",
                            unit.words()
                        ))
                    } else if let Some(min) = limits.min_chars.filter(|m| len < *m) {
                        Some(format!(
                            "is {len} {} long, below the field's own min_chars {min}",
                            unit.words()
                        ))
                    } else {
                        pattern
                            .as_ref()
                            .filter(|re| !re.is_match(s))
                            .map(|_| "does not match the field's own pattern".to_owned())
                    }
                }
                _ => None,
            };
            if let Some(problem) = problem {
                self.err(
                    file,
                    &format!("{path}.allowed[{i}]"),
                    format!(
                        "allowed value {} {problem}, so it could never be sent; drop it or correct the limit",
                        value.display()
                    ),
                );
            }
        }
    }

    /// A required list or map carries at least one item (an empty one is not the field being
    /// given), so its own `max_items` must leave room for one.
    pub(super) fn required_room(
        &mut self,
        file: usize,
        path: &str,
        required: bool,
        limits: &Limits,
    ) {
        if required && limits.max_items == Some(0) {
            self.err(
                file,
                &format!("{path}.max_items"),
                "the field is required, so it holds at least one item, and `max_items: 0` allows none; make it optional or correct the limit",
            );
        }
    }
}
