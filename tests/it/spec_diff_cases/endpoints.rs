//! Cases for an endpoint's own keys: method, path, rate limit, deprecation, paging, fan-out,
//! status codes, disagreements, reply.

use super::*;
use Class::{Breaking, Compatible, DocsOnly};

pub(super) fn endpoint_cases() -> Vec<Case> {
    vec![
        case(
            &["EndpointFile.summary"],
            DocsOnly,
            "endpoints.create_widget.summary",
            |s| reword(s, CREATE, "summary"),
        ),
        case(
            &["EndpointFile.description"],
            DocsOnly,
            "endpoints.create_widget.description",
            |s| reword(s, CREATE, "description"),
        ),
        case(
            &["EndpointFile.api"],
            Breaking,
            "endpoints.list_widgets_v1.api",
            |s| {
                // A v1 page moved to v2: its own host and a path without `.action`.
                set(s, LIST_V1, "api", "v2");
                let host = text(s, API, "hosts.v2.default");
                set(s, LIST_V1, "hosts", &format!("[{host}]"));
                let path = text(s, LIST_V1, "path").replace(".action", "");
                set(s, LIST_V1, "path", &format!("/v2{path}"));
            },
        ),
        case(
            &["EndpointFile.method"],
            Breaking,
            "endpoints.handle_widget.method",
            |s| {
                let method = if text(s, HANDLE, "method") == "PUT" {
                    "POST"
                } else {
                    "PUT"
                };
                set(s, HANDLE, "method", method)
            },
        ),
        case(
            &["EndpointFile.body"],
            Breaking,
            "endpoints.upload_widget_photo.body",
            |s| {
                // The upload becomes a form: its files travel as text (base64, say).
                remove(s, UPLOAD, "body");
                set(s, UPLOAD, "fields.photo.type", "string");
                set(s, UPLOAD, "fields.thumb.type", "string");
            },
        ),
        case(
            &["EndpointFile.path"],
            Breaking,
            "endpoints.create_widget.path",
            |s| {
                let path = text(s, CREATE, "path");
                set(s, CREATE, "path", &path.replace("create", "make"))
            },
        ),
        case(
            &["EndpointFile.hosts"],
            Compatible,
            "endpoints.create_widget.hosts",
            |s| {
                let host = text(s, API, "hosts.v1.default");
                set(s, CREATE, "hosts", &format!("[{host}]"))
            },
        ),
        case(
            &["EndpointFile.sources"],
            DocsOnly,
            "endpoints.create_widget.sources",
            |s| set(s, CREATE, "sources", "[year]"),
        ),
        case(
            &["EndpointFile.example"],
            DocsOnly,
            "endpoints.create_widget.example",
            |s| set(s, CREATE, "example.title", "Edited"),
        ),
        case(
            &["EndpointFile.example_note"],
            DocsOnly,
            "endpoints.create_widget.example_note",
            |s| set(s, CREATE, "example_note", "Written for the test."),
        ),
        // Rate limits: the client paces by them; nothing the user wrote changes.
        case(
            &["EndpointFile.rate_limit"],
            Compatible,
            "endpoints.create_widget.rate_limit",
            |s| remove(s, CREATE, "rate_limit"),
        ),
        case(
            &["RateLimit.calls"],
            Compatible,
            "endpoints.create_widget.rate_limit.calls",
            |s| bump(s, CREATE, "rate_limit.calls", -1),
        ),
        case(
            &["RateLimit.window_seconds"],
            Compatible,
            "endpoints.create_widget.rate_limit.window_seconds",
            |s| bump(s, CREATE, "rate_limit.window_seconds", 1),
        ),
        case(
            &["RateLimit.block_seconds"],
            Compatible,
            "endpoints.create_widget.rate_limit.block_seconds",
            |s| bump(s, CREATE, "rate_limit.block_seconds", 1),
        ),
        case(
            &["RateLimit.code"],
            Compatible,
            "endpoints.create_widget.rate_limit.code",
            |s| {
                // Another code of the same kind, which the page lists.
                set(
                    s,
                    API,
                    "status_codes.429",
                    "{kind: too_many, meaning: Too many.}",
                );
                set(s, CREATE, "status_codes.429", "{meaning: Too many.}");
                set(s, CREATE, "rate_limit.code", "429")
            },
        ),
        case(
            &["RateLimit.blocks"],
            Compatible,
            "endpoints.create_widget.rate_limit.blocks",
            |s| {
                let blocks = if text(s, CREATE, "rate_limit.blocks") == "app" {
                    "endpoint"
                } else {
                    "app"
                };
                set(s, CREATE, "rate_limit.blocks", blocks)
            },
        ),
        case(
            &["RateLimit.plans"],
            Compatible,
            "endpoints.create_widget.rate_limit.plans.gold",
            |s| {
                set(
                    s,
                    CREATE,
                    "rate_limit.plans.gold",
                    "{calls: 1000, window_seconds: 1}",
                )
            },
        ),
        case(
            &["PlanLimit.calls"],
            Compatible,
            "endpoints.create_widget.rate_limit.plans.premium",
            |s| bump(s, CREATE, "rate_limit.plans.premium.calls", 1),
        ),
        case(
            &["PlanLimit.window_seconds"],
            Compatible,
            "endpoints.create_widget.rate_limit.plans.premium",
            |s| bump(s, CREATE, "rate_limit.plans.premium.window_seconds", 1),
        ),
        case(
            &["PlanLimit.note"],
            DocsOnly,
            "endpoints.create_widget.rate_limit.plans.premium.note",
            |s| reword(s, CREATE, "rate_limit.plans.premium.note"),
        ),
        case(
            &["RateLimit.sources"],
            DocsOnly,
            "endpoints.create_widget.rate_limit.sources",
            |s| set(s, CREATE, "rate_limit.sources", "[year]"),
        ),
        case(
            &["RateLimit.note"],
            DocsOnly,
            "endpoints.create_widget.rate_limit.note",
            |s| reword(s, CREATE, "rate_limit.note"),
        ),
        // Deprecation: a method that becomes #[deprecated] still compiles and works.
        case(
            &["EndpointFile.deprecated", "Deprecation.note"],
            Compatible,
            "endpoints.create_widget.deprecated",
            |s| set(s, CREATE, "deprecated", "{note: Going away.}"),
        ),
        case(&[], Compatible, "endpoints.update_widget.deprecated", |s| {
            remove(s, UPDATE, "deprecated")
        }),
        case(
            &["Deprecation.replacement"],
            DocsOnly,
            "endpoints.update_widget.deprecated.replacement",
            |s| set(s, UPDATE, "deprecated.replacement", "create_widget"),
        ),
        case(
            &[],
            DocsOnly,
            "endpoints.update_widget.deprecated.note",
            |s| reword(s, UPDATE, "deprecated.note"),
        ),
        case(
            &["Deprecation.sources"],
            DocsOnly,
            "endpoints.update_widget.deprecated.sources",
            |s| set(s, UPDATE, "deprecated.sources", "[year]"),
        ),
        // Removing a deprecated endpoint still breaks the code that calls it.
        case(&[], Breaking, "endpoints.update_widget", |s| {
            s.remove(UPDATE);
        }),
        case(
            &["EndpointFile.paging"],
            Breaking,
            "endpoints.list_widgets.paging",
            |s| remove(s, LIST, "paging"),
        ),
        case(
            &["Paging.has_more"],
            Compatible,
            "endpoints.list_widgets.paging",
            |s| remove(s, LIST, "paging.has_more"),
        ),
        case(
            &["Paging.cursor", "Paging.next_cursor", "Paging.items"],
            Compatible,
            "endpoints.list_widgets.paging",
            |s| {
                // Every paging field renamed on the wire: the pager reads the new names.
                for (key, place) in [
                    ("cursor", "fields"),
                    ("next_cursor", "reply.fields"),
                    ("items", "reply.fields"),
                ] {
                    let wire = text(s, LIST, &format!("paging.{key}"));
                    let field = at(s, LIST, &format!("{place}.{wire}")).clone();
                    remove(s, LIST, &format!("{place}.{wire}"));
                    *at(s, LIST, &format!("{place}.{wire}2")) = field;
                    set(s, LIST, &format!("paging.{key}"), &format!("{wire}2"));
                }
            },
        ),
        // Items of another type: the pager yields something else.
        case(&[], Breaking, "endpoints.list_widgets.paging", |s| {
            set(
                s,
                LIST,
                "reply.fields.names",
                "{type: list<string>, description: Names.}",
            );
            set(s, LIST, "paging.items", "names")
        }),
        case(
            &["Paging.offset", "Paging.limit"],
            Compatible,
            "endpoints.list_widget_members.paging",
            |s| {
                // The offset and the limit renamed on the wire: the pager sets the new names.
                for key in ["offset", "limit"] {
                    let field = at(s, MEMBERS, &format!("fields.{key}")).clone();
                    remove(s, MEMBERS, &format!("fields.{key}"));
                    *at(s, MEMBERS, &format!("fields.{key}2")) = field;
                    set(s, MEMBERS, &format!("paging.{key}"), &format!("{key}2"));
                }
            },
        ),
        case(
            &["Paging.total"],
            Compatible,
            "endpoints.list_widget_members.paging",
            |s| remove(s, MEMBERS, "paging.total"),
        ),
        case(
            &["Paging.note"],
            DocsOnly,
            "endpoints.list_widget_members.paging.note",
            |s| reword(s, MEMBERS, "paging.note"),
        ),
        case(
            &["Paging.sources"],
            DocsOnly,
            "endpoints.list_widget_members.paging.sources",
            |s| set(s, MEMBERS, "paging.sources", "[year]"),
        ),
        // Another form under the same methods: pages start and end elsewhere.
        case(
            &["Paging.window"],
            Breaking,
            "endpoints.list_widget_members.paging",
            |s| {
                set(
                    s,
                    MEMBERS,
                    "fields.end",
                    "{type: long, in: query, description: End.}",
                );
                set(
                    s,
                    MEMBERS,
                    "types.Member",
                    "{kind: object, description: A member., fields: {at: {type: long, description: When.}}}",
                );
                set(s, MEMBERS, "reply.fields.members.type", "list<Member>");
                remove(s, MEMBERS, "paging.offset");
                remove(s, MEMBERS, "paging.total");
                set(s, MEMBERS, "paging.window", "{end: end, item_time: at}");
            },
        ),
        case(
            &[
                "Window.order",
                "WindowOrder.field",
                "WindowOrder.newest_first",
            ],
            Compatible,
            "endpoints.list_widget_events.paging",
            |s| remove(s, EVENTS, "paging.window.order"),
        ),
        case(
            &["Window.exclude", "Exclude.field", "Exclude.item"],
            Compatible,
            "endpoints.list_widget_events.paging",
            |s| remove(s, EVENTS, "paging.window.exclude"),
        ),
        case(
            &["Window.begin"],
            Compatible,
            "endpoints.list_widget_events.paging",
            |s| remove(s, EVENTS, "paging.window.begin"),
        ),
        case(
            &["Window.end", "Window.item_time"],
            Compatible,
            "endpoints.list_widget_events.paging",
            |s| {
                // The window's end and the items' time renamed on the wire.
                let field = at(s, EVENTS, "fields.endtime").clone();
                remove(s, EVENTS, "fields.endtime");
                *at(s, EVENTS, "fields.end_time") = field;
                set(s, EVENTS, "paging.window.end", "end_time");
                let field = at(s, EVENTS, "types.WidgetEvent.fields.at").clone();
                remove(s, EVENTS, "types.WidgetEvent.fields.at");
                *at(s, EVENTS, "types.WidgetEvent.fields.sent_at") = field;
                set(s, EVENTS, "paging.window.item_time", "sent_at");
            },
        ),
        case(
            &["EndpointFile.fan_out"],
            Breaking,
            "endpoints.create_widget.fan_out",
            |s| remove(s, CREATE, "fan_out"),
        ),
        case(
            &["FanOut.chunk_size"],
            Compatible,
            "endpoints.delete_widgets.fan_out",
            |s| bump(s, DELETE, "fan_out.chunk_size", -1),
        ),
        case(
            &["FanOut.recipients"],
            Compatible,
            "endpoints.create_widget.fan_out",
            |s| {
                let wire = text(s, CREATE, "fan_out.recipients");
                // A copy of the recipients field, which the example sends too.
                for place in ["fields", "example"] {
                    let value = at(s, CREATE, &format!("{place}.{wire}")).clone();
                    *at(s, CREATE, &format!("{place}.{wire}2")) = value;
                }
                set(s, CREATE, "fan_out.recipients", &format!("{wire}2"));
            },
        ),
        case(
            &["FanOut.unregistered"],
            Compatible,
            "endpoints.create_widget.fan_out",
            |s| remove(s, CREATE, "fan_out.unregistered"),
        ),
        case(
            &["FanOut.failed_items"],
            Compatible,
            "endpoints.create_widget.fan_out",
            |s| remove(s, CREATE, "fan_out.failed_items"),
        ),
        case(
            &["FanOut.succeeded"],
            Compatible,
            "endpoints.delete_widgets.fan_out",
            |s| remove(s, DELETE, "fan_out.succeeded"),
        ),
        case(
            &["FanOut.failed", "FailedList.field", "FailedList.recipient"],
            Compatible,
            "endpoints.delete_widgets.fan_out",
            |s| remove(s, DELETE, "fan_out.failed"),
        ),
        case(
            &["FailedList.reason"],
            Compatible,
            "endpoints.delete_widgets.fan_out",
            |s| remove(s, DELETE, "fan_out.failed.reason"),
        ),
        case(
            &["FanOut.resend", "Resend.set"],
            Compatible,
            "endpoints.create_widget.fan_out",
            |s| remove(s, CREATE, "fan_out.resend"),
        ),
        case(
            &["ResendSet.value"],
            Compatible,
            "endpoints.create_widget.fan_out",
            |s| {
                let value = at(s, CREATE, "fan_out.resend.set.value")
                    .as_bool()
                    .expect("a bool");
                set(s, CREATE, "fan_out.resend.set.value", &(!value).to_string())
            },
        ),
        case(
            &["ResendSet.field"],
            Compatible,
            "endpoints.create_widget.fan_out",
            |s| {
                set(
                    s,
                    TYPES,
                    "types.Options.fields.again",
                    "{type: bool, description: A resend.}",
                );
                set(s, CREATE, "fan_out.resend.set.field", "options.again")
            },
        ),
        case(
            &["Resend.sources"],
            DocsOnly,
            "endpoints.create_widget.fan_out.resend.sources",
            |s| set(s, CREATE, "fan_out.resend.sources", "[year]"),
        ),
        case(
            &["FanOut.sources"],
            DocsOnly,
            "endpoints.create_widget.fan_out.sources",
            |s| set(s, CREATE, "fan_out.sources", "[year]"),
        ),
        case(
            &["FanOut.note"],
            DocsOnly,
            "endpoints.create_widget.fan_out.note",
            |s| reword(s, CREATE, "fan_out.note"),
        ),
        case(
            &["EndpointFile.disagreements", "Disagreement.topic"],
            DocsOnly,
            "endpoints.create_widget.disagreements[0]",
            |s| reword(s, CREATE, "disagreements.0.topic"),
        ),
        case(
            &["Disagreement.pages"],
            DocsOnly,
            "endpoints.create_widget.disagreements[0]",
            |s| reword(s, CREATE, "disagreements.0.pages.day"),
        ),
        case(
            &["Disagreement.settled"],
            DocsOnly,
            "endpoints.create_widget.disagreements[0]",
            |s| reword(s, CREATE, "disagreements.0.settled"),
        ),
        case(
            &["EndpointFile.status_codes"],
            Compatible,
            "endpoints.create_widget.status_codes.500",
            |s| set(s, CREATE, "status_codes.500", "{meaning: It failed.}"),
        ),
        case(
            &["EndpointStatus.kind"],
            Breaking,
            "endpoints.create_widget.status_codes.801.kind",
            |s| {
                let kind = text(s, CREATE, "status_codes.801.kind");
                set(s, CREATE, "status_codes.801.kind", &format!("{kind}_now"))
            },
        ),
        case(
            &["EndpointStatus.meaning"],
            DocsOnly,
            "endpoints.create_widget.status_codes.801.meaning",
            |s| reword(s, CREATE, "status_codes.801.meaning"),
        ),
        case(
            &["EndpointStatus.advice"],
            DocsOnly,
            "endpoints.create_widget.status_codes.801.advice",
            |s| reword(s, CREATE, "status_codes.801.advice"),
        ),
        case(
            &["EndpointFile.reply", "Reply.description"],
            DocsOnly,
            "endpoints.create_widget.reply.description",
            |s| reword(s, CREATE, "reply.description"),
        ),
        case(
            &["Reply.fields"],
            Compatible,
            "endpoints.create_widget.reply.fields.extra2",
            |s| {
                set(
                    s,
                    CREATE,
                    "reply.fields.extra2",
                    "{type: string, description: More.}",
                )
            },
        ),
        case(
            &["Reply.example"],
            DocsOnly,
            "endpoints.create_widget.reply.example",
            |s| set(s, CREATE, "reply.example", r#"'{"code":200}'"#),
        ),
        case(
            &["Reply.example_note"],
            DocsOnly,
            "endpoints.create_widget.reply.example_note",
            |s| reword(s, CREATE, "reply.example_note"),
        ),
    ]
}
