//! The Python versions a project supports: from the lower bound (`requires-python`, or
//! `target-version`) to the newest release the removal rules consider.

use ruff_text_size::TextRange;

use crate::FileContext;
use archlint_facts::versions::{NeedKind, Version, VersionNeed};

/// The newest Python the "removed"/"deprecated" rules look ahead to.
pub const NEWEST_PYTHON: (u8, u8) = (3, 14);

/// The oldest Python the project supports.
pub fn oldest(cx: &FileContext) -> (u8, u8) {
    cx.target
}

/// `3.12`.
pub fn show(version: (u8, u8)) -> String {
    format!("{}.{}", version.0, version.1)
}

/// Reports the needs of `kind` recorded in the walk that the oldest supported Python lacks.
pub fn report_needs(
    cx: &mut FileContext,
    kind: NeedKind,
    message: fn(&VersionNeed, Version) -> String,
) {
    let supported = oldest(cx);
    let unmet: Vec<(TextRange, String)> = cx
        .facts
        .version_needs
        .iter()
        .filter(|need| need.kind == kind && need.version > supported)
        .map(|need| (need.range, message(need, supported)))
        .collect();
    for (range, text) in unmet {
        cx.report(range, text);
    }
}
