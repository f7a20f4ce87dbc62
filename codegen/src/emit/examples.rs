//! One runnable example per endpoint, `generated-client/examples/<endpoint>.rs`, sending the
//! request the vendor's page shows. The program text is the docs' usage example, so both agree.

use super::{rust_header, snippet, GeneratedFile};
use crate::model::Model;

pub fn emit(model: &Model) -> Vec<GeneratedFile> {
    let mut files = Vec::new();
    for e in model.endpoints.iter().filter(|e| e.example.is_some()) {
        let program = snippet::example_program(model, e);
        let origin = match e.example.as_ref().and_then(|x| x.note.as_deref()) {
            // rustdoc() makes one line: the note stays inside the comment, whatever it holds.
            Some(note) => format!(
                "//! Sends the example request of `{}`. {}",
                e.name,
                super::docs::markdown::rustdoc(note)
            ),
            None => format!(
                "//! Sends the request shown on the vendor's page for `{}`.",
                e.name
            ),
        };
        let about = format!(
            "{origin}\n//! Run: YUNXIN_APP_KEY=… YUNXIN_APP_SECRET=… [YUNXIN_BASE_URL=…] cargo run -p yunxin-im --example {}\n\n\
             // Formatted by the generator; rustfmt would fight it on every run.\n\
             #![cfg_attr(rustfmt, rustfmt::skip)]\n\n",
            e.name
        );
        files.push(GeneratedFile {
            path: format!("generated-client/examples/{}.rs", e.name),
            contents: format!("{}{about}{program}", rust_header(model)),
        });
    }
    files
}
