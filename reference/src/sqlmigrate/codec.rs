//! How a row is written down: TSV fields for the export (and `errors\<table>.tsv`), SQL
//! literals for `errors\<table>.sql`. Both round-trip every value exactly.
//!
//! TSV field encoding, per column of a known type: a value of the column's own type is
//! written plainly (an integer as digits, text with `\\`, `\t`, `\n`, `\r` escaped, a blob as
//! hex); NULL is `\N`; a value of another type carries a tag (`\I5`, `\R1.5`, `\Ttext`,
//! `\X0A`), because the old schema never enforced its declared types. Escaped text never
//! starts with a lone backslash, so the tags cannot be mistaken for text.

use crate::db::{ColumnType, RowBatch, Value, ValueRef};
use std::fmt::Write;

/// Encodes one value as a TSV field for a column of type `ty`.
pub fn encode_field(value: ValueRef<'_>, ty: ColumnType, out: &mut String) {
    out.clear();
    match (value, ty) {
        (ValueRef::Null, _) => out.push_str("\\N"),
        (ValueRef::Int(i), ColumnType::Integer) => out.push_str(itoa::Buffer::new().format(i)),
        (ValueRef::Int(i), _) => {
            out.push_str("\\I");
            out.push_str(itoa::Buffer::new().format(i));
        }
        (ValueRef::Real(r), ColumnType::Real) => write!(out, "{r:?}").expect("string"),
        (ValueRef::Real(r), _) => write!(out, "\\R{r:?}").expect("string"),
        (ValueRef::Text(t), ColumnType::Text | ColumnType::Timestamp) => escape_text(t, out),
        (ValueRef::Text(t), _) => {
            out.push_str("\\T");
            escape_text(t, out);
        }
        (ValueRef::Blob(b), ColumnType::Blob) => push_hex(b, out),
        (ValueRef::Blob(b), _) => {
            out.push_str("\\X");
            push_hex(b, out);
        }
    }
}

/// Decodes a TSV field written by [`encode_field`] for a column of type `ty`.
pub fn decode_field(field: &str, ty: ColumnType) -> Result<Value, String> {
    let mut one = RowBatch::new(1);
    push_decoded(field, ty, &mut one)?;
    Ok(one.get(0, 0).to_value())
}

/// [`decode_field`] onto the end of `batch`, text and blobs straight into its buffers (an
/// import decodes millions of fields into the same few batches). On an error nothing is
/// pushed.
pub fn push_decoded(field: &str, ty: ColumnType, batch: &mut RowBatch) -> Result<(), String> {
    if let Some(rest) = field.strip_prefix('\\') {
        let body = rest.get(1..).unwrap_or("");
        match rest.chars().next() {
            Some('N') if body.is_empty() => {
                batch.push(ValueRef::Null);
                return Ok(());
            }
            Some('I') => return parse_int(body).map(|v| batch.push(ValueRef::Int(v))),
            Some('R') => return parse_real(body).map(|v| batch.push(ValueRef::Real(v))),
            Some('T') => return batch.push_text(|out| unescape_text(body, out)),
            Some('X') => return batch.push_blob(|out| parse_hex(body, out)),
            _ => {}
        }
    }
    match ty {
        ColumnType::Integer => parse_int(field).map(|v| batch.push(ValueRef::Int(v))),
        ColumnType::Real => parse_real(field).map(|v| batch.push(ValueRef::Real(v))),
        ColumnType::Text | ColumnType::Timestamp => {
            batch.push_text(|out| unescape_text(field, out))
        }
        ColumnType::Blob => batch.push_blob(|out| parse_hex(field, out)),
    }
}

