//! Semantic diff of two spec models: what changed, grouped by endpoint, and whether each change
//! breaks users of the generated client.
//!
//! The walk follows every endpoint's request and reply fields into the shared types they use,
//! so a change in `types.yaml` is reported under each endpoint it reaches, with a dotted path
//! such as `option.needPushNick` or `msgList[].ext`. What no endpoint can carry (hosts, the
//! global status codes, pages, unused types, type descriptions) is grouped under [`SHARED`].

mod compare;
mod endpoint;
mod fields;
mod limits;
mod render;
mod rules;
mod shared;
#[cfg(test)]
mod tests;

use crate::model::Model;

pub use render::{render_markdown, render_text};

/// The group of changes that belong to no single endpoint.
pub const SHARED: &str = "shared";

/// How a change affects users of the generated client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// Code written against the client generated from the old spec may stop compiling (a type,
    /// variant, field or `new()` parameter changes or goes away), a request that passed may now
    /// fail validation or be refused, or a reply that decoded may not decode any more.
    Breaking,
    /// Everything that worked before still works; the client can do more, or warns where it
    /// refused (a value past a truncated limit), or a method becomes `#[deprecated]` (a compiler
    /// warning at its uses, never an error).
    Compatible,
    /// Only documentation changes: descriptions, notes, sources, disagreements, examples, and
    /// documented server-side defaults (the client never sends a default).
    DocsOnly,
}

impl Class {
    /// Every class, most severe first.
    pub const ALL: [Class; 3] = [Class::Breaking, Class::Compatible, Class::DocsOnly];

    /// `breaking`, `compatible` or `docs-only`.
    pub fn name(self) -> &'static str {
        match self {
            Class::Breaking => "breaking",
            Class::Compatible => "compatible",
            Class::DocsOnly => "docs-only",
        }
    }
}

/// What kind of change was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A new endpoint.
    EndpointAdded,
    /// An endpoint is gone.
    EndpointRemoved,
    /// The endpoint's API generation (`v1`/`v2`) changed.
    ApiChanged,
    /// The endpoint's HTTP method changed.
    MethodChanged,
    /// The endpoint's body encoding changed (a form or JSON body to multipart, or back).
    BodyChanged,
    /// The endpoint's URL path changed.
    PathChanged,
    /// The endpoint moved to another domain folder, so another cargo feature compiles it.
    DomainChanged,
    /// A request or reply field (possibly nested) is new.
    FieldAdded,
    /// A request or reply field (possibly nested) is gone.
    FieldRemoved,
    /// A field's type changed.
    TypeChanged,
    /// A field's Rust name changed.
    RustNameChanged,
    /// A request field's wire encoding (plain or JSON text) changed.
    EncodingChanged,
    /// A request field moved between the body, the query and the path.
    LocationChanged,
    /// A field became required or optional.
    RequiredChanged,
    /// `min_chars`, `max_chars`, `min_items`, `max_items`, `min` or `max` changed.
    LimitChanged,
    /// Allowed values were added or removed.
    AllowedChanged,
    /// The unit string lengths are counted in changed.
    LengthUnitChanged,
    /// A reply field accepts more or fewer deviations from its type.
    LenienceChanged,
    /// A documented server-side default changed.
    DefaultChanged,
    /// An enum gained a value.
    EnumValueAdded,
    /// An enum lost a value.
    EnumValueRemoved,
    /// An enum value kept its name but changed its number.
    EnumValueRenumbered,
    /// An enum became open (catch-all variant) or closed.
    EnumOpenChanged,
    /// An object's `from_scalar` (accepting a bare string in replies) changed.
    FromScalarChanged,
    /// A named type in `types.yaml` is new.
    TypeAdded,
    /// A named type in `types.yaml` is gone, or changed from enum to object or back.
    TypeRemoved,
    /// A conditional rule is new.
    RuleAdded,
    /// A conditional rule is gone.
    RuleRemoved,
    /// A conditional rule's condition or limit changed.
    RuleChanged,
    /// The endpoint's rate limit changed.
    RateLimitChanged,
    /// The endpoint's fan-out was added, removed or changed.
    FanOutChanged,
    /// The endpoint's paging was added, removed or changed.
    PagingChanged,
    /// An endpoint or field became deprecated, or no longer is, or its replacement changed.
    DeprecationChanged,
    /// What the server does past a field's upper limit (refuse or truncate) changed.
    OverLimitChanged,
    /// A base URL changed.
    HostsChanged,
    /// A status code is new.
    StatusCodeAdded,
    /// A status code is gone.
    StatusCodeRemoved,
    /// A status code's kind (its Rust variant) changed.
    StatusCodeChanged,
    /// Descriptions, notes, sources, disagreements, examples, pages, summaries.
    Docs,
}

