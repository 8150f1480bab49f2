//! The review as plain text, for a terminal: the chapter table, then each chapter with its
//! metrics, worst findings and what it did not check, then the project's facts.

use std::fmt::Write;

use super::{Review, shown_delta};

pub fn render(review: &Review) -> String {
    let mut out = String::new();
    let facts = &review.project;
    let (files, lines) = facts.totals();
    let _ = writeln!(
        out,
        "archlint report: {} ({}), archlint {}",
        facts.name, facts.root, review.archlint
    );
    let roles: Vec<String> = facts
        .roles
        .iter()
        .map(|r| format!("{} {} files, {} lines", r.role, r.files, r.lines))
        .collect();
    let _ = writeln!(out, "{files} files, {lines} lines: {}\n", roles.join("; "));

    let width = review
        .chapters
        .iter()
        .map(|c| c.label().chars().count())
        .max()
        .unwrap_or(0);
    let _ = writeln!(
        out,
        "{:width$}  score  grade  errors  warnings   info",
        "chapter"
    );
    for chapter in &review.chapters {
        let label = chapter.label();
        let pad = width - label.chars().count();
        let _ = writeln!(
            out,
            "{label}{:pad$}  {:>5}  {:>5}  {:>6}  {:>8}  {:>5}",
            "",
            chapter.shown_score(),
            chapter.grade,
            chapter.errors,
            chapter.warnings,
            chapter.infos
        );
    }

    for chapter in &review.chapters {
        let _ = writeln!(
            out,
            "\n{}: {} ({}), {:.2} weighted findings per 1,000 lines of {} lines",
            chapter.label(),
            chapter.shown_score(),
            chapter.grade,
            chapter.weighted_per_kloc,
            chapter.lines
        );
        for metric in &chapter.metrics {
            let _ = writeln!(
                out,
                "  {}: {} ({})",
                metric.name, metric.value, metric.effect
            );
        }
        for &index in &chapter.top_findings {
            let finding = &review.findings[index];
            let _ = writeln!(
                out,
                "  {:<7} {} {}: {}",
                finding.severity,
                finding.code,
                finding.location(),
                finding.message
            );
        }
        for gap in &chapter.not_checked {
            let at = gap
                .location
                .as_deref()
                .map(|l| format!(" ({l})"))
                .unwrap_or_default();
            let _ = writeln!(out, "  not checked: {}{at}: {}", gap.what, gap.why);
        }
    }

    let _ = writeln!(out, "\nPython");
    let python = &facts.python;
    let _ = writeln!(
        out,
        "  requires-python: {}; oldest supported: {}; classifiers: {}",
        python.requires_python.as_deref().unwrap_or("(not set)"),
        python.oldest_supported,
        if python.classifiers.is_empty() {
            "(none)".to_string()
        } else {
            python.classifiers.join(", ")
        }
    );
    match (&python.code_minimum, &python.decided_by) {
        (Some(minimum), Some(by)) => {
            let _ = writeln!(out, "  the code needs Python {minimum} ({by})");
        }
        _ => {
            let _ = writeln!(out, "  the code runs on any Python 3");
        }
    }

    let graph = &facts.graph;
    let _ = writeln!(
        out,
        "\nImport graph: {} modules, {} imports, {} cycle components; contracts {} kept, {} broken, {} not checked",
        graph.modules,
        graph.imports,
        graph.cycles,
        graph.contracts.kept,
        graph.contracts.broken,
        graph.contracts.not_checked
    );
    if !graph.largest_cycle.is_empty() {
        let _ = writeln!(
            out,
            "  largest cycle component ({} modules): {}",
            graph.largest_cycle_modules,
            graph.largest_cycle.join(" -> ")
        );
    }
    for package in &graph.farthest_from_main_sequence {
        let _ = writeln!(
            out,
            "  {}: distance {:.2} (instability {:.2}, abstractness {:.2})",
            package.package, package.distance, package.instability, package.abstractness
        );
    }

    if let Some(types) = &facts.types {
        let _ = writeln!(
            out,
            "\nTypes: {:.1}% annotated, public API {:.1}% complete ({} of {} symbols known)",
            types.coverage, types.completeness, types.public_known, types.public_symbols
        );
    }

    let complexity = &facts.complexity;
    if complexity.functions > 0 {
        let ranks: Vec<String> = complexity
            .ranks
            .iter()
            .map(|(rank, count)| format!("{rank} {count}"))
            .collect();
        let _ = writeln!(
            out,
            "\nComplexity: {} functions, average {:.1}; ranks {}",
            complexity.functions,
            complexity.average,
            ranks.join(", ")
        );
        for function in complexity.worst.iter().take(5) {
            let _ = writeln!(
                out,
                "  {} {} ({}:{}): cyclomatic {}, cognitive {}",
                function.rank,
                function.name,
                function.path,
                function.line,
                function.complexity,
                function.cognitive
            );
        }
    }

    let dependencies = &facts.dependencies;
    if !dependencies.rows.is_empty() || dependencies.audit.is_some() {
        let _ = writeln!(out, "\nDependencies");
        for row in &dependencies.rows {
            let pinned = row
                .pinned
                .as_deref()
                .map(|v| format!(" =={v}"))
                .unwrap_or_default();
            let vulnerable = if row.vulnerabilities.is_empty() {
                String::new()
            } else {
                let ids: Vec<&str> = row.vulnerabilities.iter().map(|v| v.id.as_str()).collect();
                format!(
                    "; vulnerable: {}{}",
                    ids.join(", "),
                    row.fix
                        .as_deref()
                        .map(|f| format!(", fixed in {f}"))
                        .unwrap_or_default()
                )
            };
            let _ = writeln!(
                out,
                "  {}{pinned} ({}){}{vulnerable}",
                row.name,
                row.declared_in.join(", "),
                if row.imported { "" } else { "; not imported" }
            );
        }
        if let Some(audit) = &dependencies.audit {
            let _ = writeln!(
                out,
                "  audit: {} of {} pins vulnerable ({})",
                audit.vulnerable, audit.pins, audit.database
            );
        }
    }

    if let Some(trend) = &review.trend {
        let _ = writeln!(
            out,
            "\nSince the previous report (archlint {}): {} new, {} fixed",
            trend.previous_archlint,
            trend.new.len(),
            trend.fixed.len()
        );
        for change in &trend.scores {
            let _ = writeln!(out, "  {}: {}", change.chapter, shown_delta(change));
        }
        for &index in &trend.new {
            let finding = &review.findings[index];
            let _ = writeln!(
                out,
                "  new   {} {}: {}",
                finding.code,
                finding.location(),
                finding.message
            );
        }
        for fixed in &trend.fixed {
            let _ = writeln!(
                out,
                "  fixed {} {}:{}: {}",
                fixed.code, fixed.path, fixed.line, fixed.message
            );
        }
    }

    let general: Vec<_> = review
        .not_checked
        .iter()
        .filter(|n| n.chapter.is_none())
        .collect();
    if !general.is_empty() {
        let _ = writeln!(out, "\nNot checked");
        for gap in general {
            let at = gap
                .location
                .as_deref()
                .map(|l| format!("{l}: "))
                .unwrap_or_default();
            let _ = writeln!(out, "  {at}{}: {}", gap.what, gap.why);
        }
    }
    let _ = writeln!(
        out,
        "\n{}; the full list is in the JSON and HTML formats.",
        super::plural(review.findings.len(), "finding", "findings")
    );
    out
}
