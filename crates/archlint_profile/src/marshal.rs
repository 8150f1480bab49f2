//! A bounded reader of Python's `marshal` format, for the values a pstats dump holds.
//!
//! `cProfile.Profile.dump_stats` and `pstats.Stats.dump_stats` write `marshal.dump(stats)`:
//! one dict of tuples, strings, ints and floats, with back-references (format versions 2 to
//! 5, CPython 3.8–3.14). This reader takes the file as hostile: every length is checked
//! against the bytes that remain before anything is allocated from it, nesting stops at
//! [`MAX_DEPTH`], the reference table is bounded by the input, and nothing panics. Values are
//! shared (`Rc`) the way the file shares them, so a chain of references cannot make the
//! memory grow faster than the file.
//!
//! Types read: None, True, False, int (`i`), 64-bit int (`I`), long (`l`), float (`g`
//! binary, `f` text), the str forms (`u`, `t`, `a`, `A`, `z`, `Z`), bytes (`s`), tuple (`(`
//! and small tuple `)`), list, dict, and references (`r`, and the `FLAG_REF` bit that
//! records an object in the table). Code objects, sets, complex numbers and slices, which a
//! profile never holds, are refused with their type named.

use std::fmt;
use std::rc::Rc;

/// How deep containers may nest. A pstats dump needs five levels (dict → tuple → callers
/// dict → tuple → number); CPython allows 2000.
pub const MAX_DEPTH: usize = 64;

/// A value read from the file.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Rc<str>),
    Bytes(Rc<[u8]>),
    Tuple(Rc<[Value]>),
    List(Rc<[Value]>),
    /// Entries in the order the file gives them (dict insertion order); a repeated key is
    /// kept, as written (the caller decides what a repeat means).
    Dict(Rc<[(Value, Value)]>),
}

impl Value {
    /// The Python type's name, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::None => "None",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float",
            Value::Str(_) => "str",
            Value::Bytes(_) => "bytes",
            Value::Tuple(_) => "tuple",
            Value::List(_) => "list",
            Value::Dict(_) => "dict",
        }
    }
}

/// Why the bytes are not marshal data this reader takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarshalError {
    /// The byte offset where reading stopped.
    pub offset: usize,
    pub problem: String,
}

impl fmt::Display for MarshalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.problem, self.offset)
    }
}

impl std::error::Error for MarshalError {}

const FLAG_REF: u8 = 0x80;

/// A slot of the reference table: a value, or a container still being read (a reference to
/// it would be a cycle, which this reader does not build).
enum Slot {
    Ready(Value),
    Pending,
}

/// Reads the one value at the start of `bytes`; bytes after it are ignored, as
/// `marshal.load` ignores them.
pub fn read(bytes: &[u8]) -> Result<Value, MarshalError> {
    let mut reader = Reader {
        bytes,
        position: 0,
        refs: Vec::new(),
    };
    match reader.value(0)? {
        Some(value) => Ok(value),
        None => Err(reader.error_at(0, "a NULL marker where a value was expected")),
    }
}

struct Reader<'b> {
    bytes: &'b [u8],
    position: usize,
    refs: Vec<Slot>,
}

impl<'b> Reader<'b> {
    fn error_at(&self, offset: usize, problem: impl Into<String>) -> MarshalError {
        MarshalError {
            offset,
            problem: problem.into(),
        }
    }

    fn remaining(&self) -> usize {
        self.bytes.len() - self.position
    }

