//! When a walk goes on, for each paging form: the generated `Paged::next_page` of an endpoint
//! reads its own fields and asks these, so every endpoint of a form stops the same way. Which of
//! them a client calls depends on the forms its spec uses.
#![allow(dead_code)]

/// The cursor of the next page: the reply's, unless it is empty or missing, the reply says there
/// is no more, or it is the cursor just asked with (which would ask for the same page forever).
pub(crate) fn next_cursor(
    asked: Option<&str>,
    next: Option<&str>,
    has_more: Option<bool>,
) -> Option<String> {
    let next = next.filter(|c| !c.is_empty());
    let more = has_more.unwrap_or(next.is_some());
    next.filter(|c| more && asked != Some(*c))
        .map(str::to_owned)
}

/// A page shorter than the limit asked for is the last; with no limit set (the server's
/// default applies) only an empty page is known to be.
fn short(received: usize, limit: Option<i64>) -> bool {
    received == 0 || limit.is_some_and(|l| i64::try_from(received).unwrap_or(i64::MAX) < l)
}

/// The offset of the next page: this one's (unset: 0) plus the items received, unless the page
/// was short or the offset reaches `total`.
pub(crate) fn next_offset(
    offset: Option<i64>,
    limit: Option<i64>,
    received: usize,
    total: Option<i64>,
) -> Option<i64> {
    if short(received, limit) {
        return None;
    }
    let next = offset
        .unwrap_or(0)
        .checked_add(i64::try_from(received).ok()?)?;
    match total {
        Some(total) if next >= total => None,
        _ => Some(next),
    }
}

/// The end of the next, newest-first window: the last item's time, unless the page was short,
/// the last item has no time, the end would not move back (which would ask for the same page
/// forever) or would reach the window's start (an empty window, which the vendors refuse). An
/// end of 0 or less is the vendors' "now", so any time moves it.
pub(crate) fn next_window_end(
    end: Option<i64>,
    begin: Option<i64>,
    limit: Option<i64>,
    received: usize,
    last_time: Option<i64>,
) -> Option<i64> {
    if short(received, limit) {
        return None;
    }
    let last = last_time?;
    match (end, begin) {
        (Some(end), _) if end > 0 && last >= end => None,
        (_, Some(begin)) if last <= begin => None,
        _ => Some(last),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_goes_on_while_the_reply_gives_a_new_one_and_says_more() {
        assert_eq!(
            next_cursor(None, Some("a"), Some(true)).as_deref(),
            Some("a")
        );
        assert_eq!(next_cursor(None, Some("a"), None).as_deref(), Some("a"));
        assert_eq!(next_cursor(None, Some("a"), Some(false)), None);
        assert_eq!(next_cursor(None, Some(""), Some(true)), None);
        assert_eq!(next_cursor(None, None, Some(true)), None);
        assert_eq!(next_cursor(Some("a"), Some("a"), Some(true)), None);
    }

    #[test]
    fn an_offset_advances_by_the_items_received_until_a_short_page_or_the_total() {
        assert_eq!(next_offset(None, Some(2), 2, None), Some(2));
        assert_eq!(next_offset(Some(4), Some(2), 2, Some(10)), Some(6));
        assert_eq!(next_offset(Some(4), Some(2), 1, None), None);
        assert_eq!(next_offset(Some(4), Some(2), 0, None), None);
        assert_eq!(next_offset(Some(8), Some(2), 2, Some(10)), None);
        assert_eq!(next_offset(Some(4), None, 3, None), Some(7));
        assert_eq!(next_offset(Some(4), None, 0, None), None);
        assert_eq!(next_offset(Some(i64::MAX), Some(1), 1, None), None);
    }

    #[test]
    fn a_window_moves_to_the_last_items_time_until_a_short_page_or_it_stands_still() {
        assert_eq!(
            next_window_end(Some(100), None, Some(2), 2, Some(90)),
            Some(90)
        );
        assert_eq!(
            next_window_end(Some(100), Some(80), Some(2), 2, Some(90)),
            Some(90)
        );
        assert_eq!(
            next_window_end(Some(100), Some(90), Some(2), 2, Some(90)),
            None
        );
        assert_eq!(next_window_end(None, None, Some(2), 2, Some(90)), Some(90));
        assert_eq!(
            next_window_end(Some(0), None, Some(2), 2, Some(90)),
            Some(90)
        );
        assert_eq!(next_window_end(Some(100), None, Some(2), 1, Some(90)), None);
        assert_eq!(next_window_end(Some(100), None, Some(2), 0, None), None);
        assert_eq!(next_window_end(Some(90), None, Some(2), 2, Some(90)), None);
        assert_eq!(next_window_end(Some(100), None, Some(2), 2, None), None);
    }
}
