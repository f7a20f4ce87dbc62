//! Specs that cannot be sent or contradict themselves: hosts that are not plain https base URLs,
//! paths that are not clean absolute paths, and rules that can never hold, or never apply.

use super::Checker;
use crate::model::*;

/// Why `url` is not a base URL the client can put in front of a path: `https://`, a host name
/// (letters, digits, `-`, `.`), an optional port, and nothing else.
pub(super) fn host_problem(url: &str) -> Option<String> {
    let Some(authority) = url.strip_prefix("https://") else {
        return Some(format!("host `{url}` is not an https:// URL"));
    };
    if authority.contains(['/', '?', '#']) {
        return Some(format!(
            "host `{url}` has a path, query or fragment (or a trailing slash); give the scheme and host only"
        ));
    }
    if authority.contains('@') {
        return Some(format!(
            "host `{url}` carries user information; give the scheme and host only"
        ));
    }
    let (host, port) = match authority.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    let label_ok = |l: &str| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    if !host.split('.').all(label_ok) {
        return Some(format!(
            "host `{url}` does not name a host (dot-separated letters, digits and `-`)"
        ));
    }
    if port.is_some_and(|p| p.parse::<u16>().map_or(true, |n| n == 0)) {
        return Some(format!("host `{url}` has a port that is not 1 to 65535"));
    }
    None
}

/// Why an endpoint's path template is not a clean absolute path under its host.
pub(super) fn path_problem(path: &str) -> Option<String> {
    let rest = path.strip_prefix('/')?;
    if let Some(c) = path
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "/-._~!$&'()*+,;=:@{}%".contains(*c)))
    {
        return Some(format!(
            "the path holds {c:?}, which is not a URL path character; write it as the page's path is sent"
        ));
    }
    for segment in rest.split('/') {
        match segment {
            "" => {
                return Some(
                    "the path has an empty segment (`//` or a trailing `/`); every segment names something"
                        .to_owned(),
                )
            }
            "." | ".." => {
                return Some(format!(
                    "the path has a `{segment}` segment, which a URL resolves away (out of the API's base); write the path it leads to"
                ))
            }
            _ => {}
        }
    }
    None
}

impl Checker<'_> {
    /// Rules that can never hold once they apply, or whose condition can never hold.
    pub(super) fn rule_contradictions(
        &mut self,
        file: usize,
        path: &str,
        when: Option<&Condition>,
        then: &FieldPath,
        consequence: &Consequence,
        fields: &[Field],
    ) {
        if let Some(when) = when {
            self.condition_values(file, path, when, fields);
            let same = when.field.wire() == then.wire();
            let sets = !matches!(when.test, Test::IsSet(false));
            match consequence {
                Consequence::Absent if same && sets => self.err(
                    file,
                    &format!("{path}.then"),
                    format!("the rule applies only when `{}` is set, and then wants it absent: it can never hold; say what the page forbids instead", then.wire()),
                ),
                Consequence::Present if same && !sets => self.err(
                    file,
                    &format!("{path}.then"),
                    format!("the rule applies only when `{}` is unset, and then wants it present: it can never hold", then.wire()),
                ),
                _ => {}
            }
        }
        let Some(field) = self.field_at(then, fields) else {
            return;
        };
        let own = &field.limits;
        // A required list carries at least one item: an empty one is not the field being given.
        let min_items = own.min_items.or(field.required.then_some(1));
        let below = |min: Option<f64>, max: f64| min.is_some_and(|min| max < min);
        let (key, impossible) = match consequence {
            Consequence::MaxItems(n) => {
                ("max_items", below(min_items.map(|m| m as f64), *n as f64))
            }
            Consequence::MaxChars(n) => (
                "max_chars",
                below(own.min_chars.map(|m| m as f64), *n as f64),
            ),
            Consequence::Max(n) => ("max", below(own.min.map(Number::as_f64), n.as_f64())),
            Consequence::Min(n) => ("min", own.max.is_some_and(|max| n.as_f64() > max.as_f64())),
            _ => return,
        };
        if impossible {
            self.err(
                file,
                &format!("{path}.then.{key}"),
                format!(
                    "`{}`'s own limits ({}) leave no value this `{key}` allows: the rule can never hold",
                    then.wire(),
                    own_limits(&field)
                ),
            );
        }
    }

    /// The field a path ends at, through the endpoint's fields and named objects.
    pub(super) fn field_at(&mut self, path: &FieldPath, fields: &[Field]) -> Option<Field> {
        let mut scope = fields.to_vec();
        let mut found = None;
        for step in &path.steps {
            let f = scope.iter().find(|f| f.wire == step.wire)?.clone();
            scope = match &f.ty {
                Ty::Object(name) => {
                    let raw = self.raw_type(name).and_then(|t| t.fields.as_ref());
                    raw.into_iter()
                        .flatten()
                        .filter_map(|(w, rf)| self.field_quiet(w, rf))
                        .collect()
                }
                _ => Vec::new(),
            };
            found = Some(f);
        }
        found
    }
}

/// The limits a conditional one is weighed against, as the spec writes them.
fn own_limits(f: &Field) -> String {
    let l = &f.limits;
    let mut parts = Vec::new();
    if f.required && matches!(f.ty, Ty::List(_) | Ty::Map(_)) {
        parts.push("required".to_owned());
    }
    for (key, value) in [
        ("min_items", l.min_items.map(|n| n.to_string())),
        ("min_chars", l.min_chars.map(|n| n.to_string())),
        ("min", l.min.map(|n| n.to_string())),
        ("max", l.max.map(|n| n.to_string())),
    ] {
        if let Some(v) = value {
            parts.push(format!("{key}: {v}"));
        }
    }
    parts.join(", ")
}
