//! Metaprogramming and code generation (guide §3): generated code run with `exec`/`eval`,
//! metaclasses that a simpler hook replaces, monkey-patching of other modules, `builtins` and
//! `sys.modules`, and the code-object surgery that defeats every static tool.

/// The built-in `exec` and `eval`, as call targets.
pub const EXEC_AND_EVAL: &[&str] = &["exec", "eval", "builtins.exec", "builtins.eval"];

pub mod builtins_patched;
pub mod code_object_surgery;
pub mod compile_dynamic_source;
pub mod dynamic_class_factory;
pub mod dynamic_import_name;
pub mod exec_generated_code;
pub mod exec_implicit_scope;
pub mod foreign_setattr;
pub mod import_time_monkeypatch;
pub mod injected_eq_without_hash;
pub mod late_binding_closure;
pub mod metaclass_conflict;
pub mod metaclass_replaceable;
pub mod only_ast_result_executed;
pub mod post_creation_dunder_assignment;
pub mod pseudo_sandbox;
pub mod singleton_reinitialized;
pub mod sys_modules_write;
