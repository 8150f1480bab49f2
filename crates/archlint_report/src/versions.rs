//! `archlint check --show-versions`: each file's minimum Python with the features that decide
//! it, and the project's minimum, from the needs the version rules recorded.

use serde::Serialize;

use archlint_facts::ModuleFacts;
use archlint_facts::versions::Version;
use archlint_project::options::display_path;

/// How many deciding features a file's line lists.
const SHOWN_FEATURES: usize = 3;

#[derive(Serialize)]
struct FileMinimum {
    path: String,
    /// `null` when nothing in the file needs more than Python 3.0.
    minimum: Option<String>,
    /// The features that need the minimum, first occurrence of each.
    features: Vec<Feature>,
}

#[derive(Serialize)]
struct Feature {
    feature: String,
    line: usize,
}

#[derive(Serialize)]
struct VersionsReport {
    /// The highest file minimum, with the file that sets it.
    project_minimum: Option<String>,
    decided_by: Option<String>,
    /// The oldest Python the configuration says the project supports.
    supported: String,
    files: Vec<FileMinimum>,
}

fn show(version: Version) -> String {
    format!("{}.{}", version.0, version.1)
}

fn build<'m>(modules: impl Iterator<Item = &'m ModuleFacts>, supported: Version) -> VersionsReport {
    let mut files: Vec<(Option<Version>, FileMinimum)> = modules
        .map(|module| {
            let minimum = module.version_needs.iter().map(|need| need.version).max();
            let mut features: Vec<Feature> = Vec::new();
            for need in module
                .version_needs
                .iter()
                .filter(|need| Some(need.version) == minimum)
            {
                if !features.iter().any(|f| f.feature == need.feature) {
                    features.push(Feature {
                        feature: need.feature.clone(),
                        line: need.line,
                    });
                }
            }
            features.sort_by_key(|feature| feature.line);
            let path = display_path(&module.path).display().to_string();
            (
                minimum,
                FileMinimum {
                    path,
                    minimum: minimum.map(show),
                    features,
                },
            )
        })
        .collect();
    files.sort_by(|a, b| a.1.path.cmp(&b.1.path));
    let project = files
        .iter()
        .filter_map(|(minimum, file)| minimum.map(|m| (m, file)))
        .max_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.path.cmp(&a.1.path)));
    VersionsReport {
        project_minimum: project.map(|(version, _)| show(version)),
        decided_by: project.map(|(_, file)| match file.features.first() {
            Some(feature) => format!("{}:{}: {}", file.path, feature.line, feature.feature),
            None => file.path.clone(),
        }),
        supported: show(supported),
        files: files.into_iter().map(|(_, file)| file).collect(),
    }
}

/// The oldest Python the code runs on (the highest file minimum) and the feature and place
/// that decide it (`path:line: feature`), for `archlint report`.
pub fn project_minimum<'m>(
    modules: impl Iterator<Item = &'m ModuleFacts>,
) -> (Option<String>, Option<String>) {
    let report = build(modules, (3, 0));
    (report.project_minimum, report.decided_by)
}

pub fn render_json(modules: &[ModuleFacts], supported: Version) -> String {
    let mut text =
        serde_json::to_string_pretty(&build(modules.iter(), supported)).expect("serialisable");
    text.push('\n');
    text
}

pub fn render_text(modules: &[ModuleFacts], supported: Version) -> String {
    let report = build(modules.iter(), supported);
    let width = report.files.iter().map(|f| f.path.len()).max().unwrap_or(0);
    let mut out = String::new();
    for file in &report.files {
        let minimum = file.minimum.as_deref().unwrap_or("3.0");
        let features: Vec<String> = file
            .features
            .iter()
            .take(SHOWN_FEATURES)
            .map(|f| format!("{} (line {})", f.feature, f.line))
            .collect();
        let more = file.features.len().saturating_sub(SHOWN_FEATURES);
        let mut line = format!(
            "{:width$}  {minimum:>5}  {}",
            file.path,
            features.join("; ")
        );
        if more > 0 {
            line.push_str(&format!("; {more} more"));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push('\n');
    match (&report.project_minimum, &report.decided_by) {
        (Some(minimum), Some(decided_by)) => out.push_str(&format!(
            "Project minimum: Python {minimum} ({decided_by}); configured oldest Python: {}\n",
            report.supported
        )),
        _ => out.push_str(&format!(
            "Project minimum: any Python 3; configured oldest Python: {}\n",
            report.supported
        )),
    }
    out
}
