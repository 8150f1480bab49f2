use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags classes built at run time from data: the three-argument `type(name, bases,
    /// namespace)` (also when the callee is `metaclass or type`) and `types.new_class(name,
    /// …)` whose name is not a string literal or whose namespace is not a dict display with
    /// literal keys (a parameter, a dict filled in a loop, `namespace.update(methods)`).
    ///
    /// ## Why it matters
    /// Guide §3 (dynamic class creation): a class made from runtime data is invisible to type
    /// checkers, IDEs and documentation tools; its `__module__` and `__qualname__` point at
    /// the factory, so pickling its instances fails and tracebacks mislead. The guide's
    /// `ClassFactory.create_data_class` builds classes this way. A class statement, a
    /// `dataclasses.make_dataclass` call, or a class decorator usually does the job.
    ///
    /// ## Example
    /// ```python
    /// def create_data_class(name, fields):
    ///     namespace = {"__annotations__": fields}
    ///     return type(name, (), namespace)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import dataclasses
    ///
    /// def create_data_class(name, fields):
    ///     return dataclasses.make_dataclass(name, fields.items(), module=__name__)
    /// ```
    pub static DYNAMIC_CLASS_FACTORY = Rule {
        code: "META018",
        name: "dynamic-class-factory",
        severity: Severity::Info,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::AnyCall { run: check },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    let (name, namespace) = if calls_type(call, cx) {
        if call.args().len() != 3 || call.has_unpacking() {
            return;
        }
        (call.arg(0), call.arg(2))
    } else if call.is("types.new_class") {
        (call.argument(0, "name"), None)
    } else {
        return;
    };
    let Some(name) = name else { return };
    let dynamic_name = literal::str_ref(name).is_none();
    let dynamic_namespace = namespace.is_some_and(|ns| !is_literal_namespace(cx.follow(ns)));
    let what = match (dynamic_name, dynamic_namespace) {
        (true, true) => "a name and a namespace computed at run time",
        (true, false) => "a name computed at run time",
        (false, true) => "a namespace computed at run time",
        (false, false) => return,
    };
    cx.report(
        call.range(),
        format!("a class built from {what} is invisible to type checkers and IDEs, and its `__module__`/`__qualname__` break pickling; write a class statement (a class decorator or `dataclasses.make_dataclass(..., module=__name__)` for generated fields)"),
    );
}

/// `type(...)` (the dispatcher has resolved the callee already), or `(metaclass or type)(...)`.
fn calls_type(call: &CallSite, cx: &FileContext) -> bool {
    const TYPE: &[&str] = &["type", "builtins.type"];
    TYPE.iter().any(|name| call.is(name))
        || matches!(call.call.func.as_ref(), Expr::BoolOp(operation)
            if operation.values.iter().any(|value| cx.resolves_to(value, TYPE)))
}

/// A dict display whose keys are all string literals.
fn is_literal_namespace(namespace: &Expr) -> bool {
    matches!(namespace, Expr::Dict(dict)
        if dict.items.iter().all(|item| item.key.as_ref().is_some_and(|k| literal::str_ref(k).is_some())))
}
