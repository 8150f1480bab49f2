//! Reading literal values out of expressions: strings (implicit concatenation included),
//! integers, booleans, and the test "is this string built at run time?" that the injection
//! rules share.

use ruff_python_ast::{self as ast, Expr, Number, Operator, UnaryOp};

/// The value of a string literal, implicit concatenation included.
pub fn string(expr: &Expr) -> Option<String> {
    match expr {
        Expr::StringLiteral(literal) => Some(literal.value.to_str().to_string()),
        _ => None,
    }
}

/// The strings of a list or tuple of string literals (`["a", "b"]`), if it is one.
pub fn string_list(value: &Expr) -> Option<Vec<String>> {
    let elements = match value {
        Expr::List(list) => &list.elts,
        Expr::Tuple(tuple) => &tuple.elts,
        _ => return None,
    };
    elements.iter().map(string).collect()
}

/// The value of a string literal without copying it.
pub fn str_ref(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::StringLiteral(literal) => Some(literal.value.to_str()),
        _ => None,
    }
}

/// The value of an integer literal, with a leading minus sign if any.
pub fn int(expr: &Expr) -> Option<i64> {
    match expr {
        Expr::NumberLiteral(ast::ExprNumberLiteral {
            value: Number::Int(value),
            ..
        }) => value.as_i64(),
        Expr::UnaryOp(ast::ExprUnaryOp {
            op: UnaryOp::USub,
            operand,
            ..
        }) => int(operand).map(|v| -v),
        // `2**14`, `600_000` and `10 * 1000` are all common in KDF parameters.
        Expr::BinOp(ast::ExprBinOp {
            left, op, right, ..
        }) => {
            let (left, right) = (int(left)?, int(right)?);
            match op {
                Operator::Pow => u32::try_from(right).ok().and_then(|r| left.checked_pow(r)),
                Operator::Mult => left.checked_mul(right),
                Operator::Add => left.checked_add(right),
                Operator::Sub => left.checked_sub(right),
                Operator::LShift => u32::try_from(right).ok().and_then(|r| left.checked_shl(r)),
                _ => None,
            }
        }
        _ => None,
    }
}

pub fn is_true(expr: &Expr) -> bool {
    matches!(expr, Expr::BooleanLiteral(b) if b.value)
}

pub fn is_false(expr: &Expr) -> bool {
    matches!(expr, Expr::BooleanLiteral(b) if !b.value)
}

pub fn is_none(expr: &Expr) -> bool {
    matches!(expr, Expr::NoneLiteral(_))
}

/// A value Python treats as false written literally: `False`, `None`, `0`, `""`.
pub fn is_falsy_literal(expr: &Expr) -> bool {
    match expr {
        Expr::BooleanLiteral(b) => !b.value,
        Expr::NoneLiteral(_) => true,
        Expr::NumberLiteral(_) => int(expr) == Some(0),
        Expr::StringLiteral(s) => s.value.is_empty(),
        _ => false,
    }
}

/// A literal whose truth is known and true: `True`, a non-zero number, a non-empty string.
pub fn is_truthy_literal(expr: &Expr) -> bool {
    match expr {
        Expr::BooleanLiteral(b) => b.value,
        Expr::NumberLiteral(_) => int(expr).is_some_and(|v| v != 0),
        Expr::StringLiteral(s) => !s.value.is_empty(),
        _ => false,
    }
}

/// Any literal constant: strings, bytes, numbers, booleans, `None`, `...`.
pub fn is_constant(expr: &Expr) -> bool {
    matches!(
        expr,
        Expr::StringLiteral(_)
            | Expr::BytesLiteral(_)
            | Expr::NumberLiteral(_)
            | Expr::BooleanLiteral(_)
            | Expr::NoneLiteral(_)
            | Expr::EllipsisLiteral(_)
    )
}

/// How a string is built at run time, when it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DynamicString {
    FString,
    Format,
    Percent,
    Concatenation,
    Template,
}

impl DynamicString {
    pub fn describe(self) -> &'static str {
        match self {
            DynamicString::FString => "an f-string",
            DynamicString::Format => "`str.format`",
            DynamicString::Percent => "`%` formatting",
            DynamicString::Concatenation => "string concatenation",
            DynamicString::Template => "`string.Template`",
        }
    }
}

