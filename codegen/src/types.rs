//! Type expressions of the spec: `string`, `int`, `long`, `float`, `bool`, `json`, `any`, `bytes`,
//! `list<T>`, `map<string, T>`, or the name of a type from `types.yaml`.

use crate::limits::{MAX_TYPE_EXPR_BYTES, MAX_TYPE_EXPR_DEPTH};

/// A parsed type expression, before names are resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeExpr {
    String,
    Int,
    Long,
    Float,
    Bool,
    /// A string whose content must parse as JSON.
    Json,
    /// A free-form JSON value.
    Any,
    /// A file: the bytes of one part of a multipart body.
    Bytes,
    List(Box<TypeExpr>),
    /// Keys are strings; the value type is given.
    Map(Box<TypeExpr>),
    Named(String),
}

/// Parses a type expression; the error says what was expected.
pub fn parse(text: &str) -> Result<TypeExpr, String> {
    // Before parsing: the parser recurses per level and its messages quote the text.
    if text.len() > MAX_TYPE_EXPR_BYTES {
        return Err(format!(
            "the type expression is {} bytes long; the limit is {MAX_TYPE_EXPR_BYTES}",
            text.len()
        ));
    }
    let mut p = ExprParser {
        text,
        pos: 0,
        depth: 0,
    };
    let ty = p.expr()?;
    p.skip_ws();
    if p.pos != text.len() {
        return Err(format!(
            "unexpected `{}` after the type in `{text}`",
            &text[p.pos..]
        ));
    }
    Ok(ty)
}

struct ExprParser<'a> {
    text: &'a str,
    pos: usize,
    /// `list<` and `map<` levels open.
    depth: usize,
}

impl ExprParser<'_> {
    fn skip_ws(&mut self) {
        while self.text[self.pos..].starts_with(' ') {
            self.pos += 1;
        }
    }

    fn ident(&mut self) -> Result<&str, String> {
        self.skip_ws();
        let rest = &self.text[self.pos..];
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if len == 0 {
            return Err(format!(
                "expected a type name at `{rest}` in `{}`",
                self.text
            ));
        }
        self.pos += len;
        Ok(&rest[..len])
    }

    fn expect(&mut self, c: char) -> Result<(), String> {
        self.skip_ws();
        if self.text[self.pos..].starts_with(c) {
            self.pos += c.len_utf8();
            Ok(())
        } else {
            Err(format!(
                "expected `{c}` at `{}` in `{}`",
                &self.text[self.pos..],
                self.text
            ))
        }
    }

    fn expr(&mut self) -> Result<TypeExpr, String> {
        let name = self.ident()?.to_owned();
        if matches!(name.as_str(), "list" | "map") {
            self.depth += 1;
            if self.depth > MAX_TYPE_EXPR_DEPTH {
                return Err(format!(
                    "`{}` nests lists and maps more than {MAX_TYPE_EXPR_DEPTH} deep; that is the limit",
                    self.text
                ));
            }
        }
        Ok(match name.as_str() {
            "string" => TypeExpr::String,
            "int" => TypeExpr::Int,
            "long" => TypeExpr::Long,
            "float" => TypeExpr::Float,
            "bool" => TypeExpr::Bool,
            "json" => TypeExpr::Json,
            "any" => TypeExpr::Any,
            "bytes" => TypeExpr::Bytes,
            "list" => {
                self.expect('<')?;
                let item = self.expr()?;
                self.expect('>')?;
                TypeExpr::List(Box::new(item))
            }
            "map" => {
                self.expect('<')?;
                if self.ident()? != "string" {
                    return Err(format!("map keys must be `string` in `{}`", self.text));
                }
                self.expect(',')?;
                let value = self.expr()?;
                self.expect('>')?;
                TypeExpr::Map(Box::new(value))
            }
            _ => TypeExpr::Named(name),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nested_expressions() {
        assert_eq!(
            parse("list<map<string, ChatroomSentMessage>>"),
            Ok(TypeExpr::List(Box::new(TypeExpr::Map(Box::new(
                TypeExpr::Named("ChatroomSentMessage".into())
            )))))
        );
        assert_eq!(parse("long"), Ok(TypeExpr::Long));
    }

    #[test]
    fn rejects_malformed_expressions() {
        assert!(parse("list<string").is_err());
        assert!(parse("map<int, string>").is_err());
        assert!(parse("list<>").is_err());
        assert!(parse("string extra").is_err());
        assert!(parse("").is_err());
    }

    fn nested(depth: usize) -> String {
        format!("{}string{}", "list<".repeat(depth), ">".repeat(depth))
    }

    #[test]
    fn refuses_deep_and_long_expressions_quickly() {
        assert!(parse(&nested(16)).is_ok());
        let deep = parse(&nested(17)).unwrap_err();
        assert!(deep.contains("more than 16 deep"), "{deep}");
        // Thousands of levels, malformed or not: refused on length, without quoting the text.
        let start = std::time::Instant::now();
        for text in [
            nested(100_000),
            "list<".repeat(100_000),
            "map<string, ".repeat(50_000),
        ] {
            let err = parse(&text).unwrap_err();
            assert!(err.contains("bytes long; the limit is 256"), "{err}");
            assert!(err.len() < 100, "{err}");
        }
        assert!(start.elapsed() < std::time::Duration::from_secs(1));
    }
}
