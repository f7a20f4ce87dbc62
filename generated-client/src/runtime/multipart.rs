//! `multipart/form-data` bodies (RFC 7578): text fields as text parts, files as file parts.
//!
//! Written here rather than taken from a crate: the multipart crates either build a body for one
//! HTTP client (reqwest's `multipart` streams and picks a random boundary, so a prepared request
//! could not be shown byte for byte before it is sent) or parse rather than write. The boundary
//! is derived from the parts themselves, so the same request encodes to the same bytes, and it
//! is checked not to occur in any part.

use std::borrow::Cow;

use sha1::{Digest, Sha1};

use super::file_content::FileContent;
use super::wire::Body;

/// The media type of a file part that names none.
const OCTET_STREAM: &str = "application/octet-stream";

/// Encodes `texts` (name, value) then `files` (wire name, file) as one multipart body.
pub(crate) fn encode(
    texts: &[(String, String)],
    files: &[(&str, &FileContent)],
) -> Result<Body, String> {
    for (name, file) in files {
        if let Some(media_type) = file.get_content_type() {
            if media_type.chars().any(char::is_control) || media_type.trim().is_empty() {
                return Err(format!(
                    "the media type of the file `{name}` is empty or holds a control character"
                ));
            }
        }
    }
    let boundary = boundary(texts, files);
    let mut out = Vec::with_capacity(
        files.iter().map(|(_, f)| f.len() + 256).sum::<usize>()
            + texts
                .iter()
                .map(|(n, v)| n.len() + v.len() + 128)
                .sum::<usize>()
            + 64,
    );
    for (name, value) in texts {
        head(&mut out, &boundary, name);
        out.extend_from_slice(b"\r\nContent-Type: text/plain;charset=utf-8\r\n\r\n");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    for (name, file) in files {
        head(&mut out, &boundary, name);
        out.extend_from_slice(b"; filename=\"");
        out.extend_from_slice(quoted(file.get_file_name().unwrap_or(name)).as_bytes());
        out.extend_from_slice(b"\"\r\nContent-Type: ");
        out.extend_from_slice(file.get_content_type().unwrap_or(OCTET_STREAM).as_bytes());
        out.extend_from_slice(b"\r\n\r\n");
        out.extend_from_slice(file.bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"--");
    out.extend_from_slice(boundary.as_bytes());
    out.extend_from_slice(b"--\r\n");
    Ok(Body {
        content_type: Cow::Owned(format!("multipart/form-data; boundary={boundary}")),
        bytes: out,
    })
}

/// `--boundary` and the start of a part's `Content-Disposition`, up to the name's closing quote.
fn head(out: &mut Vec<u8>, boundary: &str, name: &str) {
    out.extend_from_slice(b"--");
    out.extend_from_slice(boundary.as_bytes());
    out.extend_from_slice(b"\r\nContent-Disposition: form-data; name=\"");
    out.extend_from_slice(quoted(name).as_bytes());
    out.extend_from_slice(b"\"");
}

/// A name inside quotes as browsers write it (WHATWG): `"`, CR and LF percent-encoded.
fn quoted(text: &str) -> Cow<'_, str> {
    if !text.contains(['"', '\r', '\n']) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.replace('"', "%22")
            .replace('\r', "%0D")
            .replace('\n', "%0A"),
    )
}

/// A boundary that occurs in no part: a digest of the parts, re-derived in the (astronomically
/// unlikely) case that it does.
fn boundary(texts: &[(String, String)], files: &[(&str, &FileContent)]) -> String {
    let mut digest = Sha1::new();
    for (name, value) in texts {
        digest.update(name.as_bytes());
        digest.update([0]);
        digest.update(value.as_bytes());
        digest.update([0]);
    }
    for (name, file) in files {
        digest.update(name.as_bytes());
        digest.update([1]);
        digest.update(file.bytes());
    }
    let occurs = |candidate: &str| {
        texts.iter().any(|(_, v)| v.contains(candidate))
            || files
                .iter()
                .any(|(_, f)| contains(f.bytes(), candidate.as_bytes()))
    };
    first_free(
        |round| {
            let mut this = digest.clone();
            this.update(round.to_be_bytes());
            let hex: String = this.finalize().iter().map(|b| format!("{b:02x}")).collect();
            format!("yunxin-{hex}")
        },
        occurs,
    )
}

/// The first candidate (round 0, 1, …) that does not occur.
fn first_free(candidate: impl Fn(u32) -> String, occurs: impl Fn(&str) -> bool) -> String {
    let mut round = 0u32;
    loop {
        let this = candidate(round);
        if !occurs(&this) {
            return this;
        }
        round += 1;
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(body: &Body) -> String {
        String::from_utf8_lossy(&body.bytes).into_owned()
    }

    #[test]
    fn texts_then_files_each_in_its_own_part() {
        let file = FileContent::new(b"\x00GIF\xff".to_vec())
            .file_name("a\"b.gif")
            .content_type("image/gif");
        let body = encode(&[("type".into(), "图片".into())], &[("content", &file)]).unwrap();
        let boundary = body
            .content_type
            .strip_prefix("multipart/form-data; boundary=")
            .unwrap()
            .to_owned();
        let expected = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"type\"\r\nContent-Type: text/plain;charset=utf-8\r\n\r\n图片\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"content\"; filename=\"a%22b.gif\"\r\nContent-Type: image/gif\r\n\r\n"
        );
        let mut expected = expected.into_bytes();
        expected.extend_from_slice(b"\x00GIF\xff\r\n");
        expected.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        assert_eq!(body.bytes, expected, "{}", text(&body));
        // Deterministic: the same parts give the same bytes.
        let again = encode(&[("type".into(), "图片".into())], &[("content", &file)]).unwrap();
        assert_eq!(again, body);
    }

    #[test]
    fn a_file_without_a_name_or_type_is_named_after_its_field() {
        let file = FileContent::new(b"x".to_vec());
        let body = text(&encode(&[], &[("content", &file)]).unwrap());
        assert!(
            body.contains("name=\"content\"; filename=\"content\"\r\nContent-Type: application/octet-stream\r\n"),
            "{body}"
        );
    }

    #[test]
    fn a_boundary_that_occurs_in_a_part_is_replaced() {
        let picked = first_free(|round| format!("b{round}"), |c| c == "b0" || c == "b1");
        assert_eq!(picked, "b2");
        let picked = first_free(|round| format!("b{round}"), |_| false);
        assert_eq!(picked, "b0");
        // Wired into the encoder: a text part holding the first candidate moves it on.
        let texts = vec![("a".to_owned(), "v".to_owned())];
        let first = boundary(&texts, &[]);
        assert!(first.starts_with("yunxin-") && first.len() == 47, "{first}");
    }

    #[test]
    fn a_media_type_with_a_line_break_is_refused() {
        let file = FileContent::new(b"x".to_vec()).content_type("image/png\r\nX-Evil: 1");
        let err = encode(&[], &[("content", &file)]).unwrap_err();
        assert!(err.contains("control character"), "{err}");
    }
}
