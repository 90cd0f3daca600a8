//! Bytes into text: opening a file without ever blocking on a pipe nobody writes
//! to, reading at most [`MAX_TEXT_BYTES`], refusing what is not text.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use crate::diag::{FileFault, InputError, IoReason};
use crate::origin::Origin;

/// The most a sheet or rubric may hold. Real ones are a few kilobytes (the default
/// rubric is about 20 KB); anything this big is the wrong file (a log, a disk
/// image, `/dev/zero`), refused at once instead of filling the memory.
pub(crate) const MAX_TEXT_BYTES: u64 = 4 * 1024 * 1024;

/// A file opened for reading, with what was read to see whether a pipe had a
/// writer put back in front.
#[derive(Debug)]
pub(crate) struct Opened {
    head: io::Cursor<Vec<u8>>,
    file: File,
}

impl Read for Opened {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.head.read(buf)? {
            0 => self.file.read(buf),
            n => Ok(n),
        }
    }
}

/// Opens a file to read, with errors that name it. A regular file opens as usual;
/// a folder is refused. A named pipe (FIFO) is opened without waiting and read only
/// when something writes to it, as a `<(command)` path does: one nobody writes to
/// would block forever, so it is refused. A device is read as it comes (bounded by
/// the caller).
pub(crate) fn open_input(path: &Path) -> Result<Opened, InputError> {
    let source = Origin::from(path);
    let fail = |e: &io::Error| unreadable(&source, e);
    let meta = std::fs::metadata(path).map_err(|e| fail(&e))?;
    if meta.is_dir() {
        return Err(InputError::new(source, FileFault::IsFolder));
    }
    let head = io::Cursor::new(Vec::new());
    if meta.is_file() {
        let file = File::open(path).map_err(|e| fail(&e))?;
        return Ok(Opened { head, file });
    }
    special(path, &meta).map_err(|e| match e {
        Special::NoWriter => InputError::new(&source, FileFault::NoWriter),
        Special::Io(e) => fail(&e),
    })
}

enum Special {
    /// A FIFO with no writer: Unix only (a Windows named pipe is opened as its
    /// server's client, and read as it comes).
    #[cfg_attr(not(unix), allow(dead_code))]
    NoWriter,
    Io(io::Error),
}

impl From<io::Error> for Special {
    fn from(e: io::Error) -> Self {
        Special::Io(e)
    }
}

/// Opens what is neither a file nor a folder: see [`open_input`].
#[cfg(unix)]
fn special(path: &Path, meta: &std::fs::Metadata) -> Result<Opened, Special> {
    use rustix::fs::{OFlags, fcntl_getfl, fcntl_setfl};
    use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
    // Opening a FIFO to read waits for a writer, unless non-blocking.
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(OFlags::NONBLOCK.bits() as i32)
        .open(path)?;
    let mut head = Vec::new();
    if meta.file_type().is_fifo() {
        // Without a writer a non-blocking read ends at once with nothing (a
        // writer that has not written yet says "would block" instead).
        let mut buf = vec![0u8; 64 * 1024];
        match file.read(&mut buf) {
            Ok(0) => return Err(Special::NoWriter),
            Ok(n) => head.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
            Err(e) => return Err(e.into()),
        }
    }
    let flags = fcntl_getfl(&file).map_err(io::Error::from)?;
    fcntl_setfl(&file, flags - OFlags::NONBLOCK).map_err(io::Error::from)?;
    Ok(Opened {
        head: io::Cursor::new(head),
        file,
    })
}

#[cfg(not(unix))]
fn special(path: &Path, _meta: &std::fs::Metadata) -> Result<Opened, Special> {
    Ok(Opened {
        head: io::Cursor::new(Vec::new()),
        file: File::open(path)?,
    })
}

/// Reads at most [`MAX_TEXT_BYTES`] from `reader`; more is an error about the size.
pub(crate) fn read_bounded(source: &Origin, reader: impl Read) -> Result<Vec<u8>, InputError> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_TEXT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| unreadable(source, &e))?;
    if bytes.len() as u64 > MAX_TEXT_BYTES {
        let limit_mib = MAX_TEXT_BYTES / (1024 * 1024);
        return Err(InputError::new(source, FileFault::TooLarge { limit_mib }));
    }
    Ok(bytes)
}