fn escape_text(text: &str, out: &mut String) {
    // Most text has nothing to escape: copy it whole. The test looks at every byte without
    // stopping early, so that it runs many bytes a step. It passes no text that holds a
    // byte to escape (a backslash, or a tab, line feed or carriage return, all at or below
    // `\r`); a text it sends on for nothing (another control character) comes out as is.
    let maybe_escaped = text
        .bytes()
        .fold(false, |seen, b| seen | (b == b'\\') | (b <= b'\r'));
    if !maybe_escaped {
        out.push_str(text);
        return;
    }
    // The rest (Windows paths, mostly): the runs between escapes copied whole.
    let mut run = 0;
    for (i, b) in text.bytes().enumerate() {
        let escape = match b {
            b'\\' => "\\\\",
            b'\t' => "\\t",
            b'\n' => "\\n",
            b'\r' => "\\r",
            _ => continue,
        };
        // `i` is an ASCII byte's index, so a character boundary.
        out.push_str(&text[run..i]);
        out.push_str(escape);
        run = i + 1;
    }
    out.push_str(&text[run..]);
}

fn unescape_text(field: &str, out: &mut String) -> Result<(), String> {
    let mut rest = field;
    while let Some(at) = memchr::memchr(b'\\', rest.as_bytes()) {
        out.push_str(&rest[..at]);
        let mut chars = rest[at + 1..].chars();
        match chars.next() {
            Some('\\') => out.push('\\'),
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            other => return Err(format!("unknown escape \\{}", other.unwrap_or(' '))),
        }
        rest = chars.as_str();
    }
    out.push_str(rest);
    Ok(())
}

fn parse_int(text: &str) -> Result<i64, String> {
    text.parse()
        .map_err(|_| format!("'{text}' is not an integer"))
}

fn parse_real(text: &str) -> Result<f64, String> {
    text.parse()
        .map_err(|_| format!("'{text}' is not a number"))
}

fn push_hex(bytes: &[u8], out: &mut String) {
    for b in bytes {
        write!(out, "{b:02X}").expect("string");
    }
}

/// Appends the bytes `text` spells in hexadecimal to `out`.
fn parse_hex(text: &str, out: &mut Vec<u8>) -> Result<(), String> {
    let bad = || format!("'{text}' is not hexadecimal bytes");
    if text.len() & 1 == 1 || !text.is_ascii() {
        return Err(bad());
    }
    for i in (0..text.len()).step_by(2) {
        out.push(u8::from_str_radix(&text[i..i + 2], 16).map_err(|_| bad())?);
    }
    Ok(())
}

/// A value as an SQL literal that the engine reads back as the same value.
pub fn sql_literal(value: &Value) -> String {
    match value {
        Value::Null => "NULL".to_string(),
        Value::Int(i) => i.to_string(),
        // SQL has no NaN literal; engines store NaN as NULL anyway.
        Value::Real(r) if r.is_nan() => "NULL".to_string(),
        Value::Real(r) if r.is_infinite() => if *r > 0.0 { "9e999" } else { "-9e999" }.to_string(),
        // `{:?}` writes whole numbers as `1.0` and large ones as `1e300`: both read back as
        // reals, to the bit.
        Value::Real(r) => format!("{r:?}"),
        Value::Text(t) => {
            // A NUL would end the statement's text for many clients: spell it as char(0).
            let parts: Vec<String> = t
                .split('\0')
                .map(|p| format!("'{}'", p.replace('\'', "''")))
                .collect();
            if parts.len() == 1 {
                parts.into_iter().next().expect("one part")
            } else {
                format!("({})", parts.join(" || char(0) || "))
            }
        }
        Value::Blob(b) => {
            let mut out = String::from("X'");
            push_hex(b, &mut out);
            out.push('\'');
            out
        }
    }
}

