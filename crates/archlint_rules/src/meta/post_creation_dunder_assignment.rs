use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags assigning a class's special methods or identity from outside its body:
    /// `Cls.__init__ = ...`, `Cls.__new__`, `__eq__`, `__hash__`, `__repr__`, `__call__`,
    /// `__getattr__` and the other special methods of the data model, `obj.__class__ =
    /// ...`, `Cls.__bases__ = ...`, also through `setattr(Cls, "__init__", ...)`.
    /// Assignments inside the class body, and other dunder attributes
    /// (`__doc__`, `__wrapped__`, `__unittest_skip__`...) are not flagged; nor is a class a function receives as a parameter
    /// (`def decorate(cls): cls.__repr__ = ...`): class decorators, metaclasses and
    /// `__init_subclass__` run while the class is being built. (Patching someone else's
    /// class from a generic helper is META012.)
    ///
    /// ## Why it matters
    /// Guide §3 (metaprogramming): special methods are looked up on the type and cached by
    /// the interpreter; patching them later changes behaviour for every existing instance,
    /// away from the class definition where readers and type checkers look. `__class__`
    /// and `__bases__` assignment changes what an object is. Subclass, or use a decorator or
    /// `__init_subclass__` that runs while the class is built.
    ///
    /// ## Example
    /// ```python
    /// class Point:
    ///     pass
    ///
    /// def point_init(self, x, y):
    ///     self.x, self.y = x, y
    ///
    /// Point.__init__ = point_init
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// class Point:
    ///     def __init__(self, x, y):
    ///         self.x, self.y = x, y
    /// ```
    pub static POST_CREATION_DUNDER_ASSIGNMENT = Rule {
        code: "META015",
        name: "post-creation-dunder-assignment",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Several(&[
            Check::Stmt {
                kinds: &[NodeKind::StmtAssign, NodeKind::StmtAugAssign, NodeKind::StmtAnnAssign],
                run: check_assignment,
            },
            Check::Call {
                targets: &["setattr", "builtins.setattr"],
                run: check_setattr,
            },
        ]),
    };
}

/// The data model's special methods, which the interpreter looks up on the type.
const SPECIAL_METHODS: &[&str] = &[
    "init",
    "new",
    "del",
    "repr",
    "str",
    "bytes",
    "format",
    "lt",
    "le",
    "eq",
    "ne",
    "gt",
    "ge",
    "hash",
    "bool",
    "getattr",
    "getattribute",
    "setattr",
    "delattr",
    "dir",
    "get",
    "set",
    "delete",
    "set_name",
    "init_subclass",
    "class_getitem",
    "call",
    "len",
    "length_hint",
    "getitem",
    "setitem",
    "delitem",
    "missing",
    "iter",
    "reversed",
    "contains",
    "enter",
    "exit",
    "aenter",
    "aexit",
    "await",
    "aiter",
    "anext",
    "reduce",
    "reduce_ex",
    "getstate",
    "setstate",
    "getnewargs",
    "getnewargs_ex",
    "copy",
    "deepcopy",
    "instancecheck",
    "subclasscheck",
    "index",
    "int",
    "float",
    "complex",
    "round",
    "trunc",
    "floor",
    "ceil",
    "neg",
    "pos",
    "abs",
    "invert",
    "mro_entries",
    "fspath",
    "buffer",
    "release_buffer",
    "sizeof",
    "class",
    "bases",
];

/// Binary operators, each also as `__r<op>__` and `__i<op>__`.
const OPERATORS: &[&str] = &[
    "add", "sub", "mul", "matmul", "truediv", "floordiv", "mod", "divmod", "pow", "lshift",
    "rshift", "and", "xor", "or",
];

fn is_patched_dunder(attr: &str) -> bool {
    let Some(name) = attr.strip_prefix("__").and_then(|a| a.strip_suffix("__")) else {
        return false;
    };
    SPECIAL_METHODS.contains(&name)
        || OPERATORS.contains(&name)
        || [name.strip_prefix('r'), name.strip_prefix('i')]
            .into_iter()
            .flatten()
            .any(|op| OPERATORS.contains(&op))
}

fn check_assignment(stmt: &Stmt, cx: &mut FileContext) {
    let targets: &[Expr] = match stmt {
        Stmt::Assign(assign) => &assign.targets,
        Stmt::AugAssign(assign) => std::slice::from_ref(&*assign.target),
        Stmt::AnnAssign(assign) => std::slice::from_ref(&*assign.target),
        _ => return,
    };
    for target in targets {
        let Expr::Attribute(attribute) = target else {
            continue;
        };
        let attr = attribute.attr.as_str();
        if !is_patched_dunder(attr) {
            continue;
        }
        // `self.__x__ = ...` in `__init__`-style code sets an instance attribute, except
        // `__class__`, which changes what the object is.
        let on_self = matches!(attribute.value.as_ref(), Expr::Name(n) if n.id.as_str() == "self");
        if attr != "__class__" && (on_self || is_parameter(&attribute.value, cx)) {
            continue;
        }
        let owner = cx.text(attribute.value.range());
        cx.report(
            target.range(),
            format!("`{owner}.{attr}` assigned after the class was built; define it in the class body, a subclass, or a class decorator"),
        );
    }
}

fn check_setattr(call: &CallSite, cx: &mut FileContext) {
    let (Some(owner), Some(name)) = (call.arg(0), call.arg(1).and_then(literal::str_ref)) else {
        return;
    };
    if !is_patched_dunder(name) || is_parameter(owner, cx) {
        return;
    }
    let owner = cx.text(owner.range());
    cx.report(
        call.range(),
        format!("`setattr({owner}, \"{name}\", ...)` patches a special method after the class was built; define it in the class body, a subclass, or a class decorator"),
    );
}

/// A parameter of the enclosing function (a class decorator's `cls`).
fn is_parameter(expr: &Expr, cx: &FileContext) -> bool {
    let (Expr::Name(name), Some(function)) = (expr, cx.enclosing_function()) else {
        return false;
    };
    function
        .parameters
        .iter()
        .any(|parameter| parameter.name().as_str() == name.id.as_str())
}
