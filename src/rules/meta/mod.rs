//! Metaprogramming and code generation (guide §3): generated code run with `exec`/`eval`,
//! metaclasses that a simpler hook replaces, monkey-patching of other modules, `builtins` and
//! `sys.modules`, and the code-object surgery that defeats every static tool.

pub mod builtins_patched;
pub mod code_object_surgery;
pub mod dynamic_import_name;
pub mod exec_generated_code;
pub mod metaclass_replaceable;
pub mod only_ast_result_executed;
pub mod pseudo_sandbox;
pub mod sys_modules_write;
