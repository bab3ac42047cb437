//! A batch of rows laid out for the insert's hot path: every value a fixed-size cell in one
//! vector, row after row, and the bytes of all text and blobs in two buffers. Filling one
//! allocates nothing once its buffers have grown to a batch's size, and reading one goes
//! through memory in order, where a `Vec<Vec<Value>>` scatters each row and each text over
//! the heap (measured on sqlmigrate's import: a quarter of the reader thread went to the
//! allocator, and the importer waited on cache misses walking the rows).

use super::Value;

/// One value of a [`RowBatch`], borrowed from it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ValueRef<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
}

impl ValueRef<'_> {
    pub fn to_value(self) -> Value {
        match self {
            ValueRef::Null => Value::Null,
            ValueRef::Int(i) => Value::Int(i),
            ValueRef::Real(r) => Value::Real(r),
            ValueRef::Text(t) => Value::Text(t.to_string()),
            ValueRef::Blob(b) => Value::Blob(b.to_vec()),
        }
    }
}

impl<'a> From<&'a Value> for ValueRef<'a> {
    fn from(value: &'a Value) -> Self {
        match value {
            Value::Null => ValueRef::Null,
            Value::Int(i) => ValueRef::Int(*i),
            Value::Real(r) => ValueRef::Real(*r),
            Value::Text(t) => ValueRef::Text(t),
            Value::Blob(b) => ValueRef::Blob(b),
        }
    }
}

/// A value's place in the batch: text and blobs as ranges of their buffers.
#[derive(Debug, Clone, Copy)]
enum Cell {
    Null,
    Int(i64),
    Real(f64),
    Text { start: u32, len: u32 },
    Blob { start: u32, len: u32 },
}

/// Rows of `width` values each. Values are pushed in row order; a row is complete once
/// `width` values follow the previous one.
#[derive(Debug, Default)]
pub struct RowBatch {
    width: usize,
    cells: Vec<Cell>,
    text: String,
    blobs: Vec<u8>,
}

impl RowBatch {
    pub fn new(width: usize) -> RowBatch {
        RowBatch {
            width,
            ..RowBatch::default()
        }
    }

    /// The rows given, copied; they have the first row's width.
    pub fn from_rows(rows: &[Vec<Value>]) -> RowBatch {
        let width = rows.first().map_or(0, Vec::len);
        let mut batch = RowBatch::new(width);
        for row in rows {
            assert_eq!(row.len(), width, "a row of the batch's width");
            row.iter().for_each(|v| batch.push(v.into()));
        }
        batch
    }

    /// Empties the batch for rows of `width` values, keeping its buffers.
    pub fn clear(&mut self, width: usize) {
        self.width = width;
        self.cells.clear();
        self.text.clear();
        self.blobs.clear();
    }

    pub fn width(&self) -> usize {
        self.width
    }

    /// The complete rows.
    pub fn len(&self) -> usize {
        self.cells.len().checked_div(self.width).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn push(&mut self, value: ValueRef<'_>) {
        match value {
            ValueRef::Null => self.cells.push(Cell::Null),
            ValueRef::Int(i) => self.cells.push(Cell::Int(i)),
            ValueRef::Real(r) => self.cells.push(Cell::Real(r)),
            ValueRef::Text(t) => {
                self.push_text(|out| {
                    out.push_str(t);
                    Ok::<(), ()>(())
                })
                .expect("pushing text cannot fail");
            }
            ValueRef::Blob(b) => {
                self.push_blob(|out| {
                    out.extend_from_slice(b);
                    Ok::<(), ()>(())
                })
                .expect("pushing a blob cannot fail");
            }
        }
    }

    /// Pushes a text value that `write` appends to the batch's text buffer. When `write`
    /// fails, nothing is pushed.
    pub fn push_text<E>(
        &mut self,
        write: impl FnOnce(&mut String) -> Result<(), E>,
    ) -> Result<(), E> {
        let start = self.text.len();
        match write(&mut self.text) {
            Ok(()) => {
                let (start, len) = span(start, self.text.len());
                self.cells.push(Cell::Text { start, len });
                Ok(())
            }
            Err(e) => {
                self.text.truncate(start);
                Err(e)
            }
        }
    }

    /// Pushes a blob value that `write` appends to the batch's blob buffer. When `write`
    /// fails, nothing is pushed.
    pub fn push_blob<E>(
        &mut self,
        write: impl FnOnce(&mut Vec<u8>) -> Result<(), E>,
    ) -> Result<(), E> {
        let start = self.blobs.len();
        match write(&mut self.blobs) {
            Ok(()) => {
                let (start, len) = span(start, self.blobs.len());
                self.cells.push(Cell::Blob { start, len });
                Ok(())
            }
            Err(e) => {
                self.blobs.truncate(start);
                Err(e)
            }
        }
    }

    /// Value `column` of row `row`.
    #[inline]
    pub fn get(&self, row: usize, column: usize) -> ValueRef<'_> {
        debug_assert!(column < self.width);
        self.value(&self.cells[row * self.width + column])
    }

