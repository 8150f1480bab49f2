//! Parsing with `ruff_python_parser`, plus the checks the parser leaves to us.
//!
//! CPython refuses brackets nested more than 200 deep ("too many nested parentheses") and
//! blocks indented more than 100 levels, so archlint reports those as syntax errors too and
//! never walks such a tree. And because the parser grows its stack on the heap rather than
//! fail, a large file of runaway nesting (`- - - … 1` over megabytes) would cost gigabytes and
//! minutes to parse: large files are first scanned token by token, and one whose nesting
//! estimate passes [`MAX_ESTIMATED_DEPTH`] is reported without being parsed.

use ruff_python_ast::ModModule;
use ruff_python_ast::token::TokenKind;
use ruff_python_parser::{Mode, Parsed};
use ruff_text_size::{Ranged, TextRange};

/// CPython's tokenizer limit on nested brackets (`MAXLEVEL`).
const MAX_BRACKET_DEPTH: usize = 200;
/// CPython's tokenizer limit on indentation levels (`MAXINDENT`).
const MAX_INDENT_DEPTH: usize = 100;
/// Files at least this large are scanned before parsing. A smaller file cannot nest deeper
/// than its size in bytes, which the parser handles in well under a second and the pipeline's
/// thread stacks can drop.
const PRESCAN_BYTES: usize = 128 * 1024;
/// The estimated nesting above which a file is not parsed. Far beyond what archlint walks
/// (`dispatch::MAX_NESTING`), and far beyond any hand-written code.
pub const MAX_ESTIMATED_DEPTH: usize = 20_000;

