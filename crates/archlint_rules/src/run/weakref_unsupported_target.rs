use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags a weak reference to an object that cannot have one: `weakref.ref`, `proxy`,
    /// `finalize` or `WeakMethod` of, `WeakSet.add` of, or a `WeakValueDictionary` value or
    /// `WeakKeyDictionary` key that is an `int`, `float`, `str`, `bytes`, `tuple`, `list`,
    /// `dict`, `bool` or `None` (a literal, a call of the type, or a local holding one), or
    /// an instance (`Cls(...)`, `self`) of a class of the module whose `__slots__` lacks
    /// `"__weakref__"`. A `WeakSet` member or `WeakKeyDictionary` key whose class defines
    /// `__eq__` without `__hash__` is flagged too: it is unhashable.
    ///
    /// ## Why it matters
    /// Guide §2 (weak references): these raise `TypeError: cannot create weak reference to
    /// 'str' object` (or `unhashable type`) at run time, on the first object that reaches the
    /// line. The guide's `OptimizedDataClass` remembers to put `__weakref__` in its slots;
    /// forgetting it is the common mistake.
    ///
    /// ## Example
    /// ```python
    /// import weakref
    ///
    /// class Point:
    ///     __slots__ = ("x", "y")
    ///
    /// point_ref = weakref.ref(Point())
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import weakref
    ///
    /// class Point:
    ///     __slots__ = ("x", "y", "__weakref__")
    ///
    /// point_ref = weakref.ref(Point())
    /// ```
    pub static WEAKREF_UNSUPPORTED_TARGET = Rule {
        code: "RUN012",
        name: "weakref-unsupported-target",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[],
        check: Check::Several(&[
            Check::Call {
                targets: &["weakref.ref", "weakref.proxy", "weakref.finalize", "weakref.WeakMethod", ".add"],
                run: check_call,
            },
            Check::Stmt { kinds: &[NodeKind::StmtAssign], run: check_store },
        ]),
    };
}

/// Built-in types whose instances take no weak references.
const NOT_WEAKREFABLE: &[&str] = &[
    "int", "float", "complex", "str", "bytes", "tuple", "list", "dict", "bool",
];

fn check_call(call: &CallSite, cx: &mut FileContext) {
    if call.method == Some("add") {
        let is_weak_set = call
            .receiver()
            .and_then(|r| cx.constructed_by(r))
            .is_some_and(|made_by| made_by == "weakref.WeakSet");
        if let (true, Some(member)) = (is_weak_set, call.arg(0)) {
            check_target(member, "a `WeakSet` member", true, cx);
        }
        return;
    }
    if let Some(referent) = call.argument(0, "ob") {
        let what = format!("the referent of `{}`", call.name());
        check_target(referent, &what, false, cx);
    }
}

fn check_store(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::Assign(assign) = stmt else { return };
    for target in &assign.targets {
        let Expr::Subscript(subscript) = target else {
            continue;
        };
        match cx.constructed_by(&subscript.value).as_deref() {
            Some("weakref.WeakValueDictionary") => {
                check_target(&assign.value, "a `WeakValueDictionary` value", false, cx);
            }
            Some("weakref.WeakKeyDictionary") => {
                check_target(&subscript.slice, "a `WeakKeyDictionary` key", true, cx);
            }
            _ => {}
        }
    }
}

/// Reports `target` when it cannot be weakly referenced (or, for `hashed`, hashed).
fn check_target(target: &Expr, role: &str, hashed: bool, cx: &mut FileContext) {
    let value = cx.follow(target);
    if let Some(type_name) = builtin_type(value, cx) {
        cx.report(
            target.range(),
            format!("{role} is a `{type_name}`, which cannot be weakly referenced (`TypeError` at run time); keep a strong reference, or wrap the value in an object"),
        );
        return;
    }
    let Some(class) = instance_class(value, cx) else {
        return;
    };
    if let Some(slots) = slots(class)
        && !slots.contains(&"__weakref__")
    {
        cx.report(
            target.range(),
            format!("{role} is a `{}`, whose `__slots__` has no `\"__weakref__\"`, so it cannot be weakly referenced (`TypeError` at run time); add `\"__weakref__\"` to its slots", class.name),
        );
    } else if hashed && defines(class, "__eq__") && !defines(class, "__hash__") {
        cx.report(
            target.range(),
            format!("{role} is a `{}`, which defines `__eq__` without `__hash__` and is therefore unhashable (`TypeError` at run time); define `__hash__`", class.name),
        );
    }
}

/// The built-in type of a literal or of a call of the type, if it takes no weak references.
fn builtin_type(value: &Expr, cx: &FileContext) -> Option<&'static str> {
    let name = match value {
        Expr::NumberLiteral(number) => match number.value {
            ast::Number::Int(_) => "int",
            ast::Number::Float(_) => "float",
            ast::Number::Complex { .. } => "complex",
        },
        Expr::StringLiteral(_) | Expr::FString(_) => "str",
        Expr::BytesLiteral(_) => "bytes",
        Expr::BooleanLiteral(_) => "bool",
        Expr::NoneLiteral(_) => "None",
        Expr::Tuple(_) => "tuple",
        Expr::List(_) | Expr::ListComp(_) => "list",
        Expr::Dict(_) | Expr::DictComp(_) => "dict",
        Expr::Call(call) => {
            let callee = cx.qualified_name(&call.func)?;
            return NOT_WEAKREFABLE.iter().copied().find(|t| *t == callee);
        }
        _ => return None,
    };
    Some(name)
}

/// The module's class that `value` is an instance of: `Cls(...)`, or `self` in its methods.
fn instance_class<'a>(value: &Expr, cx: &FileContext<'a>) -> Option<&'a ast::StmtClassDef> {
    let name = match value {
        Expr::Call(call) => match call.func.as_ref() {
            Expr::Name(name) => name.id.as_str(),
            _ => return None,
        },
        Expr::Name(name) if name.id.as_str() == "self" => {
            return cx
                .classes
                .last()
                .copied()
                .filter(|_| !cx.functions.is_empty());
        }
        _ => return None,
    };
    cx.module_class(name)
}

/// The names in a class's literal `__slots__`, when it has one and no base that could add
/// `__weakref__` (only `object` or no base).
fn slots(class: &ast::StmtClassDef) -> Option<Vec<&str>> {
    let only_object = class
        .bases()
        .iter()
        .all(|base| matches!(base, Expr::Name(name) if name.id.as_str() == "object"));
    if !only_object {
        return None;
    }
    class.body.iter().find_map(|stmt| {
        let Stmt::Assign(assign) = stmt else {
            return None;
        };
        let [Expr::Name(target)] = assign.targets.as_slice() else {
            return None;
        };
        if target.id.as_str() != "__slots__" {
            return None;
        }
        let elements: &[Expr] = match assign.value.as_ref() {
            Expr::Tuple(tuple) => &tuple.elts,
            Expr::List(list) => &list.elts,
            single @ Expr::StringLiteral(_) => std::slice::from_ref(single),
            _ => return None,
        };
        elements.iter().map(literal::str_ref).collect()
    })
}

/// Whether the class body defines `method` (`__hash__ = None` defines nothing).
fn defines(class: &ast::StmtClassDef, method: &str) -> bool {
    class.body.iter().any(|stmt| match stmt {
        Stmt::FunctionDef(def) => def.name.as_str() == method,
        Stmt::Assign(assign) => {
            !literal::is_none(&assign.value)
                && assign
                    .targets
                    .iter()
                    .any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == method))
        }
        _ => false,
    })
}
