//! The one hand-written file codegen writes into: the client's `Cargo.toml`, of which it owns
//! only the lines between the domain-feature markers (`codegen::emit::features`). The splice
//! checks the markers first: each once, begin before end, both inside `[features]`; anything
//! else is an error that writes nothing, since guessing where the block goes could clobber
//! hand-written lines.

use std::path::Path;

use codegen::emit::features::{begin_marker, block, end_marker, CLIENT_MANIFEST};
use codegen::emit::GeneratedFile;
use codegen::model::Model;

use super::safe_fs::{self, Found};

/// The client's manifest with the block for `model`, or `None` when `root` has no client
/// manifest (a folder only generated into, as the tests' temporary roots are): the block lives in
/// a hand-written file, so codegen never creates that file.
pub fn manifest_file(root: &Path, model: &Model) -> Result<Option<GeneratedFile>, String> {
    match safe_fs::inspect(root, CLIENT_MANIFEST) {
        Ok(Found::Nothing) => return Ok(None),
        Ok(Found::File) => {}
        Ok(Found::Folder) => return Err(format!("{CLIENT_MANIFEST}: a folder, not a file")),
        Err(blocked) => return Err(format!("{CLIENT_MANIFEST}: {blocked}")),
    }
    let text = std::fs::read_to_string(root.join(CLIENT_MANIFEST))
        .map_err(|e| format!("cannot read {CLIENT_MANIFEST}: {e}"))?;
    // A CRLF checkout is compared and spliced as LF, as the other generated files are.
    let text = text.replace("\r\n", "\n");
    let contents = splice(&text, &block(model)).map_err(|e| format!("{CLIENT_MANIFEST}: {e}"))?;
    Ok(Some(GeneratedFile {
        path: CLIENT_MANIFEST.into(),
        contents,
    }))
}

/// `manifest` with the lines between the markers replaced by `block`.
pub fn splice(manifest: &str, block: &str) -> Result<String, String> {
    let (begin, end) = (begin_marker(), end_marker());
    let lines: Vec<&str> = manifest.split_inclusive('\n').collect();
    let at = |marker: &str| -> Vec<usize> {
        (0..lines.len())
            .filter(|&i| lines[i].trim_end() == marker)
            .collect()
    };
    let (begins, ends) = (at(&begin), at(&end));
    let fix = format!(
        "put exactly one `{begin}` line and one `{end}` line, in that order, inside [features]"
    );
    let (b, e) = match (begins.as_slice(), ends.as_slice()) {
        ([b], [e]) if b < e => (*b, *e),
        ([_], [_]) => {
            return Err(format!(
                "the end marker comes before the begin marker; {fix}"
            ))
        }
        (bs, es) => {
            return Err(format!(
                "{} begin marker line(s) and {} end marker line(s); {fix}",
                bs.len(),
                es.len()
            ))
        }
    };
    let table = lines[..b]
        .iter()
        .rev()
        .map(|l| l.trim())
        .find(|l| l.starts_with('['));
    let header_inside = lines[b + 1..e].iter().any(|l| l.trim().starts_with('['));
    if table != Some("[features]") || header_inside {
        return Err(format!(
            "the markers are not inside the [features] table; {fix}"
        ));
    }
    // Line `b` ends in a newline: line `e` follows it.
    let mut out: String = lines[..=b].concat();
    out.push_str(block);
    out.push_str(&lines[e..].concat());
    Ok(out)
}
