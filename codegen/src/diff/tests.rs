//! Classification of each category of change, on small hand-built models.

use super::*;
use crate::model::*;

fn field(wire: &str, ty: Ty) -> Field {
    Field {
        wire: wire.into(),
        rust: snake_case(wire),
        ty,
        description: format!("The {wire}."),
        required: false,
        location: Location::Body,
        encoding: Encoding::Plain,
        over_limit: OverLimit::Refused,
        deprecated: None,
        default: None,
        limits: Limits::default(),
        length_unit: LengthUnit::Utf16,
        lenience: Lenience::default(),
        sources: vec![],
        note: None,
    }
}

fn step(f: &Field) -> PathStep {
    PathStep {
        wire: f.wire.clone(),
        rust: f.rust.clone(),
        ty: f.ty.clone(),
        required: f.required,
        default: f.default.clone(),
        length_unit: f.length_unit,
    }
}

fn model() -> Model {
    let mut to = field("toAccids", Ty::List(Box::new(Ty::String)));
    to.required = true;
    to.limits.max_items = Some(500);
    let mut flag = field("flag", Ty::Bool);
    flag.default = Some(Literal::Bool(false));
    let mut count = field("count", Ty::Int);
    count.limits.min = Some(Number::Int(1));
    let value = |name: &str, value: i64| EnumValue {
        name: name.into(),
        variant: pascal_case(name),
        value,
        description: name.into(),
        sources: vec![],
    };
    let rule = Rule {
        when: Some(Condition {
            field: FieldPath {
                steps: vec![step(&count)],
            },
            test: Test::Equals(Literal::Int(2)),
        }),
        then: FieldPath {
            steps: vec![step(&to)],
        },
        consequence: Consequence::MaxItems(100),
        severity: Severity::Error,
        description: "At most 100 with count 2.".into(),
        sources: vec![],
    };
    let endpoint = Endpoint {
        multipart: false,
        name: "send".into(),
        domain: None,
        type_stem: "Send".into(),
        summary: "Send.".into(),
        description: "Sends.".into(),
        api: Api::V1,
        method: Method::Post,
        path: "/send.action".into(),
        hosts: vec!["https://a.example".into()],
        rate_limit: Some(RateLimit {
            calls: 120,
            window_seconds: 60,
            block_seconds: Some(60),
            code: 416,
            blocks: Blocks::App,
            plans: vec![],
            sources: vec![],
            note: None,
        }),
        deprecated: None,
        paging: None,
        fan_out: None,
        sources: vec!["p0".into()],
        disagreements: vec![],
        status_codes: vec![EndpointStatus {
            code: 200,
            local: false,
            kind: "ok".into(),
            variant: "Ok".into(),
            meaning: "Success.".into(),
            advice: None,
        }],
        fields: vec![
            to,
            field("mode", Ty::Enum("Mode".into())),
            field("option", Ty::Object("Opt".into())),
            count,
        ],
        rules: vec![rule],
        reply: Reply {
            description: "Reply.".into(),
            fields: vec![
                field("kind", Ty::Enum("Mode".into())),
                field("items", Ty::List(Box::new(Ty::Object("Opt".into())))),
            ],
            example: None,
            example_note: None,
        },
        example: None,
        usage: vec![],
    };
    Model {
        domains: vec![],
        title: "T".into(),
        description: "D".into(),
        spec_sha1: String::new(),
        hosts: vec![HostSet {
            api: Api::V1,
            default: "https://a.example".into(),
            alternatives: vec![],
            note: None,
        }],
        pages: vec![],
        status_codes: vec![StatusCode {
            code: 200,
            kind: "ok".into(),
            variant: "Ok".into(),
            meaning: "Success.".into(),
            advice: None,
        }],
        enums: vec![EnumDef {
            name: "Mode".into(),
            description: "Mode.".into(),
            open: false,
            values: vec![value("one", 1), value("two", 2)],
            sources: vec![],
            scope: None,
        }],
        objects: vec![ObjectDef {
            name: "Opt".into(),
            description: "Options.".into(),
            fields: vec![flag],
            from_scalar: None,
            in_request: true,
            in_reply: true,
            lenience: Default::default(),
            sources: vec![],
            scope: None,
        }],
        endpoints: vec![endpoint],
    }
}

