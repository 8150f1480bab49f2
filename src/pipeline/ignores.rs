//! `check --add-ignore`: a `# archlint: ignore[CODE]` comment on each finding's line (or its
//! statement's first line, where the finding's own line cannot take one), every other byte
//! kept; the command writes each file whole or not at all.

use std::path::{Path, PathBuf};

use ruff_python_ast::statement_visitor::{StatementVisitor, walk_stmt};
use ruff_python_ast::{ModModule, Stmt};
use ruff_source_file::LineIndex;
use ruff_text_size::Ranged;
use rustc_hash::FxHashMap;

use archlint_source::suppress;
use archlint_vocabulary::Diagnostic;

/// What `--add-ignore` would write.
#[derive(Default)]
pub struct AddedIgnores {
    /// Each file with a comment added, and its new text.
    pub files: Vec<(PathBuf, String)>,
    pub comments: usize,
    /// Findings left without a comment: where, and why.
    pub refused: Vec<(PathBuf, usize, String)>,
}

pub fn add_ignores(diagnostics: &[Diagnostic]) -> AddedIgnores {
    let mut by_file: FxHashMap<&Path, Vec<&Diagnostic>> = FxHashMap::default();
    for d in diagnostics {
        by_file.entry(d.path.as_path()).or_default().push(d);
    }
    let mut files: Vec<(&Path, Vec<&Diagnostic>)> = by_file.into_iter().collect();
    files.sort_by(|a, b| a.0.cmp(b.0));
    let mut done = AddedIgnores::default();
    for (path, findings) in files {
        let refuse = |done: &mut AddedIgnores, why: &str| {
            for d in &findings {
                done.refused
                    .push((path.to_path_buf(), d.start.line, why.to_string()));
            }
        };
        if !path.extension().is_some_and(|e| e == "py" || e == "pyi") {
            refuse(&mut done, "not a Python file");
            continue;
        }
        let Ok(source) = std::fs::read_to_string(path) else {
            refuse(&mut done, "not readable as UTF-8 text");
            continue;
        };
        let Ok(parsed) = archlint_source::parse::parse(&source) else {
            refuse(&mut done, "it does not parse");
            continue;
        };
        let statements = statement_lines(parsed.syntax(), &source);
        let wanted: Vec<(Vec<usize>, String)> = findings
            .iter()
            .map(|d| {
                let mut lines = vec![d.start.line];
                // The innermost statement holding the finding: a comment on its first line
                // suppresses it too.
                if let Some((first, _)) = statements
                    .iter()
                    .filter(|(first, last)| (*first..=*last).contains(&d.start.line))
                    .max_by_key(|(first, _)| *first)
                    && *first != d.start.line
                {
                    lines.push(*first);
                }
                (lines, d.code.to_string())
            })
            .collect();
        let annotated = suppress::add_ignores(&source, parsed.tokens(), &wanted);
        for (line, why) in annotated.refused {
            done.refused
                .push((path.to_path_buf(), line, why.to_string()));
        }
        if annotated.annotated > 0 {
            done.files.push((path.to_path_buf(), annotated.text));
            done.comments += annotated.annotated;
        }
    }
    done
}

/// The first and last line of every statement.
fn statement_lines(module: &ModModule, source: &str) -> Vec<(usize, usize)> {
    struct Collector {
        index: LineIndex,
        lines: Vec<(usize, usize)>,
    }
    impl<'a> StatementVisitor<'a> for Collector {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            let line = |offset| self.index.line_index(offset).get();
            self.lines.push((line(stmt.start()), line(stmt.end())));
            walk_stmt(self, stmt);
        }
    }
    let mut collector = Collector {
        index: LineIndex::from_source_text(source),
        lines: Vec::new(),
    };
    collector.visit_body(&module.body);
    collector.lines
}
