//! What a rule about the CI configuration sees ([`CiContext`]): every CI file of the project,
//! parsed, and the project's `pyproject.toml` (the Python versions it claims).

use archlint_project::ci::{CiFile, CiFiles};
use archlint_project::pyproject_file::PyprojectFile;
use archlint_project::settings::RuleOptions;
use archlint_source::yaml::Node;
use archlint_vocabulary::Rule;
use archlint_vocabulary::diagnostic::Diagnostic;

/// One finding of a CI rule.
pub struct CiFinding {
    /// The index of the file it is in (`None`: about the project).
    pub file: Option<usize>,
    pub diagnostic: Diagnostic,
    /// The lines of what holds it (its step or job): a `# zizmor: ignore[…]` comment anywhere
    /// there suppresses it, as zizmor honours a comment anywhere in a finding's spans.
    pub within: std::ops::RangeInclusive<usize>,
}

pub struct CiContext<'a> {
    pub files: &'a CiFiles,
    pub pyproject: Option<&'a PyprojectFile>,
    pub options: &'a RuleOptions,
    /// The rule running now, set by the dispatcher: findings are reported under it.
    pub rule: Option<&'static Rule>,
    /// The findings so far, taken by the pipeline once the rules ran.
    pub diagnostics: Vec<CiFinding>,
}

impl<'a> CiContext<'a> {
    pub fn new(
        files: &'a CiFiles,
        pyproject: Option<&'a PyprojectFile>,
        options: &'a RuleOptions,
    ) -> Self {
        CiContext {
            files,
            pyproject,
            options,
            rule: None,
            diagnostics: Vec::new(),
        }
    }

    fn index_of(&self, file: &CiFile) -> Option<usize> {
        self.files.files.iter().position(|f| std::ptr::eq(f, file))
    }

    /// Reports a finding of the running rule at the byte range `start..end` of `file`.
    pub fn report_range(&mut self, file: &CiFile, start: usize, end: usize, message: String) {
        self.report_range_within(file, start, end, None, message);
    }

    /// [`Self::report_range`], for a finding held by `within` (its step or job).
    pub fn report_range_within(
        &mut self,
        file: &CiFile,
        start: usize,
        end: usize,
        within: Option<Node<'_>>,
        message: String,
    ) {
        let rule = self.rule.expect("a rule is running");
        let d = Diagnostic::at(
            rule,
            &file.path,
            &file.source,
            &file.line_index,
            file.range(start, end),
            message,
        );
        let index = self.index_of(file);
        let lines = within.map_or(d.start.line..=d.end.line, |node| {
            node.start().line.min(d.start.line)..=node.last_line().max(d.end.line)
        });
        self.diagnostics.push(CiFinding {
            file: index,
            diagnostic: d,
            within: lines,
        });
    }

    /// Reports a finding of the running rule at `node` of `file`; a multi-line node is
    /// reported at its first line.
    pub fn report(&mut self, file: &CiFile, node: Node<'_>, message: impl Into<String>) {
        self.report_within(file, node, None, message);
    }

    /// [`Self::report`], for a finding held by `within` (its step or job).
    pub fn report_within(
        &mut self,
        file: &CiFile,
        node: Node<'_>,
        within: Option<Node<'_>>,
        message: impl Into<String>,
    ) {
        let (start, end) = (node.start().offset, node.end().offset);
        let end = file.source[start.min(file.source.len())..end.min(file.source.len())]
            .find('\n')
            .map_or(end, |newline| start + newline);
        self.report_range_within(file, start, end, within, message.into());
    }

    /// Reports a finding of the running rule at `line` of a file that is not parsed as YAML
    /// (`tox.ini`, `noxfile.py`).
    pub fn report_at(&mut self, path: std::path::PathBuf, line: usize, message: String) {
        let rule = self.rule.expect("a rule is running");
        let mut diagnostic = Diagnostic::for_file(rule, path, message);
        diagnostic.start.line = line.max(1);
        diagnostic.end = diagnostic.start;
        self.diagnostics.push(CiFinding {
            file: None,
            diagnostic,
            within: line..=line,
        });
    }

    /// Reports a finding of the running rule at `range` of a TOML file (`pyproject.toml`,
    /// `ruff.toml`, …).
    pub fn report_toml(
        &mut self,
        file: &PyprojectFile,
        range: ruff_text_size::TextRange,
        message: impl Into<String>,
    ) {
        let rule = self.rule.expect("a rule is running");
        let diagnostic = file.diagnostic(rule, range, message.into());
        let line = diagnostic.start.line;
        self.diagnostics.push(CiFinding {
            file: None,
            diagnostic,
            within: line..=line,
        });
    }

    /// Reports a finding of the running rule about the project as a whole, at `path` (a
    /// file that is there, or the root).
    pub fn report_project(&mut self, path: std::path::PathBuf, message: impl Into<String>) {
        let rule = self.rule.expect("a rule is running");
        self.diagnostics.push(CiFinding {
            file: None,
            diagnostic: Diagnostic::for_file(rule, path, message.into()),
            within: 1..=1,
        });
    }
}
