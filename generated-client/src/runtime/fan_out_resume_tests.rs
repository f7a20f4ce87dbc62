//! The journal on its own: what a reopened journal gives back, what it refuses, a torn last line,
//! compaction. Runs that are killed and resumed are in `tests/it/fan_out_resume.rs`.
//!
//! The tests that send use a `notification` endpoint of the real spec; a client generated from
//! another spec (the spec fuzzer's) has no such feature, and its helpers then go unused.
#![allow(dead_code, unused_imports)]

use std::io::Write;
use std::path::PathBuf;

use crate::runtime::fan_out::{FanOutRequest, Outcome};
use crate::runtime::fan_out_journal::{JobHeader, Journal, JournalError, Resumed};

use crate::runtime::endpoint::ApiRequest;
use crate::runtime::fan_out_requests_tests::V2;

/// A fresh path in the system's temp folder, removed when dropped.
struct TempPath(PathBuf);

impl TempPath {
    fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!(
            "yunxin-journal-{}-{name}-{}",
            std::process::id(),
            crate::runtime::endpoint::new_trace_id()
        ));
        TempPath(path)
    }
}

impl Drop for TempPath {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn template() -> V2 {
    crate::runtime::fan_out_requests_tests::v2("hello")
}

fn open(journal: &Journal, job: &str, recipients: &[&str]) -> Result<Resumed<V2>, JournalError> {
    let header = JobHeader::new(job, &template(), &names(recipients));
    journal.open::<V2>(&header).map(|(_, resumed)| resumed)
}

#[test]
fn a_reopened_journal_gives_back_answers_and_the_exact_pending_request() {
    let path = TempPath::new("reopen");
    let journal = Journal::file(&path.0);
    let all = ["a", "b", "c", "d"];
    let header = JobHeader::new("job-1", &template(), &names(&all));
    let (writer, fresh) = journal.open::<V2>(&header).unwrap();
    assert!(fresh.answered.is_empty() && fresh.pending.is_empty());
    let first = template().with_recipients(names(&["a", "b"]));
    let second = template().with_recipients(names(&["c", "d"]));
    writer.intent(0, &names(&["a", "b"]), &first).unwrap();
    writer.intent(1, &names(&["c", "d"]), &second).unwrap();
    writer
        .outcome(
            0,
            &[
                ("a".into(), Outcome::Sent),
                ("b".into(), Outcome::Unregistered),
            ],
        )
        .unwrap();
    drop(writer);

    let resumed = open(&journal, "job-1", &all).unwrap();
    assert_eq!(resumed.answered.len(), 2);
    assert_eq!(resumed.answered["b"], Outcome::Unregistered);
    assert_eq!(resumed.pending.len(), 1);
    let pending = &resumed.pending[0];
    assert_eq!(
        (pending.chunk, &pending.recipients),
        (1, &names(&["c", "d"]))
    );
    // The same logical request: the server de-duplicates a resend by this id.
    assert_eq!(pending.request.trace_id(), second.trace_id());
    assert_ne!(pending.request.trace_id(), first.trace_id());
    assert_eq!(resumed.next_chunk, 2);
}

#[test]
fn a_journal_of_another_job_or_other_recipients_or_template_is_refused() {
    let path = TempPath::new("refuse");
    let journal = Journal::file(&path.0);
    open(&journal, "job-1", &["a", "b"]).unwrap();
    // The same set in another order, and a template with a new trace id, are the same job.
    open(&journal, "job-1", &["b", "a"]).unwrap();
    let err = open(&journal, "job-2", &["a", "b"]).err().unwrap();
    assert!(matches!(err, JournalError::OtherJob { .. }), "{err}");
    assert!(err.to_string().contains("job-2"), "{err}");
    let err = open(&journal, "job-1", &["a", "b", "c"]).err().unwrap();
    assert!(matches!(err, JournalError::OtherRecipients { .. }), "{err}");
    let other = crate::runtime::fan_out_requests_tests::v2("another text");
    let header = JobHeader::new("job-1", &other, &names(&["a", "b"]));
    let err = journal.open::<V2>(&header).err().unwrap();
    assert!(matches!(err, JournalError::OtherRecipients { .. }), "{err}");
}

#[test]
fn a_torn_last_line_is_cut_off_and_a_corrupt_earlier_one_refused() {
    let path = TempPath::new("torn");
    let journal = Journal::file(&path.0);
    let header = JobHeader::new("job", &template(), &names(&["a", "b"]));
    let (writer, _) = journal.open::<V2>(&header).unwrap();
    writer.outcome(0, &[("a".into(), Outcome::Sent)]).unwrap();
    drop(writer);
    let whole = std::fs::read(&path.0).unwrap();
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&path.0)
        .unwrap();
    file.write_all(br#"{"kind":"outcome","chunk":1,"outco"#)
        .unwrap();
    drop(file);

    let (writer, resumed) = journal.open::<V2>(&header).unwrap();
    assert_eq!(
        std::fs::read(&path.0).unwrap(),
        whole,
        "the torn line stays"
    );
    assert_eq!(resumed.answered.len(), 1);
    writer.outcome(1, &[("b".into(), Outcome::Sent)]).unwrap();
    drop(writer);
    assert_eq!(
        open(&journal, "job", &["a", "b"]).unwrap().answered.len(),
        2
    );

    // A bad line with lines after it is no crash mid-write: refused.
    let mut text = std::fs::read_to_string(&path.0).unwrap();
    text.insert_str(text.find('\n').unwrap() + 1, "{not json\n");
    std::fs::write(&path.0, text).unwrap();
    let err = open(&journal, "job", &["a", "b"]).err().unwrap();
    assert!(
        matches!(err, JournalError::Corrupt { line: 2, .. }),
        "{err}"
    );
}

#[test]
fn a_chunk_never_sent_is_released_and_compaction_keeps_the_state() {
    let path = TempPath::new("compact");
    let journal = Journal::file(&path.0);
    let all = ["a", "b", "c"];
    let header = JobHeader::new("job", &template(), &names(&all));
    let (writer, _) = journal.open::<V2>(&header).unwrap();
    for (chunk, r) in all.iter().enumerate() {
        let request = template().with_recipients(names(&[r]));
        writer.intent(chunk as u64, &names(&[r]), &request).unwrap();
    }
    writer.outcome(0, &[("a".into(), Outcome::Sent)]).unwrap();
    let never = Outcome::NotAttempted {
        reason: "cancelled".into(),
    };
    writer.outcome(1, &[("b".into(), never)]).unwrap();
    drop(writer);
    let before = open(&journal, "job", &all).unwrap();
    assert_eq!(before.answered.keys().collect::<Vec<_>>(), ["a"]);
    assert_eq!(before.pending.len(), 1, "b released, c pending");

    let size = std::fs::metadata(&path.0).unwrap().len();
    journal.compact().unwrap();
    assert!(std::fs::metadata(&path.0).unwrap().len() < size);
    let after = open(&journal, "job", &all).unwrap();
    assert_eq!(after.answered, before.answered);
    assert_eq!(after.pending[0].recipients, before.pending[0].recipients);
    assert_eq!(
        after.pending[0].request.trace_id(),
        before.pending[0].request.trace_id()
    );

    journal.remove().unwrap();
    assert!(!path.0.exists());
    journal.remove().unwrap();
}

#[test]
fn a_redis_location_needs_the_feature_and_never_shows_its_password() {
    let parsed = Journal::parse("redis://:secret@127.0.0.1:6379/0");
    #[cfg(not(feature = "redis"))]
    {
        let err = parsed.unwrap_err();
        assert!(matches!(err, JournalError::Unsupported { .. }));
        assert!(err.to_string().contains("`redis` feature"), "{err}");
        assert!(!err.to_string().contains("secret"), "{err}");
    }
    #[cfg(feature = "redis")]
    {
        let journal = parsed.unwrap();
        assert_eq!(journal.path(), None);
        assert_eq!(journal.location(), "redis://:****@127.0.0.1:6379/0");
        assert!(!format!("{journal:?}").contains("secret"));
        let err = Journal::parse("redis://:secret@").unwrap_err();
        assert!(matches!(err, JournalError::Redis { .. }), "{err}");
        assert!(!err.to_string().contains("secret"), "{err}");
    }
    let file = Journal::parse("journals/j").unwrap();
    assert_eq!(file.path(), Some(std::path::Path::new("journals/j")));
    assert_eq!(file.location(), "journals/j");
}

#[test]
fn a_second_process_on_the_same_file_journal_is_refused_while_the_first_holds_it() {
    let path = TempPath::new("lock");
    let journal = Journal::file(&path.0);
    let header = JobHeader::new("job", &template(), &names(&["a"]));
    let (writer, _) = journal.open::<V2>(&header).unwrap();
    // Another open file description stands in for another process: flock locks conflict.
    let err = journal.open::<V2>(&header).err().unwrap();
    assert!(err.to_string().contains("another process"), "{err}");
    drop(writer);
    journal.open::<V2>(&header).unwrap();
}

#[tokio::test]
async fn compact_job_and_remove_job_refuse_a_file_journal_of_another_job() {
    let path = TempPath::new("by-job");
    let journal = Journal::file(&path.0);
    open(&journal, "job", &["a"]).unwrap();
    let err = journal.compact_job("other").await.unwrap_err();
    assert!(matches!(err, JournalError::OtherJob { .. }), "{err}");
    let err = journal.remove_job("other").await.unwrap_err();
    assert!(matches!(err, JournalError::OtherJob { .. }), "{err}");
    assert!(path.0.exists());
    journal.compact_job("job").await.unwrap();
    journal.remove_job("job").await.unwrap();
    assert!(!path.0.exists());
}
