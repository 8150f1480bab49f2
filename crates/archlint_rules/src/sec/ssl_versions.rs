//! The SSL/TLS protocol constants SEC502 and SEC503 look for.

/// Protocol versions with known attacks (SSLv2, SSLv3, TLS 1.0, TLS 1.1), as named in `ssl`
/// and pyOpenSSL; bandit's list.
pub const BAD_PROTOCOLS: &[&str] = &[
    "PROTOCOL_SSLv2",
    "SSLv2_METHOD",
    "SSLv23_METHOD",
    "PROTOCOL_SSLv3",
    "PROTOCOL_TLSv1",
    "SSLv3_METHOD",
    "TLSv1_METHOD",
    "PROTOCOL_TLSv1_1",
    "TLSv1_1_METHOD",
];

/// The protocol constant `expr` names (`ssl.PROTOCOL_TLSv1`, `SSL.TLSv1_METHOD`), if bad.
pub fn bad_protocol(expr: &ruff_python_ast::Expr) -> Option<&'static str> {
    let name = archlint_facts::literal::terminal_name(expr)?;
    BAD_PROTOCOLS.iter().find(|bad| **bad == name).copied()
}
