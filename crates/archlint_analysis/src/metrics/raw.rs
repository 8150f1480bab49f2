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
    let mut lines = split_lines(source).map(strip);
    let mut metrics = RawMetrics::default();
    let mut tokenizer = Tokenizer::default();
    while let Some(first) = lines.next() {
        let mut run = Run::default();
        run.add(first);
        tokenizer.reset();
        // The state before the run's last line: the next line makes it a line with a newline.
        let mut before_last = tokenizer.state();
        let mut last = first;
        tokenizer.line(first, false);
        while !tokenizer.complete() {
            let Some(next) = lines.next() else {
                tokenizer.tokens.push(Token::End);
                break;
            };
            tokenizer.restore(before_last);
            tokenizer.line(last, true);
            before_last = tokenizer.state();
            tokenizer.line(next, false);
            run.add(next);
            last = next;
        }
        metrics.add_run(run, &tokenizer.tokens);
    }
    metrics.loc = metrics.sloc + metrics.blank + metrics.multi + metrics.single_comments;
    metrics
}

/// The lines of a run of lines tokenized together, blank and not.
#[derive(Default)]
struct Run {
    nonblank: u32,
    blank: u32,
}

impl Run {
    fn add(&mut self, line: &str) {
        if line.is_empty() {
            self.blank += 1;
        } else {
            self.nonblank += 1;
        }
    }
}

