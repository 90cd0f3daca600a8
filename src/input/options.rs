//! How exports are read, as the command line asks: which worksheet of a workbook,
//! which text encoding, which way round dates write day and month, and whether
//! unfinished responses count.

use encoding_rs::Encoding;

/// Choices about reading survey exports; the default reads the active worksheet,
/// decides the encoding from the bytes and the order of dates from the cells, and
/// leaves unfinished responses out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadOptions {
    /// The worksheet of a workbook to read, by name (`--sheet`).
    pub sheet: Option<String>,
    /// The text encoding of exports, overriding what the bytes suggest (`--encoding`).
    pub encoding: Option<&'static Encoding>,
    /// Which way round dates such as `11/4/26` write day and month (`--date-order`).
    pub date_order: Option<DateOrder>,
    /// Score rows the product marks unfinished too (`--include-partial`).
    pub include_partial: bool,
}

/// Which way round a date written in numbers (`11/4/26`) has day and month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    /// Month, day, year: `11/4/26` is 4 November 2026 (the United States).
    Mdy,
    /// Day, month, year: `11/4/26` is 11 April 2026 (most other places).
    Dmy,
}

impl ReadOptions {
    /// The encoding a label such as `windows-1252`, `latin1` or `utf-16le` names.
    pub fn encoding_named(label: &str) -> Option<&'static Encoding> {
        Encoding::for_label(label.trim().as_bytes())
    }
}
