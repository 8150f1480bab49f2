//! The rules about the project's CI configuration: the files are found and parsed once
//! (`archlint_project::ci`), the selected `Ci` rules run on them, and their findings go
//! through the suppression comments of the YAML file they point into; an `archlint: ignore`
//! comment that suppressed nothing is `SUP001`, as in Python files. A file that cannot be
//! read or parsed is a diagnostic at its line; the others are still checked, and counted
//! among the files checked.

use std::path::PathBuf;

use archlint_facts::ci::CiContext;
use archlint_project::ci::CiFiles;
use archlint_project::pyproject_file::PyprojectFile;
use archlint_project::settings::Settings;
use archlint_rules::dispatch::Dispatch;
use archlint_rules::engine::syntax_error::SYNTAX_ERROR;
use archlint_rules::engine::unused_suppression::UNUSED_SUPPRESSION;
use archlint_source::suppress::Dialect;
use archlint_vocabulary::diagnostic::{self, Diagnostic};
use archlint_vocabulary::{Chapter, Rule};

/// The selected CI rules on the CI configuration under the project root: their findings,
/// and the CI files they checked (read and parsed).
pub(crate) fn check_ci(
    settings: &Settings,
    dispatch: &Dispatch,
    pyproject: Option<&PyprojectFile>,
) -> (Vec<Diagnostic>, Vec<PathBuf>) {
    if !dispatch.has_ci_rules() {
        return (Vec::new(), Vec::new());
    }
    let mut files = CiFiles::discover(&settings.root);
    let mut found = Vec::new();
    for (path, error) in &files.unreadable {
        let rule = super::read_error_rule(error);
        if settings.rules.contains(rule.code) {
            found.push(Diagnostic::for_file(rule, path.clone(), error.to_string()));
        }
    }
    if settings.rules.contains(SYNTAX_ERROR.code) {
        for file in &files.files {
            if let Err(error) = &file.yaml {
                let mut d = Diagnostic::for_file(
                    &SYNTAX_ERROR,
                    file.path.clone(),
                    format!(
                        "YAML syntax error: {}; `{}` is not checked",
                        error.message,
                        file.name()
                    ),
                );
                d.start = diagnostic::Location {
                    line: error.line.max(1),
                    column: error.column.max(1),
                };
                d.end = d.start;
                found.push(d);
            }
        }
    }
    let reported = {
        let mut cx = CiContext::new(&files, pyproject, &settings.rule_options);
        dispatch.run_ci(&mut cx);
        cx.diagnostics
    };
    for finding in reported {
        let d = finding.diagnostic;
        if let Some(file) = finding.file.and_then(|i| files.files.get_mut(i))
            && file
                .suppressions
                .suppresses(d.rule, &[d.start.line], finding.within)
        {
            continue;
        }
        found.push(d);
    }
    if settings.rules.contains(UNUSED_SUPPRESSION.code) {
        let is_ci = |rule: &Rule| rule.chapter() == Chapter::Ci;
        for file in files.files.iter().filter(|f| f.yaml.is_ok()) {
            for directive in &file.suppressions.directives {
                if directive.dialect != Dialect::Archlint || directive.used {
                    continue;
                }
                let Some(message) = super::unused_suppression_message(directive, settings, &is_ci)
                else {
                    continue;
                };
                let mut d = Diagnostic::for_file(&UNUSED_SUPPRESSION, file.path.clone(), message);
                d.start = diagnostic::Location {
                    line: directive.line,
                    column: directive.column,
                };
                d.end = d.start;
                found.push(d);
            }
        }
    }
    let checked = files
        .files
        .iter()
        .filter(|f| f.yaml.is_ok())
        .map(|f| f.path.clone())
        .collect();
    (super::configured(settings, found), checked)
}