fn changed(edit: impl FnOnce(&mut Model)) -> SpecDiff {
    let old = model();
    let mut new = old.clone();
    edit(&mut new);
    diff(&old, &new)
}

fn only(d: &SpecDiff) -> &Change {
    assert_eq!(
        d.changes.len(),
        1,
        "expected one change, got {:#?}",
        d.changes
    );
    &d.changes[0]
}

fn ep(m: &mut Model) -> &mut Endpoint {
    &mut m.endpoints[0]
}

#[test]
fn identical_models_have_no_changes() {
    let d = diff(&model(), &model());
    assert!(d.is_empty());
    assert_eq!(d.summary(), "0 breaking, 0 compatible, 0 docs-only");
}

#[test]
fn new_required_request_field_is_breaking() {
    let d = changed(|m| {
        let mut f = field("fromAccid", Ty::String);
        f.required = true;
        ep(m).fields.push(f);
    });
    let c = only(&d);
    assert_eq!((c.kind, c.class), (Kind::FieldAdded, Class::Breaking));
    assert_eq!(c.endpoint, "send");
    assert_eq!(c.spec_path, "endpoints.send.fields.fromAccid");
    assert_eq!(c.text, "`fromAccid`: new required field of type `string`");
    assert!(d.has_breaking());
}

#[test]
fn new_optional_request_field_is_compatible() {
    let d = changed(|m| ep(m).fields.push(field("checkAccidAsyncEnable", Ty::Bool)));
    let c = only(&d);
    assert_eq!((c.kind, c.class), (Kind::FieldAdded, Class::Compatible));
    assert_eq!(
        c.text,
        "`checkAccidAsyncEnable`: new optional field of type `bool`"
    );
    assert!(!d.has_breaking());
}

#[test]
fn removed_request_field_is_breaking() {
    let d = changed(|m| ep(m).fields.retain(|f| f.wire != "count"));
    // The rule on `count` goes with it in a real spec; here only the field is compared.
    let c = d
        .changes
        .iter()
        .find(|c| c.kind == Kind::FieldRemoved)
        .expect("field removed");
    assert_eq!(c.class, Class::Breaking);
    assert_eq!(c.old.as_deref(), Some("int"));
}

#[test]
fn removed_enum_value_is_breaking_in_request_and_reply() {
    let d = changed(|m| m.enums[0].values.retain(|v| v.name != "two"));
    assert_eq!(d.changes.len(), 2, "{:#?}", d.changes);
    for c in &d.changes {
        assert_eq!((c.kind, c.class), (Kind::EnumValueRemoved, Class::Breaking));
        assert_eq!(c.spec_path, "types.Mode.values.two");
    }
    assert_eq!(d.changes[0].text, "`mode`: `Mode` value `two` (2) removed");
    assert_eq!(
        d.changes[1].text,
        "`reply.kind`: `Mode` value `two` (2) removed"
    );
}

#[test]
fn new_enum_value_is_compatible_unless_a_closed_enum_in_a_reply() {
    let add = |m: &mut Model| {
        m.enums[0].values.push(EnumValue {
            name: "three".into(),
            variant: "Three".into(),
            value: 3,
            description: "3".into(),
            sources: vec![],
        })
    };
    let d = changed(add);
    let classes: Vec<(&str, Class)> = d
        .changes
        .iter()
        .map(|c| (c.text.split(':').next().unwrap(), c.class))
        .collect();
    assert_eq!(
        classes,
        [
            ("`mode`", Class::Compatible),
            ("`reply.kind`", Class::Breaking)
        ]
    );
    let d = changed(|m| {
        add(m);
        m.enums[0].open = true;
    });
    let added: Vec<Class> = d
        .changes
        .iter()
        .filter(|c| c.kind == Kind::EnumValueAdded)
        .map(|c| c.class)
        .collect();
    assert_eq!(added, [Class::Compatible, Class::Compatible]);
}

#[test]
fn opening_an_enum_is_compatible_closing_it_breaking() {
    let d = changed(|m| m.enums[0].open = true);
    assert!(
        d.changes
            .iter()
            .all(|c| c.kind == Kind::EnumOpenChanged && c.class == Class::Compatible),
        "{:#?}",
        d.changes
    );
    let open = {
        let mut m = model();
        m.enums[0].open = true;
        m
    };
    let d = diff(&open, &model());
    assert_eq!(d.changes.len(), 2);
    assert!(d
        .changes
        .iter()
        .all(|c| c.kind == Kind::EnumOpenChanged && c.class == Class::Breaking));
    assert_eq!(d.changes[0].spec_path, "types.Mode.open");
}

