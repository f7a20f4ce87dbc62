//! The generated `limits` constants size batches exactly as validation judges them.

use yunxin_im::send_batch_msg::{limits, SendBatchMsgRequest};
use yunxin_im::types::MsgType;

fn recipients(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("user{i}")).collect()
}

fn request(to: Vec<String>) -> SendBatchMsgRequest {
    SendBatchMsgRequest::new("sender", to, MsgType::Text, r#"{"msg":"hi"}"#)
}

#[test]
fn chunks_of_the_documented_size_validate_and_one_more_does_not() {
    let everyone = recipients(2 * limits::TO_ACCIDS_MAX_ITEMS + 1);
    let chunks: Vec<&[String]> = everyone.chunks(limits::TO_ACCIDS_MAX_ITEMS).collect();
    assert_eq!(chunks.len(), 3);
    for chunk in chunks {
        request(chunk.to_vec()).validate().unwrap();
    }
    let err = request(recipients(limits::TO_ACCIDS_MAX_ITEMS + 1))
        .validate()
        .unwrap_err();
    assert_eq!(err.violations[0].path, "toAccids");
}

#[test]
fn the_conditional_limit_applies_with_return_msgid() {
    let at_limit =
        request(recipients(limits::TO_ACCIDS_MAX_ITEMS_WHEN_RETURN_MSGID)).return_msgid(true);
    at_limit.validate().unwrap();
    let over = request(recipients(
        limits::TO_ACCIDS_MAX_ITEMS_WHEN_RETURN_MSGID + 1,
    ))
    .return_msgid(true);
    let err = over.validate().unwrap_err();
    assert!(
        err.violations[0]
            .condition
            .as_deref()
            .is_some_and(|c| c.contains("returnMsgid")),
        "{err}"
    );
    // Without returnMsgid the same list is fine.
    request(recipients(
        limits::TO_ACCIDS_MAX_ITEMS_WHEN_RETURN_MSGID + 1,
    ))
    .validate()
    .unwrap();
}
