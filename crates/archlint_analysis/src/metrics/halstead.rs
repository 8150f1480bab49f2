//! Halstead metrics as radon's `HalsteadVisitor` counts them.
//!
//! Only five kinds of node are operators: binary and unary operations, boolean chains,
//! augmented assignments and comparisons (`a < b < c` is two operators and three operands).
//! Distinct operators are told apart by their operator (`Add` in `a + b` and `x += 1` is one).
//! An operand is told apart by its value, as a Python set would: a name or attribute by its
//! text (so the name `x` and the string `"x"` are one operand), a constant by its value (`1`,
//! `1.0` and `True` are equal), and any other expression (a call, a subscript) is an operand
//! of its own. Operands are also told apart by the function they appear in, by its name (the
//! innermost `def`; two methods named `__init__` share theirs). A `def`'s decorators,
//! defaults and annotations are not visited, as radon does not.

use ruff_python_ast::visitor::{Visitor, walk_expr, walk_stmt};
use ruff_python_ast::{BoolOp, CmpOp, Expr, Number, Operator, Stmt, UnaryOp};
use rustc_hash::FxHashSet;
use serde::Serialize;

/// radon's `HalsteadReport` for a whole file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Halstead {
    pub h1: u32,
    pub h2: u32,
    #[serde(rename = "N1")]
    pub n1: u32,
    #[serde(rename = "N2")]
    pub n2: u32,
    pub vocabulary: u32,
    pub length: u32,
    pub calculated_length: f64,
    pub volume: f64,
    pub difficulty: f64,
    pub effort: f64,
    pub time: f64,
    pub bugs: f64,
}

impl Halstead {
    fn from_counts(h1: u32, h2: u32, n1: u32, n2: u32) -> Halstead {
        let vocabulary = h1 + h2;
        let length = n1 + n2;
        let calculated_length = if h1 > 0 && h2 > 0 {
            f64::from(h1) * f64::from(h1).log2() + f64::from(h2) * f64::from(h2).log2()
        } else {
            0.0
        };
        let volume = if vocabulary > 0 {
            f64::from(length) * f64::from(vocabulary).log2()
        } else {
            0.0
        };
        let difficulty = if h2 > 0 {
            f64::from(h1) * f64::from(n2) / f64::from(2 * h2)
        } else {
            0.0
        };
        let effort = difficulty * volume;
        Halstead {
            h1,
            h2,
            n1,
            n2,
            vocabulary,
            length,
            calculated_length,
            volume,
            difficulty,
            effort,
            time: effort / 18.0,
            bugs: volume / 3000.0,
        }
    }
}

/// Counts a module's operators and operands.
pub fn count(body: &[Stmt]) -> Halstead {
    let mut counter = Counter::default();
    counter.visit_body(body);
    Halstead::from_counts(
        counter.operators_seen.len() as u32,
        counter.operands_seen.len() as u32,
        counter.operators,
        counter.operands,
    )
}

/// An operand as a Python set tells it apart.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Operand<'a> {
    /// A name, an attribute or a `str` constant.
    Text(&'a str),
    Bytes(Vec<u8>),
    /// An integer, or a float or complex number equal to one (`2.0`, `True`).
    Int(i64),
    /// An integer too large for `i64`, as written.
    BigInt(String),
    Float(u64),
    Complex(u64, u64),
    None,
    Ellipsis,
    /// Any other expression: an operand of its own.
    Node(usize),
}

#[derive(Default)]
struct Counter<'a> {
    operators: u32,
    operands: u32,
    operators_seen: FxHashSet<&'static str>,
    operands_seen: FxHashSet<(Option<&'a str>, Operand<'a>)>,
    /// The innermost function's name.
    context: Option<&'a str>,
    nodes: usize,
}

impl<'a> Counter<'a> {
    fn operator(&mut self, name: &'static str, operands: impl IntoIterator<Item = &'a Expr>) {
        self.operators += 1;
        self.operators_seen.insert(name);
        for operand in operands {
            self.operands += 1;
            let key = self.operand(operand);
            self.operands_seen.insert((self.context, key));
        }
    }

