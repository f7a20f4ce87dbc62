//! Emits validation: one `Validator` call per documented limit of each field, and each rule, so
//! every violation is collected with its wire path, limit, value and severity.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{ident, int, literal_tokens};
use crate::model::{
    CompareOp, Consequence, Field, FieldPath, LengthUnit, Literal, Location, Model, Number,
    OverLimit, Rule, Severity, Test, Ty,
};

fn unit_tokens(unit: LengthUnit) -> TokenStream {
    match unit {
        LengthUnit::Utf16 => quote!(Utf16),
        LengthUnit::Chars => quote!(LengthUnit::Chars),
        LengthUnit::Bytes => quote!(LengthUnit::Bytes),
    }
}

fn number_tokens(n: Number) -> TokenStream {
    match n {
        // The runtime takes `impl Into<Num>`, where an unsuffixed literal is an i32: a `long`
        // limit past i32's range needs its suffix.
        Number::Int(i) if i32::try_from(i).is_err() => {
            let i = proc_macro2::Literal::i64_suffixed(i);
            quote!(#i)
        }
        Number::Int(i) => {
            let i = int(i);
            quote!(#i)
        }
        Number::Float(f) => {
            let f = proc_macro2::Literal::f64_suffixed(f);
            quote!(#f)
        }
    }
}

fn severity_tokens(s: Severity) -> TokenStream {
    match s {
        Severity::Error => quote!(Severity::Error),
        Severity::Warning => quote!(Severity::Warning),
    }
}

/// Whether values of `ty` hold objects that validate themselves.
fn holds_objects(ty: &Ty) -> bool {
    match ty {
        Ty::Object(_) => true,
        Ty::List(inner) | Ty::Map(inner) => holds_objects(inner),
        _ => false,
    }
}

/// The open enum whose values `ty` holds, if any (its catch-all is never sent).
fn open_enum<'m>(model: &'m Model, ty: &Ty) -> Option<&'m str> {
    match ty {
        Ty::Enum(name) => model
            .enum_def(name)
            .filter(|e| e.open)
            .map(|e| e.name.as_str()),
        Ty::List(inner) => open_enum(model, inner),
        _ => None,
    }
}

/// Whether the field's pattern already refuses every value that would not stay one path
/// segment (then it alone reports one, and a bad value is not reported twice).
fn pattern_keeps_one_segment(l: &crate::model::Limits) -> bool {
    l.pattern.as_deref().is_some_and(|p| {
        regex::Regex::new(&format!("^(?:{p})$"))
            .is_ok_and(|re| ["", ".", ".."].iter().all(|v| !re.is_match(v)))
    })
}

/// The name of the pattern static of a field. The statics live in the struct's `validate_into`,
/// so a name needs to be unique only among the struct's fields (whose Rust names are distinct
/// and lower-case): named after the struct as well, two types whose names differ only in case
/// (`Wa`, `WA`) gave one name twice in `types.rs`.
pub fn pattern_name(field: &Field) -> proc_macro2::Ident {
    ident(&format!("{}_PATTERN", field.rust.to_uppercase()))
}

/// The `Pattern` statics a struct's checks use, for the top of its `validate_into`.
pub fn pattern_statics(fields: &[Field]) -> TokenStream {
    let mut out = TokenStream::new();
    for f in fields {
        if let Some(p) = &f.limits.pattern {
            let name = pattern_name(f);
            out.extend(quote!(static #name: Pattern = Pattern::new(#p);));
        }
    }
    out
}

/// The checks of each field, as statements over `self` with a validator `v` in scope, after the
/// struct's [`pattern_statics`].
pub fn field_checks(model: &Model, fields: &[Field]) -> TokenStream {
    let mut out = TokenStream::new();
    for f in fields {
        let (name, wire) = (ident(&f.rust), f.wire.as_str());
        let value = quote!(&self.#name);
        let l = &f.limits;
        let unit = unit_tokens(f.length_unit);
        // Upper limits the server truncates at are warnings; the others refuse the request.
        let mut upper = TokenStream::new();
        if f.ty == Ty::Bytes {
            // A file's size, in bytes.
            if let Some(n) = l.min_chars.map(int) {
                out.extend(quote!(v.min_bytes(#wire, #value, #n);));
            }
            if let Some(n) = l.max_chars.map(int) {
                upper.extend(quote!(v.max_bytes(#wire, #value, #n);));
            }
        } else {
            if let Some(n) = l.min_chars.map(int) {
                out.extend(quote!(v.min_chars(#wire, #value, #n, #unit);));
            }
            if let Some(n) = l.max_chars.map(int) {
                upper.extend(quote!(v.max_chars(#wire, #value, #n, #unit);));
            }
        }
        if let Some(n) = l.min_items.map(int) {
            out.extend(quote!(v.min_items(#wire, #value, #n);));
        }
        if let Some(n) = l.max_items.map(int) {
            upper.extend(quote!(v.max_items(#wire, #value, #n);));
        }
        if let Some(n) = l.min.map(number_tokens) {
            out.extend(quote!(v.min(#wire, #value, #n);));
        }
        if let Some(n) = l.max.map(number_tokens) {
            upper.extend(quote!(v.max(#wire, #value, #n);));
        }
        match f.over_limit {
            OverLimit::Refused => out.extend(upper),
            OverLimit::Truncated if !upper.is_empty() => out.extend(quote! {
                v.when(TRUNCATED, Severity::Warning, |v| { #upper });
            }),
            OverLimit::Truncated => {}
        }
        let ints: Vec<_> = l
            .allowed
            .iter()
            .filter_map(|a| match a {
                Literal::Int(i) => Some(int(*i)),
                _ => None,
            })
            .collect();
        if !ints.is_empty() {
            out.extend(quote!(v.one_of(#wire, #value, &[#(#ints),*]);));
        }
        let texts: Vec<&String> = l
            .allowed
            .iter()
            .filter_map(|a| match a {
                Literal::Str(s) => Some(s),
                _ => None,
            })
            .collect();
        if !texts.is_empty() {
            out.extend(quote!(v.one_of_text(#wire, #value, &[#(#texts),*]);));
        }
        if l.pattern.is_some() {
            let p = pattern_name(f);
            if matches!(f.ty, Ty::List(_)) {
                out.extend(quote!(v.matches_each(#wire, #value, &#p);));
            } else {
                out.extend(quote!(v.matches(#wire, #value, &#p);));
            }
        }
        if f.ty == Ty::Json {
            out.extend(quote!(v.json(#wire, #value);));
        }
        if f.location == Location::Path && f.ty.is_string() && !pattern_keeps_one_segment(l) {
            // `/accounts/`, `/accounts/.` and `/accounts/..` name other routes.
            out.extend(quote!(v.path_segment(#wire, #value);));
        }
        if let Some(name) = open_enum(model, &f.ty) {
            out.extend(quote!(v.listed(#wire, #value, #name);));
        }
        if holds_objects(&f.ty) {
            out.extend(quote!(v.nested(#wire, #value);));
        }
    }
    if super::types::has_json(fields) {
        let member = ident(crate::names::UNENCODABLE_MEMBER);
        out.extend(quote!(v.unencodable(&self.#member);));
    }
    out
}

/// The value at `path` as an `Option` of a copy, a `&str` or a reference (no default applied):
/// the first step reads the field, later steps go through the nested objects' getters.
fn path_value(path: &FieldPath) -> TokenStream {
    let mut expr = TokenStream::new();
    for (i, step) in path.steps.iter().enumerate() {
        let name = ident(&step.rust);
        let getter = ident(&crate::names::getter(&step.rust));
        let last = i + 1 == path.steps.len();
        let scalar = !step.ty.is_composite() && step.ty != Ty::Any;
        expr = match (i, step.required, last && scalar) {
            (0, true, true) if step.ty.is_string() => quote!(Some(self.#name.as_str())),
            (0, true, true) => quote!(Some(self.#name)),
            (0, true, false) => quote!(Some(&self.#name)),
            (0, false, true) if step.ty.is_string() => quote!(self.#name.as_deref()),
            (0, false, true) => quote!(self.#name),
            (0, false, false) => quote!(self.#name.as_ref()),
            (_, true, _) => quote!(#expr.map(|o| o.#getter())),
            (_, false, _) => quote!(#expr.and_then(|o| o.#getter())),
        };
    }
    expr
}

/// The condition of `rule` as a `bool` expression over `self`, comparing the effective value
/// (as set, else the documented default); `None` when the rule always applies. A negated test
/// on a value that is unset and has no default does not hold: nothing is known of it.
pub(super) fn condition(rule: &Rule) -> Option<TokenStream> {
    let when = rule.when.as_ref()?;
    let path = &when.field;
    let step = path.last();
    match &when.test {
        Test::IsSet(set) => {
            let value = path_value(path);
            return Some(if *set {
                quote!(#value.is_some())
            } else {
                quote!(#value.is_none())
            });
        }
        Test::NonEmpty => {
            let value = path_value(path);
            return Some(quote!(#value.is_some_and(|v| !v.is_empty())));
        }
        _ => {}
    }
    let lit = |l: &Literal| literal_tokens(l, &step.ty);
    let (value, known) = match (&step.default, path.steps.len(), step.required) {
        // A required top-level field always has its value.
        (_, 1, true) => {
            let name = ident(&step.rust);
            if step.ty.is_string() {
                (quote!(self.#name.as_str()), true)
            } else {
                (quote!(self.#name), true)
            }
        }
        // With a default the effective value is always known.
        (Some(d), _, _) => {
            let (value, d) = (path_value(path), lit(d));
            (quote!(#value.unwrap_or(#d)), true)
        }
        (None, _, _) => (path_value(path), false),
    };
    let alternatives = |ls: &[Literal]| {
        let ls: Vec<TokenStream> = ls.iter().map(lit).collect();
        quote!(#(#ls)|*)
    };
    let (values, negated) = match &when.test {
        Test::Equals(l) => (std::slice::from_ref(l), false),
        Test::In(ls) => (ls.as_slice(), false),
        Test::NotEquals(l) => (std::slice::from_ref(l), true),
        Test::NotIn(ls) => (ls.as_slice(), true),
        Test::IsSet(_) | Test::NonEmpty => unreachable!("handled above"),
    };
    if step.ty == Ty::Bool {
        return bool_condition(value, known, values, negated);
    }
    Some(match (values, negated, known) {
        (ls, false, true) => {
            let p = alternatives(ls);
            quote!(matches!(#value, #p))
        }
        (ls, true, true) => {
            let p = alternatives(ls);
            quote!(!matches!(#value, #p))
        }
        (ls, false, false) => {
            let p = alternatives(ls);
            quote!(matches!(#value, Some(#p)))
        }
        (ls, true, false) => {
            let p = alternatives(ls);
            quote!(#value.is_some_and(|v| !matches!(v, #p)))
        }
    })
}

/// A test of a bool without `matches!` on the bool itself, which clippy rejects
/// (`match_like_matches_macro`): a bool has two values, so every equals / in / not_equals /
/// not_in reduces to "is it `b`" (the checker refuses a test no value passes). An unset value
/// without default fails every test, so an `Option<bool>` is matched against `Some(b)`.
fn bool_condition(
    value: TokenStream,
    known: bool,
    values: &[Literal],
    negated: bool,
) -> Option<TokenStream> {
    let passes = |b: bool| values.contains(&Literal::Bool(b)) != negated;
    Some(match (passes(true), passes(false), known) {
        (true, false, true) => quote!(#value),
        (false, true, true) => quote!(!#value),
        (true, false, false) => quote!(matches!(#value, Some(true))),
        (false, true, false) => quote!(matches!(#value, Some(false))),
        // Both values pass: always, for a value that is always there (no `if true`).
        (true, true, true) => return None,
        (true, true, false) => quote!(#value.is_some()),
        (false, false, _) => quote!(false),
    })
}

/// The constrained value of a rule, as the validator takes it.
fn then_value(path: &FieldPath) -> TokenStream {
    match path.steps.len() {
        1 => {
            let f = ident(&path.last().rust);
            quote!(&self.#f)
        }
        _ => {
            let v = path_value(path);
            quote!(&#v)
        }
    }
}

/// Every rule, as `[if <condition>] { v.when(RULE_n, severity, ..) }` statements, and the
/// `RULE_n` constants naming each.
pub fn rule_checks(rules: &[Rule]) -> (TokenStream, TokenStream) {
    let mut consts = TokenStream::new();
    let mut checks = TokenStream::new();
    for (i, rule) in rules.iter().enumerate() {
        let name = ident(&format!("RULE_{i}"));
        let text = format!(
            "{} ({})",
            rule.condition_text(),
            rule.description.trim_end_matches('.')
        );
        consts.extend(quote!(const #name: &str = #text;));
        let then = rule.then.wire();
        let value = then_value(&rule.then);
        let consequence = match &rule.consequence {
            Consequence::Absent => quote!(v.absent(#then, #value)),
            Consequence::Present => quote!(v.present(#then, #value)),
            Consequence::MaxItems(n) => {
                let n = int(*n);
                quote!(v.max_items(#then, #value, #n))
            }
            Consequence::MaxChars(n) => {
                let (n, unit) = (int(*n), unit_tokens(rule.then.last().length_unit));
                quote!(v.max_chars(#then, #value, #n, #unit))
            }
            Consequence::Max(n) => {
                let n = number_tokens(*n);
                quote!(v.max(#then, #value, #n))
            }
            Consequence::Min(n) => {
                let n = number_tokens(*n);
                quote!(v.min(#then, #value, #n))
            }
            Consequence::Compare(op, other) => {
                let op = match op {
                    CompareOp::LessThan => quote!(Compare::LessThan),
                    CompareOp::LessOrEqual => quote!(Compare::LessOrEqual),
                    CompareOp::GreaterThan => quote!(Compare::GreaterThan),
                    CompareOp::GreaterOrEqual => quote!(Compare::GreaterOrEqual),
                };
                let (other_wire, other_value) = (other.wire(), then_value(other));
                quote!(v.compare(#then, #value, #op, #other_wire, #other_value))
            }
        };
        let severity = severity_tokens(rule.severity);
        let check = quote!(v.when(#name, #severity, |v| #consequence););
        checks.extend(match condition(rule) {
            Some(test) => quote!(if #test { #check }),
            None => check,
        });
    }
    (consts, checks)
}