#[test]
fn renumbered_enum_value_is_breaking() {
    let d = changed(|m| m.enums[0].values[1].value = 20);
    assert!(d
        .changes
        .iter()
        .all(|c| c.kind == Kind::EnumValueRenumbered && c.class == Class::Breaking));
    assert_eq!(
        d.changes[0].text,
        "`mode`: `Mode` value `two` renumbered 2 → 20"
    );
}

#[test]
fn description_change_is_docs_only() {
    let d = changed(|m| ep(m).fields[0].description = "Receivers.".into());
    let c = only(&d);
    assert_eq!((c.kind, c.class), (Kind::Docs, Class::DocsOnly));
    assert_eq!(c.spec_path, "endpoints.send.fields.toAccids.description");
    assert_eq!(c.new.as_deref(), Some("Receivers."));
}

#[test]
fn default_change_is_docs_only_and_attributed_through_shared_types() {
    let d = changed(|m| m.objects[0].fields[0].default = Some(Literal::Bool(true)));
    // Opt is used by the request (`option`) and the reply (`items[]`).
    assert_eq!(d.changes.len(), 2, "{:#?}", d.changes);
    let c = &d.changes[0];
    assert_eq!((c.kind, c.class), (Kind::DefaultChanged, Class::DocsOnly));
    assert_eq!(c.endpoint, "send");
    assert_eq!(c.spec_path, "types.Opt.fields.flag.default");
    assert_eq!(
        c.text,
        "`option.flag`: default `false` → `true` (server-side default; documentation only)"
    );
    assert!(d.changes[1]
        .text
        .starts_with("`reply.items[].flag`: default"));
}

#[test]
fn type_change_is_breaking() {
    let d = changed(|m| ep(m).fields[3].ty = Ty::Long);
    let c = only(&d);
    assert_eq!((c.kind, c.class), (Kind::TypeChanged, Class::Breaking));
    assert_eq!(c.text, "`count`: type `int` → `long`");
}

#[test]
fn limits_are_classified_by_direction() {
    let d = changed(|m| ep(m).fields[0].limits.max_items = Some(5000));
    let c = only(&d);
    assert_eq!((c.kind, c.class), (Kind::LimitChanged, Class::Compatible));
    assert_eq!(c.text, "`toAccids`: max_items raised 500 → 5000");
    assert_eq!(
        (c.old.as_deref(), c.new.as_deref()),
        (Some("500"), Some("5000"))
    );
    assert_eq!(
        only(&changed(|m| ep(m).fields[0].limits.max_items = Some(400))).class,
        Class::Breaking
    );
    assert_eq!(
        only(&changed(|m| ep(m).fields[0].limits.max_items = None)).class,
        Class::Compatible
    );
    assert_eq!(
        only(&changed(
            |m| ep(m).fields[3].limits.min = Some(Number::Int(2))
        ))
        .class,
        Class::Breaking
    );
    assert_eq!(
        only(&changed(
            |m| ep(m).fields[3].limits.min = Some(Number::Int(0))
        ))
        .class,
        Class::Compatible
    );
    assert_eq!(
        only(&changed(
            |m| ep(m).fields[3].limits.max = Some(Number::Int(9))
        ))
        .class,
        Class::Breaking
    );
}

