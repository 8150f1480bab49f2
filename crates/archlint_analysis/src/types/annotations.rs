//! Type expressions as a stub may write them (the typing specification's grammar): names and
//! dotted names that refer to types, subscripts of those whose arguments are type expressions
//! (lists of them for `Callable` and parameter specifications, literals in `Literal[...]`,
//! anything after the first argument of `Annotated`), `None`, `X | Y`, and strings whose
//! content is itself a type expression. Not: tuples, calls, comparisons, numbers outside
//! `Literal`, lambdas, f-strings, `...` outside a subscript, nor a name that refers to a
//! variable, a function or nothing the stub binds.
//!
//! The stub writer asks [`Check`] before copying an annotation, a base class or a type
//! alias's value; what fails becomes `Incomplete`.

use ruff_python_ast::{self as ast, Expr};

use archlint_facts::literal;

/// What a name is bound to in a stub, as far as a type checker reading the stub can tell.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    /// A class, a type alias, a type variable.
    Type,
    /// A variable: never a type.
    Value,
    /// A function or a method: never a type.
    Function,
    /// An import or an alias of something else: the stub cannot tell, and trusts it.
    Other,
}

/// Where names are looked up.
pub trait Resolve {
    /// What `name` is bound to where the expression is written; `None` when the stub binds
    /// it nowhere.
    fn kind(&self, name: &str) -> Option<Kind>;
    /// Whether a star import may bind any name.
    fn has_star_import(&self) -> bool;
}

/// The builtins that are not types (functions and constants); every other builtin is a class.
const BUILTIN_VALUES: &[&str] = &[
    "abs",
    "aiter",
    "all",
    "anext",
    "any",
    "ascii",
    "bin",
    "breakpoint",
    "callable",
    "chr",
    "compile",
    "copyright",
    "credits",
    "delattr",
    "dir",
    "divmod",
    "eval",
    "exec",
    "exit",
    "format",
    "getattr",
    "globals",
    "hasattr",
    "hash",
    "help",
    "hex",
    "id",
    "input",
    "isinstance",
    "issubclass",
    "iter",
    "len",
    "license",
    "locals",
    "max",
    "min",
    "next",
    "oct",
    "open",
    "ord",
    "pow",
    "print",
    "quit",
    "repr",
    "round",
    "setattr",
    "sorted",
    "sum",
    "vars",
    "__import__",
    "__build_class__",
    "__debug__",
    "Ellipsis",
    "NotImplemented",
];

/// Qualifiers that annotate a declaration but are not types of their own: an alias to one
/// (`T_CV = ClassVar[int]`) is no type alias.
const QUALIFIERS: &[&str] = &[
    "ClassVar",
    "Final",
    "InitVar",
    "Required",
    "NotRequired",
    "ReadOnly",
];

/// `ClassVar`, `Final`, ...: a qualifier of a declaration, not a type.
pub fn is_qualifier(name: &str) -> bool {
    QUALIFIERS.contains(&name)
}

/// Checks expressions against the grammar, looking names up in `names`.
pub struct Check<'r, R: Resolve> {
    pub names: &'r R,
    /// String annotations nest: `"list['int']"`. Past a few levels, not a type.
    depth: u8,
}

impl<'r, R: Resolve> Check<'r, R> {
    pub fn new(names: &'r R) -> Self {
        Check { names, depth: 0 }
    }

    /// An annotation: of a parameter, a return, a variable.
    pub fn annotation(&self, expr: &Expr) -> bool {
        self.type_expression(expr)
    }

    /// The annotation of `*args`, which may also be an unpacked `*Ts`.
    pub fn vararg_annotation(&self, expr: &Expr) -> bool {
        match expr {
            Expr::Starred(starred) => self.type_expression(&starred.value),
            _ => self.type_expression(expr),
        }
    }

    /// A base class: a name or dotted name of a type, a subscript of one, or a
    /// `namedtuple("P", "x y")` whose fields are literal strings.
    pub fn base(&self, expr: &Expr) -> bool {
        match expr {
            Expr::Name(_) | Expr::Attribute(_) => self.refers_to_type(expr),
            Expr::Subscript(subscript) => self.subscript(subscript),
            Expr::Call(call) => self.namedtuple(call),
            _ => false,
        }
    }

    /// `namedtuple("P", "x y")` or `namedtuple("P", ["x", "y"])`, without other arguments.
    fn namedtuple(&self, call: &ast::ExprCall) -> bool {
        let is_string = |e: &Expr| matches!(e, Expr::StringLiteral(_));
        literal::terminal_name(&call.func)
            .is_some_and(|name| name.trim_start_matches('_') == "namedtuple")
            && self.refers_to_type(&call.func)
            && call.arguments.keywords.is_empty()
            && match &call.arguments.args[..] {
                [name, fields] if is_string(name) => match fields {
                    Expr::StringLiteral(_) => true,
                    Expr::List(list) => list.elts.iter().all(is_string),
                    Expr::Tuple(tuple) => tuple.elts.iter().all(is_string),
                    _ => false,
                },
                _ => false,
            }
    }

