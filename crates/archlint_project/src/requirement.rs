//! PEP 508 requirements, parsed by `pep508_rs` behind a guard. Version 0.9.2 of the parser
//! panics (an `expect` that its own name check would match the name type's) on a name or an
//! extra that ends in `.`, `-` or `_` and is followed by more text, such as `pkg. ==1` or
//! `pkg[dev-]`, and slices a marker at a count of characters taken for a count of bytes,
//! which panics on a character outside ASCII after a marker expression
//! (`a ; os_name == "x" é`, `a ; os_name == "x" """é`). Every requirement archlint reads comes from a file a project
//! or a distribution wrote, so each goes through [`parse`], which refuses those first.

use std::str::FromStr;

use pep508_rs::{Pep508Error, Pep508ErrorSource, Requirement, VerbatimUrl};

/// Parses a PEP 508 requirement, as `Requirement::from_str` does, without its panics.
pub fn parse(text: &str) -> Result<Requirement<VerbatimUrl>, Pep508Error<VerbatimUrl>> {
    if let Some((start, message)) = bad_identifier(text).or_else(|| bad_marker(text)) {
        return Err(Pep508Error {
            message: Pep508ErrorSource::String(message),
            start,
            len: 1,
            input: text.to_string(),
        });
    }
    Requirement::from_str(text)
}

fn is_identifier_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')
}

/// The identifier at `from` (after white space) if it starts like one and ends in a
/// separator: the byte offset of its last character and the message.
fn trailing_separator(text: &str, from: usize, what: &str) -> Option<(usize, String)> {
    let rest = &text[from..];
    let start = from + (rest.len() - rest.trim_start().len());
    let identifier: &str = {
        let tail = &text[start..];
        let end = tail
            .find(|c: char| !is_identifier_char(c))
            .unwrap_or(tail.len());
        &tail[..end]
    };
    let last = identifier.chars().last()?;
    (identifier.starts_with(|c: char| c.is_ascii_alphanumeric()) && matches!(last, '.' | '-' | '_'))
        .then(|| {
            (
                start + identifier.len() - 1,
                format!("{what} must end with an alphanumeric character, not '{last}'"),
            )
        })
}

/// A character outside ASCII (white space aside) after the `;` of a marker. `pep508_rs`
/// measures the word after each marker expression in characters and slices it in bytes,
/// so any such character there may panic; quotes are no guard, since that word is not
/// parsed as a string (`os_name == "x" """é`). Marker values compare with platform strings,
/// versions and extra names, all ASCII, so nothing valid in practice is refused.
fn bad_marker(text: &str) -> Option<(usize, String)> {
    let start = text.find(';')?;
    let (i, c) = text[start..]
        .char_indices()
        .find(|(_, c)| !c.is_ascii() && !c.is_whitespace())?;
    Some((
        start + i,
        format!("Unexpected character '{c}' in the marker: markers are ASCII"),
    ))
}

/// What `pep508_rs` would panic on: the name, or an extra of the first `[...]` after it,
/// ending in a separator.
fn bad_identifier(text: &str) -> Option<(usize, String)> {
    if let Some(found) = trailing_separator(text, 0, "Package name") {
        return Some(found);
    }
    let name_start = text.len() - text.trim_start().len();
    let name_end = text[name_start..]
        .find(|c: char| !is_identifier_char(c))
        .map_or(text.len(), |i| name_start + i);
    let after = &text[name_end..];
    let bracket = name_end + (after.len() - after.trim_start().len());
    if !text[bracket..].starts_with('[') {
        return None;
    }
    let close = text[bracket..]
        .find(']')
        .map_or(text.len(), |i| bracket + i);
    let mut from = bracket + 1;
    while from < close {
        if let Some(found) = trailing_separator(&text[..close], from, "Extra name") {
            return Some(found);
        }
        from = text[from..close].find(',').map_or(close, |i| from + i + 1);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_extras_ending_in_a_separator_are_errors_not_panics() {
        // Each of these panicked inside pep508_rs 0.9.2.
        for text in [
            "ko.*mbu",
            "pkg. ==1",
            "pkg-[x]",
            "pkg_ ; python_version > '3'",
            "a[b.]",
            "a [x, y-  ,z]",
            "a[b_ c]",
        ] {
            let error = parse(text).expect_err(text);
            assert!(
                error
                    .message
                    .to_string()
                    .contains("must end with an alphanumeric character"),
                "{text}: {error}"
            );
        }
    }

    #[test]
    fn valid_requirements_still_parse() {
        for text in [
            "requests",
            "requests[socks,security]>=2.0 ; python_version < '3.12'",
            " a.b-c_d [x-y] == 1.0",
            "pkg @ https://example.com/pkg-1.0.whl",
        ] {
            assert!(parse(text).is_ok(), "{text}");
        }
        assert!(parse("a ; platform_machine == 'x86_64'\u{a0}and os_name == \"posix\"").is_ok());
        // And errors pep508_rs reports itself stay its own.
        assert!(parse("pkg.").is_err());
        assert!(parse("").is_err());
        assert!(parse("[x]").is_err());
    }

    #[test]
    fn text_after_a_marker_is_an_error_not_a_panic() {
        // pep508_rs 0.9.2 sliced the rest of the input at a character count as if it were a
        // byte count, inside a multi-byte character.
        for text in [
            "a ; python_version >= \"3.6\" 𝔘ia requests",
            "a;os_name=='x' é",
            // Found by the second campaign: quotes fooled a guard that tracked them.
            "a ; python_version >= \"3.6\" \"\"\"𝔘ia",
            "a ; python_version >= \"3.6\"'𝔘ia",
        ] {
            assert!(parse(text).is_err(), "{text}");
        }
    }
}