#[test]
fn allowed_values_and_length_units() {
    let d = changed(|m| ep(m).fields[3].limits.allowed = vec![Literal::Int(1)]);
    assert_eq!(only(&d).class, Class::Breaking);
    let old = {
        let mut m = model();
        ep(&mut m).fields[3].limits.allowed = vec![Literal::Int(1), Literal::Int(2)];
        m
    };
    let mut new = old.clone();
    ep(&mut new).fields[3].limits.allowed = vec![Literal::Int(1), Literal::Int(3)];
    let d = diff(&old, &new);
    let classes: Vec<(Kind, Class)> = d.changes.iter().map(|c| (c.kind, c.class)).collect();
    assert_eq!(
        classes,
        [
            (Kind::AllowedChanged, Class::Breaking),
            (Kind::AllowedChanged, Class::Compatible)
        ]
    );
    let d = changed(|m| {
        let opt = &mut m.objects[0].fields;
        let mut text = field("text", Ty::String);
        text.limits.max_chars = Some(10);
        opt.push(text);
    });
    assert_eq!(d.changes[0].class, Class::Compatible);
    let with_text = |unit: LengthUnit| {
        let mut m = model();
        let mut text = field("text", Ty::String);
        text.limits.max_chars = Some(10);
        text.length_unit = unit;
        ep(&mut m).fields.push(text);
        m
    };
    let tighter = diff(&with_text(LengthUnit::Utf16), &with_text(LengthUnit::Bytes));
    assert_eq!(
        (only(&tighter).kind, only(&tighter).class),
        (Kind::LengthUnitChanged, Class::Breaking)
    );
    assert_eq!(
        only(&diff(
            &with_text(LengthUnit::Utf16),
            &with_text(LengthUnit::Chars)
        ))
        .class,
        Class::Compatible
    );
}

#[test]
fn required_changes() {
    assert_eq!(
        only(&changed(|m| ep(m).fields[3].required = true)).class,
        Class::Breaking
    );
    // The server accepts more, but the generated `new()` loses a parameter.
    let d = changed(|m| ep(m).fields[0].required = false);
    assert_eq!(
        (only(&d).kind, only(&d).class),
        (Kind::RequiredChanged, Class::Breaking)
    );
    // In a reply, either way changes the Rust type users read.
    assert_eq!(
        only(&changed(|m| ep(m).reply.fields[0].required = true)).class,
        Class::Breaking
    );
}

#[test]
fn reply_fields_added_removed_and_retyped() {
    let d = changed(|m| ep(m).reply.fields.push(field("timetag", Ty::Long)));
    let c = only(&d);
    assert_eq!(
        (c.kind, c.class, c.spec_path.as_str()),
        (
            Kind::FieldAdded,
            Class::Compatible,
            "endpoints.send.reply.fields.timetag"
        )
    );
    assert_eq!(c.text, "`reply.timetag`: new field of type `long`");
    assert_eq!(
        only(&changed(|m| ep(m)
            .reply
            .fields
            .retain(|f| f.wire != "kind")))
        .class,
        Class::Breaking
    );
    let d = changed(|m| ep(m).reply.fields[1].ty = Ty::List(Box::new(Ty::String)));
    assert_eq!(
        (only(&d).kind, only(&d).class),
        (Kind::TypeChanged, Class::Breaking)
    );
    // A nested reply field, with the list in its path.
    let d = changed(|m| m.objects[0].fields.retain(|f| f.wire != "flag"));
    let texts: Vec<&str> = d.changes.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "`option.flag`: field removed",
            "`reply.items[].flag`: field removed"
        ]
    );
    // Limits do not bind replies: the client does not validate them.
    let d = changed(|m| ep(m).reply.fields[1].limits.max_items = Some(3));
    let c = only(&d);
    assert_eq!((c.kind, c.class), (Kind::LimitChanged, Class::DocsOnly));
    assert_eq!(
        c.text,
        "`reply.items`: new limit max_items 3 (replies are not validated)"
    );
}

#[test]
fn rules_added_removed_tightened() {
    let d = changed(|m| ep(m).rules.clear());
    assert_eq!(
        (only(&d).kind, only(&d).class),
        (Kind::RuleRemoved, Class::Compatible)
    );
    let old = {
        let mut m = model();
        ep(&mut m).rules.clear();
        m
    };
    let d = diff(&old, &model());
    let c = only(&d);
    assert_eq!((c.kind, c.class), (Kind::RuleAdded, Class::Breaking));
    assert_eq!(
        c.text,
        "new rule `count = 2` ⇒ `toAccids holds at most 100 items`"
    );
    let d = changed(|m| ep(m).rules[0].consequence = Consequence::MaxItems(50));
    assert_eq!(
        (only(&d).kind, only(&d).class),
        (Kind::RuleChanged, Class::Breaking)
    );
    let d = changed(|m| ep(m).rules[0].consequence = Consequence::MaxItems(200));
    assert_eq!(only(&d).class, Class::Compatible);
    let d = changed(|m| {
        ep(m).rules[0].when.as_mut().unwrap().test =
            Test::In(vec![Literal::Int(2), Literal::Int(3)])
    });
    assert_eq!(
        (only(&d).class, only(&d).spec_path.as_str()),
        (Class::Breaking, "endpoints.send.rules[0].when")
    );
}

