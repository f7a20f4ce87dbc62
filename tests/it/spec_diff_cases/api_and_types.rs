//! Cases for `api.yaml` and the named types.

use super::*;
use Class::{Breaking, Compatible, DocsOnly};

pub(super) fn api_cases() -> Vec<Case> {
    vec![
        case(&["ApiFile.title"], DocsOnly, "title", |s| {
            reword(s, API, "title")
        }),
        case(&["ApiFile.description"], DocsOnly, "description", |s| {
            reword(s, API, "description")
        }),
        // Fields with a length limit and no unit of their own are now counted in bytes.
        case(
            &["ApiFile.defaults", "Defaults.length_unit"],
            Breaking,
            "endpoints.create_widget.fields.owner.length_unit",
            |s| set(s, API, "defaults.length_unit", "bytes"),
        ),
        case(
            &["ApiFile.hosts", "HostSet.default"],
            Compatible,
            "hosts.v1.default",
            |s| {
                let host = text(s, API, "hosts.v1.default");
                // Another host of the same name: a host is a scheme and authority only.
                set(s, API, "hosts.v1.default", &format!("{host}.edited"));
            },
        ),
        case(
            &["HostSet.alternatives"],
            Compatible,
            "hosts.v2.alternatives",
            |s| {
                let host = text(s, API, "hosts.v2.default");
                set(s, API, "hosts.v2.alternatives", &format!("[{host}.backup]"));
            },
        ),
        case(&["ApiFile.domains"], DocsOnly, "domains.extra", |s| {
            set(
                s,
                API,
                "domains.extra",
                "{title: Extra, description: Nothing yet.}",
            )
        }),
        case(
            &["DomainDef.title"],
            DocsOnly,
            "domains.catalog.title",
            |s| reword(s, API, "domains.catalog.title"),
        ),
        case(
            &["DomainDef.description"],
            DocsOnly,
            "domains.catalog.description",
            |s| reword(s, API, "domains.catalog.description"),
        ),
        // The file moves from its domain folder to none: the feature that compiles it changes.
        case(
            &["ApiFile.domains"],
            Breaking,
            "endpoints.create_widget",
            |s| {
                let file = s.remove(CREATE).expect("the create_widget file");
                s.insert("endpoints/create_widget.yaml".to_owned(), file);
            },
        ),
        case(&["HostSet.note"], DocsOnly, "hosts.v1.note", |s| {
            reword(s, API, "hosts.v1.note")
        }),
        case(&["ApiFile.pages"], DocsOnly, "pages.extra", |s| {
            set(
                s,
                API,
                "pages.extra",
                "{file: widgets/extra.md, title: Extra, language: en, kind: page}",
            )
        }),
        case(&["Page.file"], DocsOnly, "pages.day", |s| {
            reword(s, API, "pages.day.file")
        }),
        case(&["Page.title"], DocsOnly, "pages.day", |s| {
            reword(s, API, "pages.day.title")
        }),
        case(&["Page.language"], DocsOnly, "pages.day", |s| {
            let language = if text(s, API, "pages.day.language") == "en" {
                "zh"
            } else {
                "en"
            };
            set(s, API, "pages.day.language", language)
        }),
        case(&["Page.date"], DocsOnly, "pages.day", |s| {
            remove(s, API, "pages.day.date")
        }),
        case(&["Page.date_note"], DocsOnly, "pages.undated", |s| {
            reword(s, API, "pages.undated.date_note")
        }),
        case(&["Page.url"], DocsOnly, "pages.day", |s| {
            remove(s, API, "pages.day.url")
        }),
        case(&["Page.kind"], DocsOnly, "pages.day", |s| {
            set(s, API, "pages.day.kind", "sdk")
        }),
        case(
            &["ApiFile.status_codes"],
            Compatible,
            "status_codes.599",
            |s| {
                set(
                    s,
                    API,
                    "status_codes.599",
                    "{kind: brand_new, meaning: New.}",
                )
            },
        ),
        case(
            &["StatusCode.kind"],
            Breaking,
            "status_codes.500.kind",
            |s| set(s, API, "status_codes.500.kind", "server_failure"),
        ),
        case(
            &["StatusCode.meaning"],
            DocsOnly,
            "status_codes.500.meaning",
            |s| reword(s, API, "status_codes.500.meaning"),
        ),
        case(
            &["StatusCode.advice"],
            DocsOnly,
            "status_codes.500.advice",
            |s| reword(s, API, "status_codes.500.advice"),
        ),
    ]
}

pub(super) fn type_cases() -> Vec<Case> {
    vec![
        case(
            &["TypeDef.description"],
            DocsOnly,
            "types.Color.description",
            |s| reword(s, TYPES, "types.Color.description"),
        ),
        case(&["TypeDef.sources"], DocsOnly, "types.Color.sources", |s| {
            set(s, TYPES, "types.Color.sources", "[day]")
        }),
        Case {
            keys: &["TypeDef.kind"],
            both: |s| {
                set(s, TYPES, "types.Spare", "{kind: enum, description: Spare., values: {one: {value: 1, description: One.}}}")
            },
            edit: |s| {
                set(s, TYPES, "types.Spare", "{kind: object, description: Spare., fields: {one: {type: int, description: One.}}}")
            },
            class: Breaking,
            path: "types.Spare",
        },
        case(
            &["TypeDef.values"],
            Compatible,
            "types.Color.values.violet",
            |s| {
                set(
                    s,
                    TYPES,
                    "types.Color.values.violet",
                    "{value: 99, description: Violet.}",
                )
            },
        ),
        case(
            &["EnumValue.value"],
            Breaking,
            "types.Color.values.green.value",
            // The one value no example sends.
            |s| bump(s, TYPES, "types.Color.values.green.value", 100),
        ),
        case(
            &["EnumValue.description"],
            DocsOnly,
            "types.Color.values.red.description",
            |s| reword(s, TYPES, "types.Color.values.red.description"),
        ),
        case(
            &["EnumValue.sources"],
            DocsOnly,
            "types.Color.values.red.sources",
            |s| set(s, TYPES, "types.Color.values.red.sources", "[year]"),
        ),
        case(&["TypeDef.open"], Breaking, "types.Level.open", |s| {
            set(s, TYPES, "types.Level.open", "false")
        }),
        case(
            &["TypeDef.fields"],
            Compatible,
            "types.Options.fields.quiet",
            |s| {
                set(
                    s,
                    TYPES,
                    "types.Options.fields.quiet",
                    "{type: bool, description: Quiet.}",
                )
            },
        ),
        case(
            &["TypeDef.from_scalar"],
            Breaking,
            "types.Tag.from_scalar",
            |s| remove(s, TYPES, "types.Tag.from_scalar"),
        ),
        case(
            &["EndpointFile.types"],
            Compatible,
            "endpoints.list_widgets.types.Widget.fields.size",
            |s| {
                set(
                    s,
                    LIST,
                    "types.Widget.fields.size",
                    "{type: int, description: Size.}",
                )
            },
        ),
    ]
}
