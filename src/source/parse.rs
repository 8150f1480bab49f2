//! Parsing with `ruff_python_parser`, plus the one check the parser leaves to us: CPython
//! refuses brackets nested more than 200 deep ("too many nested parentheses") and blocks
//! indented more than 100 levels, so archlint reports those as syntax errors too and never
//! walks such a tree.

use ruff_python_ast::ModModule;
use ruff_python_ast::token::TokenKind;
use ruff_python_parser::Parsed;
use ruff_text_size::{Ranged, TextRange};

/// CPython's tokenizer limit on nested brackets (`MAXLEVEL`).
const MAX_BRACKET_DEPTH: usize = 200;
/// CPython's tokenizer limit on indentation levels (`MAXINDENT`).
const MAX_INDENT_DEPTH: usize = 100;

pub struct SyntaxProblem {
    pub message: String,
    pub range: TextRange,
}

/// Parses a module; on failure returns the first problem and the (partial) tree, which the
/// caller must drop with care when it may be deep.
pub fn parse(source: &str) -> Result<Parsed<ModModule>, (SyntaxProblem, Parsed<ModModule>)> {
    let options = ruff_python_parser::ParseOptions::from(ruff_python_ast::PySourceType::Python);
    let parsed = ruff_python_parser::parse_unchecked(source, options)
        .try_into_module()
        .expect("parsed in module mode");
    if let Some(error) = parsed.errors().first() {
        let problem = SyntaxProblem {
            message: error.error.to_string(),
            range: error.location,
        };
        return Err((problem, parsed));
    }
    if let Some(problem) = nesting_problem(&parsed) {
        return Err((problem, parsed));
    }
    Ok(parsed)
}

fn nesting_problem(parsed: &Parsed<ModModule>) -> Option<SyntaxProblem> {
    let (mut brackets, mut indents) = (0usize, 0usize);
    for token in parsed.tokens().iter() {
        match token.kind() {
            TokenKind::Lpar | TokenKind::Lsqb | TokenKind::Lbrace => {
                brackets += 1;
                if brackets > MAX_BRACKET_DEPTH {
                    return Some(SyntaxProblem {
                        message: format!(
                            "too many nested parentheses: CPython accepts at most {MAX_BRACKET_DEPTH} levels"
                        ),
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