#[test]
fn endpoint_level_changes() {
    let d = changed(|m| m.endpoints.clear());
    assert_eq!(
        (only(&d).kind, only(&d).class),
        (Kind::EndpointRemoved, Class::Breaking)
    );
    let d = diff(
        &Model {
            endpoints: vec![],
            ..model()
        },
        &model(),
    );
    assert_eq!(
        (only(&d).kind, only(&d).class),
        (Kind::EndpointAdded, Class::Compatible)
    );
    let d = changed(|m| ep(m).path = "/other.action".into());
    assert_eq!(
        (only(&d).kind, only(&d).class),
        (Kind::PathChanged, Class::Breaking)
    );
    let d = changed(|m| ep(m).rate_limit.as_mut().unwrap().calls = 100);
    assert_eq!(
        (only(&d).kind, only(&d).class),
        (Kind::RateLimitChanged, Class::Compatible)
    );
    let d = changed(|m| ep(m).summary = "Send many.".into());
    assert_eq!(only(&d).class, Class::DocsOnly);
    let with_fan_out = |m: &mut Model| {
        let recipients = ep(m).fields[0].clone();
        ep(m).fan_out = Some(FanOut {
            recipients,
            max: 500,
            note: None,
            conditional: vec![],
            unregistered: None,
            failed: None,
            succeeded: None,
            failed_items: None,
            resend: None,
            sources: vec![],
        });
    };
    let d = changed(with_fan_out);
    assert_eq!(
        (only(&d).kind, only(&d).class),
        (Kind::FanOutChanged, Class::Compatible)
    );
    let mut fanned = model();
    with_fan_out(&mut fanned);
    let d = diff(&fanned, &model());
    assert_eq!(
        (only(&d).kind, only(&d).class),
        (Kind::FanOutChanged, Class::Breaking)
    );
    let mut smaller = fanned.clone();
    ep(&mut smaller).fan_out.as_mut().unwrap().max = 100;
    let d = diff(&fanned, &smaller);
    assert_eq!(only(&d).class, Class::Compatible);
    assert!(only(&d).text.contains("max_items a call") && only(&d).text.contains("100 a call"));
}

#[test]
fn shared_changes() {
    let d = changed(|m| m.hosts[0].default = "https://b.example".into());
    assert_eq!(
        (only(&d).endpoint.as_str(), only(&d).class),
        (SHARED, Class::Compatible)
    );
    let d = changed(|m| {
        m.status_codes.push(StatusCode {
            code: 416,
            kind: "rate_limited".into(),
            variant: "RateLimited".into(),
            meaning: "m".into(),
            advice: None,
        })
    });
    assert_eq!(
        (only(&d).kind, only(&d).class),
        (Kind::StatusCodeAdded, Class::Compatible)
    );
    let d = changed(|m| m.enums[0].description = "Which mode.".into());
    let c = only(&d);
    assert_eq!((c.endpoint.as_str(), c.class), (SHARED, Class::DocsOnly));
    assert_eq!(c.text, "type `Mode` description changed (used by send)");
}

#[test]
fn renders_text_and_markdown() {
    let d = changed(|m| {
        ep(m).fields[0].limits.max_items = Some(400);
        ep(m).fields.push(field("extra", Ty::Bool));
        ep(m).summary = "Send many.".into();
    });
    let md = render_markdown(&d, "old", "new");
    assert!(md.starts_with("## Spec changes\n"), "{md}");
    assert!(
        md.contains("Summary: 1 breaking, 1 compatible, 1 docs-only."),
        "{md}"
    );
    assert!(md.contains("\n### send\n\n- **breaking** — `toAccids`: max_items lowered 500 → 400\n- compatible — `extra`: new optional field of type `bool`\n- docs-only — summary changed\n"), "{md}");
    let text = render_text(&d, "old", "new");
    assert!(text.contains("  breaking    `toAccids`: max_items lowered 500 → 400  [endpoints.send.fields.toAccids.max_items]"), "{text}");
    assert!(
        text.ends_with("1 breaking, 1 compatible, 1 docs-only\n"),
        "{text}"
    );
}
