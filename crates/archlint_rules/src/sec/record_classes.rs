//! What SEC805 and SEC814 need to know about record classes: whether a class is a dataclass,
//! an attrs class or a pydantic model, and whether a field definition hides the field from
//! `repr`.

use crate::prelude::*;

const DATACLASS_DECORATORS: &[&str] = &[
    "dataclasses.dataclass",
    "attr.s",
    "attr.attrs",
    "attr.define",
    "attr.frozen",
    "attr.mutable",
    "attr.dataclass",
    "attrs.define",
    "attrs.frozen",
    "attrs.mutable",
    "pydantic.dataclasses.dataclass",
];

const MODEL_BASES: &[&str] = &[
    "pydantic.BaseModel",
    "pydantic.BaseSettings",
    "pydantic_settings.BaseSettings",
];

/// Field constructors whose `repr=False` hides a field.
pub const FIELD_CALLS: &[&str] = &[
    "dataclasses.field",
    "attr.ib",
    "attr.attrib",
    "attr.field",
    "attrs.field",
    "pydantic.Field",
];

/// A record class and whether its generated `repr` lists the fields.
pub struct Record {
    pub kind: &'static str,
    pub generated_repr: bool,
}

/// The kind of record `class` is (`dataclass`, `attrs class`, `pydantic model`), if any.
pub fn record(class: &ast::StmtClassDef, cx: &FileContext) -> Option<Record> {
    for decorator in &class.decorator_list {
        let (callee, call) = match &decorator.expression {
            Expr::Call(call) => (&*call.func, Some(call)),
            other => (other, None),
        };
        let Some(name) = cx.qualified_name(callee) else {
            continue;
        };
        if !DATACLASS_DECORATORS.contains(&name.as_str()) {
            continue;
        }
        let repr_off = call.is_some_and(|call| {
            call.arguments
                .find_keyword("repr")
                .is_some_and(|k| literal::is_false(&k.value))
        });
        let kind = if name.starts_with("attr") {
            "attrs class"
        } else {
            "dataclass"
        };
        return Some(Record {
            kind,
            generated_repr: !repr_off && !defines_repr(class),
        });
    }
    let model = class.arguments.as_ref().is_some_and(|arguments| {
        arguments
            .args
            .iter()
            .any(|base| cx.resolves_to(base, MODEL_BASES))
    });
    model.then(|| Record {
        kind: "pydantic model",
        generated_repr: !defines_repr(class),
    })
}

fn defines_repr(class: &ast::StmtClassDef) -> bool {
    class.body.iter().any(|stmt| {
        matches!(stmt, Stmt::FunctionDef(def) if matches!(def.name.as_str(), "__repr__" | "__str__" | "__repr_args__"))
    })
}

/// `field(..., repr=False)` and friends.
pub fn hides_from_repr(value: &Expr, cx: &FileContext) -> bool {
    let Expr::Call(call) = value else {
        return false;
    };
    cx.resolves_to(&call.func, FIELD_CALLS)
        && call
            .arguments
            .find_keyword("repr")
            .is_some_and(|k| literal::is_false(&k.value))
}
