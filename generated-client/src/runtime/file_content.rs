//! The content of a file sent as one part of a multipart body (a spec field of type `bytes`).

use std::fmt;
use std::sync::Arc;

use base64::Engine as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A file for a `bytes` field: its bytes, and optionally the file name and the media type its
/// multipart part announces (`application/octet-stream` and the field's wire name otherwise).
///
/// Cloning shares the bytes. `Debug` shows the size, never the bytes. In a request's JSON view
/// (what a request serializes to, what [`crate::dynamic`] reads) the bytes are standard base64:
/// a bare string, or `{"base64": …, "file_name": …, "content_type": …}` when a name or a type is
/// set.
///
/// ```
/// use yunxin_im::endpoint::FileContent;
///
/// let file = FileContent::new(b"GIF89a...".to_vec())
///     .file_name("dot.gif")
///     .content_type("image/gif");
/// assert_eq!(file.len(), 9);
/// assert_eq!(format!("{file:?}"), r#"FileContent { bytes: 9, file_name: Some("dot.gif"), content_type: Some("image/gif") }"#);
/// ```
#[derive(Clone, PartialEq, Eq, Default)]
pub struct FileContent {
    bytes: Arc<[u8]>,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl FileContent {
    /// A file holding `bytes`, without a name or a media type.
    pub fn new(bytes: impl Into<Arc<[u8]>>) -> Self {
        FileContent {
            bytes: bytes.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// The file name its part announces (`filename=`); quotes and line breaks are replaced by `_`
    /// on the wire.
    #[must_use]
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The media type its part announces, e.g. `image/png`.
    #[must_use]
    pub fn content_type(mut self, media_type: impl Into<String>) -> Self {
        self.content_type = Some(media_type.into());
        self
    }

    /// The bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The size in bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether the file is empty.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The file name, if set.
    pub fn get_file_name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    /// The media type, if set.
    pub fn get_content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }
}

impl From<Vec<u8>> for FileContent {
    fn from(bytes: Vec<u8>) -> Self {
        FileContent::new(bytes)
    }
}

impl From<&[u8]> for FileContent {
    fn from(bytes: &[u8]) -> Self {
        FileContent::new(bytes)
    }
}

impl fmt::Debug for FileContent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileContent")
            .field("bytes", &self.bytes.len())
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

/// The JSON view with a name or a media type.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Described {
    base64: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    file_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    content_type: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum View {
    Bare(String),
    Described(Described),
}

impl Serialize for FileContent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // A multipart body takes the bytes from `ApiRequest::file_parts`: its text parts are
        // serialized without encoding the file.
        if super::support::serializing_body() {
            return serializer.serialize_str("");
        }
        let base64 = base64::engine::general_purpose::STANDARD.encode(&self.bytes);
        if self.file_name.is_none() && self.content_type.is_none() {
            return serializer.serialize_str(&base64);
        }
        Described {
            base64,
            file_name: self.file_name.clone(),
            content_type: self.content_type.clone(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for FileContent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (base64, file_name, content_type) = match View::deserialize(deserializer)? {
            View::Bare(text) => (text, None, None),
            View::Described(d) => (d.base64, d.file_name, d.content_type),
        };
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(base64.trim())
            .map_err(|err| serde::de::Error::custom(format!("a file is standard base64: {err}")))?;
        Ok(FileContent {
            bytes: bytes.into(),
            file_name,
            content_type,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_json_view_is_base64_and_reads_back() {
        let bare = FileContent::new(b"hi\x00\xff".to_vec());
        let json = serde_json::to_value(&bare).unwrap();
        assert_eq!(json, serde_json::json!("aGkA/w=="));
        assert_eq!(serde_json::from_value::<FileContent>(json).unwrap(), bare);

        let named = bare.clone().file_name("a.bin").content_type("x/y");
        let json = serde_json::to_value(&named).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"base64": "aGkA/w==", "file_name": "a.bin", "content_type": "x/y"})
        );
        assert_eq!(serde_json::from_value::<FileContent>(json).unwrap(), named);
    }

    #[test]
    fn a_file_is_sized_in_bytes_against_its_limits() {
        use crate::runtime::validate::{LimitPolicy, Rule, Validator};
        let file = Some(FileContent::new(vec![0u8; 4]));
        let mut v = Validator::new(LimitPolicy::Documented);
        v.max_bytes("f", &file, 4);
        v.min_bytes("f", &file, 4);
        v.max_bytes("f", &None::<FileContent>, 0);
        assert!(v.errors().is_empty(), "{:?}", v.errors());
        v.max_bytes("f", &file, 3);
        v.min_bytes("f", &file, 5);
        let rules: Vec<Rule> = v.errors().iter().map(|e| e.rule).collect();
        assert_eq!(rules, [Rule::MaxChars, Rule::MinChars]);
        assert!(
            v.errors()[0].to_string().contains("4 bytes"),
            "{}",
            v.errors()[0]
        );
    }

    #[test]
    fn text_that_is_not_base64_is_refused() {
        let err =
            serde_json::from_value::<FileContent>(serde_json::json!("not base64!")).unwrap_err();
        assert!(err.to_string().contains("base64"), "{err}");
        let err =
            serde_json::from_value::<FileContent>(serde_json::json!({"base64": "", "name": "x"}))
                .unwrap_err();
        assert!(!err.to_string().is_empty());
    }
}