/// How `expr` builds a string from run-time values, if it does: an f-string with
/// placeholders, `.format`/`.format_map`, `%` on a string, `+` with a non-literal operand,
/// or `Template(...).substitute`.
pub fn dynamic_string(expr: &Expr) -> Option<DynamicString> {
    match expr {
        Expr::FString(fstring) => {
            let has_placeholder = fstring
                .value
                .f_strings()
                .any(|f| f.elements.iter().any(|element| element.is_interpolation()));
            has_placeholder.then_some(DynamicString::FString)
        }
        Expr::Call(call) => {
            let Expr::Attribute(attribute) = call.func.as_ref() else {
                return None;
            };
            match attribute.attr.as_str() {
                "format" | "format_map" if is_stringish(&attribute.value) => {
                    Some(DynamicString::Format)
                }
                "substitute" | "safe_substitute" => Some(DynamicString::Template),
                _ => None,
            }
        }
        Expr::BinOp(binop) => match binop.op {
            Operator::Mod if is_stringish(&binop.left) => Some(DynamicString::Percent),
            Operator::Add => {
                let (left, right) = (&*binop.left, &*binop.right);
                let stringy = is_stringish(left) || is_stringish(right);
                let literal = is_literal_string_expr(left) && is_literal_string_expr(right);
                (stringy && !literal).then_some(DynamicString::Concatenation)
            }
            _ => None,
        },
        _ => None,
    }
}

/// A string literal, an f-string, or an expression built from them.
fn is_stringish(expr: &Expr) -> bool {
    match expr {
        Expr::StringLiteral(_) | Expr::FString(_) => true,
        Expr::BinOp(binop) => is_stringish(&binop.left) || is_stringish(&binop.right),
        Expr::Call(_) => dynamic_string(expr).is_some(),
        _ => false,
    }
}

/// A string whose value is fixed in the source: literals, literal f-strings, `+` of those.
pub fn is_literal_string_expr(expr: &Expr) -> bool {
    match expr {
        Expr::StringLiteral(_) => true,
        Expr::FString(_) => dynamic_string(expr).is_none(),
        Expr::BinOp(ast::ExprBinOp {
            left,
            op: Operator::Add,
            right,
            ..
        }) => is_literal_string_expr(left) && is_literal_string_expr(right),
        _ => false,
    }
}

/// The literal text parts of a string expression (the literal pieces of an f-string, the
/// template of `.format`/`%`, both sides of `+`), joined: what SQL keyword checks look at.
pub fn string_parts(expr: &Expr) -> String {
    let mut text = String::new();
    collect_parts(expr, &mut text);
    text
}

fn collect_parts(expr: &Expr, text: &mut String) {
    match expr {
        Expr::StringLiteral(literal) => text.push_str(literal.value.to_str()),
        Expr::FString(fstring) => {
            for part in fstring.value.iter() {
                match part {
                    ast::FStringPart::Literal(literal) => text.push_str(&literal.value),
                    ast::FStringPart::FString(f) => {
                        for element in &f.elements {
                            match element {
                                ast::InterpolatedStringElement::Literal(literal) => {
                                    text.push_str(&literal.value);
                                }
                                ast::InterpolatedStringElement::Interpolation(_) => {
                                    text.push_str(" ? ");
                                }
                            }
                        }
                    }
                }
            }
        }
        Expr::BinOp(binop) => {
            collect_parts(&binop.left, text);
            text.push(' ');
            collect_parts(&binop.right, text);
        }
        Expr::Call(call) => {
            if let Expr::Attribute(attribute) = call.func.as_ref() {
                collect_parts(&attribute.value, text);
            }
        }
        _ => {}
    }
}

/// The dotted spelling of a name or attribute chain as written (`self.cursor.execute`).
pub fn dotted(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Name(name) => Some(name.id.to_string()),
        Expr::Attribute(attribute) => {
            let mut head = dotted(&attribute.value)?;
            head.push('.');
            head.push_str(&attribute.attr);
            Some(head)
        }
        _ => None,
    }
}

/// The last identifier of a name, attribute or string-keyed subscript: what naming
/// heuristics (`password`, `token`) look at.
pub fn terminal_name(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Name(name) => Some(name.id.as_str()),
        Expr::Attribute(attribute) => Some(attribute.attr.as_str()),
        Expr::Subscript(subscript) => str_ref(&subscript.slice),
        _ => None,
    }
}

/// `__name__ == "__main__"` (either way round), alone or as one condition of an `and`.
pub fn is_main_guard(test: &Expr) -> bool {
    // `if sys.platform != "win32" and __name__ == "__main__":` guards as well.
    if let Expr::BoolOp(bool_op) = test
        && bool_op.op == ast::BoolOp::And
    {
        return bool_op.values.iter().any(is_main_guard);
    }
    let Expr::Compare(compare) = test else {
        return false;
    };
    let is_name = |e: &Expr| matches!(e, Expr::Name(n) if n.id.as_str() == "__name__");
    let is_main = |e: &Expr| string(e).is_some_and(|s| s == "__main__");
    let [right] = &compare.comparators[..] else {
        return false;
    };
    (is_name(&compare.left) && is_main(right)) || (is_main(&compare.left) && is_name(right))
}
