//! An endpoint's own constructs beside its fields: rate limit (with its plans), fan-out,
//! paging and deprecation (also used for fields).

use super::compare::{code, list, Differ};
use super::{Class, Kind};
use crate::model::{Blocks, Deprecation, FanOut, Paging, PagingForm, PlanLimit, RateLimit};

fn blocks_name(b: Blocks) -> &'static str {
    match b {
        Blocks::App => "app",
        Blocks::Endpoint => "endpoint",
    }
}

fn show_rate_limit(r: &RateLimit) -> String {
    let block = r
        .block_seconds
        .map_or("an undocumented block".to_owned(), |b| {
            format!("a {b} s block")
        });
    format!(
        "{} calls per {} s, code {}, {block} of the {}",
        r.calls,
        r.window_seconds,
        r.code,
        blocks_name(r.blocks)
    )
}

fn show_plan(p: &PlanLimit) -> String {
    format!("{} calls per {} s", p.calls, p.window_seconds)
}

fn show_paging(p: &Paging) -> String {
    let limit = p
        .limit
        .as_ref()
        .map_or(String::new(), |l| format!(", limit {}", l.wire));
    let form = match &p.form {
        PagingForm::Cursor {
            cursor,
            next_cursor,
            has_more,
        } => format!(
            "cursor {}, next cursor reply.{}, {}",
            cursor.wire,
            next_cursor.wire,
            has_more
                .as_ref()
                .map_or("ends on an empty cursor".to_owned(), |h| format!(
                    "more while reply.{}",
                    h.wire
                )),
        ),
        PagingForm::Offset { offset, total } => format!(
            "offset {}{}",
            offset.wire,
            total
                .as_ref()
                .map_or(String::new(), |t| format!(", total reply.{}", t.wire))
        ),
        PagingForm::Window(w) => format!(
            "window end {}{} at item {}{}{}",
            w.end.wire,
            w.begin
                .as_ref()
                .map_or(String::new(), |b| format!(", start {}", b.wire)),
            w.item_time.wire,
            w.exclude.as_ref().map_or(String::new(), |(f, i)| format!(
                ", excluding item {} as {}",
                i.wire, f.wire
            )),
            w.order.as_ref().map_or(String::new(), |o| format!(
                ", {} = {} (newest first)",
                o.field.wire, o.value
            )),
        ),
    };
    format!("{form}{limit}, items reply.{}", p.items.wire)
}

/// The form's name: a pager of another form walks differently under the same methods.
fn paging_form(p: &Paging) -> &'static str {
    match p.form {
        PagingForm::Cursor { .. } => "cursor",
        PagingForm::Offset { .. } => "offset",
        PagingForm::Window(_) => "window",
    }
}

fn show_fan_out(f: &FanOut) -> String {
    let reply: Vec<String> = [
        f.unregistered
            .as_ref()
            .map(|x| format!("unregistered {}", x.wire)),
        f.succeeded
            .as_ref()
            .map(|x| format!("succeeded {}", x.wire)),
        f.failed.as_ref().map(|(x, who, why)| {
            let why = why
                .as_ref()
                .map_or(String::new(), |w| format!(" ({})", w.wire));
            format!("failed {}.{}{why}", x.wire, who.wire)
        }),
        f.failed_items
            .as_ref()
            .map(|x| format!("failed items {}", x.wire)),
    ]
    .into_iter()
    .flatten()
    .collect();
    let resend = f.resend.as_ref().map_or("none".to_owned(), |r| {
        let outer = r
            .outer
            .as_ref()
            .map_or(String::new(), |o| format!("{}.", o.wire));
        format!("{outer}{} = {}", r.field.wire, r.value.display())
    });
    // A chunk size that is the field's max_items is reported with the field's limits.
    let size = match f.recipients.limits.max_items {
        Some(m) if m == f.max => "max_items".to_owned(),
        _ => f.max.to_string(),
    };
    format!(
        "recipients {}, {size} a call, {}; resend {resend}",
        f.recipients.wire,
        if reply.is_empty() {
            "no reply lists".to_owned()
        } else {
            reply.join(", ")
        }
    )
}

