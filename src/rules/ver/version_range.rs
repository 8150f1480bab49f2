//! The Python versions a project supports: from the lower bound (`requires-python`, or
//! `target-version`) to the newest release the removal rules consider.

use crate::rules::FileContext;

/// The newest Python the "removed"/"deprecated" rules look ahead to.
pub const NEWEST_PYTHON: (u8, u8) = (3, 14);

/// The oldest Python the project supports.
pub fn oldest(cx: &FileContext) -> (u8, u8) {
    cx.options.target
}

/// `3.12`.
pub fn show(version: (u8, u8)) -> String {
    format!("{}.{}", version.0, version.1)
}
