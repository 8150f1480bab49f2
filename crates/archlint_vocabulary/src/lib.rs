//! The vocabulary every layer of archlint shares: what a rule is (code, name, chapter, roles,
//! severity, confidence, peers, docs), what a file is for, and what a finding is.
//! It depends on no other crate of the workspace.

pub mod diagnostic;
pub mod role;
pub mod rule;

pub use diagnostic::{Diagnostic, Location, Snippet};
pub use role::{Role, Roles};
pub use rule::{
    BanditRating, Chapter, Confidence, Peer, Rule, Severity, code_block, python_block, section,
};
