//! The mutation engine: a seeded generator turns one corpus file into a new input by a few
//! random edits. Byte-level edits (flips, deletions, repeats, truncation) find the parsers'
//! length and boundary mistakes; the structure-aware ones are cheap guesses at what a format
//! cares about: lines (each format here is line-oriented somewhere), brackets nested deep,
//! numbers replaced by huge or negative ones, the target's own keywords inserted, and splices
//! with another corpus file so that valid pieces of one meet the context of another.
//!
//! Everything is decided by the `fastrand::Rng` given, so an input is rebuilt exactly from
//! the seed, the target and the iteration that made it.

use fastrand::Rng;

/// Bytes every format is worth trying: quotes and brackets of every kind, line ends, NUL and
/// other control characters, invalid UTF-8, a byte-order mark, bidirectional overrides,
/// numbers that overflow every integer and float type, and empty or odd separators.
pub const COMMON_TOKENS: &[&[u8]] = &[
    b"\"",
    b"'",
    b"\"\"\"",
    b"'''",
    b"\\",
    b"\\\n",
    b"(",
    b")",
    b"[",
    b"]",
    b"{",
    b"}",
    b"[[",
    b"]]",
    b"{{",
    b"<",
    b">",
    b"=",
    b"==",
    b":",
    b",",
    b";",
    b"#",
    b"\n",
    b"\r\n",
    b"\r",
    b"\t",
    b" ",
    b"\x00",
    b"\x01",
    b"\x0b",
    b"\x0c",
    b"\x1b",
    b"\x7f",
    b"\xff",
    b"\xfe\xff",
    b"\xc3",
    b"\xe2\x80",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"\xef\xbb\xbf",
    "\u{202e}".as_bytes(),
    "\u{2028}".as_bytes(),
    "é".as_bytes(),
    "𝔘".as_bytes(),
    b"0",
    b"-1",
    b"-0",
    b"255",
    b"65536",
    b"2147483648",
    b"4294967296",
    b"9223372036854775807",
    b"-9223372036854775808",
    b"18446744073709551616",
    b"99999999999999999999999999999999999999",
    b"1e999",
    b"-1e999",
    b"1e-999",
    b"NaN",
    b"inf",
    b"0x",
    b"0b2",
    b"1_000",
    b".",
    b"..",
    b"../",
    b"/",
    b"//",
    b"*",
    b"**",
    b"%",
    b"%s",
    b"${",
    b"true",
    b"null",
];

/// Edits `input` in place with between one and `max_edits` random edits drawn from `rng`;
/// `corpus` gives the material for splices, `tokens` the target's own words (tried as often
/// as the common ones). The result is at most `max_len` bytes.
pub fn mutate(
    rng: &mut Rng,
    input: &mut Vec<u8>,
    corpus: &[Vec<u8>],
    tokens: &[&[u8]],
    max_len: usize,
) {
    // Mostly a few edits, sometimes many: small changes keep most of a valid file valid,
    // which is where the deeper code runs.
    let edits = if rng.u8(..4) == 0 {
        rng.usize(1..=16)
    } else {
        rng.usize(1..=3)
    };
    for _ in 0..edits {
        edit(rng, input, corpus, tokens);
        if input.len() > max_len {
            input.truncate(max_len);
        }
    }
}

