//! Bytes into text: reading a file with errors that name it, refusing what is not
//! text, and the reason of an I/O error in a few plain words.

use std::path::Path;

use crate::diag::InputError;
use crate::origin::Origin;

/// Reads a file as UTF-8 text, with errors that name it; refuses folders, binary
/// data and empty files.
pub fn read_text(path: &Path) -> Result<String, InputError> {
    let source = Origin::from(path);
    if path.is_dir() {
        return Err(InputError::new(source, "is a folder, expected a file"));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| InputError::new(&source, format!("could not read: {}", io_reason(&e))))?;
    text_from_bytes(&source, bytes)
}

/// Checks raw bytes are usable text (UTF-8, no NUL, not empty); strips a BOM.
pub fn text_from_bytes(source: &Origin, bytes: Vec<u8>) -> Result<String, InputError> {
    if bytes.contains(&0) {
        return Err(InputError::new(
            source,
            "looks like a binary file, expected text",
        ));
    }
    let mut text = String::from_utf8(bytes).map_err(|e| {
        InputError::new(
            source,
            format!("is not valid UTF-8 (byte {})", e.utf8_error().valid_up_to()),
        )
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    if text.trim().is_empty() {
        return Err(InputError::new(source, "is empty"));
    }
    Ok(text)
}

/// The reason of an I/O error, without Rust's "(os error 2)" noise.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_string(),
                None => s,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_and_empty_text_are_refused() {
        let x = Origin::from("x");
        assert!(
            text_from_bytes(&x, vec![0, 1, 2])
                .unwrap_err()
                .message
                .contains("binary")
        );
        assert!(
            text_from_bytes(&x, b"  \n".to_vec())
                .unwrap_err()
                .message
                .contains("empty")
        );
        assert_eq!(
            text_from_bytes(&x, b"\xEF\xBB\xBFa=1".to_vec()).unwrap(),
            "a=1"
        );
    }
}
