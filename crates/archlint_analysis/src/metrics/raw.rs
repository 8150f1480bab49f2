//! Raw metrics counted as radon's `raw` module counts them: loc, lloc, sloc, comments,
//! multi-line strings, blank lines and single-line comments.
//!
//! radon does not walk the syntax tree for these. It strips every line, then tokenizes the
//! shortest run of stripped lines that Python 3.11's `tokenize` accepts (a statement, or a
//! string or bracket spanning lines), and classifies each run by its tokens. Its figures have
//! quirks a faithful count keeps: `x = {1: 2}` is two logical lines (a `:` that does not end
//! the run counts as a compound statement), lines are split wherever `str.splitlines` splits
//! (a form feed starts a line), and a string alone on its lines is a docstring wherever it
//! is. The tokenizer below knows only what that classification needs: comments, strings
//! and where they start and end, `:`, `;`, brackets and line continuations.

use serde::Serialize;

/// The raw metrics of one file (radon's `Module` tuple; `sloc + multi + single_comments +
/// blank == loc`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RawMetrics {
    pub loc: u32,
    pub lloc: u32,
    pub sloc: u32,
    pub comments: u32,
    pub multi: u32,
    pub blank: u32,
    pub single_comments: u32,
}

/// Counts `source` as radon does (`radon raw`). Where radon gives up (a run of lines that
/// never tokenizes, as when a form feed splits a string literal in two), the rest of the file
/// counts as code.
pub fn count(source: &str) -> RawMetrics {
    let lines: Vec<&str> = split_lines(source).map(strip).collect();
    let mut metrics = RawMetrics::default();
    let mut index = 0;
    while index < lines.len() {
        let start = index;
        let mut tokenizer = Tokenizer::default();
        // The state before the run's last line: the next line makes it a line with a newline.
        let mut before_last = tokenizer.clone();
        tokenizer.line(lines[index], false);
        while !tokenizer.complete() {
            index += 1;
            let Some(next) = lines.get(index) else {
                tokenizer.tokens.push(Token::End);
                break;
            };
            tokenizer = before_last;
            tokenizer.line(lines[index - 1], true);
            before_last = tokenizer.clone();
            tokenizer.line(next, false);
        }
        index += 1;
        metrics.add_run(&lines[start..index.min(lines.len())], &tokenizer.tokens);
    }
    metrics.loc = metrics.sloc + metrics.blank + metrics.multi + metrics.single_comments;
    metrics
}

impl RawMetrics {
    fn add_run(&mut self, lines: &[&str], tokens: &[Token]) {
        self.comments += tokens.iter().filter(|t| **t == Token::Comment).count() as u32;
        let nonblank = lines.iter().filter(|l| !l.is_empty()).count() as u32;
        let blank = lines.len() as u32 - nonblank;
        match tokens {
            [Token::Comment, Token::End] => self.single_comments += 1,
            [Token::String { multiline }, Token::End] => {
                if *multiline {
                    self.multi += nonblank;
                    self.blank += blank;
                } else {
                    self.single_comments += 1;
                }
            }
            _ => {
                self.sloc += nonblank;
                self.blank += blank;
            }
        }
        self.lloc += logical_lines(tokens);
    }
}

/// radon's `_logical`: each `;`-separated part is no logical line when it holds nothing, one
/// when it has no `:` or ends with its last `:` (`if x:`), and two otherwise (`if x: y`,
/// and also `d = {1: 2}`).
fn logical_lines(tokens: &[Token]) -> u32 {
    tokens
        .split(|t| *t == Token::Semicolon)
        .map(|part| {
            let part: Vec<&Token> = part.iter().filter(|t| **t != Token::Comment).collect();
            match part.iter().rposition(|t| **t == Token::Colon) {
                // radon assumes the part ends with the end marker, which only the last does.
                Some(colon) => 2 - u32::from(colon + 2 == part.len()),
                None => u32::from(part.iter().any(|t| **t != Token::End)),
            }
        })
        .sum()
}

/// The tokens radon's classification looks at; newlines are left out (radon skips them
/// wherever it looks).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token {
    Comment,
    String { multiline: bool },
    Colon,
    Semicolon,
    Other,
    End,
}

/// Python 3.11's `tokenize`, reduced to what the counts need, fed one line at a time.
#[derive(Clone, Default)]
struct Tokenizer {
    tokens: Vec<Token>,
    brackets: i32,
    /// A backslash ended the last line.
    continued: bool,
    /// Inside a string that started on an earlier line.
    open_string: Option<OpenString>,
    /// `tokenize` gave an error token (a stray character, a string left open on its line).
    error: bool,
}

#[derive(Clone, Copy)]
struct OpenString {
    quote: u8,
    triple: bool,
}