pub struct SyntaxProblem {
    pub message: String,
    pub range: TextRange,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailureKind {
    /// Not valid Python: the parser's first error, or one of CPython's nesting limits.
    Syntax,
    /// Nested too deep to parse safely (found by the scan before parsing).
    TooDeep,
}

/// Why a file has no tree to walk. `parsed` is the parser's partial tree, when it ran: the
/// caller must not drop it normally, as it may be deep enough to overflow a recursive drop.
pub struct Failure {
    pub kind: FailureKind,
    pub problem: SyntaxProblem,
    pub parsed: Option<Parsed<ModModule>>,
}

/// Parses a module.
pub fn parse(source: &str) -> Result<Parsed<ModModule>, Box<Failure>> {
    if source.len() >= PRESCAN_BYTES
        && let Some((kind, message)) = prescan(source)
    {
        return Err(Box::new(Failure {
            kind,
            problem: SyntaxProblem {
                message,
                range: TextRange::default(),
            },
            parsed: None,
        }));
    }
    let options = ruff_python_parser::ParseOptions::from(ruff_python_ast::PySourceType::Python);
    let parsed = ruff_python_parser::parse_unchecked(source, options)
        .try_into_module()
        .expect("parsed in module mode");
    let problem = parsed
        .errors()
        .first()
        .map(|error| SyntaxProblem {
            message: error.error.to_string(),
            range: error.location,
        })
        .or_else(|| nesting_problem(&parsed));
    match problem {
        Some(problem) => Err(Box::new(Failure {
            kind: FailureKind::Syntax,
            problem,
            parsed: Some(parsed),
        })),
        None => Ok(parsed),
    }
}

fn too_many_brackets() -> String {
    format!("too many nested parentheses: CPython accepts at most {MAX_BRACKET_DEPTH} levels")
}

fn nesting_problem(parsed: &Parsed<ModModule>) -> Option<SyntaxProblem> {
    let (mut brackets, mut indents) = (0usize, 0usize);
    for token in parsed.tokens().iter() {
        match token.kind() {
            TokenKind::Lpar | TokenKind::Lsqb | TokenKind::Lbrace => {
                brackets += 1;
                if brackets > MAX_BRACKET_DEPTH {
                    return Some(SyntaxProblem {
                        message: too_many_brackets(),
                        range: token.range(),
                    });
                }
            }
            TokenKind::Rpar | TokenKind::Rsqb | TokenKind::Rbrace => {
                brackets = brackets.saturating_sub(1)
            }
            TokenKind::Indent => {
                indents += 1;
                if indents > MAX_INDENT_DEPTH {
                    return Some(SyntaxProblem {
                        message: format!(
                            "too many levels of indentation: CPython accepts at most {MAX_INDENT_DEPTH}"
                        ),
                        range: token.range(),
                    });
                }
            }
            TokenKind::Dedent => indents = indents.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Estimates, from the tokens alone, how deep the parser would recurse, and returns a problem
/// when the estimate passes a limit.
///
/// The parser recurses on brackets and on the constructs that nest to the right: prefix
/// operators (`not`, unary `-`, `+`, `~`, `await`, `yield`, `lambda`), `**` and the `else` of
/// a conditional expression. Each bracket level counts those tokens since its last `,`, `;`,
/// `=` or logical line end, and the estimate is the sum over the open levels. It over-counts
/// (`a ** 2 + b ** 2` counts 2), which is harmless at a limit no real code comes near, and
/// never under-counts a chain, since only separators that end every enclosing expression
/// reset it.
fn prescan(source: &str) -> Option<(FailureKind, String)> {
    let mut lexer = ruff_python_parser::lexer::lex(source, Mode::Module);
    let mut levels: Vec<usize> = vec![0];
    let mut total = 0usize;
    let mut after_operand = false;
    loop {
        let kind = lexer.next_token();
        match kind {
            TokenKind::EndOfFile => return None,
            TokenKind::Lpar | TokenKind::Lsqb | TokenKind::Lbrace => {
                if levels.len() > MAX_BRACKET_DEPTH {
                    return Some((FailureKind::Syntax, too_many_brackets()));
                }
                levels.push(0);
            }
            TokenKind::Rpar | TokenKind::Rsqb | TokenKind::Rbrace if levels.len() > 1 => {
                total -= levels.pop().unwrap_or(0);
            }
            TokenKind::Comma | TokenKind::Semi | TokenKind::Newline => {
                let top = levels.last_mut().expect("the outermost level stays");
                total -= *top;
                *top = 0;
            }
            TokenKind::Equal
            | TokenKind::PlusEqual
            | TokenKind::MinusEqual
            | TokenKind::StarEqual
            | TokenKind::SlashEqual
            | TokenKind::DoubleSlashEqual
            | TokenKind::PercentEqual
            | TokenKind::AtEqual
            | TokenKind::AmperEqual
            | TokenKind::VbarEqual
            | TokenKind::CircumflexEqual
            | TokenKind::LeftShiftEqual
            | TokenKind::RightShiftEqual
            | TokenKind::DoubleStarEqual => {
                let top = levels.last_mut().expect("the outermost level stays");
                total -= *top;
                *top = 0;
            }
            TokenKind::Not
            | TokenKind::Await
            | TokenKind::Yield
            | TokenKind::Lambda
            | TokenKind::Else
            | TokenKind::DoubleStar
            | TokenKind::Tilde => {
                *levels.last_mut().expect("the outermost level stays") += 1;
                total += 1;
            }
            TokenKind::Plus | TokenKind::Minus if !after_operand => {
                *levels.last_mut().expect("the outermost level stays") += 1;
                total += 1;
            }
            _ => {}
        }
        if total > MAX_ESTIMATED_DEPTH {
            return Some((
                FailureKind::TooDeep,
                format!(
                    "code nested more than {MAX_ESTIMATED_DEPTH} levels deep (counted before parsing) was not analysed; split the expression"
                ),
            ));
        }
        if !matches!(kind, TokenKind::Comment | TokenKind::NonLogicalNewline) {
            after_operand = matches!(
                kind,
                TokenKind::Name
                    | TokenKind::Int
                    | TokenKind::Float
                    | TokenKind::Complex
                    | TokenKind::String
                    | TokenKind::FStringEnd
                    | TokenKind::TStringEnd
                    | TokenKind::Rpar
                    | TokenKind::Rsqb
                    | TokenKind::Rbrace
                    | TokenKind::True
                    | TokenKind::False
                    | TokenKind::None
                    | TokenKind::Ellipsis
            );
        }
    }
}

/// A file read and parsed, with the module it is, for the analyses that read the syntax
/// itself (types and stubs).
pub struct ParsedFile<'a> {
    pub path: &'a std::path::Path,
    pub module: Option<String>,
    pub is_package: bool,
    pub role: archlint_vocabulary::Role,
    pub source: &'a str,
    pub parsed: &'a Parsed<ModModule>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn estimate(source: &str) -> Option<FailureKind> {
        prescan(source).map(|(kind, _)| kind)
    }

    #[test]
    fn runaway_prefix_and_right_nesting_is_caught() {
        let n = MAX_ESTIMATED_DEPTH + 1;
        assert_eq!(
            estimate(&format!("x = {}1\n", "not ".repeat(n))),
            Some(FailureKind::TooDeep)
        );
        assert_eq!(
            estimate(&format!("x = {}1\n", "-".repeat(n))),
            Some(FailureKind::TooDeep)
        );
        assert_eq!(
            estimate(&format!("x = {}2\n", "2**".repeat(n))),
            Some(FailureKind::TooDeep)
        );
        assert_eq!(
            estimate(&format!("x = {}1\n", "lambda: ".repeat(n))),
            Some(FailureKind::TooDeep)
        );
        // A `+` between levels does not reset the count: `lambda: a + 1 if b else lambda: …`.
        assert_eq!(
            estimate(&format!(
                "x = {}1\n",
                "lambda: a + 1 if b else ".repeat(n / 2 + 1)
            )),
            Some(FailureKind::TooDeep)
        );
        assert_eq!(
            estimate(&format!("x = {}1{}\n", "(".repeat(201), ")".repeat(201))),
            Some(FailureKind::Syntax)
        );
    }

    #[test]
    fn large_flat_code_passes() {
        let n = MAX_ESTIMATED_DEPTH * 2;
        // Negative numbers in a table, a long sum, a long boolean chain over many lines.
        let table = format!("x = [{}]\n", "-1, ".repeat(n));
        assert_eq!(estimate(&table), None);
        let sum = format!("x = {}1\n", "1 - ".repeat(n));
        assert_eq!(estimate(&sum), None);
        let lines = "y = not a and -b\n".repeat(n);
        assert_eq!(estimate(&lines), None);
        let dict = format!("d = {{{}}}\n", "'k': -1,\n".repeat(n));
        assert_eq!(estimate(&dict), None);
    }
}