    /// The value of `X = ...` without an annotation, read as a type alias: a type expression
    /// that is not a string (that is a `str` constant), with no operand spelled like a
    /// constant (`FLAGS = re.I | re.M`) and no qualifier (`T = ClassVar[int]`).
    pub fn alias_value(&self, value: &Expr) -> bool {
        if matches!(value, Expr::StringLiteral(_)) || !self.type_expression(value) {
            return false;
        }
        let mut operands = Vec::new();
        union_operands(value, &mut operands);
        operands.iter().all(|operand| {
            let head = match operand {
                Expr::Subscript(subscript) => subscript.value.as_ref(),
                other => other,
            };
            literal::terminal_name(head)
                .is_none_or(|name| !looks_like_constant(name) && !QUALIFIERS.contains(&name))
        })
    }

    fn type_expression(&self, expr: &Expr) -> bool {
        match expr {
            Expr::NoneLiteral(_) => true,
            Expr::Name(_) | Expr::Attribute(_) => self.refers_to_type(expr),
            Expr::StringLiteral(string) => self.forward_reference(string),
            Expr::BinOp(binary) => {
                binary.op == ast::Operator::BitOr
                    && self.type_expression(&binary.left)
                    && self.type_expression(&binary.right)
            }
            Expr::Subscript(subscript) => self.subscript(subscript),
            _ => false,
        }
    }

    /// A string annotation: its content parsed as an expression, which must be a type.
    fn forward_reference(&self, string: &ast::ExprStringLiteral) -> bool {
        if self.depth >= 3 {
            return false;
        }
        let text = string.value.to_str();
        let Ok(parsed) = ruff_python_parser::parse_expression(text.trim()) else {
            return false;
        };
        let inner = Check {
            names: self.names,
            depth: self.depth + 1,
        };
        inner.type_expression(parsed.expr())
    }

    fn subscript(&self, subscript: &ast::ExprSubscript) -> bool {
        if !matches!(subscript.value.as_ref(), Expr::Name(_) | Expr::Attribute(_))
            || !self.refers_to_type(&subscript.value)
        {
            return false;
        }
        let arguments: Vec<&Expr> = match subscript.slice.as_ref() {
            Expr::Tuple(tuple) => tuple.elts.iter().collect(),
            other => vec![other],
        };
        match literal::terminal_name(&subscript.value).unwrap_or_default() {
            "Literal" => arguments.iter().all(|argument| self.literal(argument)),
            "Annotated" => {
                arguments.len() >= 2 && arguments.first().is_some_and(|t| self.type_expression(t))
            }
            "Callable" => {
                arguments.len() == 2
                    && self.parameters(arguments[0])
                    && self.type_expression(arguments[1])
            }
            _ => arguments.iter().all(|argument| self.argument(argument)),
        }
    }

    /// An argument of a generic: a type, `...` (`tuple[int, ...]`, a parameter
    /// specification), a list of types (parameters), or an unpacked `*Ts`.
    fn argument(&self, argument: &Expr) -> bool {
        match argument {
            Expr::EllipsisLiteral(_) => true,
            Expr::Starred(starred) => self.type_expression(&starred.value),
            Expr::List(_) => self.parameters(argument),
            other => self.type_expression(other),
        }
    }

    /// The parameters of a `Callable`: `...`, a list of types, or a parameter specification.
    fn parameters(&self, parameters: &Expr) -> bool {
        match parameters {
            Expr::EllipsisLiteral(_) => true,
            Expr::List(list) => list.elts.iter().all(|element| match element {
                Expr::Starred(starred) => self.type_expression(&starred.value),
                other => self.type_expression(other),
            }),
            other => self.type_expression(other),
        }
    }

    /// An argument of `Literal[...]`: an int, a string, bytes, a bool, `None`, an enum member,
    /// or another `Literal[...]`.
    fn literal(&self, argument: &Expr) -> bool {
        match argument {
            Expr::StringLiteral(_)
            | Expr::BytesLiteral(_)
            | Expr::BooleanLiteral(_)
            | Expr::NoneLiteral(_) => true,
            Expr::NumberLiteral(number) => matches!(number.value, ast::Number::Int(_)),
            Expr::UnaryOp(unary) => {
                unary.op == ast::UnaryOp::USub
                    && matches!(unary.operand.as_ref(), Expr::NumberLiteral(n) if matches!(n.value, ast::Number::Int(_)))
            }
            Expr::Attribute(attribute) => self.refers_to_type(&attribute.value),
            Expr::Subscript(subscript) => {
                literal::terminal_name(&subscript.value) == Some("Literal")
                    && self.subscript(subscript)
            }
            _ => false,
        }
    }

