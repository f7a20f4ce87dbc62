//! A strict reader of `multipart/form-data` bodies (RFC 7578), written apart from the client's
//! encoder so that it checks it: every boundary line, header block and CRLF must be where the
//! RFC puts it, or the body is refused with the reason.

/// One part of a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub name: String,
    /// `filename=` of a file part.
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub data: Vec<u8>,
}

impl Part {
    /// The part as fixtures and the fuzzer's oracle write it: a text part's text, a file part's
    /// bytes as standard base64 (a file's JSON view).
    pub fn as_text(&self) -> String {
        use base64::Engine as _;
        match &self.file_name {
            Some(_) => base64::engine::general_purpose::STANDARD.encode(&self.data),
            None => String::from_utf8_lossy(&self.data).into_owned(),
        }
    }
}

/// The boundary a `Content-Type` header names, if it is `multipart/form-data`.
pub fn boundary(content_type: &str) -> Option<&str> {
    let rest = content_type.strip_prefix("multipart/form-data")?;
    rest.split(';')
        .map(str::trim)
        .find_map(|p| p.strip_prefix("boundary="))
        .map(|b| b.trim_matches('"'))
        .filter(|b| !b.is_empty() && b.len() <= 70)
}

/// The parts of `body`, framed by `boundary`.
pub fn parse(body: &[u8], boundary: &str) -> Result<Vec<Part>, String> {
    let delimiter = format!("--{boundary}").into_bytes();
    let mut rest = body
        .strip_prefix(delimiter.as_slice())
        .ok_or("the body does not start with the boundary")?;
    let mut parts = Vec::new();
    loop {
        if rest == b"--\r\n" || rest == b"--" {
            return Ok(parts);
        }
        rest = rest
            .strip_prefix(b"\r\n")
            .ok_or("a boundary line does not end with CRLF")?;
        let head_end =
            find(rest, b"\r\n\r\n").ok_or("a part has no blank line after its headers")?;
        let head =
            std::str::from_utf8(&rest[..head_end]).map_err(|_| "part headers are not UTF-8")?;
        rest = &rest[head_end + 4..];
        let mut closing = b"\r\n".to_vec();
        closing.extend_from_slice(&delimiter);
        let end = find(rest, &closing).ok_or("a part is not closed by the boundary")?;
        parts.push(part(head, rest[..end].to_vec())?);
        rest = &rest[end + closing.len()..];
    }
}

fn part(head: &str, data: Vec<u8>) -> Result<Part, String> {
    let mut name = None;
    let mut file_name = None;
    let mut content_type = None;
    for line in head.split("\r\n") {
        let (key, value) = line
            .split_once(':')
            .ok_or(format!("header line {line:?}"))?;
        match key.trim().to_ascii_lowercase().as_str() {
            "content-disposition" => {
                let mut params = value.split(';').map(str::trim);
                if params.next() != Some("form-data") {
                    return Err(format!("disposition {value:?} is not form-data"));
                }
                for p in params {
                    let (k, v) = p.split_once('=').ok_or(format!("parameter {p:?}"))?;
                    let v = v
                        .strip_prefix('"')
                        .and_then(|v| v.strip_suffix('"'))
                        .ok_or(format!("parameter {p:?} is not quoted"))?
                        .to_owned();
                    match k {
                        "name" => name = Some(v),
                        "filename" => file_name = Some(v),
                        other => return Err(format!("unknown parameter {other:?}")),
                    }
                }
            }
            "content-type" => content_type = Some(value.trim().to_owned()),
            other => return Err(format!("unexpected part header {other:?}")),
        }
    }
    Ok(Part {
        name: name.ok_or("a part without a name")?,
        file_name,
        content_type,
        data,
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_text_and_file_parts_and_refuses_broken_framing() {
        let body = b"--b1\r\nContent-Disposition: form-data; name=\"t\"\r\n\r\nhi\r\n--b1\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.bin\"\r\nContent-Type: x/y\r\n\r\n\x00\r\n\x01\r\n--b1--\r\n";
        let parts = parse(body, "b1").unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].data, b"hi");
        assert_eq!(parts[1].file_name.as_deref(), Some("a.bin"));
        assert_eq!(parts[1].data, b"\x00\r\n\x01");
        assert_eq!(boundary("multipart/form-data; boundary=b1"), Some("b1"));
        assert_eq!(boundary("application/json"), None);
        // No closing boundary; a part without the blank line.
        assert!(parse(&body[..body.len() - 8], "b1").is_err());
        assert!(parse(
            b"--b1\r\nContent-Disposition: form-data; name=\"t\"\r\nhi\r\n--b1--",
            "b1"
        )
        .is_err());
    }
}
