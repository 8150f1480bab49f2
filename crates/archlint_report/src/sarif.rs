//! `--output-format sarif`: SARIF 2.1.0 for GitHub code scanning. Each rule that produced a
//! finding is described in `tool.driver.rules` with its summary, its full documentation as
//! help text, its chapter and its equivalents in other tools; results point at the rule by
//! index. Paths are relative to the working directory, as code scanning expects.

use rustc_hash::FxHashMap;
use serde_json::{Value, json};

use archlint_vocabulary::Diagnostic;
use archlint_vocabulary::{Confidence, Rule, Severity};

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// GitHub orders security alerts by `security-severity` (0–10).
fn security_severity(rule: &Rule) -> Option<&'static str> {
    let rating = rule.bandit.map(|b| b.severity).or(match rule.severity {
        Severity::Error => Some(Confidence::High),
        Severity::Warning => Some(Confidence::Medium),
        Severity::Info => Some(Confidence::Low),
    })?;
    Some(match rating {
        Confidence::High => "8.0",
        Confidence::Medium => "5.5",
        Confidence::Low => "3.0",
    })
}

fn describe(rule: &'static Rule) -> Value {
    let docs = rule.docs();
    let peers: Vec<String> = rule
        .peers
        .iter()
        .map(|p| format!("{} {}", p.tool, p.id))
        .collect();
    let mut properties = json!({
        "chapter": rule.chapter().name(),
        "tags": [rule.chapter().name()],
        "equivalents": peers,
    });
    if rule.chapter() == archlint_vocabulary::Chapter::Security {
        // The chapter is named `security` already; SARIF wants the tags unique.
        properties["tags"] = json!(["security"]);
        if let Some(score) = security_severity(rule) {
            properties["security-severity"] = json!(score);
        }
    }
    if let Some(confidence) = rule.confidence {
        properties["precision"] = json!(match confidence {
            Confidence::High => "high",
            Confidence::Medium => "medium",
            Confidence::Low => "low",
        });
    }
    json!({
        "id": rule.code,
        "name": rule.name,
        "shortDescription": { "text": rule.summary() },
        "fullDescription": { "text": rule.summary() },
        "help": { "text": docs, "markdown": docs },
        "defaultConfiguration": { "level": level(rule.severity) },
        "properties": properties,
    })
}

/// The file's URI: relative paths stay relative (as code scanning expects), absolute ones
/// become `file:///…`. Each segment is percent-encoded from its bytes, so a file name that is
/// not UTF-8 still names the file.
fn uri(path: &std::path::Path) -> String {
    use std::path::Component;
    let segments: Vec<String> = path
        .components()
        .filter_map(|component| match component {
            Component::Normal(segment) => Some(encode(segment.as_encoded_bytes())),
            Component::ParentDir => Some("..".to_string()),
            Component::CurDir | Component::RootDir | Component::Prefix(_) => None,
        })
        .collect();
    let joined = segments.join("/");
    if path.has_root() {
        format!("file:///{joined}")
    } else {
        joined
    }
}

fn encode(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub fn render(diagnostics: &[Diagnostic]) -> String {
    render_results(diagnostics, None)
}

/// The findings of a run compared with a baseline: each result's `baselineState` is `new`, or
/// `unchanged` when the baseline holds it (`known`); the baseline's findings no longer found
/// are results too, `absent`.
pub fn render_with_baseline(
    diagnostics: &[Diagnostic],
    known: &[bool],
    fixed: &[crate::baseline::Entry],
) -> String {
    render_results(diagnostics, Some((known, fixed)))
}

fn render_results(
    diagnostics: &[Diagnostic],
    baseline: Option<(&[bool], &[crate::baseline::Entry])>,
) -> String {
    let mut rules: Vec<&'static Rule> = Vec::new();
    let mut index: FxHashMap<&'static str, usize> = FxHashMap::default();
    for d in diagnostics {
        index.entry(d.rule.code).or_insert_with(|| {
            rules.push(d.rule);
            rules.len() - 1
        });
    }
    let mut results: Vec<Value> = diagnostics
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let mut result = json!({
                "ruleId": d.code,
                "ruleIndex": index[d.code],
                "level": level(d.severity),
                "message": { "text": d.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(&d.path) },
                        "region": {
                            "startLine": d.start.line.max(1),
                            "startColumn": d.start.column.max(1),
                            "endLine": d.end.line.max(d.start.line).max(1),
                            "endColumn": d.end.column.max(1),
                        }
                    }
                }],
            });
            if let Some((known, _)) = baseline {
                let state = if known[i] { "unchanged" } else { "new" };
                result["baselineState"] = json!(state);
            }
            result
        })
        .collect();
    for entry in baseline.map_or(&[][..], |(_, fixed)| fixed) {
        for _ in 0..entry.count {
            results.push(json!({
                "ruleId": entry.code,
                "baselineState": "absent",
                "message": { "text": entry.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": entry.path },
                        "region": { "startLine": entry.line.max(1) }
                    }
                }],
            }));
        }
    }
    let document = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "archlint",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules.iter().map(|r| describe(r)).collect::<Vec<_>>(),
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut text = serde_json::to_string_pretty(&document).expect("SARIF serialises");
    text.push('\n');
    text
}
