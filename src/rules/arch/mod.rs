//! Architecture (cross-cutting, guide §7's package structure): what only the whole project
//! shows — import cycles, broken architecture contracts, packages far from the main
//! sequence, and dead code. The analyses live in `crate::analysis`; these rules turn their
//! results into findings.

pub mod broken_contract;
pub mod far_from_main_sequence;
pub mod import_cycle;
