//! How exports are read, as the command line asks: which worksheet of a workbook,
//! which text encoding, and whether unfinished responses count.

use encoding_rs::Encoding;

/// Choices about reading survey exports; the default reads the first worksheet,
/// decides the encoding from the bytes and leaves unfinished responses out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadOptions {
    /// The worksheet of a workbook to read, by name (`--sheet`).
    pub sheet: Option<String>,
    /// The text encoding of exports, overriding what the bytes suggest (`--encoding`).
    pub encoding: Option<&'static Encoding>,
    /// Score rows the product marks unfinished too (`--include-partial`).
    pub include_partial: bool,
}

impl ReadOptions {
    /// The encoding a label such as `windows-1252`, `latin1` or `utf-16le` names.
    pub fn encoding_named(label: &str) -> Option<&'static Encoding> {
        Encoding::for_label(label.trim().as_bytes())
    }
}
