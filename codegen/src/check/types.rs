//! Named types: enums, objects (from `types.yaml` or declared inline by an endpoint), and the
//! resolution of type names.

use indexmap::IndexMap;

use super::{is_pascal_ident, is_snake_ident, Checker, Place};
use crate::model::*;
use crate::spec::TypeDef;
use crate::types::TypeExpr;

/// Where a set of named types is declared; its spec path is paired with it.
#[derive(Clone, Copy)]
pub(super) struct TypeSource<'a> {
    pub file: usize,
    /// The declaring endpoint, for inline types.
    pub scope: Option<&'a str>,
    pub defs: &'a IndexMap<String, TypeDef>,
}

impl<'a> Checker<'a> {
    /// `file:line` of a spec path, to name another place in a message.
    fn place_of(&self, file: usize, path: &str) -> String {
        let d = self.raw.diag(file, path, "");
        match d.location {
            Some((line, _)) => format!("{}:{line}", d.file),
            None => d.file,
        }
    }

    pub(super) fn types_file(&self) -> usize {
        self.raw.types_file.unwrap_or(self.raw.api_file)
    }

    /// `types.yaml`, then each endpoint's inline `types`.
    pub(super) fn type_sources(&self) -> Vec<(TypeSource<'a>, String)> {
        let raw = self.raw;
        let mut out = vec![(
            TypeSource {
                file: self.types_file(),
                scope: None,
                defs: &raw.types.types,
            },
            "types".to_owned(),
        )];
        for (name, e, file) in &raw.endpoints {
            out.push((
                TypeSource {
                    file: *file,
                    scope: Some(name.as_str()),
                    defs: &e.types,
                },
                format!("endpoints.{name}.types"),
            ));
        }
        out
    }

