//! Architecture (cross-cutting, guide §7's package structure): what only the whole project
//! shows — import cycles, broken architecture contracts, packages far from the main
//! sequence, and dead code. The analyses live in `archlint_analysis`; these rules turn their
//! results into findings.

pub mod broken_contract;
pub mod contract_not_checked;
pub mod far_from_main_sequence;
pub mod import_cycle;
pub mod unreachable_code;
pub mod unused_definition;
pub mod unused_import;
pub mod unused_module;
pub mod unused_variable;

use archlint_analysis::deadcode::DeadKind;

use crate::{Confidence, ProjectContext};

/// Reports the dead code of the given kinds, each with its confidence and the way out.
fn report_dead_code(cx: &mut ProjectContext, kinds: &[DeadKind]) {
    let project = cx.project;
    for item in &project.deadcode().items {
        if !kinds.contains(&item.kind) {
            continue;
        }
        let confidence = match item.confidence {
            90.. => Confidence::High,
            60.. => Confidence::Medium,
            _ => Confidence::Low,
        };
        let why = match item.kind {
            DeadKind::Module => "no module of the project imports it".to_string(),
            DeadKind::Import => "the name is read nowhere in the project".to_string(),
            _ => format!("nothing in the project reads `{}`", item.name),
        };
        let message = format!(
            "unused {} `{}` ({}% confidence): {why}; remove it, or add `{}` to `[tool.archlint.deadcode] allow` if code outside the project uses it",
            item.kind.label(),
            item.name,
            item.confidence,
            item.path
        );
        let path = project.modules[item.module].path.clone();
        cx.report_rated(&path, item.line, confidence, message);
    }
}
