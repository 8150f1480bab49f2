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
/// snake_case or camelCase identifier so `bypass`, `compass` or `tokenize` do not match.
pub fn is_secret_name(name: &str) -> bool {
    matches_words(&SECRET_RE, name)
}

/// `true` when `name` names a digest, signature or token (`DIGEST_RE`), by whole words.
pub fn is_digest_name(name: &str) -> bool {
    matches_words(&DIGEST_RE, name)
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
fn split_words(name: &str) -> Vec<String> {
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
    }

    #[test]
    fn digest_names() {
        assert!(is_digest_name("signature"));
        assert!(is_digest_name("expected_sig"));
        assert!(is_digest_name("provided_checksum"));
        assert!(!is_digest_name("machine"));
        assert!(!is_digest_name("hashable"));
        assert!(!is_digest_name("design"));
    }
}
