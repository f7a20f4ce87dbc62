//! Cases for fields (request, reply and object fields) and rules.

use serde_yaml::Value;

use super::*;
use Class::{Breaking, Compatible, DocsOnly};

pub(super) fn rule_cases() -> Vec<Case> {
    vec![
        case(
            &[
                "EndpointFile.rules",
                "RuleDef.when",
                "RuleDef.then",
                "Consequence.field",
                "Consequence.present",
            ],
            Breaking,
            "endpoints.create_widget.rules[9]",
            |s| {
                let Value::Sequence(rules) = at(s, CREATE, "rules") else {
                    panic!("rules")
                };
                rules.push(serde_yaml::from_str("{when: {field: flag, equals: true}, then: {field: big, present: true}, description: New.}").unwrap());
            },
        ),
        case(
            &["Condition.field"],
            Breaking,
            "endpoints.create_widget.rules[0]",
            |s| set(s, CREATE, "rules.0.when.field", "options.loud"),
        ),
        case(
            &["Condition.equals"],
            Breaking,
            "endpoints.create_widget.rules[0].when",
            |s| {
                let value = at(s, CREATE, "rules.0.when.equals")
                    .as_bool()
                    .expect("a bool");
                set(s, CREATE, "rules.0.when.equals", &(!value).to_string())
            },
        ),
        // One more listed value: the rule applies in more cases.
        case(
            &["Condition.in"],
            Breaking,
            "endpoints.create_widget.rules[2].when",
            |s| {
                let Value::Sequence(values) = at(s, CREATE, "rules.2.when.in") else {
                    panic!("in")
                };
                let extra = ["red", "green", "blue"]
                    .into_iter()
                    .find(|c| !values.contains(&Value::from(*c)))
                    .expect("a color not listed");
                values.push(Value::from(extra));
            },
        ),
        case(
            &["Condition.not_equals"],
            Breaking,
            "endpoints.create_widget.rules[3].when",
            |s| {
                let value = text(s, CREATE, "rules.3.when.not_equals");
                let other = ["red", "green", "blue"]
                    .into_iter()
                    .find(|c| *c != value)
                    .unwrap();
                set(s, CREATE, "rules.3.when.not_equals", other)
            },
        ),
        // One excluded value fewer: the error rule applies in more cases. (One more could list
        // every value of the closed enum, a rule the checker refuses as never applying.)
        case(
            &["Condition.not_in"],
            Breaking,
            "endpoints.create_widget.rules[4].when",
            |s| {
                let Value::Sequence(values) = at(s, CREATE, "rules.4.when.not_in") else {
                    panic!("not_in")
                };
                assert!(values.len() > 1, "rule 4 excludes more than one value");
                values.pop();
            },
        ),
        case(
            &["Condition.is_set"],
            Breaking,
            "endpoints.create_widget.rules[5].when",
            |s| {
                let value = at(s, CREATE, "rules.5.when.is_set")
                    .as_bool()
                    .expect("a bool");
                set(s, CREATE, "rules.5.when.is_set", &(!value).to_string())
            },
        ),
        case(
            &["Condition.non_empty"],
            Breaking,
            "endpoints.create_widget.rules[6].when",
            |s| {
                remove(s, CREATE, "rules.6.when.non_empty");
                set(s, CREATE, "rules.6.when.is_set", "true")
            },
        ),
        case(
            &["Consequence.max_items"],
            Breaking,
            "endpoints.create_widget.rules[0].then",
            |s| bump(s, CREATE, "rules.0.then.max_items", -1),
        ),
        case(
            &["Consequence.min"],
            Breaking,
            "endpoints.create_widget.rules[1].then",
            |s| bump(s, CREATE, "rules.1.then.min", 1),
        ),
        case(
            &["Consequence.max_chars"],
            Compatible,
            "endpoints.create_widget.rules[4].then",
            |s| bump(s, CREATE, "rules.4.then.max_chars", 1),
        ),
        case(
            &["Consequence.max"],
            Breaking,
            "endpoints.create_widget.rules[6].then",
            |s| bump(s, CREATE, "rules.6.then.max", -1),
        ),
        // A rule of another kind on the same fields: the old one goes, a new error comes.
        case(
            &["Consequence.absent"],
            Breaking,
            "endpoints.create_widget.rules[5]",
            |s| {
                remove(s, CREATE, "rules.5.then.absent");
                set(s, CREATE, "rules.5.then.present", "true")
            },
        ),
        case(
            &["Consequence.less_than"],
            Breaking,
            "endpoints.create_widget.rules[8].then",
            |s| set(s, CREATE, "rules.8.then.less_than", "big"),
        ),
        case(
            &["Consequence.less_or_equal"],
            Breaking,
            "endpoints.handle_widget.rules[0].then",
            |s| set(s, HANDLE, "rules.0.then.less_or_equal", "target"),
        ),
        case(
            &["Consequence.greater_or_equal"],
            Breaking,
            "endpoints.handle_widget.rules[1].then",
            |s| set(s, HANDLE, "rules.1.then.greater_or_equal", "max_weight"),
        ),
        case(
            &["Consequence.greater_than"],
            Breaking,
            "endpoints.handle_widget.rules[2].then",
            |s| set(s, HANDLE, "rules.2.then.greater_than", "max_weight"),
        ),
        // Severity: a refusal that becomes a warning lets requests through; the other way not.
        case(
            &["RuleDef.severity"],
            Compatible,
            "endpoints.create_widget.rules[1].severity",
            |s| set(s, CREATE, "rules.1.severity", "warning"),
        ),
        case(
            &[],
            Breaking,
            "endpoints.create_widget.rules[2].severity",
            |s| set(s, CREATE, "rules.2.severity", "error"),
        ),
        case(
            &["RuleDef.description"],
            DocsOnly,
            "endpoints.create_widget.rules[0].description",
            |s| reword(s, CREATE, "rules.0.description"),
        ),
        case(
            &["RuleDef.sources"],
            DocsOnly,
            "endpoints.create_widget.rules[3].sources",
            |s| set(s, CREATE, "rules.3.sources", "[year]"),
        ),
    ]
}

