//! The vocabulary every layer of archlint shares: what a rule is (code, name, chapter,
//! severity, confidence, peers, docs) and what a finding is (a diagnostic and its location).
//! It depends on no other crate of the workspace.

pub mod diagnostic;
pub mod rule;

pub use diagnostic::{Diagnostic, Location, Snippet};
pub use rule::{
    BanditRating, Chapter, Confidence, Peer, Rule, Severity, code_block, python_block, section,
};
