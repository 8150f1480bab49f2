use super::shared::is_mutable_display;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags a class attribute bound to a mutable literal (a list, dict or set, or a
    /// comprehension making one) in the class body, unless annotated `ClassVar` (or
    /// `Final`), annotated with an immutable type (`Sequence`, `Mapping`, `tuple`, …), or a
    /// dunder such as `__slots__`, or ctypes' `_fields_` (read once by the ctypes machinery
    /// when the structure is built; ruff's RUF012 flags it). Dataclass fields are left to the
    /// dataclass machinery.
    /// Like ruff's RUF012 (whose reading it follows), this includes the common Django
    /// idioms (`class Meta: ordering = [...]`, migration `operations = [...]`), which share
    /// the list between all instances the same way.
    ///
    /// ## Why it matters
    /// Guide §2 (GIL and free-threading): a class attribute is one object shared by every
    /// instance and every thread; appending to `self.items` mutates it for all of them, a
    /// data race without the GIL.
    ///
    /// ## Example
    /// ```python
    /// class Job:
    ///     tags = []
    ///
    ///     def tag(self, name):
    ///         self.tags.append(name)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// class Job:
    ///     def __init__(self):
    ///         self.tags = []
    ///
    ///     def tag(self, name):
    ///         self.tags.append(name)
    /// ```
    pub static MUTABLE_CLASS_DEFAULT = Rule {
        code: "RUN009",
        name: "mutable-class-default",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[Peer::same("ruff", "RUF012")],
        check: Check::Stmt { kinds: &[NodeKind::StmtClassDef], run: check },
    };
}

/// A list, dict or set display or comprehension, or a `list(...)`/`dict(...)`/`set(...)` call.
fn is_mutable_value(expr: &Expr, cx: &FileContext) -> bool {
    is_mutable_display(expr)
        || matches!(expr, Expr::Call(call) if cx
            .qualified_name(&call.func)
            .is_some_and(|name| matches!(name.as_str(), "list" | "dict" | "set")))
}

/// Dunders (`__slots__`) and ctypes' `_fields_`, which the machinery reads once rather than
/// instances mutating them.
fn is_special(target: &Expr) -> bool {
    matches!(target, Expr::Name(name)
        if (name.id.starts_with("__") && name.id.ends_with("__"))
            || name.id.as_str() == "_fields_")
}

/// `ClassVar[...]`, `Final[...]`, or an immutable collection type.
fn annotation_allows(annotation: &Expr, cx: &FileContext) -> bool {
    let head = match annotation {
        Expr::Subscript(subscript) => &*subscript.value,
        other => other,
    };
    let Some(name) = cx.qualified_name(head) else {
        return false;
    };
    let last = name.rsplit('.').next().unwrap_or(&name);
    matches!(
        last,
        "ClassVar"
            | "Final"
            | "Sequence"
            | "Mapping"
            | "AbstractSet"
            | "Collection"
            | "Iterable"
            | "Container"
            | "Reversible"
            | "tuple"
            | "Tuple"
            | "frozenset"
            | "FrozenSet"
            | "MappingProxyType"
            | "Set"
    ) && !(last == "Set" && name.starts_with("typing"))
}

/// Classes whose attributes are copied per instance: dataclasses, attrs, pydantic models,
/// named tuples, typed dicts, enums.
fn copies_defaults(class: &ast::StmtClassDef, cx: &FileContext) -> bool {
    let decorated = class.decorator_list.iter().any(|decorator| {
        let expression = match &decorator.expression {
            Expr::Call(call) => &*call.func,
            other => other,
        };
        cx.qualified_name(expression).is_some_and(|name| {
            name.starts_with("dataclasses.")
                || name.starts_with("attr")
                || name.ends_with("dataclass")
        })
    });
    decorated
        || class.bases().iter().any(|base| {
            cx.qualified_name(base).is_some_and(|name| {
                name.starts_with("pydantic.")
                    || name.starts_with("msgspec.")
                    || matches!(
                        name.as_str(),
                        "typing.NamedTuple" | "typing.TypedDict" | "typing_extensions.TypedDict"
                    )
                    || name.starts_with("enum.")
            })
        })
}

fn check(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::ClassDef(class) = stmt else { return };
    if copies_defaults(class, cx) {
        return;
    }
    for item in &class.body {
        let (target, value) = match item {
            Stmt::AnnAssign(ast::StmtAnnAssign {
                target,
                annotation,
                value: Some(value),
                ..
            }) => {
                if annotation_allows(annotation, cx) {
                    continue;
                }
                (&**target, &**value)
            }
            Stmt::Assign(assign) => {
                if assign.targets.iter().all(is_special) {
                    continue;
                }
                match assign.targets.first() {
                    Some(target) => (target, &*assign.value),
                    None => continue,
                }
            }
            _ => continue,
        };
        if is_special(target) || !is_mutable_value(value, cx) {
            continue;
        }
        let name = cx.text(target.range()).to_string();
        cx.report(
            value.range(),
            format!("`{}.{name}` is one mutable object shared by every instance and thread; create it in `__init__`, use a tuple or frozenset, or annotate it `ClassVar`", class.name),
        );
    }
}
