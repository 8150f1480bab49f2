use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `exec`/`eval` given the result of `compile(..., flags=ast.PyCF_ONLY_AST)`
    /// (directly or through a local): with that flag `compile` returns an AST, not a code
    /// object.
    ///
    /// ## Why it matters
    /// Guide §3 (metaprogramming): `exec(ast_tree)` raises `TypeError`; the author meant to
    /// compile the (possibly transformed) tree with a second `compile(tree, filename,
    /// "exec")`.
    ///
    /// ## Example
    /// ```python
    /// import ast
    ///
    /// def run(source):
    ///     tree = compile(source, "<plugin>", "exec", ast.PyCF_ONLY_AST)
    ///     exec(tree)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import ast
    ///
    /// def run(source):
    ///     tree = compile(source, "<plugin>", "exec", ast.PyCF_ONLY_AST)
    ///     exec(compile(tree, "<plugin>", "exec"))
    /// ```
    pub static ONLY_AST_RESULT_EXECUTED = Rule {
        code: "META005",
        name: "only-ast-result-executed",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[],
        check: Check::Call { targets: super::EXEC_AND_EVAL, run: check },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    let Some(code) = call.arg(0) else { return };
    let Expr::Call(compiled) = cx.follow(code) else {
        return;
    };
    if cx.qualified_name(&compiled.func).as_deref() != Some("compile") {
        return;
    }
    let flags = compiled
        .arguments
        .find_keyword("flags")
        .map(|k| &k.value)
        .or_else(|| compiled.arguments.args.get(3));
    let only_ast = flags.is_some_and(|flags| {
        cx.qualified_name(flags)
            .is_some_and(|name| name.ends_with("PyCF_ONLY_AST"))
    });
    if only_ast {
        cx.report(
            call.range(),
            format!("`{}` of an AST (`compile(..., ast.PyCF_ONLY_AST)`) raises `TypeError`; compile the tree to code first", call.name()),
        );
    }
}
