//! Performance engineering (guide §6): complexity and maintainability over thresholds.

pub mod cyclomatic_complexity;
pub mod low_maintainability_index;