impl Differ<'_> {
    /// Rate limits: every change is compatible. The client paces calls by the documented limit
    /// and recognises its code, so a different limit changes how fast it sends, never what the
    /// user writes; a limit that is documented, or no longer documented, likewise.
    pub(super) fn rate_limit(
        &mut self,
        ep: &str,
        root: &str,
        o: Option<&RateLimit>,
        n: Option<&RateLimit>,
    ) {
        let base = format!("{root}.rate_limit");
        let (o, n) = match (o, n) {
            (None, None) => return,
            (Some(o), Some(n)) => (o, n),
            (o, n) => {
                let show =
                    |r: Option<&RateLimit>| r.map_or("none documented".into(), show_rate_limit);
                let (a, b) = (show(o), show(n));
                let text = format!("rate limit {a} → {b}");
                self.record(ep, base, Kind::RateLimitChanged, Class::Compatible, text)
                    .values(a, b);
                return;
            }
        };
        let opt = |v: Option<u32>| v.map_or("none".to_owned(), |v| v.to_string());
        let keys = [
            ("calls", o.calls.to_string(), n.calls.to_string()),
            (
                "window_seconds",
                o.window_seconds.to_string(),
                n.window_seconds.to_string(),
            ),
            ("block_seconds", opt(o.block_seconds), opt(n.block_seconds)),
            ("code", o.code.to_string(), n.code.to_string()),
            (
                "blocks",
                blocks_name(o.blocks).to_owned(),
                blocks_name(n.blocks).to_owned(),
            ),
        ];
        for (key, a, b) in keys {
            if a != b {
                let text = format!("rate limit {key} {a} → {b} (now {})", show_rate_limit(n));
                self.record(
                    ep,
                    format!("{base}.{key}"),
                    Kind::RateLimitChanged,
                    Class::Compatible,
                    text,
                )
                .values(a, b);
            }
        }
        self.plans(ep, &base, &o.plans, &n.plans);
        self.docs(
            ep,
            &format!("{base}.sources"),
            "rate-limit sources",
            &list(&o.sources),
            &list(&n.sources),
        );
        self.docs_opt(
            ep,
            &format!("{base}.note"),
            "rate-limit note",
            &o.note,
            &n.note,
        );
    }

    /// The limits of other plans: documentation of what a bigger plan allows; compatible like
    /// the limit itself.
    fn plans(&mut self, ep: &str, base: &str, old: &[PlanLimit], new: &[PlanLimit]) {
        let show = |p: Option<&PlanLimit>| p.map_or("none documented".to_owned(), show_plan);
        let mut names: Vec<&str> = old.iter().map(|p| p.plan.as_str()).collect();
        names.extend(
            new.iter()
                .map(|p| p.plan.as_str())
                .filter(|p| !old.iter().any(|o| o.plan == *p)),
        );
        for plan in names {
            let spec = format!("{base}.plans.{plan}");
            let o = old.iter().find(|p| p.plan == plan);
            let n = new.iter().find(|p| p.plan == plan);
            let (a, b) = (show(o), show(n));
            if a != b {
                let text = format!("rate limit of plan {}: {a} → {b}", code(plan));
                self.record(
                    ep,
                    spec.clone(),
                    Kind::RateLimitChanged,
                    Class::Compatible,
                    text,
                )
                .values(a, b);
            }
            self.docs_opt(
                ep,
                &format!("{spec}.note"),
                &format!("rate-limit note of plan {}", code(plan)),
                &o.and_then(|p| p.note.clone()),
                &n.and_then(|p| p.note.clone()),
            );
        }
    }

    /// Removing fan-out removes its client methods (breaking); any other change only changes
    /// how recipients are chunked, reported or resent.
    pub(super) fn fan_out(&mut self, ep: &str, root: &str, o: Option<&FanOut>, n: Option<&FanOut>) {
        let show = |f: Option<&FanOut>| f.map_or("none".to_owned(), show_fan_out);
        let (a, b) = (show(o), show(n));
        if a != b {
            let class = if n.is_none() {
                Class::Breaking
            } else {
                Class::Compatible
            };
            let text = format!("fan-out {a} → {b}");
            self.record(
                ep,
                format!("{root}.fan_out"),
                Kind::FanOutChanged,
                class,
                text,
            )
            .values(a, b);
        }
        let (Some(o), Some(n)) = (o, n) else {
            return;
        };
        self.docs_opt(
            ep,
            &format!("{root}.fan_out.note"),
            "fan-out note",
            &o.note,
            &n.note,
        );
        self.docs(
            ep,
            &format!("{root}.fan_out.sources"),
            "fan-out sources",
            &list(&o.sources),
            &list(&n.sources),
        );
        let resend_sources = |f: &FanOut| f.resend.as_ref().map(|r| list(&r.sources));
        self.docs_opt(
            ep,
            &format!("{root}.fan_out.resend.sources"),
            "fan-out resend sources",
            &resend_sources(o),
            &resend_sources(n),
        );
    }

    /// Paging: added, it gives the endpoint a pager (compatible); removed, the pager goes away
    /// (breaking); changed, the pager reads other fields with the same methods (compatible),
    /// unless its items are of another type or it pages in another form (breaking: user code
    /// gets other items, or pages that start and end elsewhere).
    pub(super) fn paging(&mut self, ep: &str, root: &str, o: Option<&Paging>, n: Option<&Paging>) {
        let show = |p: Option<&Paging>| p.map_or("none".to_owned(), show_paging);
        let (a, b) = (show(o), show(n));
        if a != b {
            let class = match (o, n) {
                (_, None) => Class::Breaking,
                (Some(o), Some(n))
                    if o.items.ty != n.items.ty || paging_form(o) != paging_form(n) =>
                {
                    Class::Breaking
                }
                _ => Class::Compatible,
            };
            let text = format!("paging {a} → {b}");
            self.record(
                ep,
                format!("{root}.paging"),
                Kind::PagingChanged,
                class,
                text,
            )
            .values(a, b);
        }
        let (Some(o), Some(n)) = (o, n) else {
            return;
        };
        self.docs_opt(
            ep,
            &format!("{root}.paging.note"),
            "paging note",
            &o.note,
            &n.note,
        );
        self.docs(
            ep,
            &format!("{root}.paging.sources"),
            "paging sources",
            &list(&o.sources),
            &list(&n.sources),
        );
    }

    /// Deprecation of an endpoint or field at spec path `base`, whose Rust items `effect` names
    /// (`None`: it has none, as a reply field). Newly deprecated is compatible: the items become
    /// `#[deprecated]`, so code using them compiles with a warning and works as before (reported
    /// so the warning is no surprise); no longer deprecated is compatible too. Without Rust
    /// items, and for the replacement, note and sources, it is documentation.
    pub(super) fn deprecation(
        &mut self,
        ep: &str,
        base: &str,
        subject: &str,
        effect: Option<&str>,
        o: Option<&Deprecation>,
        n: Option<&Deprecation>,
    ) {
        let spec = format!("{base}.deprecated");
        let (class, effect) = match effect {
            Some(e) => (Class::Compatible, format!(", {e}")),
            None => (Class::DocsOnly, " (documentation only)".to_owned()),
        };
        match (o, n) {
            (None, None) => {}
            (None, Some(d)) => {
                // The note is prose: it stays in `new`, out of the one-line text.
                let instead = d
                    .replacement
                    .as_deref()
                    .map_or(String::new(), |r| format!(" (use {} instead)", code(r)));
                let text = format!("{subject}: newly deprecated{effect}{instead}");
                self.record(ep, spec, Kind::DeprecationChanged, class, text)
                    .new = Some(d.text());
            }
            (Some(d), None) => {
                let text = format!("{subject}: no longer deprecated");
                self.record(ep, spec, Kind::DeprecationChanged, class, text)
                    .old = Some(d.text());
            }
            (Some(a), Some(b)) => {
                if a.replacement != b.replacement {
                    let show = |r: &Option<String>| r.as_deref().map_or("none".into(), code);
                    let text = format!(
                        "{subject}: deprecation replacement {} → {}",
                        show(&a.replacement),
                        show(&b.replacement)
                    );
                    let c = self.record(
                        ep,
                        format!("{spec}.replacement"),
                        Kind::DeprecationChanged,
                        Class::DocsOnly,
                        text,
                    );
                    (c.old, c.new) = (a.replacement.clone(), b.replacement.clone());
                }
                self.docs(
                    ep,
                    &format!("{spec}.note"),
                    &format!("{subject}: deprecation note"),
                    &a.note,
                    &b.note,
                );
                self.docs(
                    ep,
                    &format!("{spec}.sources"),
                    &format!("{subject}: deprecation sources"),
                    &list(&a.sources),
                    &list(&b.sources),
                );
            }
        }
    }
}
