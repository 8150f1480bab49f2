//! `archlint types` output: a text summary with the worst modules first, or JSON
//! (`docs/output-types.md`).

use std::fmt::Write;
use std::path::Path;

use serde::Serialize;

use super::coverage::{CompletenessScore, Coverage, ModuleReport, Status, Totals, TypesReport};
use archlint_project::settings::relative_to;

pub struct RenderOptions<'a> {
    pub root: &'a Path,
    /// Leave out the view of every symbol, private ones included.
    pub public_only: bool,
    /// How many of the worst modules the text lists.
    pub limit: usize,
}

pub fn text(report: &TypesReport, options: &RenderOptions) -> String {
    let mut out = String::new();
    let project = &report.project;
    let _ = writeln!(
        out,
        "Type coverage of {} modules ({} public functions and methods, {} in all)\n",
        project.modules, project.public.functions.total, project.all.functions.total
    );
    let mut table = vec![vec![
        String::new(),
        "public API".to_string(),
        if options.public_only {
            String::new()
        } else {
            "everything".to_string()
        },
    ]];
    type Measure = fn(&Coverage) -> super::coverage::Ratio;
    let rows: [(&str, Measure); 4] = [
        ("functions fully annotated", |c| c.functions),
        ("parameters annotated", |c| c.parameters),
        ("returns annotated", |c| c.returns),
        ("attributes annotated", |c| c.attributes),
    ];
    for (label, measure) in rows {
        table.push(vec![
            label.to_string(),
            share(measure(&project.public)),
            if options.public_only {
                String::new()
            } else {
                share(measure(&project.all))
            },
        ]);
    }
    write_table(&mut out, &table);
    let completeness = &project.completeness;
    let _ = writeln!(
        out,
        "\nPublic API completeness: {:.1}% known ({} of {} symbols; {} partially known, {} unknown)",
        completeness.score(),
        completeness.known,
        completeness.total(),
        completeness.partially_known,
        completeness.unknown
    );
    let _ = writeln!(
        out,
        "`Any` in public signatures: {}; `# type: ignore` comments: {} ({} without an error code)",
        project.public.any, project.type_ignores.total, project.type_ignores.without_code
    );

    let packages: Vec<&(String, Totals)> = report
        .packages
        .iter()
        .filter(|(_, totals)| totals.completeness.total() > 0)
        .collect();
    if !packages.is_empty() {
        let _ = writeln!(out, "\nPackages (public API, each package's own modules)");
        let mut table = vec![vec![
            "package".to_string(),
            "functions".to_string(),
            "parameters".to_string(),
            "returns".to_string(),
            "attributes".to_string(),
            "completeness".to_string(),
        ]];
        for (name, totals) in packages {
            table.push(vec![
                if name.is_empty() {
                    "(top level)".to_string()
                } else {
                    name.clone()
                },
                percent(totals.public.functions),
                percent(totals.public.parameters),
                percent(totals.public.returns),
                percent(totals.public.attributes),
                format!("{:.1}%", totals.completeness.score()),
            ]);
        }
        write_table(&mut out, &table);
    }

    let worst = worst_modules(report);
    if !worst.is_empty() {
        let _ = writeln!(
            out,
            "\nLeast complete modules (public API), worst first{}",
            if worst.len() > options.limit {
                format!(": {} of {}", options.limit, worst.len())
            } else {
                String::new()
            }
        );
        for module in worst.iter().take(options.limit) {
            let c = &module.completeness;
            let _ = writeln!(
                out,
                "  {} ({}): {:.1}% known, {} of {}",
                relative_to(options.root, &module.path).display(),
                module.module,
                c.score(),
                c.known,
                c.total()
            );
            let not_known: Vec<_> = module
                .symbols
                .iter()
                .filter(|s| s.status.is_some_and(|status| status != Status::Known))
                .collect();
            for symbol in not_known.iter().take(5) {
                let status = match symbol.status {
                    Some(Status::Unknown) => "unknown",
                    _ => "partially known",
                };
                let _ = writeln!(
                    out,
                    "      line {:>4}  {} `{}` ({status}): {}",
                    symbol.line,
                    symbol.kind,
                    symbol.name,
                    symbol.reasons.join("; ")
                );
            }
            if not_known.len() > 5 {
                let _ = writeln!(out, "      … and {} more", not_known.len() - 5);
            }
        }
    }
    out
}

