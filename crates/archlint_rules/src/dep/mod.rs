//! Dependencies (guide §7, §8): what the project declares against what its code imports, as
//! deptry checks it (`archlint_analysis::deps` does the comparison once; each rule reports
//! its part).

pub mod dev_dependency_imported_at_runtime;
pub mod stdlib_declared_as_dependency;
pub mod transitive_dependency_import;
pub mod undeclared_dependency;
pub mod unused_dependency;
pub mod vulnerable_pinned_dependency;

use archlint_analysis::ProjectContext;

/// Reports the dependency analysis' findings of the running rule.
fn report_findings(cx: &mut ProjectContext, code: &str) {
    let project = cx.project;
    for finding in project
        .dependencies()
        .findings
        .iter()
        .filter(|f| f.code == code)
    {
        match (finding.range, project.pyproject()) {
            (Some(range), Some(file)) if file.path == finding.path => {
                cx.report_in(file, range, finding.message.clone())
            }
            _ => cx.report(
                &finding.path,
                finding.line,
                finding.column,
                finding.message.clone(),
            ),
        }
        if let (Some(severity), Some(last)) = (finding.severity, cx.diagnostics.last_mut()) {
            last.severity = severity;
        }
    }
}
