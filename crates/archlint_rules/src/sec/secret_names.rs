//! Name heuristics shared by the guide's own security rules (SEC8xx): which identifiers name
//! a secret (`SECRET_RE`) and which name a digest or token that is compared (`DIGEST_RE`), as
//! the rule catalogue defines them. Each regex is compiled once.

use std::sync::LazyLock;

use regex::Regex;

/// Identifiers that hold a secret: passwords, tokens, keys, session ids, salts.
static SECRET_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(pass(wd|word|phrase)?|pwd|secret|token|api_?key|access_?key|private_?key|signing_?key|credential|session_?id|csrf|nonce|otp|salt)",
    )
    .expect("valid regex")
});

/// Identifiers that hold a digest, signature or token: what must be compared in constant time.
static DIGEST_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(sig(nature)?|digest|mac|hmac|hash|checksum|token|api_?key|secret|password|csrf|otp|nonce)",
    )
    .expect("valid regex")
});

/// Identifiers that hold a password (what a fast hash must not be used for).
static PASSWORD_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(pass(wd|word|phrase)?|pwd)").expect("valid regex"));

/// `true` when `name` names a secret (`SECRET_RE`), counting only whole words of a
/// snake_case or camelCase identifier so `bypass`, `compass` or `tokenize` do not match, and
/// not names of something about a secret (`password_length`, `token_type`, `csrf_cookie_name`).
pub fn is_secret_name(name: &str) -> bool {
    !is_metadata_name(name) && matches_words(&SECRET_RE, name)
}

/// `true` when `name` names a digest, signature or token (`DIGEST_RE`), by whole words ending
/// the identifier (`expected_signature`, `csrf_token`; not `signature_valid`, `token_type`).
pub fn is_digest_name(name: &str) -> bool {
    let words = split_words(name);
    (1..=words.len().min(3)).any(|n| {
        let tail = &words[words.len() - n..];
        full_match(&DIGEST_RE, &tail.join("_")) || full_match(&DIGEST_RE, &tail.concat())
    })
}

/// Words that make a `token` an access credential (`api_token`, `csrf_token`, `id_token`)
/// rather than a lexer's, a parser's or an ORM's token.
const CREDENTIAL_TOKEN_WORDS: &[&str] = &[
    "api",
    "access",
    "auth",
    "bearer",
    "refresh",
    "session",
    "csrf",
    "xsrf",
    "oauth",
    "jwt",
    "id",
    "reset",
    "secret",
    "private",
    "personal",
    "github",
    "gitlab",
    "slack",
    "bot",
    "app",
    "client",
    "user",
    "verification",
    "confirmation",
    "invite",
    "login",
    "magic",
    "otp",
    "device",
    "push",
    "upload",
    "password",
    "security",
    "sas",
    "pypi",
    "npm",
    "hf",
];

/// `true` when `name` says `token` without saying it is a credential: a lexer's token
/// (`token`, `token_type`, `next_token`), a path token, an ORM's identity token.
pub fn is_plain_token_name(name: &str) -> bool {
    let words = split_words(name);
    words
        .iter()
        .any(|w| matches!(w.as_str(), "token" | "tokens" | "tok"))
        && !words
            .iter()
            .any(|w| CREDENTIAL_TOKEN_WORDS.contains(&w.as_str()))
}

/// `true` when the words of `name` include one that says the code deals with secrets
/// (`generate_api_key`, `verify_token`, `check_signature`).
pub fn has_security_word(name: &str) -> bool {
    const WORDS: &[&str] = &[
        "verify",
        "validate",
        "check",
        "auth",
        "authenticate",
        "sign",
        "signature",
        "token",
        "key",
        "checksum",
        "password",
        "otp",
        "csrf",
        "hmac",
        "mac",
        "secret",
    ];
    split_words(name)
        .iter()
        .any(|w| WORDS.contains(&w.as_str()))
}

