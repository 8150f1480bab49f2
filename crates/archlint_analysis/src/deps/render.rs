//! `archlint deps` output: the declared distributions with the modules they provide and
//! who imports them, the undeclared third-party modules, then the DEP findings
//! (`docs/output-deps.md`).

use std::fmt::Write as _;

use serde::Serialize;

use super::Dependencies;
use super::declared::DeclaredKind;

#[derive(Serialize)]
struct Undeclared<'a> {
    module: &'a str,
    /// Files of the package's code importing it.
    files: usize,
    /// Files of tests, docs and tooling importing it (not reported: see DEP001).
    dev_files: usize,
}

#[derive(Serialize)]
struct Report<'a> {
    sources: Vec<String>,
    environment: Option<String>,
    dependencies: &'a [super::DeclaredRow],
    undeclared: Vec<Undeclared<'a>>,
    findings: serde_json::Value,
}

/// Third-party modules no declaration provides, with how many files import them.
fn undeclared(dependencies: &Dependencies) -> Vec<Undeclared<'_>> {
    let provided: rustc_hash::FxHashSet<&str> = dependencies
        .rows
        .iter()
        .flat_map(|row| row.modules.iter().map(String::as_str))
        .collect();
    type Files<'a> = rustc_hash::FxHashSet<&'a std::path::Path>;
    let mut files: std::collections::BTreeMap<&str, (Files, Files)> = Default::default();
    for import in &dependencies.imports {
        if !provided.contains(import.module.as_str()) && !import.optional() {
            let (production, dev) = files.entry(import.module.as_str()).or_default();
            if import.dev_code { dev } else { production }.insert(&import.path);
        }
    }
    files
        .into_iter()
        .map(|(module, (production, dev))| Undeclared {
            module,
            files: production.len(),
            dev_files: dev.len(),
        })
        .collect()
}

fn kind_text(kind: &DeclaredKind) -> String {
    match kind {
        DeclaredKind::Runtime => "runtime".to_string(),
        DeclaredKind::Extra(extra) => format!("extra `{extra}`"),
        DeclaredKind::Dev(group) => format!("dev `{group}`"),
    }
}

pub fn text(
    dependencies: &Dependencies,
    shown: &dyn Fn(&std::path::Path) -> String,
    findings: &str,
) -> String {
    let mut out = String::new();
    let sources: Vec<String> = dependencies.sources.iter().map(|p| shown(p)).collect();
    let _ = writeln!(
        out,
        "Declared in: {}",
        if sources.is_empty() {
            "nothing (no pyproject.toml, setup.cfg, setup.py or requirements file)".to_string()
        } else {
            sources.join(", ")
        }
    );
    let _ = writeln!(
        out,
        "Modules mapped {}\n",
        match (&dependencies.environment, &dependencies.environment_problem) {
            (Some(site), _) => format!("through the installed metadata in {}", site.display()),
            (None, Some(problem)) => format!("by name (environment not read: {problem})"),
            (None, None) => {
                "by name and the built-in table (give --python for the installed metadata)"
                    .to_string()
            }
        }
    );
    let rows: Vec<[String; 4]> = dependencies
        .rows
        .iter()
        .map(|row| {
            let users = match (row.imported_by, row.imported_by_dev_code) {
                (0, 0) => "never imported".to_string(),
                (n, 0) => format!("{n} file{}", plural(n)),
                (0, d) => format!("only tests/tooling ({d} file{})", plural(d)),
                (n, d) => format!("{n} file{} (+{d} tests/tooling)", plural(n)),
            };
            [
                row.name.clone(),
                row.kinds
                    .iter()
                    .map(kind_text)
                    .collect::<Vec<_>>()
                    .join(", "),
                row.modules.join(", "),
                users,
            ]
        })
        .collect();
    let header = ["distribution", "declared as", "modules", "imported by"].map(String::from);
    let widths: Vec<usize> = (0..4)
        .map(|i| {
            rows.iter()
                .chain(std::iter::once(&header))
                .map(|r| r[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in std::iter::once(&header).chain(rows.iter()) {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        let _ = writeln!(out, "  {}", line.join("  ").trim_end());
    }
    let missing = undeclared(dependencies);
    if !missing.is_empty() {
        let _ = writeln!(out, "\nImported but not declared:");
        for item in missing {
            let _ = match (item.files, item.dev_files) {
                (0, d) => writeln!(
                    out,
                    "  {} (only tests/tooling: {d} file{})",
                    item.module,
                    plural(d)
                ),
                (n, 0) => writeln!(out, "  {} ({n} file{})", item.module, plural(n)),
                (n, d) => writeln!(
                    out,
                    "  {} ({n} file{}, +{d} tests/tooling)",
                    item.module,
                    plural(n)
                ),
            };
        }
    }
    let _ = write!(out, "\n{findings}");
    out
}

/// The JSON document; `findings_json` is the findings as `--output-format json` renders them.
pub fn json(
    dependencies: &Dependencies,
    shown: &dyn Fn(&std::path::Path) -> String,
    findings_json: &str,
) -> String {
    let findings_json: serde_json::Value = serde_json::from_str(findings_json).unwrap_or_default();
    let report = Report {
        sources: dependencies.sources.iter().map(|p| shown(p)).collect(),
        environment: dependencies
            .environment
            .as_ref()
            .map(|p| p.display().to_string()),
        dependencies: &dependencies.rows,
        undeclared: undeclared(dependencies),
        findings: findings_json,
    };
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