impl Kind {
    /// The kind in snake_case, e.g. `limit_changed`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::EndpointAdded => "endpoint_added",
            Kind::EndpointRemoved => "endpoint_removed",
            Kind::ApiChanged => "api_changed",
            Kind::MethodChanged => "method_changed",
            Kind::BodyChanged => "body_changed",
            Kind::PathChanged => "path_changed",
            Kind::DomainChanged => "domain_changed",
            Kind::FieldAdded => "field_added",
            Kind::FieldRemoved => "field_removed",
            Kind::TypeChanged => "type_changed",
            Kind::RustNameChanged => "rust_name_changed",
            Kind::EncodingChanged => "encoding_changed",
            Kind::LocationChanged => "location_changed",
            Kind::RequiredChanged => "required_changed",
            Kind::LimitChanged => "limit_changed",
            Kind::AllowedChanged => "allowed_changed",
            Kind::LengthUnitChanged => "length_unit_changed",
            Kind::LenienceChanged => "lenience_changed",
            Kind::DefaultChanged => "default_changed",
            Kind::EnumValueAdded => "enum_value_added",
            Kind::EnumValueRemoved => "enum_value_removed",
            Kind::EnumValueRenumbered => "enum_value_renumbered",
            Kind::EnumOpenChanged => "enum_open_changed",
            Kind::FromScalarChanged => "from_scalar_changed",
            Kind::TypeAdded => "type_added",
            Kind::TypeRemoved => "type_removed",
            Kind::RuleAdded => "rule_added",
            Kind::RuleRemoved => "rule_removed",
            Kind::RuleChanged => "rule_changed",
            Kind::RateLimitChanged => "rate_limit_changed",
            Kind::FanOutChanged => "fan_out_changed",
            Kind::PagingChanged => "paging_changed",
            Kind::DeprecationChanged => "deprecation_changed",
            Kind::OverLimitChanged => "over_limit_changed",
            Kind::HostsChanged => "hosts_changed",
            Kind::StatusCodeAdded => "status_code_added",
            Kind::StatusCodeRemoved => "status_code_removed",
            Kind::StatusCodeChanged => "status_code_changed",
            Kind::Docs => "docs",
        }
    }
}

/// One semantic change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The endpoint it concerns, or [`SHARED`].
    pub endpoint: String,
    /// Where it is in the spec, e.g. `endpoints.send_batch_attach_msg.fields.toAccids.max_items`.
    pub spec_path: String,
    /// What kind of change it is.
    pub kind: Kind,
    /// The value before, as the spec spells it; `None` when there was none.
    pub old: Option<String>,
    /// The value after; `None` when there is none.
    pub new: Option<String>,
    /// Whether it breaks users of the generated client.
    pub class: Class,
    /// One line for humans, e.g. ``` `toAccids`: max_items raised 500 → 5000 ```.
    pub text: String,
}

/// Every change between two models.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpecDiff {
    /// In walk order: endpoints by name, then shared things.
    pub changes: Vec<Change>,
}

impl SpecDiff {
    /// Whether the two models mean the same.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// How many changes have class `class`.
    pub fn count(&self, class: Class) -> usize {
        self.changes.iter().filter(|c| c.class == class).count()
    }

    /// Whether any change breaks users.
    pub fn has_breaking(&self) -> bool {
        self.count(Class::Breaking) > 0
    }

    /// `2 breaking, 3 compatible, 1 docs-only`.
    pub fn summary(&self) -> String {
        Class::ALL
            .iter()
            .map(|c| format!("{} {}", self.count(*c), c.name()))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Changes grouped by endpoint (in name order, [`SHARED`] last); within a group the most
    /// severe come first, otherwise in walk order.
    pub fn groups(&self) -> Vec<(&str, Vec<&Change>)> {
        let mut names: Vec<&str> = self
            .changes
            .iter()
            .map(|c| c.endpoint.as_str())
            .filter(|e| *e != SHARED)
            .collect();
        names.sort_unstable();
        names.dedup();
        if self.changes.iter().any(|c| c.endpoint == SHARED) {
            names.push(SHARED);
        }
        names
            .into_iter()
            .map(|name| {
                let mut group: Vec<&Change> =
                    self.changes.iter().filter(|c| c.endpoint == name).collect();
                group.sort_by_key(|c| c.class);
                (name, group)
            })
            .collect()
    }
}

/// Compares `old` with `new`.
pub fn diff(old: &Model, new: &Model) -> SpecDiff {
    let mut differ = compare::Differ::new(old, new);
    differ.run();
    SpecDiff {
        changes: differ.changes,
    }
}