    /// The values of row `row`.
    pub fn row(&self, row: usize) -> impl ExactSizeIterator<Item = ValueRef<'_>> + '_ {
        let from = row * self.width;
        self.cells[from..from + self.width]
            .iter()
            .map(|cell| self.value(cell))
    }

    /// The values of rows `rows`, row after row.
    pub fn values(&self, rows: std::ops::Range<usize>) -> impl Iterator<Item = ValueRef<'_>> + '_ {
        self.cells[rows.start * self.width..rows.end * self.width]
            .iter()
            .map(|cell| self.value(cell))
    }

    /// Row `row` as owned values.
    pub fn to_row(&self, row: usize) -> Vec<Value> {
        self.row(row).map(ValueRef::to_value).collect()
    }

    #[inline]
    fn value(&self, cell: &Cell) -> ValueRef<'_> {
        match *cell {
            Cell::Null => ValueRef::Null,
            Cell::Int(i) => ValueRef::Int(i),
            Cell::Real(r) => ValueRef::Real(r),
            Cell::Text { start, len } => {
                ValueRef::Text(&self.text[start as usize..(start + len) as usize])
            }
            Cell::Blob { start, len } => {
                ValueRef::Blob(&self.blobs[start as usize..(start + len) as usize])
            }
        }
    }
}

/// A value's range in a buffer, as the cells keep it.
fn span(start: usize, end: usize) -> (u32, u32) {
    let fits = |n: usize| u32::try_from(n).expect("a batch's text and blobs stay under 4 GiB");
    (fits(start), fits(end - start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_read_back_as_pushed_and_a_failed_push_leaves_nothing() {
        let rows = vec![
            vec![Value::Int(1), Value::Text("één".into()), Value::Null],
            vec![
                Value::Real(0.5),
                Value::Blob(vec![0, 255]),
                Value::Text(String::new()),
            ],
        ];
        let mut batch = RowBatch::from_rows(&rows);
        assert_eq!(batch.len(), 2);
        assert_eq!(batch.to_row(0), rows[0]);
        assert_eq!(batch.to_row(1), rows[1]);
        assert_eq!(batch.get(1, 1), ValueRef::Blob(&[0, 255]));
        assert_eq!(batch.values(0..2).count(), 6);

        let failed = batch.push_text(|out| {
            out.push_str("half");
            Err("refused")
        });
        assert_eq!(failed, Err("refused"));
        batch.push(ValueRef::Text("x"));
        assert_eq!(batch.len(), 2, "one value of a third row is no row yet");
        batch.push(ValueRef::Null);
        batch.push(ValueRef::Int(7));
        assert_eq!(
            batch.to_row(2),
            vec![Value::Text("x".into()), Value::Null, Value::Int(7)]
        );

        batch.clear(1);
        assert!(batch.is_empty());
        batch.push(ValueRef::Text("y"));
        assert_eq!(batch.to_row(0), vec![Value::Text("y".into())]);
    }
}
