//! Interpreter and versions (guide §1): syntax and standard-library features newer than the
//! project's oldest supported Python, modules and APIs removed or deprecated within the
//! supported range, and private interpreter internals.

pub mod stdlib_versions;
pub mod version_range;

pub mod bytecode_layout_dependence;
pub mod cpython_only_api;
pub mod deprecated_stdlib_api;
pub mod deprecated_stdlib_module;
pub mod locals_write_semantics;
pub mod outdated_version_block;
pub mod pep585_typing_alias;
pub mod private_interpreter_module;
pub mod private_runtime_api;
pub mod removed_stdlib_api;
pub mod removed_stdlib_module;
pub mod requires_python_missing;
pub mod requires_python_upper_cap;
pub mod stdlib_api_newer_than_target;
pub mod syntax_newer_than_target;
pub mod sys_version_misuse;
pub mod tool_target_version_drift;
pub mod unguarded_implementation_module;
