//! How an endpoint pages, in one sentence built from wire names only (checked identifiers, never
//! spec prose), shared by the docs page and the `_pages` method's rustdoc so they cannot differ.

use crate::model::{Paging, PagingForm};

/// How the next request is made from a reply, and when the walk ends.
pub fn how(p: &Paging) -> String {
    let items = &p.items.wire;
    let limit = p.limit.as_ref().map(|l| l.wire.as_str()).unwrap_or("");
    match &p.form {
        PagingForm::Cursor {
            cursor,
            next_cursor,
            has_more,
        } => {
            let until = match has_more {
                Some(h) => format!("while `{}` is true", h.wire),
                None => "until it comes back empty".to_owned(),
            };
            format!(
                "Cursor paging: `{items}` holds a page's items; each reply's `{}` is sent as the \
                 next request's `{}` {until} (a cursor that comes back empty, or the same as the \
                 one asked with, ends it too).",
                next_cursor.wire, cursor.wire
            )
        }
        PagingForm::Offset { offset, total } => {
            let total = match total {
                Some(t) => format!(", or when the offset reaches the reply's `{}`", t.wire),
                None => String::new(),
            };
            format!(
                "Offset paging: `{items}` holds a page's items; the first request asks from its \
                 `{o}` (unset: 0), each next one from `{o}` plus the number of items received. It \
                 ends on a page with fewer items than `{limit}` (or none, or `{limit}` unset and \
                 the page empty){total}.",
                o = offset.wire
            )
        }
        PagingForm::Window(w) => {
            let order = match &w.order {
                Some(o) => format!(
                    " Every page is asked newest first (`{}` = {}), the only order it walks.",
                    o.field.wire, o.value
                ),
                None => " The server returns the newest items first.".to_owned(),
            };
            let exclude = match &w.exclude {
                Some((field, id)) => format!(
                    " with the last item's `{}` as `{}`, so that item is not returned twice",
                    id.wire, field.wire
                ),
                None => " (an item at that exact time may come again)".to_owned(),
            };
            let begin = match &w.begin {
                Some(b) => format!(" or reach its start (`{}`)", b.wire),
                None => String::new(),
            };
            format!(
                "Time-window paging: `{items}` holds a page's items.{order} Each next request \
                 ends its window (`{}`) at the last item's `{}`{exclude}. It ends on a page with \
                 fewer items than `{limit}` (or none), or when the window's end would not \
                 move{begin}.",
                w.end.wire, w.item_time.wire
            )
        }
    }
}
