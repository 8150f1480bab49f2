//! What Python version each part of a module needs, and which parts are guarded so that an
//! older interpreter never runs them.
//!
//! The syntax and standard-library rules record needs while the walk runs; the module's
//! minimum is the highest unguarded need. Guards are those vermin users write, and more:
//! `if sys.version_info >= (3, 11):` (its `else:` for `<`), `PY311`-style flags,
//! `try: ... except ImportError/AttributeError/...:`, `if hasattr(...)`, `if TYPE_CHECKING:`,
//! and vermin's own `# novm` / `# novermin` comments. A guard cannot save syntax: an older
//! interpreter fails to compile the whole file, so only `# novm` silences a syntax need.

use ruff_python_ast::token::{TokenKind, Tokens};
use ruff_python_ast::{self as ast, CmpOp, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};
use serde::{Deserialize, Serialize};

use super::literal;

pub type Version = (u8, u8);

/// What a guard guarantees: Python `v` or newer (`Some(v)`), or anything the guarded code
/// needs (`None`, a feature test such as `hasattr`).
type Ceiling = Option<Version>;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NeedKind {
    /// The parser rejects the file on older versions.
    Syntax,
    /// A module, function, class, keyword argument or behaviour of the standard library.
    Runtime,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionNeed {
    pub version: Version,
    pub feature: String,
    pub line: usize,
    pub range: TextRange,
    pub kind: NeedKind,
}

/// The spans of a module whose code only runs, or only matters, on some versions.
#[derive(Default)]
pub struct Guards {
    /// Runtime needs up to the version (or any, for `None`) are met inside the span.
    runtime: Vec<(TextRange, Ceiling)>,
    /// Statements carrying a `# novm` / `# novermin` comment on their first line.
    silenced: Vec<TextRange>,
}

impl Guards {
    pub fn of(body: &[Stmt], source: &str, tokens: &Tokens) -> Self {
        let silenced_lines: Vec<TextRange> = tokens
            .iter()
            .filter(|token| token.kind() == TokenKind::Comment)
            .filter(|token| {
                let text = source[token.range()].trim_start_matches('#').trim_start();
                text.starts_with("novm") || text.starts_with("novermin")
            })
            .map(|token| line_of(source, token.range()))
            .collect();
        let mut guards = Guards::default();
        guards.scan(body, &silenced_lines);
        guards
    }

    /// Whether `need` at `range` is met or silenced where it sits.
    pub fn covers(&self, range: TextRange, version: Version, kind: NeedKind) -> bool {
        if self.silenced.iter().any(|span| span.contains_range(range)) {
            return true;
        }
        kind == NeedKind::Runtime
            && self.runtime.iter().any(|(span, ceiling)| {
                span.contains_range(range) && ceiling.is_none_or(|ceiling| version <= ceiling)
            })
    }

    fn scan(&mut self, body: &[Stmt], silenced_lines: &[TextRange]) {
        for stmt in body {
            if silenced_lines
                .iter()
                .any(|line| line.contains(stmt.range().start()))
            {
                self.silenced.push(stmt.range());
                continue;
            }
            match stmt {
                Stmt::If(if_stmt) => {
                    let (met, unmet) = condition_guard(&if_stmt.test);
                    if let Some(ceiling) = met {
                        self.runtime.push((body_range(&if_stmt.body), ceiling));
                    }
                    if let (Some(ceiling), Some(clause)) =
                        (unmet, if_stmt.elif_else_clauses.first())
                    {
                        let end = if_stmt.range().end();
                        self.runtime
                            .push((TextRange::new(clause.range().start(), end), ceiling));
                    }
                    self.scan(&if_stmt.body, silenced_lines);
                    for clause in &if_stmt.elif_else_clauses {
                        if let Some(test) = &clause.test {
                            let (met, _) = condition_guard(test);
                            if let Some(ceiling) = met {
                                self.runtime.push((body_range(&clause.body), ceiling));
                            }
                        }
                        self.scan(&clause.body, silenced_lines);
                    }
                }
                Stmt::Try(try_stmt) => {
                    if try_stmt.handlers.iter().any(catches_missing_feature) {
                        self.runtime.push((body_range(&try_stmt.body), None));
                    }
                    self.scan(&try_stmt.body, silenced_lines);
                    for handler in &try_stmt.handlers {
                        let ast::ExceptHandler::ExceptHandler(handler) = handler;
                        self.scan(&handler.body, silenced_lines);
                    }
                    self.scan(&try_stmt.orelse, silenced_lines);
                    self.scan(&try_stmt.finalbody, silenced_lines);
                }
                Stmt::FunctionDef(def) => self.scan(&def.body, silenced_lines),
                Stmt::ClassDef(class) => self.scan(&class.body, silenced_lines),
                Stmt::For(for_stmt) => {
                    self.scan(&for_stmt.body, silenced_lines);
                    self.scan(&for_stmt.orelse, silenced_lines);
                }
                Stmt::While(while_stmt) => {
                    self.scan(&while_stmt.body, silenced_lines);
                    self.scan(&while_stmt.orelse, silenced_lines);
                }
                Stmt::With(with) => self.scan(&with.body, silenced_lines),
                Stmt::Match(match_stmt) => {
                    for case in &match_stmt.cases {
                        self.scan(&case.body, silenced_lines);
                    }
                }
                _ => {}
            }
        }
    }
}

fn line_of(source: &str, range: TextRange) -> TextRange {
    let start = source[..range.start().to_usize()]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    TextRange::new((start as u32).into(), range.end())
}

fn body_range(body: &[Stmt]) -> TextRange {
    match (body.first(), body.last()) {
        (Some(first), Some(last)) => TextRange::new(first.range().start(), last.range().end()),
        _ => TextRange::default(),
    }
}

/// An `except` clause that handles code missing on older versions.
fn catches_missing_feature(handler: &ast::ExceptHandler) -> bool {
    const CAUGHT: &[&str] = &[
        "ImportError",
        "ModuleNotFoundError",
        "AttributeError",
        "NameError",
        "TypeError",
        "Exception",
        "BaseException",
    ];
    let ast::ExceptHandler::ExceptHandler(handler) = handler;
    let Some(types) = handler.type_.as_deref() else {
        return true;
    };
    let names: Vec<&Expr> = match types {
        Expr::Tuple(tuple) => tuple.elts.iter().collect(),
        other => vec![other],
    };
    names
        .iter()
        .filter_map(|name| literal::terminal_name(name))
        .any(|name| CAUGHT.contains(&name))
}

/// What a condition guarantees in its body (first) and in its `else` (second), if anything.
fn condition_guard(test: &Expr) -> (Option<Ceiling>, Option<Ceiling>) {
    match test {
        Expr::BoolOp(bool_op) if bool_op.op.is_and() => {
            let met = bool_op
                .values
                .iter()
                .find_map(|value| condition_guard(value).0);
            (met, None)
        }
        Expr::UnaryOp(unary) if unary.op.is_not() => {
            let (met, unmet) = condition_guard(&unary.operand);
            (unmet, met)
        }
        Expr::Compare(compare) => match version_comparison(compare) {
            Some((true, version)) => (Some(Some(version)), None),
            Some((false, version)) => (None, Some(Some(version))),
            None => (None, None),
        },
        Expr::Call(call) if literal::terminal_name(&call.func) == Some("hasattr") => {
            (Some(None), None)
        }
        Expr::Name(_) | Expr::Attribute(_) => {
            let name = literal::terminal_name(test).unwrap_or_default();
            if name == "TYPE_CHECKING" {
                (Some(None), None)
            } else if let Some(version) = version_flag(name) {
                (Some(Some(version)), None)
            } else {
                (None, None)
            }
        }
        _ => (None, None),
    }
}

/// `PY311`, `PY_311`, `PY3_11`, `PY310_PLUS`, `py310`, `IS_PY311`, `PYTHON_310`: the flags
/// projects define from `sys.version_info` (in a compatibility module, mostly: `compat.py310`).
fn version_flag(name: &str) -> Option<Version> {
    let upper = name.to_ascii_uppercase();
    let upper = upper.strip_prefix("IS_").unwrap_or(&upper);
    let rest = upper
        .strip_prefix("PYTHON")
        .or_else(|| upper.strip_prefix("PY"))?
        .trim_start_matches('_');
    let digits: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '_')
        .filter(char::is_ascii_digit)
        .collect();
    let tail = &rest[rest
        .find(|c: char| !c.is_ascii_digit() && c != '_')
        .unwrap_or(rest.len())..];
    if !(tail.is_empty() || tail == "PLUS" || tail == "_PLUS") || digits.len() < 2 {
        return None;
    }
    let (major, minor) = digits.split_at(1);
    Some((major.parse().ok()?, minor.parse().ok()?)).filter(|&(major, _)| major == 3)
}