/// Reads a file as UTF-8 text, with errors that name it; refuses folders, pipes
/// nobody writes to, files over the size limit, binary data and empty files.
pub fn read_text(path: &Path) -> Result<String, InputError> {
    let source = Origin::from(path);
    let bytes = read_bounded(&source, open_input(path)?)?;
    text_from_bytes(&source, bytes)
}

/// The byte order of UTF-16 text (whether big-endian): by its byte order mark, or
/// by the zero bytes that plain ASCII letters get in UTF-16.
fn utf16(bytes: &[u8]) -> Option<bool> {
    match bytes {
        [0xff, 0xfe, ..] => Some(false),
        [0xfe, 0xff, ..] => Some(true),
        [a, 0, b, 0, ..] if *a != 0 && *b != 0 => Some(false),
        [0, a, 0, b, ..] if *a != 0 && *b != 0 => Some(true),
        _ => None,
    }
}

/// Checks raw bytes are usable text (UTF-8, no NUL, not empty); strips a BOM.
pub(crate) fn text_from_bytes(source: &Origin, bytes: Vec<u8>) -> Result<String, InputError> {
    if let Some(big_endian) = utf16(&bytes) {
        return Err(InputError::new(source, FileFault::Utf16 { big_endian }));
    }
    if bytes.contains(&0) {
        return Err(InputError::new(source, FileFault::Binary));
    }
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let byte = e.utf8_error().valid_up_to();
        InputError::new(source, FileFault::NotUtf8 { byte })
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    if text.trim().is_empty() {
        return Err(InputError::new(source, FileFault::Empty));
    }
    Ok(text)
}

/// The error of a read (or an open) that failed.
pub(crate) fn unreadable(source: &Origin, e: &io::Error) -> InputError {
    InputError::new(source, FileFault::Unreadable(IoReason::of(e)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Fault;

    #[test]
    fn binary_and_empty_text_are_refused() {
        let x = Origin::from("x");
        let kind = |bytes: &[u8]| text_from_bytes(&x, bytes.to_vec()).unwrap_err().kind;
        assert_eq!(kind(&[0, 1, 2]), Fault::File(FileFault::Binary));
        assert_eq!(kind(b"  \n"), Fault::File(FileFault::Empty));
        assert_eq!(
            text_from_bytes(&x, b"\xEF\xBB\xBFa=1".to_vec()).unwrap(),
            "a=1"
        );
    }

    #[test]
    fn utf16_text_is_named_as_such() {
        let x = Origin::from("x");
        let mut le = vec![0xff, 0xfe];
        le.extend("a = 1".encode_utf16().flat_map(u16::to_le_bytes));
        let be: Vec<u8> = "a = 1".encode_utf16().flat_map(u16::to_be_bytes).collect();
        for (bytes, big_endian) in [(le, false), (be, true)] {
            let e = text_from_bytes(&x, bytes).unwrap_err();
            assert_eq!(e.kind, Fault::File(FileFault::Utf16 { big_endian }));
        }
    }

    #[test]
    fn more_than_the_limit_is_refused_for_its_size() {
        let x = Origin::from("x");
        let limit = usize::try_from(MAX_TEXT_BYTES).unwrap();
        assert_eq!(
            read_bounded(&x, &vec![b'a'; limit][..]).unwrap().len(),
            limit
        );
        let e = read_bounded(&x, io::repeat(b'a')).unwrap_err();
        assert_eq!(e.kind, Fault::File(FileFault::TooLarge { limit_mib: 4 }));
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_nobody_writes_to_is_refused_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("x.toml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()));
        let e = read_text(&fifo).unwrap_err();
        assert_eq!(e.kind, Fault::File(FileFault::NoWriter));
        // With a writer, it is read like a file.
        let writer = std::thread::spawn({
            let fifo = fifo.clone();
            move || std::fs::write(&fifo, "a = 1\n")
        });
        // The writer's open waits for this reader; retry until it is there.
        let text = loop {
            match read_text(&fifo) {
                Ok(t) => break t,
                Err(e) if e.kind == Fault::File(FileFault::NoWriter) => {
                    std::thread::sleep(std::time::Duration::from_millis(10));
                }
                Err(e) => panic!("{e:?}"),
            }
        };
        writer.join().unwrap().unwrap();
        assert_eq!(text, "a = 1\n");
    }
}
