//! An endpoint's route (method, path template and where each parameter travels) and its rate
//! limit.

use super::Checker;
use crate::model::*;
use crate::spec;

/// The `{name}` placeholders of a path template, or why it is malformed.
pub(crate) fn placeholders(path: &str) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    for segment in path.split('/') {
        let opens = segment.matches('{').count();
        let closes = segment.matches('}').count();
        if opens == 0 && closes == 0 {
            continue;
        }
        let inner = segment
            .strip_prefix('{')
            .and_then(|s| s.strip_suffix('}'))
            .filter(|s| opens == 1 && closes == 1 && !s.is_empty());
        match inner {
            Some(name) if name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
                names.push(name.to_owned())
            }
            _ => {
                return Err(format!(
                    "`{segment}`: a path parameter is a whole segment `{{name}}` of letters, digits and `_`"
                ))
            }
        }
    }
    Ok(names)
}

impl Checker<'_> {
    /// The method, and that the path template and the fields' locations agree.
    pub(super) fn route(
        &mut self,
        file: usize,
        root: &str,
        e: &spec::EndpointFile,
        api: Api,
        fields: &[Field],
    ) -> Option<Method> {
        let method = Method::parse(&e.method);
        if method.is_none() {
            self.err(
                file,
                &format!("{root}.method"),
                format!(
                    "method `{}` is not supported; use GET, POST, PUT, PATCH or DELETE",
                    e.method
                ),
            );
        }
        if !e.path.starts_with('/') {
            self.err(file, &format!("{root}.path"), "path must start with `/`");
        }
        if e.path.contains(['?', '#']) {
            self.err(
                file,
                &format!("{root}.path"),
                "the path holds no query or fragment: declare query parameters as fields with `in: query`",
            );
        } else if let Some(problem) = super::contradictions::path_problem(&e.path) {
            self.err(file, &format!("{root}.path"), problem);
        }
        match placeholders(&e.path) {
            Err(message) => self.err(file, &format!("{root}.path"), message),
            Ok(names) => {
                for name in &names {
                    if !fields
                        .iter()
                        .any(|f| &f.wire == name && f.location == Location::Path)
                    {
                        // A field whose own definition is broken is reported there.
                        if !e.fields.contains_key(name) || fields.iter().any(|f| &f.wire == name) {
                            self.err(
                                file,
                                &format!("{root}.path"),
                                format!("`{{{name}}}` in the path has no path parameter: add a field `{name}` with `in: path`"),
                            );
                        }
                    }
                }
                for f in fields.iter().filter(|f| f.location == Location::Path) {
                    if !names.contains(&f.wire) {
                        self.err(
                            file,
                            &format!("{root}.fields.{}.in", f.wire),
                            format!(
                                "`{}` is a path parameter, but the path `{}` has no `{{{}}}`",
                                f.wire, e.path, f.wire
                            ),
                        );
                    }
                }
            }
        }
        let method = method?;
        // The SDKs send some v2 DELETEs with a JSON body; a GET with one is never sent.
        if method == Method::Get {
            for f in fields.iter().filter(|f| f.location == Location::Body) {
                self.err(
                    file,
                    &format!("{root}.fields.{}", f.wire),
                    format!(
                        "a {} request carries no body: give `{}` `in: query` or `in: path`",
                        method.as_str(),
                        f.wire
                    ),
                );
            }
        }
        if api == Api::V1 && method != Method::Post {
            self.err(
                file,
                &format!("{root}.method"),
                "v1 (`.action`) endpoints are form POSTs",
            );
        }
        Some(method)
    }

    /// Whether the body is multipart (`body: multipart`), and that files (`bytes` fields) travel
    /// only there, in the body, and that such a body carries at least one.
    pub(super) fn body_kind(
        &mut self,
        file: usize,
        root: &str,
        e: &spec::EndpointFile,
        api: Api,
        fields: &[Field],
    ) -> bool {
        let multipart = match e.body.as_deref() {
            None => false,
            Some("multipart") if api == Api::V1 => true,
            Some("multipart") => {
                self.err(
                    file,
                    &format!("{root}.body"),
                    "only v1 endpoints send a multipart body (v2 bodies are JSON); no source describes a v2 upload",
                );
                false
            }
            Some(other) => {
                self.err(
                    file,
                    &format!("{root}.body"),
                    format!("unknown body `{other}`; use multipart, or leave `body` out for the generation's own body"),
                );
                false
            }
        };
        let files: Vec<&Field> = fields.iter().filter(|f| f.ty == Ty::Bytes).collect();
        for f in &files {
            if !multipart && e.body.is_none() {
                self.err(
                    file,
                    &format!("{root}.fields.{}.type", f.wire),
                    "a `bytes` field is a file part: it travels only in a multipart body; add `body: multipart` to the endpoint",
                );
            }
            if f.location != Location::Body {
                self.err(
                    file,
                    &format!("{root}.fields.{}.in", f.wire),
                    "a file travels in the body, as a part of its own",
                );
            }
        }
        if multipart && files.is_empty() && fields.len() == e.fields.len() {
            self.err(
                file,
                &format!("{root}.body"),
                "a multipart body carries files: declare one as a field of `type: bytes`, or leave `body` out",
            );
        }
        multipart
    }

    pub(super) fn rate_limit(
        &mut self,
        file: usize,
        path: &str,
        rl: &spec::RateLimit,
        codes: &[EndpointStatus],
    ) -> Option<RateLimit> {
        if rl.calls == 0 || rl.window_seconds == 0 {
            self.err(
                file,
                path,
                "calls and window_seconds must be greater than 0",
            );
        }
        let known = codes.iter().any(|c| c.code == rl.code)
            || self.raw.api.status_codes.contains_key(&rl.code);
        let success = codes.iter().any(|c| c.code == rl.code && c.kind == "ok")
            || self
                .raw
                .api
                .status_codes
                .get(&rl.code)
                .is_some_and(|s| s.kind == "ok");
        if success {
            self.err(
                file,
                &format!("{path}.code"),
                format!("code {} is the success code (kind `ok`); name the code the server answers past the limit", rl.code),
            );
        } else if !known {
            self.err(
                file,
                &format!("{path}.code"),
                format!(
                    "code {} is not in api.yaml's or this endpoint's status_codes",
                    rl.code
                ),
            );
        }
        let blocks = match rl.blocks.as_deref() {
            None | Some("app") => Blocks::App,
            Some("endpoint") => Blocks::Endpoint,
            Some(other) => {
                self.err(
                    file,
                    &format!("{path}.blocks"),
                    format!("unknown `blocks: {other}`; use app or endpoint"),
                );
                Blocks::App
            }
        };
        let mut plans = Vec::new();
        for (plan, p) in &rl.plans {
            if p.calls == 0 || p.window_seconds == 0 {
                self.err(
                    file,
                    &format!("{path}.plans.{plan}"),
                    "calls and window_seconds must be greater than 0",
                );
            }
            plans.push(PlanLimit {
                plan: plan.clone(),
                calls: p.calls,
                window_seconds: p.window_seconds,
                note: p.note.clone(),
            });
        }
        let sources = self.check_pages(file, &format!("{path}.sources"), &rl.sources);
        Some(RateLimit {
            calls: rl.calls,
            window_seconds: rl.window_seconds,
            block_seconds: rl.block_seconds,
            code: rl.code,
            blocks,
            plans,
            sources,
            note: rl.note.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::placeholders;

    #[test]
    fn path_placeholders_are_whole_segments() {
        assert_eq!(
            placeholders("/im/v2/conversations/{conversation_id}/messages"),
            Ok(vec!["conversation_id".to_owned()])
        );
        assert_eq!(
            placeholders("/nimserver/msg/sendBatchMsg.action"),
            Ok(vec![])
        );
        assert!(placeholders("/a/{b}.json").is_err());
        assert!(placeholders("/a/{b/c}").is_err());
        assert!(placeholders("/a/{}").is_err());
        assert!(placeholders("/a/{b-c}").is_err());
        assert!(placeholders("/a/b}").is_err());
    }
}