    fn take(&mut self, count: usize, what: &str) -> Result<&'b [u8], MarshalError> {
        if count > self.remaining() {
            return Err(self.error_at(
                self.position,
                format!(
                    "the data ends inside {what} ({count} bytes declared, {} left)",
                    self.remaining()
                ),
            ));
        }
        let slice = &self.bytes[self.position..self.position + count];
        self.position += count;
        Ok(slice)
    }

    fn byte(&mut self, what: &str) -> Result<u8, MarshalError> {
        Ok(self.take(1, what)?[0])
    }

    fn i32(&mut self, what: &str) -> Result<i32, MarshalError> {
        let b = self.take(4, what)?;
        Ok(i32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// A 32-bit size, non-negative and no larger than the bytes left times `unit` allows
    /// (each element takes at least `min_bytes` bytes).
    fn size(&mut self, what: &str, min_bytes: usize) -> Result<usize, MarshalError> {
        let at = self.position;
        let n = self.i32(what)?;
        let n = usize::try_from(n)
            .map_err(|_| self.error_at(at, format!("a negative size ({n}) for {what}")))?;
        if n.saturating_mul(min_bytes) > self.remaining() {
            return Err(self.error_at(
                at,
                format!(
                    "{what} declares {n} elements but only {} bytes follow",
                    self.remaining()
                ),
            ));
        }
        Ok(n)
    }

    fn string(&mut self, count: usize, what: &str) -> Result<Rc<str>, MarshalError> {
        let at = self.position;
        let bytes = self.take(count, what)?;
        match std::str::from_utf8(bytes) {
            Ok(text) => Ok(Rc::from(text)),
            // `surrogatepass`: a str with lone surrogates (file names that were not UTF-8).
            Err(_) if what != "an ASCII string" => {
                Ok(Rc::from(String::from_utf8_lossy(bytes).as_ref()))
            }
            Err(_) => Err(self.error_at(at, "a non-ASCII byte in an ASCII string")),
        }
    }

    /// Reads one value; `None` for the NULL marker (`0`) that ends a dict.
    fn value(&mut self, depth: usize) -> Result<Option<Value>, MarshalError> {
        let at = self.position;
        if depth > MAX_DEPTH {
            return Err(self.error_at(at, format!("values nested deeper than {MAX_DEPTH} levels")));
        }
        let code = self.byte("a value")?;
        let flagged = code & FLAG_REF != 0;
        let kind = code & !FLAG_REF;
        // Containers take their reference slot before their items, as CPython does.
        let reserved = if flagged && matches!(kind, b'(' | b')' | b'[' | b'{') {
            self.refs.push(Slot::Pending);
            Some(self.refs.len() - 1)
        } else {
            None
        };
        let value = match kind {
            b'0' => return Ok(None),
            b'N' => return Ok(Some(Value::None)),
            b'T' => return Ok(Some(Value::Bool(true))),
            b'F' => return Ok(Some(Value::Bool(false))),
            b'i' => Value::Int(i64::from(self.i32("an int")?)),
            b'I' => {
                let b = self.take(8, "a 64-bit int")?;
                let mut array = [0u8; 8];
                array.copy_from_slice(b);
                Value::Int(i64::from_le_bytes(array))
            }
            b'l' => self.long(at)?,
            b'g' => {
                let b = self.take(8, "a float")?;
                let mut array = [0u8; 8];
                array.copy_from_slice(b);
                Value::Float(f64::from_le_bytes(array))
            }
            b'f' => {
                let n = usize::from(self.byte("a float")?);
                let text = self.string(n, "an ASCII string")?;
                let parsed = parse_python_float(&text)
                    .ok_or_else(|| self.error_at(at, format!("`{text}` is not a float")))?;
                Value::Float(parsed)
            }
            b'u' | b't' => {
                let n = self.size("a string", 1)?;
                Value::Str(self.string(n, "a string")?)
            }
            b'a' | b'A' => {
                let n = self.size("a string", 1)?;
                Value::Str(self.string(n, "an ASCII string")?)
            }
            b'z' | b'Z' => {
                let n = usize::from(self.byte("a string")?);
                Value::Str(self.string(n, "an ASCII string")?)
            }
            b's' => {
                let n = self.size("a bytes object", 1)?;
                Value::Bytes(Rc::from(self.take(n, "a bytes object")?))
            }
            b'(' | b')' | b'[' => {
                let n = if kind == b')' {
                    usize::from(self.byte("a tuple")?)
                } else {
                    self.size(if kind == b'[' { "a list" } else { "a tuple" }, 1)?
                };
                if n > self.remaining() {
                    return Err(self.error_at(at, "a tuple longer than the data left"));
                }
                let mut items = Vec::with_capacity(n.min(1024));
                for _ in 0..n {
                    let item_at = self.position;
                    match self.value(depth + 1)? {
                        Some(item) => items.push(item),
                        None => {
                            return Err(
                                self.error_at(item_at, "a NULL marker inside a tuple or list")
                            );
                        }
                    }
                }
                if kind == b'[' {
                    Value::List(Rc::from(items))
                } else {
                    Value::Tuple(Rc::from(items))
                }
            }
            b'{' => {
                let mut entries = Vec::new();
                while let Some(key) = self.value(depth + 1)? {
                    let value_at = self.position;
                    match self.value(depth + 1)? {
                        Some(value) => entries.push((key, value)),
                        None => {
                            return Err(self.error_at(value_at, "a dict key without a value"));
                        }
                    }
                }
                Value::Dict(Rc::from(entries))
            }
            b'r' => {
                let index = self.i32("a reference")?;
                let slot = usize::try_from(index)
                    .ok()
                    .and_then(|index| self.refs.get(index));
                return match slot {
                    Some(Slot::Ready(value)) => Ok(Some(value.clone())),
                    Some(Slot::Pending) => Err(self.error_at(
                        at,
                        format!("reference {index} to a container still being read (a cycle)"),
                    )),
                    None => Err(self.error_at(
                        at,
                        format!(
                            "reference {index} to an object not read yet ({} recorded)",
                            self.refs.len()
                        ),
                    )),
                };
            }
            other => {
                let name = match other {
                    b'c' => "a code object",
                    b'<' | b'>' => "a set",
                    b'x' | b'y' => "a complex number",
                    b':' => "a slice",
                    b'S' => "StopIteration",
                    b'.' => "Ellipsis",
                    _ => {
                        return Err(
                            self.error_at(at, format!("an unknown marshal type code 0x{code:02x}"))
                        );
                    }
                };
                return Err(self.error_at(at, format!("{name}, which a profile never holds")));
            }
        };
        match reserved {
            Some(index) => self.refs[index] = Slot::Ready(value.clone()),
            None if flagged => self.refs.push(Slot::Ready(value.clone())),
            None => {}
        }
        Ok(Some(value))
    }

    /// A long: a signed count of 15-bit digits, least significant first. Values beyond 64
    /// bits are refused (no profile counts that far).
    fn long(&mut self, at: usize) -> Result<Value, MarshalError> {
        let n = self.i32("a long")?;
        let digits = n.unsigned_abs() as usize;
        if digits.saturating_mul(2) > self.remaining() {
            return Err(self.error_at(
                at,
                format!(
                    "a long of {digits} digits but only {} bytes follow",
                    self.remaining()
                ),
            ));
        }
        let mut magnitude: u128 = 0;
        for index in 0..digits {
            let b = self.take(2, "a long")?;
            let digit = u16::from_le_bytes([b[0], b[1]]);
            if digit >= 1 << 15 {
                return Err(self.error_at(at, "a long digit out of range"));
            }
            if index + 1 == digits && digit == 0 {
                return Err(self.error_at(at, "an unnormalized long (top digit zero)"));
            }
            if index >= 5 {
                if digit != 0 {
                    return Err(self.error_at(at, "an integer wider than 64 bits"));
                }
                continue;
            }
            magnitude |= u128::from(digit) << (15 * index);
        }
        let value = if n < 0 {
            i64::try_from(-(magnitude as i128)).ok()
        } else {
            i64::try_from(magnitude).ok()
        };
        value
            .map(Value::Int)
            .ok_or_else(|| self.error_at(at, "an integer wider than 64 bits"))
    }
}

/// A float as `repr` writes it (`1e-05`, `inf`, `nan`, `-0.0`).
fn parse_python_float(text: &str) -> Option<f64> {
    match text.to_ascii_lowercase().as_str() {
        "inf" | "+inf" => Some(f64::INFINITY),
        "-inf" => Some(f64::NEG_INFINITY),
        "nan" | "+nan" | "-nan" => Some(f64::NAN),
        other => other.parse().ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(value: i64) -> Value {
        Value::Int(value)
    }

    #[test]
    fn reads_the_scalars() {
        assert_eq!(read(b"N").unwrap(), Value::None);
        assert_eq!(read(b"T").unwrap(), Value::Bool(true));
        assert_eq!(read(b"F").unwrap(), Value::Bool(false));
        assert_eq!(read(b"i\xfe\xff\xff\xff").unwrap(), int(-2));
        assert_eq!(
            read(b"I\x00\x00\x00\x00\x01\x00\x00\x00").unwrap(),
            int(1 << 32)
        );
        assert_eq!(
            read(&[&b"g"[..], &1.5f64.to_le_bytes()].concat()).unwrap(),
            Value::Float(1.5)
        );
        assert_eq!(read(b"f\x051e-05").unwrap(), Value::Float(1e-05));
        assert_eq!(read(b"z\x03abc").unwrap(), Value::Str("abc".into()));
        assert_eq!(read(b"Z\x00").unwrap(), Value::Str("".into()));
        assert_eq!(
            read(b"u\x02\x00\x00\x00\xc3\xa9").unwrap(),
            Value::Str("é".into())
        );
        assert_eq!(read(b"a\x01\x00\x00\x00x").unwrap(), Value::Str("x".into()));
        assert_eq!(
            read(b"s\x01\x00\x00\x00\xff").unwrap(),
            Value::Bytes(Rc::from(&b"\xff"[..]))
        );
    }

    #[test]
    fn reads_longs_as_python_writes_them() {
        // marshal.dumps(2**40) and marshal.dumps(-(2**62)).
        assert_eq!(
            read(b"l\x03\x00\x00\x00\x00\x00\x00\x00\x00\x04").unwrap(),
            int(1 << 40)
        );
        assert_eq!(
            read(b"\xec\xfb\xff\xff\xff\x00\x00\x00\x00\x00\x00\x00\x00\x04\x00").unwrap(),
            int(-(1 << 62))
        );
        assert_eq!(read(b"l\x00\x00\x00\x00").unwrap(), int(0));
        let wide = read(b"l\x06\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00");
        assert!(wide.unwrap_err().problem.contains("wider than 64 bits"));
        let unnormalized = read(b"l\x02\x00\x00\x00\x01\x00\x00\x00");
        assert!(unnormalized.unwrap_err().problem.contains("unnormalized"));
    }

    #[test]
    fn reads_containers_and_references() {
        // marshal.dumps({(s, 1): (s, s)}) for an interned s = 'a': the string is shared.
        let data =
            b"\xfb)\x02\xda\x01a\xe9\x01\x00\x00\x00)\x02r\x01\x00\x00\x00r\x01\x00\x00\x000";
        let Value::Dict(entries) = read(data).unwrap() else {
            panic!("a dict")
        };
        assert_eq!(entries.len(), 1);
        assert_eq!(
            entries[0].0,
            Value::Tuple(Rc::from(vec![Value::Str("a".into()), int(1)]))
        );
        assert_eq!(
            entries[0].1,
            Value::Tuple(Rc::from(vec![
                Value::Str("a".into()),
                Value::Str("a".into())
            ]))
        );
    }

    #[test]
    fn refuses_what_a_profile_never_holds() {
        for (data, expected) in [
            (&b"c"[..], "code object"),
            (b"<\x00\x00\x00\x00", "a set"),
            (b"y", "complex"),
            (b"?", "unknown marshal type code 0x3f"),
            (b"", "ends inside a value"),
            (b"0", "NULL marker"),
            (b"(\x01\x00\x00\x000", "NULL marker inside a tuple"),
            (b"{N0", "dict key without a value"),
        ] {
            let error = read(data).unwrap_err();
            assert!(
                error.problem.contains(expected),
                "{data:?}: {error} (expected {expected})"
            );
        }
    }

    #[test]
    fn refuses_huge_declared_lengths_without_allocating() {
        for data in [
            &b"u\xff\xff\xff\x7fabc"[..],
            b"(\xff\xff\xff\x7fN",
            b"[\xff\xff\xff\x7fN",
            b"s\xff\xff\xff\x7f",
            b"a\x00\x00\x00\x80",
            b"l\xff\xff\xff\x7f",
            b"l\x00\x00\x00\x80",
            b")\xffN",
            b"z\xffab",
        ] {
            assert!(read(data).is_err(), "{data:?}");
        }
    }

    #[test]
    fn refuses_bad_references() {
        assert!(
            read(b"r\x00\x00\x00\x00")
                .unwrap_err()
                .problem
                .contains("not read yet")
        );
        assert!(read(b"r\xff\xff\xff\xff").is_err());
        // A tuple that holds itself.
        let cycle = read(b"\xa9\x01r\x00\x00\x00\x00").unwrap_err();
        assert!(cycle.problem.contains("cycle"), "{cycle}");
    }

    #[test]
    fn stops_at_the_depth_limit_without_overflowing_the_stack() {
        let mut data = [b')', 1].repeat(100_000);
        data.push(b'N');
        let error = read(&data).unwrap_err();
        assert!(error.problem.contains("nested deeper"), "{error}");
        let mut lists = b"[\x01\x00\x00\x00".repeat(100_000);
        lists.push(b'N');
        assert!(read(&lists).is_err());
        let mut dicts = b"{N".repeat(100_000);
        dicts.push(b'N');
        assert!(read(&dicts).is_err());
    }

    #[test]
    fn shared_references_do_not_multiply_memory() {
        // A list whose item k is a tuple holding item k-1 twice: 2^200 leaves if copied.
        let mut list = vec![b'['];
        list.extend_from_slice(&201u32.to_le_bytes());
        list.extend_from_slice(b"\xa9\x01N"); // reference 0: (None,)
        for index in 0..200u32 {
            list.extend_from_slice(b"\xa9\x02r");
            list.extend_from_slice(&index.to_le_bytes());
            list.push(b'r');
            list.extend_from_slice(&index.to_le_bytes());
        }
        let Value::List(items) = read(&list).unwrap() else {
            panic!("a list")
        };
        assert_eq!(items.len(), 201);
    }
}
