//! Drafts an endpoint's `paging` from the shape of its fields: the v2 cursor shape (`page_token`
//! in, `next_token`, `has_more` and one list out) and the offset shape (`offset` and `limit` in,
//! one list out, `total` when the reply has it). Time-window paging is left to a maintainer: it
//! needs the items' time field and the page's word on the order, which the SDKs do not give.

use serde_yaml::{Mapping, Value};

use crate::record::{Field, Placement};

fn is_int(ty: &str) -> bool {
    ty == "int" || ty == "long"
}

/// The `paging` entry for a request (fields with where they travel, types in spec names) and a
/// reply, or `None` when neither shape fits. The items are the reply's only list: with two, which
/// is the page is a judgement, not a shape.
pub fn draft(request: &[(Field, Placement)], reply: &[Field]) -> Option<Value> {
    let sent = |wire: &str, ok: &dyn Fn(&Field) -> bool| {
        request
            .iter()
            .any(|(f, place)| f.wire == wire && *place != Placement::Path && ok(f))
    };
    let got =
        |wire: &str, ok: &dyn Fn(&str) -> bool| reply.iter().any(|f| f.wire == wire && ok(&f.ty));
    let lists: Vec<&Field> = reply.iter().filter(|f| f.ty.starts_with("list<")).collect();
    let [items] = lists.as_slice() else {
        return None;
    };
    let mut entries: Vec<(&str, &str)> = Vec::new();
    if sent("page_token", &|f| f.ty == "string" && !f.required)
        && got("next_token", &|ty| ty == "string")
    {
        entries.extend([("cursor", "page_token"), ("next_cursor", "next_token")]);
        if got("has_more", &|ty| ty == "bool") {
            entries.push(("has_more", "has_more"));
        }
    } else if sent("offset", &|f| is_int(&f.ty)) && sent("limit", &|f| is_int(&f.ty)) {
        entries.extend([("offset", "offset"), ("limit", "limit")]);
        if got("total", &is_int) {
            entries.push(("total", "total"));
        }
    } else {
        return None;
    }
    let mut m = Mapping::new();
    for (k, v) in entries.into_iter().chain([("items", items.wire.as_str())]) {
        m.insert(Value::String(k.into()), Value::String(v.into()));
    }
    Some(Value::Mapping(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(wire: &str, ty: &str) -> Field {
        Field {
            wire: wire.into(),
            ty: ty.into(),
            placements: vec![],
            required: false,
            doc: None,
            all_placements: vec![],
            sdks: vec![],
        }
    }

    fn keys(v: Option<Value>) -> Vec<(String, String)> {
        let Some(Value::Mapping(m)) = v else {
            return vec![];
        };
        m.iter()
            .map(|(k, v)| (k.as_str().unwrap().into(), v.as_str().unwrap().into()))
            .collect()
    }

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_cursor_shape_drafts_cursor_paging() {
        let request = [
            (f("page_token", "string"), Placement::Query),
            (f("limit", "int"), Placement::Query),
        ];
        let reply = [
            f("next_token", "string"),
            f("has_more", "bool"),
            f("items", "list<@Item>"),
        ];
        assert_eq!(
            keys(draft(&request, &reply)),
            pairs(&[
                ("cursor", "page_token"),
                ("next_cursor", "next_token"),
                ("has_more", "has_more"),
                ("items", "items")
            ])
        );
    }

    #[test]
    fn the_offset_shape_drafts_offset_paging_with_total_when_the_reply_has_it() {
        let request = [
            (f("offset", "int"), Placement::Body),
            (f("limit", "long"), Placement::Body),
        ];
        let reply = [f("total", "int"), f("members", "list<@Member>")];
        assert_eq!(
            keys(draft(&request, &reply)),
            pairs(&[
                ("offset", "offset"),
                ("limit", "limit"),
                ("total", "total"),
                ("items", "members")
            ])
        );
        assert_eq!(
            keys(draft(&request, &reply[1..])),
            pairs(&[
                ("offset", "offset"),
                ("limit", "limit"),
                ("items", "members")
            ])
        );
    }

    #[test]
    fn no_paging_without_the_shape() {
        let cursor = [(f("page_token", "string"), Placement::Query)];
        let offset = [
            (f("offset", "int"), Placement::Body),
            (f("limit", "int"), Placement::Body),
        ];
        // Two lists: which one is the page is not a shape.
        let two = [
            f("next_token", "string"),
            f("a", "list<string>"),
            f("b", "list<string>"),
        ];
        assert_eq!(draft(&cursor, &two), None);
        // No list at all.
        assert_eq!(draft(&offset, &[f("total", "int")]), None);
        // A required token, a token in the path, a string offset, no limit.
        let mut required = f("page_token", "string");
        required.required = true;
        let reply = [f("next_token", "string"), f("items", "list<string>")];
        assert_eq!(draft(&[(required, Placement::Query)], &reply), None);
        assert_eq!(
            draft(&[(f("page_token", "string"), Placement::Path)], &reply),
            None
        );
        assert_eq!(
            draft(
                &[
                    (f("offset", "string"), Placement::Body),
                    (f("limit", "int"), Placement::Body)
                ],
                &reply
            ),
            None
        );
        assert_eq!(
            draft(&[(f("offset", "int"), Placement::Body)], &reply),
            None
        );
        // The token without a next token in the reply.
        assert_eq!(draft(&cursor, &[f("items", "list<string>")]), None);
    }
}
