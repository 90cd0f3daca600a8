//! Benchmark baseline: read a CSV file with the csv crate and nothing else, into a
//! reused `ByteRecord` (no UTF-8 check: the floor of parsing; the same
//! reader settings `pmo-vmo score` uses), printing the row count.
//!
//! `cargo run --release --example parse_only -- FILE.csv`

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: parse_only FILE.csv");
        return ExitCode::from(2);
    };
    let file = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {}: {e}", path.to_string_lossy());
            return ExitCode::from(2);
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .buffer_capacity(64 * 1024)
        .from_reader(file);
    let mut record = csv::ByteRecord::new();
    let mut rows = 0u64;
    let mut cells = 0u64;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {
                rows += 1;
                cells += record.len() as u64;
            }
            Ok(false) => break,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    }
    println!("{rows} rows, {cells} cells");
    ExitCode::SUCCESS
}
