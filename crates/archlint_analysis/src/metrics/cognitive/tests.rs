// Expected values are what complexipy 8.3.0 reports for each snippet (name, line, score).
use super::*;

/// A function as complexipy names it.
struct ReportedFunction<'a> {
    /// `name`, or `Class::name` / `Outer::Inner::name` for methods.
    name: String,
    def: &'a ast::StmtFunctionDef,
}

/// The functions complexipy scores (its selection, to compare with its report) in a module, in its order, with its names.
/// Ignore comments are not looked at.
fn reported_functions(suite: &[Stmt]) -> Vec<ReportedFunction<'_>> {
    let mut out = Vec::new();
    for stmt in suite {
        collect_reported(stmt, None, &mut out);
    }
    out
}

fn collect_reported<'a>(stmt: &'a Stmt, class: Option<&str>, out: &mut Vec<ReportedFunction<'a>>) {
    let qualify = |name: &str| match class {
        Some(class) => format!("{class}::{name}"),
        None => name.to_string(),
    };
    match stmt {
        Stmt::FunctionDef(def) => out.push(ReportedFunction {
            name: qualify(def.name.as_str()),
            def,
        }),
        Stmt::ClassDef(class_def) => {
            let name = qualify(class_def.name.as_str());
            for child in &class_def.body {
                collect_reported(child, Some(&name), out);
            }
        }
        // why: complexipy looks for definitions under every compound
        // statement of the module or class body, but never inside functions.
        other => {
            for_each_block(other, |block| {
                for child in block {
                    collect_reported(child, class, out);
                }
            });
        }
    }
}

/// Calls `f` on each statement block of a compound statement that
/// complexipy searches for definitions.
fn for_each_block<'a>(stmt: &'a Stmt, mut f: impl FnMut(&'a [Stmt])) {
    match stmt {
        Stmt::If(s) => {
            f(&s.body);
            for clause in &s.elif_else_clauses {
                f(&clause.body);
            }
        }
        Stmt::For(s) => {
            f(&s.body);
            f(&s.orelse);
        }
        Stmt::While(s) => {
            f(&s.body);
            f(&s.orelse);
        }
        Stmt::Try(s) => {
            f(&s.body);
            for handler in &s.handlers {
                let ast::ExceptHandler::ExceptHandler(handler) = handler;
                f(&handler.body);
            }
            f(&s.orelse);
            f(&s.finalbody);
        }
        Stmt::With(s) => f(&s.body),
        Stmt::Match(s) => {
            for case in &s.cases {
                f(&case.body);
            }
        }
        _ => {}
    }
}

/// (name, line, score) of each function complexipy reports.
type Expected = &'static [(&'static str, u32, u32)];