impl Tokenizer {
    /// Whether `tokenize` accepts the lines so far as a whole (the last one without newline).
    fn complete(&mut self) -> bool {
        let complete = !self.error && self.open_string.is_none() && self.brackets <= 0;
        if complete {
            self.tokens.push(Token::End);
        }
        complete
    }

    /// Tokenizes one stripped line, `newline` when more lines follow it. It reads bytes: what
    /// the tokenizer tells apart is ASCII, and the bytes of other characters (in names,
    /// strings and comments) never look like ASCII.
    fn line(&mut self, line: &str, newline: bool) {
        let bytes = line.as_bytes();
        let mut pos = 0;
        if let Some(open) = self.open_string {
            match string_end(bytes, 0, open) {
                Some(end) => {
                    self.open_string = None;
                    self.tokens.push(Token::String { multiline: true });
                    pos = end;
                }
                // A single-quoted string goes on only over a backslash at the line's end.
                None if !(open.triple || newline && bytes.last() == Some(&b'\\')) => {
                    self.open_string = None;
                    self.error = true;
                    return;
                }
                None => return,
            }
        } else if self.brackets <= 0 && !self.continued {
            // A new statement: a line that is blank or only a comment is no code.
            match bytes.first() {
                None => return,
                Some(b'#') => {
                    self.tokens.push(Token::Comment);
                    return;
                }
                _ => {}
            }
        }
        self.continued = false;
        while pos < bytes.len() {
            let next = bytes.get(pos + 1).copied();
            match bytes[pos] {
                b' ' | b'\t' | b'\x0c' => pos += 1,
                b'#' => {
                    self.tokens.push(Token::Comment);
                    break;
                }
                b'\\' => {
                    // A line continuation only when a newline follows.
                    if pos + 1 == bytes.len() && newline {
                        self.continued = true;
                    } else {
                        self.error = true;
                    }
                    pos += 1;
                }
                b'\'' | b'"' => match self.string(bytes, pos, newline) {
                    Some(end) => pos = end,
                    None => return,
                },
                b'(' | b'[' | b'{' => {
                    self.brackets += 1;
                    self.tokens.push(Token::Other);
                    pos += 1;
                }
                b')' | b']' | b'}' => {
                    self.brackets -= 1;
                    self.tokens.push(Token::Other);
                    pos += 1;
                }
                b':' if next == Some(b'=') => {
                    self.tokens.push(Token::Other);
                    pos += 2;
                }
                b':' => {
                    self.tokens.push(Token::Colon);
                    pos += 1;
                }
                b';' => {
                    self.tokens.push(Token::Semicolon);
                    pos += 1;
                }
                b'!' if next == Some(b'=') => {
                    self.tokens.push(Token::Other);
                    pos += 2;
                }
                b'.' | b',' | b'@' | b'+' | b'-' | b'*' | b'/' | b'%' | b'&' | b'|' | b'^'
                | b'~' | b'<' | b'>' | b'=' => {
                    self.tokens.push(Token::Other);
                    pos += 1;
                }
                _ => {
                    let start = pos;
                    while let Some(length) = word_char(line, pos) {
                        pos += length;
                    }
                    if pos == start {
                        // `$`, `?`, a lone `!`, a symbol that is no identifier: an error token.
                        self.error = true;
                        pos += line[pos..].chars().next().map_or(1, char::len_utf8);
                    } else if matches!(bytes.get(pos), Some(b'\'' | b'"'))
                        && is_string_prefix(&line[start..pos])
                    {
                        match self.string(bytes, pos, newline) {
                            Some(end) => pos = end,
                            None => return,
                        }
                    } else {
                        self.tokens.push(Token::Other);
                    }
                }
            }
        }
    }

    /// A string starting with the quote at `quote`: its end, or `None` when it goes on past
    /// the line (the state then holds it open) or is left open (an error token, as
    /// `tokenize` gives for the quote, then tokenizing goes on after it).
    fn string(&mut self, bytes: &[u8], quote: usize, newline: bool) -> Option<usize> {
        let q = bytes[quote];
        let triple = bytes.get(quote + 1) == Some(&q) && bytes.get(quote + 2) == Some(&q);
        let open = OpenString { quote: q, triple };
        let body = quote + if triple { 3 } else { 1 };
        if let Some(end) = string_end(bytes, body, open) {
            self.tokens.push(Token::String { multiline: false });
            return Some(end);
        }
        if triple || (newline && bytes.last() == Some(&b'\\')) {
            self.open_string = Some(open);
            return None;
        }
        // The quote alone is an error token; what follows is tokenized as code.
        self.error = true;
        Some(quote + 1)
    }
}

