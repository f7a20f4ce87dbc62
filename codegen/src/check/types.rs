//! Named types: enums, objects, and the resolution of type names.

use super::{is_pascal_ident, is_snake_ident, Checker, Place};
use crate::model::*;
use crate::types::TypeExpr;

impl Checker<'_> {
    pub(super) fn types_file(&self) -> usize {
        self.raw.types_file.unwrap_or(self.raw.api_file)
    }

    pub(super) fn collect_enums(&mut self) {
        let file = self.types_file();
        for (name, def) in &self.raw.types.types {
            let path = format!("types.{name}");
            if !is_pascal_ident(name) {
                self.err(
                    file,
                    &path,
                    format!("type name `{name}` must be PascalCase"),
                );
            }
            let sources = self.check_pages(file, &format!("{path}.sources"), &def.sources);
            match def.kind.as_str() {
                "enum" => {
                    if def.fields.is_some() || def.from_scalar.is_some() {
                        self.err(
                            file,
                            &path,
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
                                values.push(EnumValue {
                                    name: vname.clone(),
                                    variant: pascal_case(vname),
                                    value: v.value,
                                    description: v.description.clone(),
                                });
                            }
                        }
                        _ => self.err(
                            file,
                            &path,
                            "an enum needs at least one entry under `values`",
                        ),
                    }
                    if def.open && values.iter().any(|v| v.variant == "Other") {
                        self.err(file, &path, "an open enum gets a catch-all variant `Other`; rename the value `other`");
                    }
                    self.enums.push(EnumDef {
                        name: name.clone(),
                        description: def.description.clone(),
                        open: def.open,
                        values,
                        sources,
                    });
                }
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

    pub(super) fn objects(&mut self) -> Vec<ObjectDef> {
        let file = self.types_file();
        let mut out = Vec::new();
        for (name, def) in &self.raw.types.types {
            if def.kind != "object" {
                continue;
            }
            let path = format!("types.{name}");
            let fields = match &def.fields {
                Some(fields) => self.fields(file, &format!("{path}.fields"), fields, Place::Object),
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
            });
        }
        out
    }

    pub(super) fn resolve(&self, expr: &TypeExpr) -> Result<Ty, String> {
        Ok(match expr {
            TypeExpr::String => Ty::String,
            TypeExpr::Int => Ty::Int,
            TypeExpr::Long => Ty::Long,
            TypeExpr::Bool => Ty::Bool,
            TypeExpr::Json => Ty::Json,
            TypeExpr::List(item) => Ty::List(Box::new(self.resolve(item)?)),
            TypeExpr::Map(value) => Ty::Map(Box::new(self.resolve(value)?)),
            TypeExpr::Named(name) => {
                if self.enums.iter().any(|e| &e.name == name) {
                    Ty::Enum(name.clone())
                } else if self.object_names.contains(name) {
                    Ty::Object(name.clone())
                } else {
                    let known: Vec<&str> = self
                        .enums
                        .iter()
                        .map(|e| e.name.as_str())
                        .chain(self.object_names.iter().map(String::as_str))
                        .collect();
                    let listed = if known.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", known.join(", "))
                    };
                    return Err(format!(
                        "unknown type `{name}`; use string, int, long, bool, json, list<T>, map<string, T> or a type from types.yaml{listed}"
                    ));
                }
            }
        })
    }
}