/// The `INSERT` statement of one row, as `errors\<table>.sql` and `.log` show it.
pub fn insert_statement(table: &str, columns: &[String], row: &[Value]) -> String {
    let quote = crate::db::sqlite::quote;
    let names: Vec<String> = columns.iter().map(|c| quote(c)).collect();
    let values: Vec<String> = row.iter().map(sql_literal).collect();
    format!(
        "INSERT INTO {} ({}) VALUES ({});",
        quote(table),
        names.join(", "),
        values.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use quickcheck::{Arbitrary, Gen, QuickCheck};

    #[derive(Debug, Clone)]
    struct AnyValue(Value);

    impl Arbitrary for AnyValue {
        fn arbitrary(g: &mut Gen) -> Self {
            let v = match u8::arbitrary(g) % 6 {
                0 => Value::Null,
                1 => Value::Int(i64::arbitrary(g)),
                2 => Value::Real(f64::arbitrary(g)),
                3 => Value::Blob(Vec::<u8>::arbitrary(g)),
                // Text twice as often, with the troublesome characters mixed in.
                _ => {
                    let pool = [
                        "\\", "\t", "\n", "\r", "'", "\0", "\\N", "\\T", "x", "é", "",
                    ];
                    let mut s = String::arbitrary(g);
                    for _ in 0..usize::arbitrary(g) % 4 {
                        s.push_str(g.choose(&pool).expect("non-empty"));
                    }
                    Value::Text(s)
                }
            };
            AnyValue(v)
        }
    }

    fn any_type(n: u8) -> ColumnType {
        [
            ColumnType::Integer,
            ColumnType::Real,
            ColumnType::Text,
            ColumnType::Timestamp,
            ColumnType::Blob,
        ][n as usize % 5]
    }

    fn same(a: &Value, b: &Value) -> bool {
        match (a, b) {
            (Value::Real(x), Value::Real(y)) => {
                x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan())
            }
            _ => a == b,
        }
    }

    #[test]
    fn tsv_field_round_trips_every_value_in_every_column_type_b42() {
        fn law(v: AnyValue, ty: u8) -> bool {
            let ty = any_type(ty);
            let mut field = String::new();
            encode_field((&v.0).into(), ty, &mut field);
            let clean = !field.contains(['\t', '\n', '\r']);
            clean && decode_field(&field, ty).is_ok_and(|back| same(&back, &v.0))
        }
        QuickCheck::new()
            .tests(2000)
            .quickcheck(law as fn(AnyValue, u8) -> bool);
    }

    fn read_back(conn: &rusqlite::Connection, literal: &str) -> Value {
        conn.query_row(&format!("SELECT {literal}"), [], |r| {
            Ok(match r.get_ref(0)? {
                rusqlite::types::ValueRef::Null => Value::Null,
                rusqlite::types::ValueRef::Integer(i) => Value::Int(i),
                rusqlite::types::ValueRef::Real(f) => Value::Real(f),
                rusqlite::types::ValueRef::Text(t) => {
                    Value::Text(String::from_utf8(t.to_vec()).expect("utf-8"))
                }
                rusqlite::types::ValueRef::Blob(b) => Value::Blob(b.to_vec()),
            })
        })
        .expect("a literal is a valid expression")
    }

    #[test]
    fn sql_literal_reads_back_as_the_same_value_b43() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let law = |v: &Value| -> bool {
            let back = read_back(&conn, &sql_literal(v));
            match v {
                Value::Real(r) if r.is_nan() => back == Value::Null,
                // -0.0 and 0.0 are the same number to SQL.
                Value::Real(r) if *r == 0.0 => back == Value::Real(0.0),
                other => same(&back, other),
            }
        };
        let mut g = Gen::new(40);
        for _ in 0..2000 {
            let v = AnyValue::arbitrary(&mut g).0;
            assert!(law(&v), "{v:?} -> {}", sql_literal(&v));
        }
        for edge in [i64::MIN, i64::MAX, 0, -1] {
            assert!(law(&Value::Int(edge)), "{edge}");
        }
    }

    #[test]
    fn tagged_fields_are_not_text_and_escaped_text_is() {
        assert_eq!(decode_field("\\N", ColumnType::Text), Ok(Value::Null));
        assert_eq!(
            decode_field("\\\\N", ColumnType::Text),
            Ok(Value::Text("\\N".into()))
        );
        assert_eq!(
            decode_field("", ColumnType::Text),
            Ok(Value::Text(String::new()))
        );
        assert_eq!(decode_field("\\I7", ColumnType::Text), Ok(Value::Int(7)));
        assert!(decode_field("x", ColumnType::Integer).is_err());
    }
}