/// Names of facts about a secret rather than the secret: its type, length, name, field...
pub fn is_metadata_name(name: &str) -> bool {
    const TAILS: &[&str] = &[
        "type",
        "types",
        "len",
        "length",
        "name",
        "names",
        "field",
        "fields",
        "url",
        "urls",
        "header",
        "expiry",
        "age",
        "path",
        "file",
        "count",
        "required",
        "valid",
        "enabled",
        "min",
        "max",
        "policy",
        "changed",
        "form",
        "validator",
        "validators",
        "hasher",
        "hashers",
        "class",
        "mode",
        "format",
        "kind",
        "label",
        "help",
        "template",
        "view",
        "message",
        "error",
        "errors",
        "reset",
        "done",
        "domain",
        "samesite",
        "secure",
        "httponly",
        "timeout",
        "duration",
        "lifetime",
        "prefix",
        "storage",
        "backend",
        "generator",
        "methods",
        "method",
        "is",
        "has",
        "attr",
        "attribute",
        "key",
        "keys",
        "rounds",
        "iterations",
        "hours",
        "seconds",
        "minutes",
        "days",
        "ttl",
        "expires",
        "size",
        "bytes",
        "bits",
        "algorithm",
        "algorithms",
        "id",
        "ids",
        "index",
    ];
    let words = split_words(name);
    let Some(last) = words.last() else {
        return false;
    };
    if last == "key" || last == "keys" {
        // `secret_key`, `api_key` are secrets; `token_key` or `password_key` name a dict key.
        return words.len() < 2
            || !matches!(
                words[words.len() - 2].as_str(),
                "secret"
                    | "api"
                    | "access"
                    | "private"
                    | "signing"
                    | "hmac"
                    | "jwt"
                    | "encryption"
                    | "session"
                    | "fernet"
            );
    }
    if last == "id" && words.len() >= 2 && words[words.len() - 2] == "session" {
        return false;
    }
    TAILS.contains(&last.as_str()) || words.first().is_some_and(|w| w == "is" || w == "has")
}

fn full_match(re: &Regex, text: &str) -> bool {
    re.find(text)
        .is_some_and(|m| m.start() == 0 && m.end() == text.len())
}

/// `true` when `name` names a password, by whole words.
pub fn is_password_name(name: &str) -> bool {
    matches_words(&PASSWORD_RE, name)
}

/// Whether a match of `re` in `name` covers whole words: each match must start and end on a
/// word boundary of the identifier (`_`, a case change, a digit, or the ends).
fn matches_words(re: &Regex, name: &str) -> bool {
    let words = split_words(name);
    // Try the regex on each run of consecutive words, so `api_key` and `session_id` match.
    for start in 0..words.len() {
        let mut joined = String::new();
        for (offset, word) in words[start..].iter().enumerate() {
            if offset > 0 {
                joined.push('_');
            }
            joined.push_str(word);
            if re
                .find(&joined)
                .is_some_and(|m| m.start() == 0 && m.end() == joined.len())
            {
                return true;
            }
            // The regex allows an optional `_` (api_?key), so also try without separators.
            let glued: String = words[start..=start + offset].concat();
            if re
                .find(&glued)
                .is_some_and(|m| m.start() == 0 && m.end() == glued.len())
            {
                return true;
            }
        }
    }
    false
}

/// The lowercase words of a snake_case, camelCase or UPPER_CASE identifier.
pub fn split_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if c == '_' || c == '-' || c.is_ascii_digit() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if c.is_uppercase() && previous_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_lowercase();
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// `true` when `name` names a key that signs or encrypts (`SECRET_KEY`, `signing_key`,
/// `jwt_secret`, `hmac_key`), not a per-use token, salt or nonce.
pub fn is_signing_key_name(name: &str) -> bool {
    const WORDS: &[&str] = &[
        "secret",
        "signing",
        "hmac",
        "jwt",
        "encryption",
        "fernet",
        "private",
        "cipher",
    ];
    !is_metadata_name(name)
        && split_words(name)
            .iter()
            .any(|w| WORDS.contains(&w.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names() {
        assert!(is_secret_name("password"));
        assert!(is_secret_name("SECRET_KEY"));
        assert!(is_secret_name("api_key"));
        assert!(is_secret_name("apiKey"));
        assert!(is_secret_name("user_passwd"));
        assert!(is_secret_name("csrf_token"));
        assert!(!is_secret_name("bypass"));
        assert!(!is_secret_name("tokenize"));
        assert!(!is_secret_name("compass_heading"));
        assert!(!is_secret_name("salted_name"));
        assert!(is_secret_name("secret_key"));
        assert!(!is_secret_name("token_type"));
        assert!(!is_secret_name("password_length"));
        assert!(!is_secret_name("CSRF_COOKIE_NAME"));
        assert!(!is_secret_name("token_key"));
        assert!(is_secret_name("session_id"));
        assert!(is_secret_name("jwt_secret"));
        assert!(!is_secret_name("password_salt_rounds"));
        assert!(!is_secret_name("token_expiry_hours"));
        assert!(is_signing_key_name("hmac_key"));
        assert!(is_signing_key_name("SECRET_KEY"));
        assert!(!is_signing_key_name("api_key"));
        assert!(!is_signing_key_name("secret_key_path"));
    }

    #[test]
    fn digest_names() {
        assert!(is_digest_name("signature"));
        assert!(is_digest_name("expected_sig"));
        assert!(is_digest_name("provided_checksum"));
        assert!(!is_digest_name("machine"));
        assert!(!is_digest_name("hashable"));
        assert!(!is_digest_name("design"));
        assert!(!is_digest_name("token_type"));
        assert!(!is_digest_name("signature_valid"));
    }
}
