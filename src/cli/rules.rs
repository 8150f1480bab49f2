//! `archlint rules` lists the rules; `archlint explain CODE|NAME` prints one rule's docs.

use std::fmt::Write;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use serde_json::json;

use super::write_output;
use archlint_rules::{precision, registry};
use archlint_vocabulary::{Chapter, Rule};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Args, Debug)]
pub struct RulesArgs {
    /// Only the rules of this chapter (`security`) or code prefix (`SEC`).
    #[arg(long)]
    pub chapter: Option<String>,
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub output_format: ListFormat,
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// A rule code (`SEC602`) or name (`subprocess-shell-true`).
    pub rule: String,
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub output_format: ListFormat,
}

fn peers(rule: &Rule) -> String {
    rule.peers
        .iter()
        .map(|p| format!("{} {}", p.tool, p.id))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The rule's precision on the labelled sample, as a phrase.
fn measured_text(code: &str) -> String {
    match precision::measured(code) {
        Some(m) => match m.precision() {
            Some(share) => format!(
                "precision on the labelled sample of real projects: {} of {} findings true ({:.0}%)",
                m.true_findings,
                m.labelled,
                100.0 * share
            ),
            None => format!(
                "not measured ({} findings on the sample of real projects, none labelled)",
                m.findings
            ),
        },
        None => "not measured (no finding of it on the sample of real projects)".into(),
    }
}

fn rule_json(rule: &Rule, with_docs: bool) -> serde_json::Value {
    let mut value = json!({
        "code": rule.code,
        "name": rule.name,
        "chapter": rule.chapter().name(),
        "guide_section": rule.chapter().guide_section(),
        "severity": rule.severity.name(),
        "confidence": rule.confidence.map(|c| c.name()),
        "bandit": rule.bandit.map(|b| json!({"severity": b.severity.name(), "confidence": b.confidence.name()})),
        "default_enabled": rule.default_enabled,
        "roles": rule.roles().iter().map(|r| r.name()).collect::<Vec<_>>(),
        "measured": precision::measured(rule.code).map(|m| json!({"findings": m.findings, "labelled": m.labelled, "true": m.true_findings})),
        "peers": rule.peers.iter().map(|p| json!({"tool": p.tool, "id": p.id, "same": p.same})).collect::<Vec<_>>(),
        "summary": rule.summary(),
        "source": rule.source,
    });
    if with_docs {
        value["docs"] = json!(rule.docs());
    }
    value
}

pub fn list(args: RulesArgs) -> anyhow::Result<ExitCode> {
    let all = registry::catalogue().rules();
    let filter: Box<dyn Fn(&Rule) -> bool> = match &args.chapter {
        None => Box::new(|_| true),
        Some(text) => match Chapter::from_name(text) {
            Some(chapter) => Box::new(move |rule: &Rule| rule.chapter() == chapter),
            None => {
                let prefix = text.to_ascii_uppercase();
                if !all.iter().any(|r| r.code.starts_with(&prefix)) {
                    let names: Vec<&str> = Chapter::ALL.iter().map(|c| c.name()).collect();
                    anyhow::bail!("no chapter `{text}`; chapters are: {}", names.join(", "));
                }
                Box::new(move |rule: &Rule| rule.code.starts_with(&prefix))
            }
        },
    };
    let rules: Vec<&Rule> = all.iter().copied().filter(|r| filter(r)).collect();
    let text = match args.output_format {
        ListFormat::Json => {
            let list: Vec<_> = rules.iter().map(|r| rule_json(r, false)).collect();
            serde_json::to_string_pretty(&list)? + "\n"
        }
        ListFormat::Text => {
            let mut out = String::new();
            for rule in &rules {
                let off = if rule.default_enabled {
                    ""
                } else {
                    " (off by default)"
                };
                let _ = writeln!(
                    out,
                    "{:<8} {:<36} {:<8} {}{off}",
                    rule.code,
                    rule.name,
                    rule.severity.name(),
                    peers(rule)
                );
            }
            let _ = writeln!(
                out,
                "\n{} rules. `archlint explain CODE` prints a rule's documentation.",
                rules.len()
            );
            out
        }
    };
    write_output(&text, None)?;
    Ok(ExitCode::SUCCESS)
}

pub fn explain(args: ExplainArgs) -> anyhow::Result<ExitCode> {
    let catalogue = registry::catalogue();
    let Some(rule) = catalogue.find(&args.rule) else {
        anyhow::bail!(
            "no rule `{}`{}",
            args.rule,
            catalogue.suggestion(&args.rule)
        );
    };
    let text = match args.output_format {
        ListFormat::Json => serde_json::to_string_pretty(&rule_json(rule, true))? + "\n",
        ListFormat::Text => explain_text(rule),
    };
    write_output(&text, None)?;
    Ok(ExitCode::SUCCESS)
}

/// The header, the docs verbatim, the equivalents and the defining file.
pub fn explain_text(rule: &Rule) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {} ({})\n", rule.code, rule.name);
    let _ = writeln!(
        out,
        "Chapter: {} (guide {})",
        rule.chapter().name(),
        rule.chapter().guide_section()
    );
    let _ = write!(out, "Severity: {}", rule.severity.name());
    if let Some(confidence) = rule.confidence {
        let _ = write!(out, "; confidence: {}", confidence.name());
    }
    let roles: Vec<&str> = rule.roles().iter().map(|r| r.name()).collect();
    let _ = write!(out, "\nRuns on: {} files", roles.join(", "));
    let _ = write!(
        out,
        "\nOn by default: {}; {}",
        if rule.default_enabled {
            "yes"
        } else {
            "no (turn it on with --select or extend-select)"
        },
        measured_text(rule.code)
    );
    out.push_str("\n\n");
    out.push_str(&rule.docs());
    if !rule.peers.is_empty() || rule.bandit.is_some() {
        out.push_str("\n## Equivalents\n");
        for peer in rule.peers {
            let relation = if peer.same {
                "same check"
            } else {
                "related check"
            };
            let _ = writeln!(out, "- {} `{}` ({relation})", peer.tool, peer.id);
        }
        if let Some(rating) = rule.bandit {
            let _ = writeln!(
                out,
                "- bandit rates it severity {}, confidence {}",
                rating.severity.name().to_uppercase(),
                rating.confidence.name().to_uppercase()
            );
        }
    }
    let _ = writeln!(out, "\nDefined in: {}", rule.source);
    out
}
