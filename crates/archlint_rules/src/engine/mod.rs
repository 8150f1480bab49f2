//! The tool's own findings: files it could not read or parse, suppression comments that
//! suppress nothing, and internal errors. The engine reports these itself (`Check::Engine`);
//! they are rules so that they have codes, docs, severities and can be selected or ignored.

pub mod binary_file;
pub mod file_not_regular;
pub mod file_not_utf8;
pub mod file_too_large;
pub mod file_unreadable;
pub mod internal_error;
pub mod nesting_too_deep;
pub mod syntax_error;
pub mod unused_suppression;