    /// A name or dotted name whose first name the stub binds to something that may be a
    /// type (a function too when it is called: `namedtuple`) (a dotted name's tail cannot be checked: `module.Class`, `Outer.Inner`).
    fn refers_to_type(&self, expr: &Expr) -> bool {
        let mut head = expr;
        while let Expr::Attribute(attribute) = head {
            head = &attribute.value;
        }
        let Expr::Name(name) = head else {
            return false;
        };
        let name = name.id.as_str();
        match self.names.kind(name) {
            Some(Kind::Type | Kind::Other) => true,
            Some(Kind::Value | Kind::Function) => false,
            None if is_builtin_type(name) => true,
            None => self.names.has_star_import(),
        }
    }
}

/// A builtin class (`int`, `ValueError`), not a builtin function or constant.
pub fn is_builtin_type(name: &str) -> bool {
    ruff_python_stdlib::builtins::is_python_builtin(name, 13, false)
        && !BUILTIN_VALUES.contains(&name)
}

/// The operands of `A | B | C`, or the expression itself.
fn union_operands<'e>(expr: &'e Expr, out: &mut Vec<&'e Expr>) {
    match expr {
        Expr::BinOp(binary) if binary.op == ast::Operator::BitOr => {
            union_operands(&binary.left, out);
            union_operands(&binary.right, out);
        }
        other => out.push(other),
    }
}

/// `VERBOSE`, `O_RDWR`, `_SRE_FLAG`: spelled like a constant, not a type (`T`, `KT`, `IO`,
/// `AnyStr` are types).
fn looks_like_constant(name: &str) -> bool {
    let name = name.trim_start_matches('_');
    let letters = name.chars().filter(char::is_ascii_alphabetic).count();
    name.chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && (letters >= 3 || name.trim_end_matches('_').contains('_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Names;
    impl Resolve for Names {
        fn kind(&self, name: &str) -> Option<Kind> {
            match name {
                "typing" | "Literal" | "Callable" | "Annotated" | "Dict" | "Tuple" | "Any"
                | "ClassVar" | "re" | "P" => Some(Kind::Other),
                "Model" | "T" => Some(Kind::Type),
                "CONSTANT" | "table" => Some(Kind::Value),
                "factory" => Some(Kind::Function),
                _ => None,
            }
        }
        fn has_star_import(&self) -> bool {
            false
        }
    }

    fn annotation(text: &str) -> bool {
        let parsed = ruff_python_parser::parse_expression(text).unwrap();
        Check::new(&Names).annotation(parsed.expr())
    }

    fn alias(text: &str) -> bool {
        let parsed = ruff_python_parser::parse_expression(text).unwrap();
        Check::new(&Names).alias_value(parsed.expr())
    }

    #[test]
    fn type_expressions_are_kept() {
        for text in [
            "int",
            "None",
            "Model",
            "typing.Dict[str, typing.Any]",
            "int | None",
            "'Model'",
            "\"list['Model']\"",
            "Callable[[int, str], None]",
            "Callable[..., T]",
            "Callable[P, T]",
            "Tuple[int, ...]",
            "tuple[()]",
            "Literal['a', 1, -2, True, None, b'x']",
            "Literal[Literal['a'], Model.RED]",
            "Annotated[int, table(1), 'anything']",
            "ClassVar[int]",
            "dict[str, list[Model]]",
            "type[Model]",
        ] {
            assert!(annotation(text), "{text} is a type");
        }
    }

    #[test]
    fn what_is_not_a_type_is_refused() {
        for text in [
            "\"(typing.Dict[str, typing.Any], typing.Dict[str, typing.Any])\"",
            "(int, str)",
            "[int]",
            "1",
            "f(x)",
            "x < y",
            "lambda: 0",
            "f'{x}'",
            "...",
            "CONSTANT",
            "factory",
            "callable",
            "any",
            "Undefined",
            "'not a type!'",
            "Literal[1.5]",
            "Literal[int]",
            "Annotated[int]",
            "Callable[1, str]",
            "dict[str, 1]",
            "table[0]",
            "CONSTANT.attribute",
            "list[int][int]",
        ] {
            assert!(!annotation(text), "{text} is no type");
        }
    }

    #[test]
    fn aliases_of_constants_and_qualifiers_are_values() {
        assert!(alias("int | None"));
        assert!(alias("Dict[str, Model]"));
        assert!(alias("T | Model"));
        assert!(!alias("re.VERBOSE | re.MULTILINE"));
        assert!(!alias("ClassVar[int]"));
        assert!(!alias("'Model'"));
        assert!(!alias("CONSTANT | Model"));
    }

    #[test]
    fn constants_are_told_from_type_variables() {
        for name in ["VERBOSE", "O_RDWR", "_SRE_FLAG_ASCII", "CO_GENERATOR"] {
            assert!(looks_like_constant(name), "{name}");
        }
        for name in ["T", "KT", "IO", "_T", "T_co", "AnyStr", "T1", "_T_"] {
            assert!(!looks_like_constant(name), "{name}");
        }
    }
}