/// `sys.version_info >= (3, 11)` → `(true, 3.11)`: true from 3.11 on. `sys.version_info <
/// (3, 11)` → `(false, 3.11)`: false from 3.11 on. Also `[:2]`, `.minor`, reversed operands.
fn version_comparison(compare: &ast::ExprCompare) -> Option<(bool, Version)> {
    let ([op], [right]) = (&*compare.ops, &*compare.comparators) else {
        return None;
    };
    let left = &*compare.left;
    let (subject, op, bound) = if is_version_info(left) {
        (left, *op, right)
    } else if is_version_info(right) {
        let flipped = match op {
            CmpOp::Lt => CmpOp::Gt,
            CmpOp::LtE => CmpOp::GtE,
            CmpOp::Gt => CmpOp::Lt,
            CmpOp::GtE => CmpOp::LtE,
            other => *other,
        };
        (right, flipped, left)
    } else {
        return None;
    };
    let version = match subject {
        Expr::Attribute(attribute) if attribute.attr.as_str() == "minor" => {
            (3, u8::try_from(literal::int(bound)?).ok()?)
        }
        _ => {
            let Expr::Tuple(tuple) = bound else {
                return None;
            };
            let major = u8::try_from(literal::int(tuple.elts.first()?)?).ok()?;
            let minor = tuple.elts.get(1).and_then(literal::int).unwrap_or(0);
            (major, u8::try_from(minor).ok()?)
        }
    };
    match op {
        CmpOp::GtE => Some((true, version)),
        // `> (3, 10)` holds for 3.10.0 already: the tuple is longer than the bound.
        CmpOp::Gt => Some((true, version)),
        CmpOp::Lt => Some((false, version)),
        CmpOp::LtE => Some((false, (version.0, version.1.saturating_add(1)))),
        _ => None,
    }
}