/// Public modules with something not known, lowest score first.
fn worst_modules(report: &TypesReport) -> Vec<&ModuleReport> {
    let mut worst: Vec<&ModuleReport> = report
        .modules
        .iter()
        .filter(|m| m.completeness.known < m.completeness.total())
        .collect();
    worst.sort_by(|a, b| {
        a.completeness
            .score()
            .total_cmp(&b.completeness.score())
            .then(b.completeness.total().cmp(&a.completeness.total()))
            .then(a.path.cmp(&b.path))
    });
    worst
}

fn share(ratio: super::coverage::Ratio) -> String {
    match ratio.percent() {
        Some(percent) => format!("{percent:.1}% ({}/{})", ratio.annotated, ratio.total),
        None => "-".to_string(),
    }
}

fn percent(ratio: super::coverage::Ratio) -> String {
    ratio
        .percent()
        .map_or("-".to_string(), |percent| format!("{percent:.1}%"))
}

/// Left-aligned first column, right-aligned others.
fn write_table(out: &mut String, rows: &[Vec<String>]) {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .map(|row| row.get(c).map_or(0, |cell| cell.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in rows {
        let mut line = String::from("  ");
        for (c, cell) in row.iter().enumerate() {
            if c == 0 {
                let _ = write!(line, "{cell:<width$}", width = widths[0]);
            } else {
                let _ = write!(line, "  {cell:>width$}", width = widths[c]);
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    summary: JsonTotals<'a>,
    packages: Vec<JsonPackage<'a>>,
    modules: Vec<JsonModule<'a>>,
}

#[derive(Serialize)]
struct JsonTotals<'a> {
    modules: usize,
    public: &'a Coverage,
    #[serde(skip_serializing_if = "Option::is_none")]
    all: Option<&'a Coverage>,
    completeness: CompletenessScore<'a>,
    type_ignores: super::api::TypeIgnores,
}

#[derive(Serialize)]
struct JsonPackage<'a> {
    name: &'a str,
    #[serde(flatten)]
    totals: JsonTotals<'a>,
}

#[derive(Serialize)]
struct JsonModule<'a> {
    path: String,
    module: &'a str,
    public: &'a Coverage,
    #[serde(skip_serializing_if = "Option::is_none")]
    all: Option<&'a Coverage>,
    completeness: CompletenessScore<'a>,
    type_ignores: super::api::TypeIgnores,
    symbols: Vec<&'a super::coverage::SymbolReport>,
}

fn json_totals(totals: &Totals, public_only: bool) -> JsonTotals<'_> {
    JsonTotals {
        modules: totals.modules,
        public: &totals.public,
        all: (!public_only).then_some(&totals.all),
        completeness: CompletenessScore(&totals.completeness),
        type_ignores: totals.type_ignores,
    }
}

pub fn json(report: &TypesReport, options: &RenderOptions) -> String {
    let document = JsonReport {
        version: 1,
        summary: json_totals(&report.project, options.public_only),
        packages: report
            .packages
            .iter()
            .map(|(name, t)| JsonPackage {
                name,
                totals: json_totals(t, options.public_only),
            })
            .collect(),
        modules: report
            .modules
            .iter()
            .map(|m| JsonModule {
                path: relative_to(options.root, &m.path).display().to_string(),
                module: &m.module,
                public: &m.public,
                all: (!options.public_only).then_some(&m.all),
                completeness: CompletenessScore(&m.completeness),
                type_ignores: m.type_ignores,
                symbols: m
                    .symbols
                    .iter()
                    .filter(|s| s.public || !options.public_only)
                    .collect(),
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&document).expect("plain data serialises");
    text.push('\n');
    text
}
