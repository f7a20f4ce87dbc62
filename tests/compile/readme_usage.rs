use yunxin_im::send_batch_msg::SendBatchMsgRequest;
use yunxin_im::types::{MessageOption, MsgType};
use yunxin_im::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let client = Client::builder("your-app-key", "your-app-secret")
        .base_url("http://127.0.0.1:8080") // optional: a proxy; default: the vendor's hosts
        .build()?;

    let request = SendBatchMsgRequest::new(
        "sender-accid",
        vec!["alice".into(), "bob".into()],
        MsgType::Text,
        r#"{"msg":"hello"}"#,
    )
    .option(MessageOption::new().push(true).badge(false))
    .pushcontent("You have a new message");

    match client.send_batch_msg(&request).await {
        Ok(reply) => println!("sent; unregistered receivers: {:?}", reply.unregister),
        Err(Error::Validation(e)) => eprintln!("not sent, fix the request: {e}"),
        Err(Error::Api(e)) if e.is_rate_limited() => eprintln!("rate limited, wait: {e}"),
        Err(Error::Api(e)) => eprintln!("refused ({:?}, code {}): {e}", e.kind(), e.code),
        Err(e) if e.is_retry_safe() => eprintln!("not delivered, safe to retry: {e}"),
        Err(e) => eprintln!("failed, the server may have acted: {e}"),
    }
    Ok(())
}