#[rustfmt::skip]
const CASES: &[(&str, &str, Expected)] = &[
    ("empty", "\ndef f():\n    pass\n", &[("f", 2, 0)]),
    ("if_simple", "\ndef f(a):\n    if a:\n        return 1\n", &[("f", 2, 1)]),
    ("if_elif_else", "\ndef f(a):\n    if a == 1:\n        x = 1\n    elif a == 2:\n        x = 2\n    elif a == 3:\n        x = 3\n    else:\n        x = 4\n", &[("f", 2, 4)]),
    ("nested_if", "\ndef f(a, b, c):\n    if a:\n        if b:\n            if c:\n                pass\n            else:\n                pass\n        elif c:\n            pass\n", &[("f", 2, 8)]),
    ("if_in_else_nesting", "\ndef f(a, b):\n    if a:\n        pass\n    else:\n        if b:\n            pass\n", &[("f", 2, 4)]),
    ("bool_same", "def f(a, b, c):\n    return a and b and c\n", &[("f", 1, 1)]),
    ("bool_mixed", "def f(a, b, c):\n    return a and b or c\n", &[("f", 1, 2)]),
    ("bool_mixed2", "def f(a, b, c, d):\n    return a or b and c or d\n", &[("f", 1, 2)]),
    ("bool_alternating", "def f(a, b, c, d, e):\n    return a and b or c and d or e\n", &[("f", 1, 3)]),
    ("bool_not", "def f(a, b, c):\n    return a and not (b and c)\n", &[("f", 1, 2)]),
    ("bool_not_same", "def f(a, b, c):\n    return not (a and b)\n", &[("f", 1, 1)]),
    ("bool_not_plain", "def f(a):\n    return not a\n", &[("f", 1, 0)]),
    ("bool_paren_same", "def f(a, b, c, d):\n    return a and (b and (c or d))\n", &[("f", 1, 2)]),
    ("bool_in_if", "\ndef f(a, b, c):\n    if a and b or c:\n        pass\n    elif a or b:\n        pass\n", &[("f", 2, 5)]),
    ("bool_in_compare", "def f(a, b, c):\n    return (a or b) == (b and c)\n", &[("f", 1, 2)]),
    ("bool_in_call_arg", "def f(a, b):\n    g(a or b)\n", &[("f", 1, 1)]),
    ("bool_in_call_kwarg", "def f(a, b):\n    g(x=a or b)\n", &[("f", 1, 0)]),
    ("bool_in_method_call", "def f(a, b):\n    obj.g(a or b)\n", &[("f", 1, 1)]),
    ("bool_in_callee", "def f(a, b):\n    (a or b)()\n", &[("f", 1, 0)]),
    ("bool_in_binop", "def f(a, b):\n    return (a or b) + 1\n", &[("f", 1, 0)]),
    ("bool_in_subscript", "def f(a, b):\n    return x[a or b]\n", &[("f", 1, 0)]),
    ("bool_in_attribute", "def f(a, b):\n    return (a or b).x\n", &[("f", 1, 0)]),
    ("bool_in_await", "async def f(a, b):\n    return await g(a or b)\n", &[("f", 1, 0)]),
    ("bool_in_walrus", "def f(a, b):\n    if (y := a or b):\n        pass\n", &[("f", 1, 1)]),
    ("bool_in_fstring", "def f(a, b):\n    return f'{a or b}'\n", &[("f", 1, 0)]),
    ("bool_in_starred", "def f(a, b):\n    g(*(a or b))\n", &[("f", 1, 0)]),
    ("bool_in_tuple_list_set", "def f(a, b):\n    return (a or b, [a and b], {a or b})\n", &[("f", 1, 3)]),
    ("bool_in_dict", "def f(a, b):\n    return {a or b: a and b, **(a or b)}\n", &[("f", 1, 2)]),
    ("bool_in_yield", "def f(a, b):\n    yield a or b\n", &[("f", 1, 0)]),
    ("bool_in_assign_forms", "\ndef f(a, b):\n    x = a or b\n    x += a and b\n    y: int = a or b\n    z: int\n", &[("f", 2, 3)]),
    ("bool_in_raise_assert", "\ndef f(a, b):\n    assert a or b, a and b\n    raise E(a or b) from (a and b)\n", &[("f", 2, 4)]),
    ("bool_in_del_global", "\ndef f(a, b):\n    global q\n    del x[a or b]\n    import os\n", &[("f", 2, 0)]),
    ("ternary", "def f(a):\n    return 1 if a else 2\n", &[("f", 1, 1)]),
    ("ternary_chain", "def f(a, b):\n    return 1 if a else 2 if b else 3\n", &[("f", 1, 3)]),
    ("ternary_in_test", "def f(a, b):\n    return 1 if (a if b else c) else 2\n", &[("f", 1, 2)]),
    ("ternary_nested_if", "\ndef f(a, b):\n    if a:\n        x = 1 if b else 2\n", &[("f", 2, 3)]),
    ("ternary_in_elif_test", "\ndef f(a, b):\n    if a:\n        if b:\n            pass\n        elif (1 if a else 2):\n            pass\n", &[("f", 2, 6)]),
    ("ternary_bool", "def f(a, b, c):\n    return (a and b) if c else (a or b)\n", &[("f", 1, 3)]),
    ("ternary_in_bool", "def f(a, b, c):\n    return a and (b if c else a)\n", &[("f", 1, 1)]),
    ("for_simple", "def f(xs):\n    for x in xs:\n        print(x)\n", &[("f", 1, 1)]),
    ("for_else", "\ndef f(xs):\n    for x in xs:\n        if x:\n            break\n    else:\n        if xs:\n            pass\n", &[("f", 2, 4)]),
    ("while_else_continue", "\ndef f(a):\n    while a and b:\n        if a:\n            continue\n        a -= 1\n    else:\n        pass\n", &[("f", 2, 4)]),
    ("async_for_with", "\nasync def f(xs, a, b):\n    async for x in xs:\n        async with g(a or b) as c:\n            if c:\n                pass\n", &[("f", 2, 4)]),
    ("nested_loops", "\ndef f(xs):\n    for x in xs:\n        for y in x:\n            while y:\n                if y:\n                    pass\n", &[("f", 2, 10)]),
    ("for_iter_scored", "def f(a, b):\n    for x in (a or b):\n        pass\n", &[("f", 1, 2)]),
    ("try_except", "\ndef f():\n    try:\n        if a:\n            pass\n    except ValueError:\n        if b:\n            pass\n    except (TypeError, KeyError):\n        pass\n    else:\n        if c:\n            pass\n    finally:\n        if d:\n            pass\n", &[("f", 2, 7)]),
    ("try_finally_only", "\ndef f():\n    try:\n        pass\n    finally:\n        pass\n", &[("f", 2, 0)]),
    ("nested_try", "\ndef f():\n    for x in y:\n        try:\n            pass\n        except E:\n            try:\n                pass\n            except E:\n                pass\n", &[("f", 2, 6)]),
    ("except_star", "\ndef f():\n    try:\n        pass\n    except* ValueError:\n        if a:\n            pass\n", &[("f", 2, 3)]),
    ("with_nesting", "\ndef f(a):\n    with open(a) as fh:\n        with g():\n            if a:\n                pass\n", &[("f", 2, 1)]),
    ("with_ternary", "def f(a):\n    with (x if a else y):\n        pass\n", &[("f", 1, 1)]),
    ("match", "\ndef f(cmd):\n    match cmd:\n        case 1:\n            pass\n        case [x, y] if x or y:\n            if x:\n                pass\n        case _:\n            pass\n", &[("f", 2, 3)]),
    ("match_nested", "\ndef f(cmd):\n    for c in cmd:\n        match c:\n            case 1:\n                if c:\n                    pass\n", &[("f", 2, 6)]),
    ("lambda_assign", "def f(a, b):\n    g = lambda x: x if a else b\n", &[("f", 1, 2)]),
    ("lambda_arg", "def f(a, b):\n    sorted(x, key=lambda x: x if a else b)\n", &[("f", 1, 0)]),
    ("lambda_pos_arg", "def f(a, b):\n    h(lambda x: x if a else b)\n", &[("f", 1, 2)]),
    ("lambda_bool", "def f(a, b):\n    g = lambda x: a and b\n", &[("f", 1, 1)]),
    ("lambda_in_if", "\ndef f(a, b):\n    if a:\n        g = lambda x: 1 if x else 2\n", &[("f", 2, 4)]),
    ("listcomp", "def f(xs):\n    return [x for x in xs]\n", &[("f", 1, 1)]),
    ("listcomp_if", "def f(xs):\n    return [x for x in xs if x if x > 1]\n", &[("f", 1, 3)]),
    ("listcomp_nested_gen", "def f(xs):\n    return [y for x in xs for y in x if y]\n", &[("f", 1, 3)]),
    ("comp_in_if", "\ndef f(xs):\n    if xs:\n        return [x for x in xs if x and x > 1]\n", &[("f", 2, 5)]),
    ("comp_elt_ternary", "def f(xs):\n    return [1 if x else 2 for x in xs]\n", &[("f", 1, 3)]),
    ("comp_nested_comp", "def f(xs):\n    return [[y for y in x] for x in xs]\n", &[("f", 1, 3)]),
    ("comp_filter_ternary", "def f(xs):\n    return [x for x in xs if (1 if x else 0)]\n", &[("f", 1, 4)]),
    ("genexp_call", "def f(xs):\n    return any(x for x in xs if x)\n", &[("f", 1, 2)]),
    ("setcomp_dictcomp", "def f(xs):\n    return {x for x in xs}, {k: (1 if v else 2) for k, v in xs if k}\n", &[("f", 1, 5)]),
    ("comp_kwarg", "def f(xs):\n    g(y=[x for x in xs])\n", &[("f", 1, 0)]),
    ("comp_in_iter", "def f(xs):\n    for x in [y for y in xs if y]:\n        pass\n", &[("f", 1, 3)]),
    ("recursion", "def f(n):\n    if n:\n        return f(n - 1)\n    return f(0)\n", &[("f", 1, 2)]),
    ("recursion_method", "class C:\n    def m(self):\n        return self.m()\n    def n(self):\n        return n()\n", &[("C::m", 2, 0), ("C::n", 4, 1)]),
    ("recursion_in_nested", "def f():\n    def g():\n        return f()\n    return g\n", &[("f", 1, 0)]),
    ("recursion_nested_body", "def f():\n    x = 1\n    def g():\n        return f()\n    return g()\n", &[("f", 1, 0)]),
    ("recursion_lambda", "def f():\n    return lambda: f()\n", &[("f", 1, 0)]),
    ("recursion_in_kwarg", "def f(a):\n    return g(x=f(a))\n", &[("f", 1, 1)]),
    ("recursion_in_default", "def f(a=f()):\n    pass\n", &[("f", 1, 0)]),
    ("recursion_in_comp", "def f(a):\n    return [f(x) for x in a]\n", &[("f", 1, 2)]),
    ("recursion_in_fstring", "def f(a):\n    return f'{f(a)}'\n", &[("f", 1, 1)]),
    ("recursion_nested_class", "def f(a):\n    class C:\n        x = f(a)\n    return C\n", &[("f", 1, 0)]),
    ("nested_function", "\ndef f(a):\n    x = 1\n    def g(b):\n        if b:\n            pass\n    return g\n", &[("f", 2, 2)]),
    ("nested_function_deep", "\ndef f(a):\n    x = 1\n    def g(b):\n        def h(c):\n            if c:\n                pass\n        if b:\n            pass\n        return h\n    return g\n", &[("f", 2, 5)]),
    ("nested_in_if", "\ndef f(a):\n    if a:\n        def g(b):\n            if b:\n                pass\n    return 1\n", &[("f", 2, 3)]),
    ("decorator_shape", "\ndef deco(fn):\n    def wrapper(*args):\n        if args:\n            for a in args:\n                pass\n        return fn(*args)\n    return wrapper\n", &[("deco", 2, 3)]),
    ("decorator_shape_docstring", "\ndef deco(fn):\n    '''Doc.'''\n    def wrapper(*args):\n        if args:\n            pass\n    return wrapper\n", &[("deco", 2, 2)]),
    ("decorator_shape_return_bool", "\ndef deco(fn):\n    def wrapper(*args):\n        if args:\n            pass\n    return wrapper if fn else (fn or wrapper)\n", &[("deco", 2, 1)]),
    ("decorator_shape_double", "\ndef deco(arg):\n    def outer(fn):\n        def wrapper(*args):\n            if args:\n                pass\n        return wrapper\n    return outer\n", &[("deco", 2, 1)]),
    ("decorator_shape_recursion", "\ndef deco(fn):\n    def wrapper(*args):\n        return deco(fn)\n    return deco(wrapper)\n", &[("deco", 2, 1)]),
    ("decorator_shape_nested", "\ndef f(a):\n    x = 1\n    def deco(fn):\n        def wrapper(*args):\n            if args:\n                pass\n        return wrapper\n    return deco\n", &[("f", 2, 2)]),
    ("class_in_function", "\ndef f(a):\n    class C:\n        y = 1 if a else 2\n        def m(self):\n            if a:\n                pass\n        class D:\n            def n(self):\n                if a:\n                    pass\n    return C\n", &[("f", 2, 1)]),
    ("class_in_function_in_if", "\ndef f(a):\n    if a:\n        class C:\n            def m(self):\n                if a:\n                    pass\n", &[("f", 2, 3)]),
    ("decorated", "\nimport functools\n@functools.wraps(lambda: 1 if a else 2)\n@other(a or b)\ndef f(a=1 if x else 2) -> (int if x else str):\n    if a:\n        pass\n", &[("f", 3, 1)]),
    ("methods", "\nclass A:\n    x = 1 if a else 2\n    def m(self):\n        if self:\n            pass\n    @property\n    def p(self):\n        return self.x or 1\n    class B:\n        def n(self):\n            for i in x:\n                pass\n    if cond:\n        def cond_m(self):\n            pass\n    else:\n        class E:\n            def q(self):\n                pass\n", &[("A::m", 4, 1), ("A::p", 7, 1), ("A::B::n", 11, 1), ("A::cond_m", 15, 0), ("A::E::q", 19, 0)]),
    ("module_blocks", "\nif a:\n    def f():\n        if b:\n            pass\n    class C:\n        def m(self):\n            pass\ntry:\n    def g():\n        pass\nexcept E:\n    def g():\n        if a:\n            pass\nfor i in x:\n    def h():\n        pass\nwhile y:\n    def k():\n        pass\nwith z:\n    def w():\n        pass\nmatch q:\n    case 1:\n        def mm():\n            pass\n", &[("f", 3, 1), ("C::m", 7, 0), ("g", 10, 0), ("g", 13, 1), ("h", 17, 0), ("k", 20, 0), ("w", 23, 0), ("mm", 27, 0)]),
    ("async_def", "\nasync def f(xs):\n    async for x in xs:\n        await g(x or y)\n", &[("f", 2, 1)]),
    ("break_continue", "\ndef f(xs):\n    for x in xs:\n        if x:\n            break\n        if not x:\n            continue\n", &[("f", 2, 5)]),
    ("deep_elif_nesting", "\ndef f(a, b, c):\n    for x in a:\n        if b:\n            pass\n        elif c:\n            for y in b:\n                if y and c:\n                    pass\n                elif y:\n                    pass\n                else:\n                    pass\n", &[("f", 2, 14)]),
    ("return_in_loop_bool", "\ndef f(xs):\n    for x in xs:\n        if x:\n            return x and xs or None\n", &[("f", 2, 5)]),
    ("compare_ternary", "def f(a):\n    return a == (1 if a else 2) < (3 if a else 4)\n", &[("f", 1, 2)]),
    ("call_positional_ternary", "def f(a):\n    g(1 if a else 2, h(3 if a else 4), k=5 if a else 6)\n", &[("f", 1, 2)]),
    ("yield_ternary", "def f(a):\n    yield 1 if a else 2\n", &[("f", 1, 0)]),
    ("except_type_and_match_subject", "\ndef f(a, b):\n    try:\n        pass\n    except (E if a else F) as e:\n        pass\n    match (a or b):\n        case 1:\n            pass\n", &[("f", 2, 2)]),
    ("decorator_shape_method", "\nclass C:\n    def m(self):\n        def inner():\n            if self:\n                pass\n        return inner\n", &[("C::m", 3, 1)]),
    ("type_alias", "def f(a):\n    type X = int\n    return a\n", &[("f", 1, 0)]),
];