/// `(3, 8)` as (3, 8); `(3,)` as (3, 0).
pub fn version_tuple(expr: &Expr) -> Option<Version> {
    let Expr::Tuple(tuple) = expr else {
        return None;
    };
    let major = u8::try_from(literal::int(tuple.elts.first()?)?).ok()?;
    let minor = match tuple.elts.get(1) {
        Some(minor) => u8::try_from(literal::int(minor)?).ok()?,
        None => 0,
    };
    Some((major, minor))
}

/// `sys.version_info`, `sys.version_info[:2]`, `sys.version_info.minor`.
fn is_version_info(expr: &Expr) -> bool {
    let inner = match expr {
        Expr::Subscript(subscript) => &*subscript.value,
        Expr::Attribute(attribute) if attribute.attr.as_str() == "minor" => &*attribute.value,
        other => other,
    };
    literal::dotted(inner).is_some_and(|name| name == "sys.version_info" || name == "version_info")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_flags_read_like_their_names() {
        assert_eq!(version_flag("PY311"), Some((3, 11)));
        assert_eq!(version_flag("PY_311"), Some((3, 11)));
        assert_eq!(version_flag("PY3_9"), Some((3, 9)));
        assert_eq!(version_flag("PY310_PLUS"), Some((3, 10)));
        assert_eq!(version_flag("PY2"), None);
        assert_eq!(version_flag("PYTHON"), None);
        assert_eq!(version_flag("PY27"), None);
        assert_eq!(version_flag("py310"), Some((3, 10)));
        assert_eq!(version_flag("IS_PY311"), Some((3, 11)));
        assert_eq!(version_flag("PYTHON_312"), Some((3, 12)));
        assert_eq!(version_flag("pypy"), None);
        assert_eq!(version_flag("python"), None);
    }
}