impl RawMetrics {
    fn add_run(&mut self, Run { nonblank, blank }: Run, tokens: &[Token]) {
        self.comments += tokens.iter().filter(|t| **t == Token::Comment).count() as u32;
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
            // Comments left out: how many tokens, where the last `:` is, whether any is code.
            let mut length = 0;
            let mut last_colon = None;
            let mut code = false;
            for token in part.iter().filter(|t| **t != Token::Comment) {
                if *token == Token::Colon {
                    last_colon = Some(length);
                }
                code |= *token != Token::End;
                length += 1;
            }
            match last_colon {
                // radon assumes the part ends with the end marker, which only the last does.
                Some(colon) => 2 - u32::from(colon + 2 == length),
                None => u32::from(code),
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
#[derive(Default)]
struct Tokenizer {
    tokens: Vec<Token>,
    state: State,
}

/// Where the tokenizer stands between two lines (with how many tokens it had given).
#[derive(Clone, Copy, Default)]
struct State {
    tokens: usize,
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
    fn reset(&mut self) {
        self.tokens.clear();
        self.state = State::default();
    }

    fn state(&self) -> State {
        State {
            tokens: self.tokens.len(),
            ..self.state
        }
    }

    fn restore(&mut self, state: State) {
        self.tokens.truncate(state.tokens);
        self.state = state;
    }

    /// Whether `tokenize` accepts the lines so far as a whole (the last one without newline).
    fn complete(&mut self) -> bool {
        let state = &self.state;
        let complete = !state.error && state.open_string.is_none() && state.brackets <= 0;
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
        if let Some(open) = self.state.open_string {
            match string_end(bytes, 0, open) {
                Some(end) => {
                    self.state.open_string = None;
                    self.tokens.push(Token::String { multiline: true });
                    pos = end;
                }
                // A single-quoted string goes on only over a backslash at the line's end.
                None if !(open.triple || newline && bytes.last() == Some(&b'\\')) => {
                    self.state.open_string = None;
                    self.state.error = true;
                    return;
                }
                None => return,
            }
        } else if self.state.brackets <= 0 && !self.state.continued {
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
        self.state.continued = false;
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
                        self.state.continued = true;
                    } else {
                        self.state.error = true;
                    }
                    pos += 1;
                }
                b'\'' | b'"' => match self.string(bytes, pos, newline) {
                    Some(end) => pos = end,
                    None => return,
                },
                b'(' | b'[' | b'{' => {
                    self.state.brackets += 1;
                    self.tokens.push(Token::Other);
                    pos += 1;
                }
                b')' | b']' | b'}' => {
                    self.state.brackets -= 1;
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
                    loop {
                        // ASCII first: most names are.
                        while pos < bytes.len()
                            && (bytes[pos].is_ascii_alphanumeric() || bytes[pos] == b'_')
                        {
                            pos += 1;
                        }
                        match word_char(line, pos) {
                            Some(length) => pos += length,
                            None => break,
                        }
                    }
                    if pos == start {
                        // `$`, `?`, a lone `!`, a symbol that is no identifier: an error token.
                        self.state.error = true;
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
            self.state.open_string = Some(open);
            return None;
        }
        // The quote alone is an error token; what follows is tokenized as code.
        self.state.error = true;
        Some(quote + 1)
    }
}

/// Where a string's body starting at `from` closes on this line (the index after the closing
/// quotes), skipping escaped characters.
fn string_end(bytes: &[u8], from: usize, open: OpenString) -> Option<usize> {
    let mut pos = from;
    while pos < bytes.len() {
        pos += memchr::memchr2(open.quote, b'\\', &bytes[pos..])?;
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

/// The lines of `source` as Python's `str.splitlines` gives them: at `\n`, `\r`, `\r\n`,
/// `\v`, `\f`, `\x1c`–`\x1e`, `\x85`, `\u2028` and `\u2029`. Most files break lines at
/// `\n` alone, and are split with a fast search for it.
fn split_lines(source: &str) -> Box<dyn Iterator<Item = &str> + '_> {
    let bytes = source.as_bytes();
    let other_breaks = memchr::memchr3(b'\r', 0x0b, 0x0c, bytes).is_some()
        || memchr::memchr3(0x1c, 0x1d, 0x1e, bytes).is_some()
        || ["\u{85}", "\u{2028}", "\u{2029}"]
            .iter()
            .any(|separator| memchr::memmem::find(bytes, separator.as_bytes()).is_some());
    if !other_breaks {
        let mut rest = source;
        return Box::new(std::iter::from_fn(move || {
            if rest.is_empty() {
                return None;
            }
            let (line, next) = match memchr::memchr(b'\n', rest.as_bytes()) {
                Some(end) => (&rest[..end], &rest[end + 1..]),
                None => (rest, ""),
            };
            rest = next;
            Some(line)
        }));
    }
    let mut rest = source;
    Box::new(std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let bytes = rest.as_bytes();
        let mut end = 0;
        let found = loop {
            let Some(&byte) = bytes.get(end) else {
                break None;
            };
            let length = match byte {
                b'\r' if bytes.get(end + 1) == Some(&b'\n') => 2,
                b'\n' | b'\r' | 0x0b | 0x0c | 0x1c..=0x1e => 1,
                // U+0085 is C2 85; U+2028 and U+2029 are E2 80 A8 and E2 80 A9.
                0xc2 if bytes.get(end + 1) == Some(&0x85) => 2,
                0xe2 if bytes.get(end + 1) == Some(&0x80)
                    && matches!(bytes.get(end + 2), Some(0xa8 | 0xa9)) =>
                {
                    3
                }
                _ => {
                    end += 1;
                    continue;
                }
            };
            break Some(length);
        };
        let line = &rest[..end];
        rest = &rest[found.map_or(end, |length| end + length)..];
        Some(line)
    }))
}

/// Python's `str.strip()`: whitespace as `str.isspace` knows it.
fn strip(line: &str) -> &str {
    let line = line.trim_ascii();
    // What `trim_ascii` leaves and Python strips: `\v`, `\x1c`–`\x1f` and non-ASCII spaces.
    let plain = |byte: &u8| byte.is_ascii() && !matches!(byte, 0x0b | 0x1c..=0x1f);
    match (line.as_bytes().first(), line.as_bytes().last()) {
        (Some(first), Some(last)) if plain(first) && plain(last) => line,
        _ => line.trim_matches(|c: char| c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)),
    }
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
        // A part before `;` has no end marker: radon counts `x: int = 5;` as two.
        assert_eq!(raw("x: int = 5; f: T[int]\n"), [1, 4, 1, 0, 0, 0, 0]);
        assert_eq!(raw("if x: y = 1; z = 2\n"), [1, 3, 1, 0, 0, 0, 0]);
        assert_eq!(raw("a\x0cb\n"), [2, 2, 2, 0, 0, 0, 0]);
        assert_eq!(raw("a\r\nb\rc\u{2028}d\u{85}e\n"), [5, 5, 5, 0, 0, 0, 0]);
        assert_eq!(raw("\u{3000}x = 1\x1f\n"), [1, 1, 1, 0, 0, 0, 0]);
    }

    #[test]
    fn a_run_that_never_closes_counts_as_code_to_the_end() {
        // radon raises a syntax error on these.
        assert_eq!(raw("x = (\n1\n"), [2, 1, 2, 0, 0, 0, 0]);
        assert_eq!(raw("x = $\n\n# c\n"), [3, 1, 2, 1, 0, 1, 0]);
    }
}
