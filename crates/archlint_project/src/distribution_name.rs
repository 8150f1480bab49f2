//! Names of distributions, extras and dependency groups: PEP 503 normalisation, which makes
//! `Foo.Bar_baz` and `foo-bar-baz` the same name, and PEP 508 validity.

/// PEP 503 normalisation: lower case, runs of `-`, `_`, `.` as one `-`.
pub fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut separator = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            separator = true;
            continue;
        }
        if separator && !out.is_empty() {
            out.push('-');
        }
        separator = false;
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// A valid PEP 508 name: letters, digits, `-`, `_` and `.`, starting and ending with a
/// letter or digit.
pub fn is_valid(name: &str) -> bool {
    let bytes = name.as_bytes();
    !bytes.is_empty()
        && bytes[0].is_ascii_alphanumeric()
        && bytes[bytes.len() - 1].is_ascii_alphanumeric()
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_normalised_as_pep_503_says() {
        assert_eq!(normalize("Python_Dateutil"), "python-dateutil");
        assert_eq!(normalize("zope.interface"), "zope-interface");
        assert_eq!(normalize("a--b__c"), "a-b-c");
        assert_eq!(normalize("Foo.Bar__baz"), "foo-bar-baz");
    }

    #[test]
    fn names_are_valid_as_pep_508_says() {
        assert!(is_valid("my.package-name_2"));
        assert!(is_valid("a_b.c-1"));
        assert!(!is_valid("-bad"));
        assert!(!is_valid("bad-"));
        assert!(!is_valid(""));
    }
}
