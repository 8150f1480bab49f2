use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags code that depends on CPython's bytecode layout: an instruction's `.opname`
    /// compared with a literal opcode name (`instr.opname == "LOAD_GLOBAL"`), and integer
    /// indexing into a code object's `co_code`, `co_consts` or `co_lnotab`.
    ///
    /// ## Why it matters
    /// Guide §1 (interpreter and versions): opcodes are renamed, split and specialised in
    /// every release (`LOAD_METHOD` vanished in 3.12, `CALL_FUNCTION` in 3.11) and the layout
    /// of code objects is not API; such code breaks silently on upgrade and on other
    /// implementations.
    ///
    /// ## Example
    /// ```python
    /// import dis
    ///
    /// def globals_used(function):
    ///     return [i.argval for i in dis.get_instructions(function) if i.opname == "LOAD_GLOBAL"]
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def globals_used(function):
    ///     return [name for name in function.__code__.co_names if name in function.__globals__]
    /// ```
    pub static BYTECODE_LAYOUT_DEPENDENCE = Rule {
        code: "VER014",
        name: "bytecode-layout-dependence",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[],
        check: Check::Expr { kinds: &[NodeKind::ExprCompare, NodeKind::ExprSubscript], run: check },
    };
}

fn attribute_named<'e>(expr: &'e Expr, names: &[&str]) -> Option<&'e str> {
    match expr {
        Expr::Attribute(attribute) if names.contains(&attribute.attr.as_str()) => {
            Some(attribute.attr.as_str())
        }
        _ => None,
    }
}

fn check(expr: &Expr, cx: &mut FileContext) {
    match expr {
        Expr::Compare(compare) => {
            let operands: Vec<&Expr> = std::iter::once(&*compare.left)
                .chain(&compare.comparators)
                .collect();
            let compares_opname = operands
                .iter()
                .any(|o| attribute_named(o, &["opname"]).is_some());
            let opcode = operands.iter().find_map(|o| {
                literal::str_ref(o).filter(|s| {
                    !s.is_empty() && s.chars().all(|c| c.is_ascii_uppercase() || c == '_')
                })
            });
            if compares_opname && let Some(opcode) = opcode {
                cx.report(
                    compare.range(),
                    format!("comparing `.opname` with `\"{opcode}\"` depends on this CPython's bytecode; opcodes change every release"),
                );
            }
        }
        Expr::Subscript(subscript) => {
            let Some(field) =
                attribute_named(&subscript.value, &["co_code", "co_consts", "co_lnotab"])
            else {
                return;
            };
            if literal::int(&subscript.slice).is_some() {
                cx.report(
                    subscript.range(),
                    format!("indexing `{field}` by position depends on how this CPython lays out code objects; use `dis` or named attributes"),
                );
            }
        }
        _ => {}
    }
}
