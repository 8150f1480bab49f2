//! Bandit's test for names that hold a password (SEC105–SEC107): `password`, `passwd`,
//! `pwd`, `token`, `secret`, `passphrase`, as the whole name or as a `_`-separated part; and
//! the narrowing archlint adds so that what is flagged is a credential written in the code.

use regex::Regex;
use std::sync::LazyLock;

use super::secret_names::{is_metadata_name, is_plain_token_name, split_words};

static PASSWORD_NAME: LazyLock<Regex> = LazyLock::new(|| {
    let words = "(pas+wo?r?d|pass(phrase)?|pwd|token|secrete?)";
    Regex::new(&format!("(?i)(^{words}$|_{words}_|^{words}_|_{words}$)")).unwrap()
});

/// Whether `name` looks like it holds a password or token (bandit's test).
pub fn is_password_name(name: &str) -> bool {
    PASSWORD_NAME.is_match(name)
}

/// Words that may follow the secret word in a name that still holds the secret
/// (`api_token_value`, `SECRET_KEY`, `password_hash`).
const VALUE_WORDS: &[&str] = &[
    "value", "val", "str", "string", "text", "plain", "raw", "key",
];

/// Whether `value` stored in, passed as or compared with `name` is a credential written in the
/// code. Narrower than bandit, which flags every non-empty string: not names about a secret
/// (`token_type`, `password_field`) or that only start with one (`pass_arg`), not a lexer's or
/// an ORM's `token` unless the value looks generated, and not prompts, templates or
/// one-character markers.
pub fn is_hardcoded_credential(name: &str, value: &str) -> bool {
    if !is_password_name(name) || is_metadata_name(name) {
        return false;
    }
    let words = split_words(name);
    let Some(secret) = words.iter().position(|w| {
        matches!(
            w.as_str(),
            "password"
                | "passwd"
                | "passwrd"
                | "pwd"
                | "pass"
                | "passphrase"
                | "secret"
                | "secrete"
                | "token"
        )
    }) else {
        return false;
    };
    if words
        .get(secret + 1)
        .is_some_and(|next| !VALUE_WORDS.contains(&next.as_str()))
    {
        return false;
    }
    let value = value.trim();
    let looks_like_text = value.chars().count() < 2
        || value.contains(['{', '}'])
        || value.contains("%(")
        || value.contains("%s")
        || value.ends_with(':')
        || value.contains(char::is_whitespace);
    if looks_like_text {
        return false;
    }
    !is_plain_token_name(name) || looks_generated(value)
}

/// A value long and mixed enough to be a generated token (`ghp_1a2B…`), not a word.
fn looks_generated(value: &str) -> bool {
    value.len() >= 16
        && value.chars().any(|c| c.is_ascii_digit())
        && value.chars().any(|c| c.is_ascii_alphabetic())
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

    #[test]
    fn credentials_not_names_about_them_nor_lexer_tokens() {
        use super::is_hardcoded_credential;
        for (name, value) in [
            ("password", "hunter2"),
            ("DB_PASSWORD", "admin"),
            ("SECRET_KEY", "django-insecure-4f9"),
            ("api_token", "abc123"),
            ("token", "ghp_16C7e42F292c6912E7710c838347Ae178B4a"),
        ] {
            assert!(is_hardcoded_credential(name, value), "{name} = {value:?}");
        }
        for (name, value) in [
            ("token_type", "name"),
            ("token", "eof"),
            ("_WILDCARD_TOKEN", "*"),
            ("default_metavalue_token", "DEFAULT"),
            ("pass_arg", "context"),
            ("password_field", "password"),
            ("password", "Password: "),
            ("password", "{user}:{password}"),
            ("secret", "\u{3299}"),
        ] {
            assert!(!is_hardcoded_credential(name, value), "{name} = {value:?}");
        }
    }
}
