//! The rules about the project's CI configuration: the files are found and parsed once
//! (`archlint_project::ci`), the selected `Ci` rules run on them, and their findings go
//! through the suppression comments of the YAML file they point into. A file that cannot be
//! read or parsed is a diagnostic at its line; the others are still checked.

use archlint_facts::ci::CiContext;
use archlint_project::ci::CiFiles;
use archlint_project::pyproject_file::PyprojectFile;
use archlint_project::settings::Settings;
use archlint_rules::dispatch::Dispatch;
use archlint_rules::engine::syntax_error::SYNTAX_ERROR;
use archlint_vocabulary::diagnostic::{self, Diagnostic};

/// The selected CI rules on the CI configuration under the project root.
pub(crate) fn check_ci(
    settings: &Settings,
    dispatch: &Dispatch,
    pyproject: Option<&PyprojectFile>,
) -> Vec<Diagnostic> {
    if !dispatch.has_ci_rules() {
        return Vec::new();
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
    super::configured(settings, found)
}