    /// The raw definition of the named type, wherever it is declared.
    pub(super) fn raw_type(&self, name: &str) -> Option<&'a TypeDef> {
        let raw = self.raw;
        raw.types
            .types
            .get(name)
            .or_else(|| raw.endpoints.iter().find_map(|(_, e, _)| e.types.get(name)))
    }

    pub(super) fn collect_enums(&mut self) {
        // Where each name was first declared: a second declaration is reported at both places,
        // since either may be the one to rename.
        let mut seen: std::collections::BTreeMap<String, (usize, String)> = Default::default();
        for (src, prefix) in self.type_sources() {
            let file = src.file;
            for (name, def) in src.defs {
                let path = format!("{prefix}.{name}");
                if !is_pascal_ident(name) {
                    self.err(
                        file,
                        &path,
                        format!("type name `{name}` must be PascalCase"),
                    );
                } else if let Some(problem) = self.type_name_problem(name) {
                    self.err(file, &path, problem);
                }
                if let Some((first_file, first_path)) = seen.get(name).cloned() {
                    let here = self.place_of(file, &path);
                    let there = self.place_of(first_file, &first_path);
                    let twice = "type names are global, rename one";
                    self.err(
                        file,
                        &path,
                        format!("type `{name}` is also declared at {there}; {twice}"),
                    );
                    self.err(
                        first_file,
                        &first_path,
                        format!("type `{name}` is also declared at {here}; {twice}"),
                    );
                } else {
                    seen.insert(name.clone(), (file, path.clone()));
                }
                self.type_scopes
                    .entry(name.clone())
                    .or_insert_with(|| src.scope.map(str::to_owned));
                let sources = self.check_pages(file, &format!("{path}.sources"), &def.sources);
                match def.kind.as_str() {
                    "enum" => self.enum_def(file, &path, name, def, sources, src.scope),
                    "object" => {
                        if def.values.is_some() || def.open {
                            self.err(
                                file,
                                &path,
                                "an object has `fields`, not `values` or `open`",
                            );
                        }
                        self.object_names.insert(name.clone());
                    }
                    other => self.err(
                        file,
                        &format!("{path}.kind"),
                        format!("unknown kind `{other}`; use enum or object"),
                    ),
                }
            }
        }
    }

    fn enum_def(
        &mut self,
        file: usize,
        path: &str,
        name: &str,
        def: &TypeDef,
        sources: Vec<String>,
        scope: Option<&str>,
    ) {
        if def.fields.is_some() || def.from_scalar.is_some() {
            self.err(
                file,
                path,
                "an enum has `values`, not `fields` or `from_scalar`",
            );
        }
        let mut values: Vec<EnumValue> = Vec::new();
        match &def.values {
            Some(vs) if !vs.is_empty() => {
                for (vname, v) in vs {
                    let vpath = format!("{path}.values.{vname}");
                    if !is_snake_ident(vname) {
                        self.err(
                            file,
                            &vpath,
                            format!("value name `{vname}` must be snake_case"),
                        );
                    }
                    let variant = pascal_case(vname);
                    if values.iter().any(|o| o.value == v.value) {
                        self.err(
                            file,
                            &format!("{vpath}.value"),
                            format!("value {} is already used in {name}", v.value),
                        );
                    }
                    if i32::try_from(v.value).is_err() {
                        self.err(
                            file,
                            &format!("{vpath}.value"),
                            format!("value {} does not fit in an int (i32)", v.value),
                        );
                    }
                    let value_sources =
                        self.check_pages(file, &format!("{vpath}.sources"), &v.sources);
                    values.push(EnumValue {
                        name: vname.clone(),
                        variant,
                        value: v.value,
                        description: v.description.clone(),
                        sources: value_sources,
                    });
                }
            }
            _ => self.err(
                file,
                path,
                "an enum needs at least one entry under `values`",
            ),
        }
        let variants: Vec<(String, String, String)> = values
            .iter()
            .filter(|v| is_snake_ident(&v.name))
            .map(|v| {
                (
                    format!("{path}.values.{}", v.name),
                    v.name.clone(),
                    v.variant.clone(),
                )
            })
            .collect();
        let reserved: &[&str] = if def.open { &["Other"] } else { &[] };
        self.variant_names(file, &variants, reserved);
        self.enums.push(EnumDef {
            name: name.to_owned(),
            description: def.description.clone(),
            open: def.open,
            values,
            sources,
            scope: scope.map(str::to_owned),
        });
    }

    pub(super) fn objects(&mut self) -> Vec<ObjectDef> {
        let mut out = Vec::new();
        for (src, prefix) in self.type_sources() {
            let file = src.file;
            for (name, def) in src.defs {
                if def.kind != "object" {
                    continue;
                }
                let path = format!("{prefix}.{name}");
                self.scope = src.scope.map(str::to_owned);
                let fields = match &def.fields {
                    Some(fields) => {
                        self.fields(file, &format!("{path}.fields"), fields, Place::Object)
                    }
                    None => {
                        self.err(file, &path, "an object needs `fields`");
                        Vec::new()
                    }
                };
                if let Some(scalar) = &def.from_scalar {
                    if !fields
                        .iter()
                        .any(|f| &f.wire == scalar && f.ty == Ty::String)
                    {
                        self.err(
                            file,
                            &format!("{path}.from_scalar"),
                            format!("`{scalar}` is not a string field of {name}"),
                        );
                    }
                    // A bare string sets only that field, so every other one must be optional.
                    for f in fields.iter().filter(|f| f.required && &f.wire != scalar) {
                        self.err(
                            file,
                            &format!("{path}.fields.{}.required", f.wire),
                            format!("`{}` is required, but {name} may arrive as a bare string (from_scalar: {scalar}) that sets only `{scalar}`; make it optional", f.wire),
                        );
                    }
                }
                out.push(ObjectDef {
                    name: name.clone(),
                    description: def.description.clone(),
                    fields,
                    from_scalar: def.from_scalar.clone(),
                    in_request: false,
                    in_reply: false,
                    lenience: Lenience::default(),
                    sources: def.sources.clone(),
                    scope: src.scope.map(str::to_owned),
                });
            }
        }
        self.scope = None;
        out
    }

    pub(super) fn resolve(&self, expr: &TypeExpr) -> Result<Ty, String> {
        Ok(match expr {
            TypeExpr::String => Ty::String,
            TypeExpr::Int => Ty::Int,
            TypeExpr::Long => Ty::Long,
            TypeExpr::Float => Ty::Float,
            TypeExpr::Bool => Ty::Bool,
            TypeExpr::Json => Ty::Json,
            TypeExpr::Any => Ty::Any,
            TypeExpr::Bytes => Ty::Bytes,
            TypeExpr::List(item) => Ty::List(Box::new(self.resolve(item)?)),
            TypeExpr::Map(value) => Ty::Map(Box::new(self.resolve(value)?)),
            TypeExpr::Named(name) => {
                if let Some(Some(owner)) = self.type_scopes.get(name) {
                    if self.scope.as_ref() != Some(owner) {
                        let here = match &self.scope {
                            Some(endpoint) => format!("endpoint `{endpoint}`"),
                            None => "types.yaml".to_owned(),
                        };
                        return Err(format!(
                            "type `{name}` is declared by endpoint `{owner}` and can be used only there, not in {here}; move it to types.yaml to share it"
                        ));
                    }
                }
                if self.enums.iter().any(|e| &e.name == name) {
                    Ty::Enum(name.clone())
                } else if self.object_names.contains(name) {
                    Ty::Object(name.clone())
                } else {
                    let visible = |n: &&str| match self.type_scopes.get(*n) {
                        Some(Some(owner)) => self.scope.as_ref() == Some(owner),
                        _ => true,
                    };
                    let known: Vec<&str> = self
                        .enums
                        .iter()
                        .map(|e| e.name.as_str())
                        .chain(self.object_names.iter().map(String::as_str))
                        .filter(visible)
                        .collect();
                    let listed = if known.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", known.join(", "))
                    };
                    return Err(format!(
                        "unknown type `{name}`; use string, int, long, float, bool, json, any, list<T>, map<string, T> or a type from types.yaml or the endpoint's `types`{listed}"
                    ));
                }
            }
        })
    }
}