fn edit(rng: &mut Rng, input: &mut Vec<u8>, corpus: &[Vec<u8>], tokens: &[&[u8]]) {
    let len = input.len();
    match rng.u8(..16) {
        // A bit flipped.
        0 if len > 0 => {
            let at = rng.usize(..len);
            input[at] ^= 1 << rng.u8(..8);
        }
        // A byte replaced by any byte, or by one of the interesting ones.
        1 if len > 0 => {
            let at = rng.usize(..len);
            input[at] = if rng.bool() {
                rng.u8(..)
            } else {
                *pick(rng, b"\x00\xff\x7f\x80\n\r\t \"'\\[]{}()=:#,.-0".as_slice())
            };
        }
        // A range deleted.
        2 if len > 0 => {
            let (start, end) = range(rng, len, 64);
            input.drain(start..end);
        }
        // A range repeated: long lines, many lines, many members of a list.
        3 if len > 0 => {
            let (start, end) = range(rng, len, 32);
            let chunk = input[start..end].to_vec();
            let times = if rng.u8(..8) == 0 {
                rng.usize(100..2000)
            } else {
                rng.usize(1..8)
            };
            let tail = input.split_off(end);
            for _ in 0..times {
                input.extend_from_slice(&chunk);
            }
            input.extend_from_slice(&tail);
        }
        // A token inserted, or written over what was there.
        4..=6 => {
            let token = if tokens.is_empty() || rng.bool() {
                pick(rng, COMMON_TOKENS)
            } else {
                pick(rng, tokens)
            };
            let at = rng.usize(..=len);
            if rng.bool() || at == len {
                splice_in(input, at, token);
            } else {
                let end = (at + token.len()).min(len);
                input.splice(at..end, token.iter().copied());
            }
        }
        // Truncated: every reader meets files cut short.
        7 if len > 0 => input.truncate(rng.usize(..len)),
        // A line deleted, duplicated, or swapped with another.
        8 | 9 => edit_lines(rng, input),
        // A range wrapped in brackets many levels deep.
        10 => {
            let (open, close) = *pick(
                rng,
                &[
                    (b"(".as_slice(), b")".as_slice()),
                    (b"[", b"]"),
                    (b"{", b"}"),
                    (b"[[", b"]]"),
                    (b"{\"a\":", b"}"),
                    (b"<a>", b"</a>"),
                    (b"    ", b""),
                    (b"not ", b""),
                    (b"-", b""),
                    (b"f'{", b"}'"),
                ],
            );
            let depth = if rng.bool() {
                rng.usize(1..16)
            } else {
                rng.usize(16..3000)
            };
            let (start, end) = if len == 0 {
                (0, 0)
            } else {
                range(rng, len, 16)
            };
            let inner = input[start..end].to_vec();
            let mut wrapped = Vec::with_capacity(inner.len() + depth * (open.len() + close.len()));
            for _ in 0..depth {
                wrapped.extend_from_slice(open);
            }
            wrapped.extend_from_slice(&inner);
            for _ in 0..depth {
                wrapped.extend_from_slice(close);
            }
            input.splice(start..end, wrapped);
        }
        // A number replaced by an interesting one.
        11 => {
            let digits: Vec<usize> = (0..len).filter(|&i| input[i].is_ascii_digit()).collect();
            if digits.is_empty() {
                return;
            }
            let start = *pick(rng, &digits);
            let end = (start..len)
                .find(|&i| !input[i].is_ascii_digit())
                .unwrap_or(len);
            const NUMBERS: &[&[u8]] = &[
                b"0".as_slice(),
                b"-1",
                b"4294967295",
                b"4294967296",
                b"18446744073709551615",
                b"18446744073709551616",
                b"99999999999999999999999999999999999999999",
                b"1e400",
                b"00000000000000000001",
            ];
            let number = pick(rng, NUMBERS);
            input.splice(start..end, number.iter().copied());
        }
        // A piece of another corpus file inserted, or this file's tail replaced by another's.
        12 | 13 if !corpus.is_empty() => {
            let other = pick(rng, corpus);
            if other.is_empty() {
                return;
            }
            let (start, end) = range(rng, other.len(), other.len());
            let piece = &other[start..end];
            if rng.bool() {
                let at = rng.usize(..=len);
                splice_in(input, at, piece);
            } else {
                input.truncate(rng.usize(..=len));
                input.extend_from_slice(piece);
            }
        }
        // Case changed, ASCII swapped for a look-alike outside ASCII, or spaces for tabs.
        14 if len > 0 => {
            let at = rng.usize(..len);
            match input[at] {
                b'a'..=b'z' | b'A'..=b'Z' => input[at] ^= 0x20,
                b' ' => input[at] = b'\t',
                b'-' => input.splice(at..=at, "\u{2010}".bytes()).for_each(drop),
                _ => input[at] = b'_',
            }
        }
        // A long run of one byte.
        15 => {
            let byte = *pick(rng, b"a \n(\"'#\\0\xff".as_slice());
            let run = vec![byte; rng.usize(256..20_000)];
            let at = rng.usize(..=len);
            splice_in(input, at, &run);
        }
        _ => {}
    }
}

fn edit_lines(rng: &mut Rng, input: &mut Vec<u8>) {
    let mut lines: Vec<Vec<u8>> = input
        .split_inclusive(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect();
    if lines.is_empty() {
        return;
    }
    let a = rng.usize(..lines.len());
    let b = rng.usize(..lines.len());
    match rng.u8(..3) {
        0 => {
            lines.remove(a);
        }
        1 => {
            let copy = lines[a].clone();
            lines.insert(b, copy);
        }
        _ => lines.swap(a, b),
    }
    *input = lines.concat();
}

/// A random non-empty range of at most `max` bytes within `len` (> 0).
fn range(rng: &mut Rng, len: usize, max: usize) -> (usize, usize) {
    let start = rng.usize(..len);
    let end = (start + rng.usize(1..=max.max(1))).min(len);
    (start, end)
}

fn splice_in(input: &mut Vec<u8>, at: usize, bytes: &[u8]) {
    input.splice(at..at, bytes.iter().copied());
}

fn pick<'a, T>(rng: &mut Rng, items: &'a [T]) -> &'a T {
    &items[rng.usize(..items.len())]
}
