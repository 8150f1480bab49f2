//! `archlint check --statistics`: how many findings each rule gives, most first (ruff's
//! `--statistics`).

use std::fmt::Write as _;

use serde::Serialize;

use archlint_vocabulary::Diagnostic;

#[derive(Serialize)]
struct RuleCount {
    code: &'static str,
    name: &'static str,
    count: usize,
}

fn counts(diagnostics: &[Diagnostic]) -> Vec<RuleCount> {
    let mut counts: Vec<RuleCount> = Vec::new();
    for d in diagnostics {
        match counts.iter_mut().find(|c| c.code == d.code) {
            Some(count) => count.count += 1,
            None => counts.push(RuleCount {
                code: d.code,
                name: d.name,
                count: 1,
            }),
        }
    }
    counts.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(b.code)));
    counts
}

pub fn render_text(diagnostics: &[Diagnostic]) -> String {
    let counts = counts(diagnostics);
    let width = counts.first().map_or(1, |c| c.count.to_string().len());
    let mut text = String::new();
    for count in &counts {
        let _ = writeln!(
            text,
            "{:>width$}  {:7}  {}",
            count.count, count.code, count.name
        );
    }
    text
}

pub fn render_json(diagnostics: &[Diagnostic]) -> String {
    let mut text = serde_json::to_string_pretty(&counts(diagnostics)).expect("counts serialise");
    text.push('\n');
    text
}
