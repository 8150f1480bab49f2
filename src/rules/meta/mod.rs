//! Metaprogramming and code generation (guide §3): generated code run with `exec`/`eval`,
//! metaclasses that a simpler hook replaces, monkey-patching of other modules, `builtins` and
//! `sys.modules`, and the code-object surgery that defeats every static tool.