/// Where a string's body starting at `from` closes on this line (the index after the closing
/// quotes), skipping escaped characters.
fn string_end(bytes: &[u8], from: usize, open: OpenString) -> Option<usize> {
    let mut pos = from;
    while pos < bytes.len() {
        match bytes[pos] {
            b'\\' => pos += 2,
            c if c == open.quote => {
                if !open.triple {
                    return Some(pos + 1);
                }
                if bytes.get(pos + 1) == Some(&c) && bytes.get(pos + 2) == Some(&c) {
                    return Some(pos + 3);
                }
                pos += 1;
            }
            _ => pos += 1,
        }
    }
    None
}

/// The length of the character of `\w` (names and numbers) at `pos`, if there is one.
fn word_char(line: &str, pos: usize) -> Option<usize> {
    let byte = *line.as_bytes().get(pos)?;
    if byte.is_ascii() {
        return (byte == b'_' || byte.is_ascii_alphanumeric()).then_some(1);
    }
    let c = line[pos..].chars().next()?;
    c.is_alphanumeric().then(|| c.len_utf8())
}

/// Python 3.11's string prefixes (any case): b, r, u, f, br, rb, fr, rf.
fn is_string_prefix(word: &str) -> bool {
    matches!(
        word.to_ascii_lowercase().as_str(),
        "b" | "r" | "u" | "f" | "br" | "rb" | "fr" | "rf"
    )
}

/// The lines of `source` as Python's `str.splitlines` gives them.
fn split_lines(source: &str) -> impl Iterator<Item = &str> {
    let mut rest = source;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let Some((end, c)) = rest.char_indices().find(|(_, c)| is_line_break(*c)) else {
            let line = rest;
            rest = "";
            return Some(line);
        };
        let line = &rest[..end];
        let mut next = end + c.len_utf8();
        if c == '\r' && rest[next..].starts_with('\n') {
            next += 1;
        }
        rest = &rest[next..];
        Some(line)
    })
}

fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\x0b'
            | '\x0c'
            | '\x1c'
            | '\x1d'
            | '\x1e'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// Python's `str.strip()`: whitespace as `str.isspace` knows it.
fn strip(line: &str) -> &str {
    line.trim_matches(|c: char| c.is_whitespace() || ('\x1c'..='\x1f').contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(source: &str) -> [u32; 7] {
        let m = count(source);
        [
            m.loc,
            m.lloc,
            m.sloc,
            m.comments,
            m.multi,
            m.blank,
            m.single_comments,
        ]
    }

    // Expected values from radon 6.0.1's `radon.raw.analyze` on Python 3.11.
    #[test]
    fn counts_as_radon_does() {
        // loc, lloc, sloc, comments, multi, blank, single_comments
        assert_eq!(raw("x = 1\n"), [1, 1, 1, 0, 0, 0, 0]);
        assert_eq!(raw("if x: return 0\n"), [1, 2, 1, 0, 0, 0, 0]);
        assert_eq!(raw("if x:  # only\n    pass\n"), [2, 2, 2, 1, 0, 0, 0]);
        assert_eq!(raw("d = {1: 2}\n"), [1, 2, 1, 0, 0, 0, 0]);
        assert_eq!(raw("a = 1; b = 2\n"), [1, 2, 1, 0, 0, 0, 0]);
        assert_eq!(raw("x = 1;\n"), [1, 1, 1, 0, 0, 0, 0]);
        assert_eq!(raw("# c\n\nx = 1  # d\n"), [3, 1, 1, 2, 0, 1, 1]);
        assert_eq!(
            raw("def f():\n    \"\"\"Doc.\n\n    More.\n    \"\"\"\n    return 1\n"),
            [6, 3, 2, 0, 3, 1, 0]
        );
        assert_eq!(raw("\"\"\"One line.\"\"\"\n"), [1, 1, 0, 0, 0, 0, 1]);
        assert_eq!(raw("x = (\n    1,\n\n    2,\n)\n"), [5, 1, 4, 0, 0, 1, 0]);
        assert_eq!(raw("x = 'a\\\nb'\n"), [2, 1, 2, 0, 0, 0, 0]);
        assert_eq!(raw("x = 1 + \\\n    2\n"), [2, 1, 2, 0, 0, 0, 0]);
        assert_eq!(raw("y := 1\n"), [1, 1, 1, 0, 0, 0, 0]);
        assert_eq!(raw("a\x0cb\n"), [2, 2, 2, 0, 0, 0, 0]);
    }

    #[test]
    fn a_run_that_never_closes_counts_as_code_to_the_end() {
        // radon raises a syntax error on these.
        assert_eq!(raw("x = (\n1\n"), [2, 1, 2, 0, 0, 0, 0]);
        assert_eq!(raw("x = $\n\n# c\n"), [3, 1, 2, 1, 0, 1, 0]);
    }
}
