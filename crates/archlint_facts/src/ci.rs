//! What a rule about the CI configuration sees ([`CiContext`]): every CI file of the project,
//! parsed, and the project's `pyproject.toml` (the Python versions it claims).

use archlint_project::ci::{CiFile, CiFiles};
use archlint_project::pyproject_file::PyprojectFile;
use archlint_project::settings::RuleOptions;
use archlint_source::yaml::Node;
use archlint_vocabulary::Rule;
use archlint_vocabulary::diagnostic::Diagnostic;

pub struct CiContext<'a> {
    pub files: &'a CiFiles,
    pub pyproject: Option<&'a PyprojectFile>,
    pub options: &'a RuleOptions,
    /// The rule running now, set by the dispatcher: findings are reported under it.
    pub rule: Option<&'static Rule>,
    /// The findings so far, with the index of the file each is in (`None`: the project).
    pub diagnostics: Vec<(Option<usize>, Diagnostic)>,
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
        self.diagnostics.push((index, d));
    }

    /// Reports a finding of the running rule at `node` of `file`; a multi-line node is
    /// reported at its first line.
    pub fn report(&mut self, file: &CiFile, node: Node<'_>, message: impl Into<String>) {
        let (start, end) = (node.start().offset, node.end().offset);
        let end = file.source[start.min(file.source.len())..end.min(file.source.len())]
            .find('\n')
            .map_or(end, |newline| start + newline);
        self.report_range(file, start, end, message.into());
    }

    /// Reports a finding of the running rule about the project as a whole, at `path` (a
    /// file that is there, or the root).
    pub fn report_project(&mut self, path: std::path::PathBuf, message: impl Into<String>) {
        let rule = self.rule.expect("a rule is running");
        self.diagnostics
            .push((None, Diagnostic::for_file(rule, path, message.into())));
    }
}
