use yunxin_im::fan_out::{Outcome, RetryPolicy};
use yunxin_im::send_batch_msg::SendBatchMsgRequest;
use yunxin_im::types::MsgType;
use yunxin_im::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let client = Client::builder("your-app-key", "your-app-secret")
        .base_url("http://127.0.0.1:8080")
        .pace_to_rate_limits(true) // stay under 120 calls a minute: one more blocks the app
        .build()?;
    let template = SendBatchMsgRequest::new("sender-accid", vec![], MsgType::Text, r#"{"msg":"hi"}"#);
    let accids = (0..20_000).map(|i| format!("user{i}"));
    let report = client
        .send_batch_msg_fan_out(&template, accids) // 500 a call (100 with returnMsgid)
        .concurrency(4)
        .retries(RetryPolicy::attempts(5)) // only where a retry cannot deliver twice
        .on_progress(|p| eprintln!("{} calls: {:?}", p.calls, p.counts))
        .send()
        .await;
    for (accid, outcome) in &report.recipients {
        if let Outcome::Unknown { reason } = outcome {
            eprintln!("{accid} may or may not have it: {reason}");
        }
    }
    println!("{:?}", report.counts());
    Ok(())
}
