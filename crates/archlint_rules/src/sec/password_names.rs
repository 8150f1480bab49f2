//! Bandit's test for names that hold a password (SEC105–SEC107): `password`, `passwd`,
//! `pwd`, `token`, `secret`, `passphrase`, as the whole name or as a `_`-separated part.

use regex::Regex;
use std::sync::LazyLock;

static PASSWORD_NAME: LazyLock<Regex> = LazyLock::new(|| {
    let words = "(pas+wo?r?d|pass(phrase)?|pwd|token|secrete?)";
    Regex::new(&format!("(?i)(^{words}$|_{words}_|^{words}_|_{words}$)")).unwrap()
});

/// Whether `name` looks like it holds a password or token.
pub fn is_password_name(name: &str) -> bool {
    PASSWORD_NAME.is_match(name)
}

#[cfg(test)]
mod tests {
    use super::is_password_name;

    #[test]
    fn whole_names_and_underscore_parts() {
        for name in [
            "password",
            "PASSWD",
            "db_password",
            "api_token_value",
            "SECRET_KEY",
            "pwd",
        ] {
            assert!(is_password_name(name), "{name}");
        }
        for name in [
            "passwords_list",
            "tokenizer",
            "secretary",
            "compass",
            "user",
        ] {
            assert!(!is_password_name(name), "{name}");
        }
    }
}