fn line_of(source: &str, offset: usize) -> u32 {
    // complexipy's line breaks: "\n", "\r\n" and a lone "\r".
    let bytes = source.as_bytes();
    let mut line = 1;
    let mut i = 0;
    while i < offset.min(bytes.len()) {
        match bytes[i] {
            b'\n' => line += 1,
            b'\r' if bytes.get(i + 1) != Some(&b'\n') => line += 1,
            _ => {}
        }
        i += 1;
    }
    line
}

#[test]
fn functions_match_complexipy() {
    let mut failures = Vec::new();
    for (label, code, expected) in CASES {
        let parsed = ruff_python_parser::parse_module(code).expect("snippet parses");
        let got: Vec<(String, u32, u32)> = reported_functions(parsed.suite())
            .iter()
            .map(|f| {
                let start = usize::from(ruff_text_size::Ranged::start(f.def));
                (
                    f.name.clone(),
                    line_of(code, start),
                    cognitive_complexity(f.def),
                )
            })
            .collect();
        let want: Vec<(String, u32, u32)> = expected
            .iter()
            .map(|(n, l, s)| (n.to_string(), *l, *s))
            .collect();
        if got != want {
            failures.push(format!("{label}: got {got:?}, complexipy {want:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn deep_operator_chain_does_not_overflow() {
    // A long left-leaning `+` chain is deep in the AST; the recursion search
    // walks it with an explicit stack.
    let mut code = String::from("def f():\n    x = 1");
    for _ in 0..3000 {
        code.push_str(" + 1");
    }
    code.push_str("\n    return f()\n");
    let parsed = ruff_python_parser::parse_module(&code).expect("parses");
    let Some(Stmt::FunctionDef(def)) = parsed.suite().first() else {
        panic!("no def")
    };
    assert_eq!(cognitive_complexity(def), 1);
}
