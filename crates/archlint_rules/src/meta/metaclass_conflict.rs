use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags a class statement whose metaclasses cannot be reconciled: the explicit
    /// `metaclass=` and the metaclass of every base must have one that derives from all the
    /// others. Metaclasses are known for the standard bases that carry one (`abc.ABC` →
    /// `ABCMeta`, `typing.Protocol` → `_ProtocolMeta`, `enum.Enum` and its kin →
    /// `EnumType`), Django's `models.Model` (`ModelBase`), and the classes and metaclasses
    /// defined in the same module; a base imported from elsewhere in the project is not
    /// followed yet (the project model will), so such classes are left alone.
    ///
    /// ## Why it matters
    /// Guide §3 (metaclasses): Python needs one metaclass for the new class, derived from
    /// all of its bases' metaclasses. A custom `type` subclass mixed with `ABC`, `Enum` or a
    /// Django model — or `ABC` mixed with `Enum` — raises `TypeError: metaclass conflict` the
    /// moment the module is imported. Deriving the custom metaclass from the other one (for
    /// example `class Meta(ABCMeta)`) resolves it.
    ///
    /// ## Example
    /// ```python
    /// from abc import ABC
    ///
    /// class RegistryMeta(type):
    ///     pass
    ///
    /// class Plugin(ABC, metaclass=RegistryMeta):
    ///     pass
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from abc import ABC, ABCMeta
    ///
    /// class RegistryMeta(ABCMeta):
    ///     pass
    ///
    /// class Plugin(ABC, metaclass=RegistryMeta):
    ///     pass
    /// ```
    pub static METACLASS_CONFLICT = Rule {
        code: "META009",
        name: "metaclass-conflict",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::related("pylint", "E1139")],
        check: Check::Stmt { kinds: &[NodeKind::StmtClassDef], run: check },
    };
}

/// Bases that carry a metaclass other than `type`.
const KNOWN_BASES: &[(&str, &str)] = &[
    ("abc.ABC", "abc.ABCMeta"),
    ("typing.Protocol", "typing._ProtocolMeta"),
    ("typing_extensions.Protocol", "typing._ProtocolMeta"),
    ("enum.Enum", "enum.EnumType"),
    ("enum.IntEnum", "enum.EnumType"),
    ("enum.StrEnum", "enum.EnumType"),
    ("enum.Flag", "enum.EnumType"),
    ("enum.IntFlag", "enum.EnumType"),
    ("enum.ReprEnum", "enum.EnumType"),
    ("django.db.models.Model", "django.db.models.base.ModelBase"),
    (
        "django.db.models.base.Model",
        "django.db.models.base.ModelBase",
    ),
];

/// Known metaclasses and their parent.
const KNOWN_METACLASSES: &[(&str, &str)] = &[
    ("abc.ABCMeta", "type"),
    ("typing._ProtocolMeta", "abc.ABCMeta"),
    ("enum.EnumType", "type"),
    ("enum.EnumMeta", "type"),
    ("django.db.models.base.ModelBase", "type"),
];

/// Bases whose class statement Python treats specially; their metaclass is not followed.
const SPECIAL_BASES: &[&str] = &["typing.NamedTuple", "typing.TypedDict", "typing.Generic"];

fn check(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::ClassDef(class) = stmt else { return };
    let explicit = class
        .keywords()
        .iter()
        .find(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "metaclass"));
    let bases = class.bases();
    if bases.is_empty() {
        return;
    }
    let mut candidates: Vec<String> = Vec::new();
    if let Some(keyword) = explicit {
        let Some(meta) = metaclass_name(&keyword.value, cx, 0) else {
            return;
        };
        candidates.push(meta);
    }
    for base in bases {
        let Some(meta) = metaclass_of(base, cx, 0) else {
            return;
        };
        candidates.push(meta);
    }
    let mut winner = candidates[0].clone();
    for candidate in &candidates[1..] {
        if is_subclass(&winner, candidate, cx) {
            continue;
        }
        if is_subclass(candidate, &winner, cx) {
            winner = candidate.clone();
            continue;
        }
        cx.report(
            class.name.range(),
            format!("metaclass conflict: `{}` needs a metaclass derived from both `{winner}` and `{candidate}`, and neither derives from the other (`TypeError` at import); derive one metaclass from the other", class.name),
        );
        return;
    }
}

/// The metaclass of a base class, when it can be known.
fn metaclass_of(base: &Expr, cx: &FileContext, depth: usize) -> Option<String> {
    if depth > 8 {
        return None;
    }
    let name = class_name(base, cx)?;
    if SPECIAL_BASES.contains(&name.as_str()) {
        return None;
    }
    if let Some((_, meta)) = KNOWN_BASES.iter().find(|(b, _)| *b == name) {
        return Some((*meta).to_string());
    }
    if let Some(class) = cx.module_class(&name) {
        if let Some(keyword) = class
            .keywords()
            .iter()
            .find(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "metaclass"))
        {
            return metaclass_name(&keyword.value, cx, depth + 1);
        }
        // The most derived of its bases' metaclasses (a conflict there is reported there).
        let mut winner = "type".to_string();
        for base in class.bases() {
            let meta = metaclass_of(base, cx, depth + 1)?;
            if is_subclass(&meta, &winner, cx) {
                winner = meta;
            }
        }
        return Some(winner);
    }
    // A builtin base (`object`, `Exception`, `dict`) has `type`; anything imported is unknown.
    let imported = cx.scopes.resolve(base).is_some_and(|q| q.imported);
    (!imported && !name.contains('.')).then(|| "type".to_string())
}

/// The qualified name of a metaclass expression, when it names a class we can place.
fn metaclass_name(meta: &Expr, cx: &FileContext, depth: usize) -> Option<String> {
    let name = class_name(meta, cx)?;
    if name == "type" || KNOWN_METACLASSES.iter().any(|(m, _)| *m == name) {
        return Some(normalise(&name).to_string());
    }
    let class = cx.module_class(&name)?;
    // A metaclass of the module must itself derive from a metaclass we know.
    class
        .bases()
        .iter()
        .all(|base| parent_metaclass(base, cx, depth).is_some())
        .then_some(name)
}

fn parent_metaclass(base: &Expr, cx: &FileContext, depth: usize) -> Option<String> {
    if depth > 8 {
        return None;
    }
    metaclass_name(base, cx, depth + 1)
}

/// Whether metaclass `child` derives from `parent`.
fn is_subclass(child: &str, parent: &str, cx: &FileContext) -> bool {
    let mut current = normalise(child).to_string();
    let parent = normalise(parent);
    for _ in 0..16 {
        if current == parent || parent == "type" {
            return true;
        }
        if let Some((_, up)) = KNOWN_METACLASSES.iter().find(|(m, _)| *m == current) {
            current = (*up).to_string();
            continue;
        }
        let Some(class) = cx.module_class(&current) else {
            return false;
        };
        // Follow every base: a metaclass may mix two.
        return class
            .bases()
            .iter()
            .any(|base| class_name(base, cx).is_some_and(|base| is_subclass(&base, parent, cx)));
    }
    false
}

fn normalise(name: &str) -> &str {
    if name == "enum.EnumMeta" {
        "enum.EnumType"
    } else {
        name
    }
}

/// The name of a class expression: a class of this module by its own name (locally bound
/// names do not resolve), anything else by its qualified name.
fn class_name(expr: &Expr, cx: &FileContext) -> Option<String> {
    if let Expr::Name(name) = expr
        && cx.module_class(name.id.as_str()).is_some()
    {
        return Some(name.id.to_string());
    }
    cx.qualified_name(expr)
}