pub(super) fn field_cases() -> Vec<Case> {
    vec![
        case(
            &["EndpointFile.fields"],
            Compatible,
            "endpoints.create_widget.fields.extra",
            |s| {
                set(
                    s,
                    CREATE,
                    "fields.extra",
                    "{type: string, description: More.}",
                )
            },
        ),
        case(
            &["Field.type"],
            Breaking,
            "endpoints.create_widget.fields.big.type",
            |s| set(s, CREATE, "fields.big.type", "int"),
        ),
        // The user's code is the same; the client sends it where the spec now says.
        case(
            &["Field.in"],
            Compatible,
            "endpoints.handle_widget.fields.action.in",
            |s| set(s, HANDLE, "fields.action.in", "body"),
        ),
        // A DELETE may carry a body: a query field moved there is accepted and compatible too.
        case(
            &["Field.in"],
            Compatible,
            "endpoints.delete_widgets.fields.hard.in",
            |s| set(s, DELETE, "fields.hard.in", "body"),
        ),
        case(
            &["Field.rust"],
            Breaking,
            "endpoints.create_widget.fields.type.rust",
            |s| {
                reword(s, CREATE, "fields.type.rust");
                let rust = text(s, CREATE, "fields.type.rust").replace(" Edited.", "_kind");
                set(s, CREATE, "fields.type.rust", &rust)
            },
        ),
        case(
            &["Field.description"],
            DocsOnly,
            "endpoints.create_widget.fields.big.description",
            |s| reword(s, CREATE, "fields.big.description"),
        ),
        case(
            &["Field.required"],
            Breaking,
            // A field the example sends, so the example stays valid.
            "endpoints.create_widget.fields.title.required",
            |s| set(s, CREATE, "fields.title.required", "true"),
        ),
        case(
            &["Field.encoding"],
            Compatible,
            "endpoints.create_widget.fields.codes.encoding",
            |s| set(s, CREATE, "fields.codes.encoding", "json_text"),
        ),
        // An int flag made a switch: its setter and getter take `bool` now, so users' code breaks,
        // though the wire keeps 0 and 1.
        case(
            &["Field.encoding"],
            Breaking,
            "endpoints.create_widget.fields.mode.type",
            |s| {
                remove(s, CREATE, "fields.mode.allowed");
                set(s, CREATE, "fields.mode.type", "bool");
                set(s, CREATE, "fields.mode.encoding", "zero_one");
            },
        ),
        case(
            &["Field.default"],
            DocsOnly,
            "endpoints.create_widget.fields.count.default",
            |s| bump(s, CREATE, "fields.count.default", 1),
        ),
        case(
            &["Field.min_chars"],
            Breaking,
            "endpoints.create_widget.fields.owner.min_chars",
            |s| set(s, CREATE, "fields.owner.min_chars", "1"),
        ),
        case(
            &["Field.max_chars"],
            Compatible,
            "endpoints.create_widget.fields.owner.max_chars",
            |s| bump(s, CREATE, "fields.owner.max_chars", 1),
        ),
        case(
            &["Field.length_unit"],
            Breaking,
            "endpoints.create_widget.fields.label.length_unit",
            |s| set(s, CREATE, "fields.label.length_unit", "bytes"),
        ),
        case(
            &["Field.min_items"],
            Breaking,
            "endpoints.create_widget.fields.ids.min_items",
            |s| bump(s, CREATE, "fields.ids.min_items", 1),
        ),
        case(
            &["Field.max_items"],
            Compatible,
            "endpoints.create_widget.fields.ids.max_items",
            |s| bump(s, CREATE, "fields.ids.max_items", 1),
        ),
        case(
            &["Field.min"],
            Breaking,
            "endpoints.create_widget.fields.count.min",
            |s| bump(s, CREATE, "fields.count.min", 1),
        ),
        case(
            &["Field.max"],
            Compatible,
            "endpoints.create_widget.fields.ratio.max",
            |s| bump(s, CREATE, "fields.ratio.max", 1),
        ),
        case(
            &["Field.allowed"],
            Breaking,
            "endpoints.create_widget.fields.type.allowed",
            |s| {
                let Value::Sequence(values) = at(s, CREATE, "fields.type.allowed") else {
                    panic!("allowed")
                };
                values.pop();
            },
        ),
        case(
            &[],
            Compatible,
            "endpoints.create_widget.fields.type.allowed",
            |s| {
                let Value::Sequence(values) = at(s, CREATE, "fields.type.allowed") else {
                    panic!("allowed")
                };
                values.push(Value::from("another"));
            },
        ),
        // A pattern refuses values that passed; removing one refuses nothing.
        case(
            &["Field.pattern"],
            Breaking,
            "endpoints.create_widget.fields.label.pattern",
            |s| set(s, CREATE, "fields.label.pattern", "'[a-z]+'"),
        ),
        case(
            &[],
            Breaking,
            "endpoints.create_widget.fields.owner.pattern",
            |s| {
                let pattern = text(s, CREATE, "fields.owner.pattern");
                set(s, CREATE, "fields.owner.pattern", &format!("'x|{pattern}'"))
            },
        ),
        case(
            &[],
            Compatible,
            "endpoints.create_widget.fields.owner.pattern",
            |s| remove(s, CREATE, "fields.owner.pattern"),
        ),
        // Past the limit, refused → truncated sends with a warning; truncated → refused refuses.
        case(
            &["Field.over_limit"],
            Compatible,
            "endpoints.create_widget.fields.count.over_limit",
            |s| set(s, CREATE, "fields.count.over_limit", "truncated"),
        ),
        case(
            &[],
            Breaking,
            "endpoints.create_widget.fields.title.over_limit",
            |s| set(s, CREATE, "fields.title.over_limit", "refused"),
        ),
        case(
            &["Field.deprecated"],
            Compatible,
            "endpoints.create_widget.fields.big.deprecated",
            |s| set(s, CREATE, "fields.big.deprecated", "{note: Use count.}"),
        ),
        case(
            &[],
            Compatible,
            "endpoints.create_widget.fields.legacy.deprecated",
            |s| remove(s, CREATE, "fields.legacy.deprecated"),
        ),
        case(
            &[],
            DocsOnly,
            "endpoints.create_widget.fields.legacy.deprecated.replacement",
            |s| set(s, CREATE, "fields.legacy.deprecated.replacement", "count"),
        ),
        // A reply field has no accessor to mark: the docs say it.
        case(
            &[],
            DocsOnly,
            "endpoints.create_widget.reply.fields.extra.deprecated",
            |s| {
                set(
                    s,
                    CREATE,
                    "reply.fields.extra.deprecated",
                    "{note: Going away.}",
                )
            },
        ),
        case(
            &[],
            Compatible,
            "types.Options.fields.loud.deprecated",
            |s| {
                set(
                    s,
                    TYPES,
                    "types.Options.fields.loud.deprecated",
                    "{note: Going away.}",
                )
            },
        ),
        // Removing a deprecated field still breaks the code that sets it.
        case(
            &[],
            Breaking,
            "endpoints.create_widget.fields.legacy",
            |s| remove(s, CREATE, "fields.legacy"),
        ),
        case(
            &["Field.lenient"],
            Breaking,
            "endpoints.create_widget.reply.fields.id.lenient",
            |s| set(s, CREATE, "reply.fields.id.lenient", "[]"),
        ),
        case(
            &["Field.sources"],
            DocsOnly,
            "endpoints.create_widget.fields.type.sources",
            |s| set(s, CREATE, "fields.type.sources", "[day]"),
        ),
        case(
            &["Field.note"],
            DocsOnly,
            "endpoints.create_widget.fields.type.note",
            |s| reword(s, CREATE, "fields.type.note"),
        ),
    ]
}