    fn operand(&mut self, expr: &'a Expr) -> Operand<'a> {
        match expr {
            Expr::Name(name) => Operand::Text(name.id.as_str()),
            Expr::Attribute(attribute) => Operand::Text(attribute.attr.as_str()),
            Expr::StringLiteral(string) => Operand::Text(string.value.to_str()),
            Expr::BytesLiteral(bytes) => Operand::Bytes(bytes.value.bytes().collect()),
            Expr::BooleanLiteral(boolean) => Operand::Int(i64::from(boolean.value)),
            Expr::NoneLiteral(_) => Operand::None,
            Expr::EllipsisLiteral(_) => Operand::Ellipsis,
            Expr::NumberLiteral(number) => match &number.value {
                Number::Int(int) => match int.as_i64() {
                    Some(value) => Operand::Int(value),
                    None => Operand::BigInt(int.to_string()),
                },
                Number::Float(value) => real(*value),
                Number::Complex { real: re, imag } if *imag == 0.0 => real(*re),
                Number::Complex { real: re, imag } => {
                    Operand::Complex(normal_bits(*re), normal_bits(*imag))
                }
            },
            _ => {
                self.nodes += 1;
                Operand::Node(self.nodes)
            }
        }
    }
}

/// A float as Python compares it with other numbers.
fn real<'a>(value: f64) -> Operand<'a> {
    if value.fract() == 0.0 && value.abs() < 9.0e18 {
        Operand::Int(value as i64)
    } else {
        Operand::Float(normal_bits(value))
    }
}

/// The bits of a float, with `-0.0` as `0.0`.
fn normal_bits(value: f64) -> u64 {
    if value == 0.0 { 0 } else { value.to_bits() }
}

impl<'a> Visitor<'a> for Counter<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(def) => {
                let outer = self.context.replace(def.name.as_str());
                self.visit_body(&def.body);
                self.context = outer;
                return;
            }
            Stmt::AugAssign(assign) => self.operator(
                operator_name(assign.op),
                [assign.target.as_ref(), assign.value.as_ref()],
            ),
            _ => {}
        }
        walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::BinOp(binary) => self.operator(
                operator_name(binary.op),
                [binary.left.as_ref(), binary.right.as_ref()],
            ),
            Expr::UnaryOp(unary) => {
                let name = match unary.op {
                    UnaryOp::Invert => "Invert",
                    UnaryOp::Not => "Not",
                    UnaryOp::UAdd => "UAdd",
                    UnaryOp::USub => "USub",
                };
                self.operator(name, [unary.operand.as_ref()]);
            }
            Expr::BoolOp(boolean) => {
                let name = match boolean.op {
                    BoolOp::And => "And",
                    BoolOp::Or => "Or",
                };
                self.operator(name, &boolean.values);
            }
            Expr::Compare(compare) => {
                // One operator per comparison, each counted (radon adds `len(ops)`).
                for op in &compare.ops {
                    self.operators += 1;
                    self.operators_seen.insert(comparison_name(*op));
                }
                for operand in compare
                    .comparators
                    .iter()
                    .chain(std::iter::once(compare.left.as_ref()))
                {
                    self.operands += 1;
                    let key = self.operand(operand);
                    self.operands_seen.insert((self.context, key));
                }
            }
            _ => {}
        }
        walk_expr(self, expr);
    }
}

fn operator_name(op: Operator) -> &'static str {
    match op {
        Operator::Add => "Add",
        Operator::Sub => "Sub",
        Operator::Mult => "Mult",
        Operator::MatMult => "MatMult",
        Operator::Div => "Div",
        Operator::Mod => "Mod",
        Operator::Pow => "Pow",
        Operator::LShift => "LShift",
        Operator::RShift => "RShift",
        Operator::BitOr => "BitOr",
        Operator::BitXor => "BitXor",
        Operator::BitAnd => "BitAnd",
        Operator::FloorDiv => "FloorDiv",
    }
}

fn comparison_name(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Eq => "Eq",
        CmpOp::NotEq => "NotEq",
        CmpOp::Lt => "Lt",
        CmpOp::LtE => "LtE",
        CmpOp::Gt => "Gt",
        CmpOp::GtE => "GtE",
        CmpOp::Is => "Is",
        CmpOp::IsNot => "IsNot",
        CmpOp::In => "In",
        CmpOp::NotIn => "NotIn",
    }
}
