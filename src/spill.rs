//! Output that must wait for the end of a run (a document whose head holds the
//! run's counts) kept in memory while small and in an unnamed temporary file past
//! that, so that a run of a million sheets holds megabytes, not gigabytes.

use std::fs::File;
use std::io::{self, BufWriter, Seek, Write};

/// Bytes held in memory up to this size, then moved to a temporary file.
const IN_MEMORY: usize = 4 << 20;

/// Bytes written now, copied out later with [`Spill::copy_to`].
#[derive(Debug, Default)]
pub(crate) struct Spill {
    memory: Vec<u8>,
    /// Past [`IN_MEMORY`]: the file the bytes went on to (removed when dropped).
    file: Option<BufWriter<File>>,
    len: u64,
}

impl Spill {
    pub(crate) fn new() -> Self {
        Spill::default()
    }

    /// How many bytes were written.
    #[cfg(test)]
    pub(crate) fn len(&self) -> u64 {
        self.len
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether the bytes went on to a temporary file.
    #[cfg(test)]
    pub(crate) fn on_disk(&self) -> bool {
        self.file.is_some()
    }

    /// Writes everything written so far to `out`.
    pub(crate) fn copy_to(self, out: &mut dyn Write) -> io::Result<()> {
        match self.file {
            None => out.write_all(&self.memory),
            Some(file) => {
                let mut file = file.into_inner().map_err(io::IntoInnerError::into_error)?;
                file.rewind()?;
                io::copy(&mut file, out).map(drop)
            }
        }
    }
}

impl Write for Spill {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.file.is_none() && self.memory.len() + buf.len() > IN_MEMORY {
            let mut file = BufWriter::with_capacity(1 << 16, tempfile::tempfile()?);
            file.write_all(&self.memory)?;
            self.memory = Vec::new();
            self.file = Some(file);
        }
        let n = match &mut self.file {
            Some(f) => f.write(buf)?,
            None => {
                self.memory.extend_from_slice(buf);
                buf.len()
            }
        };
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.file {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_output_stays_in_memory_and_large_goes_to_disk_intact() {
        let mut s = Spill::new();
        s.write_all(b"head ").unwrap();
        assert!(!s.on_disk());
        let block: Vec<u8> = (0..=255u8).cycle().take(1 << 20).collect();
        for _ in 0..5 {
            s.write_all(&block).unwrap();
        }
        assert!(s.on_disk());
        assert_eq!(s.len(), 5 + 5 * (1 << 20));
        let mut out = Vec::new();
        s.copy_to(&mut out).unwrap();
        assert_eq!(&out[..5], b"head ");
        assert!(out[5..].chunks(1 << 20).all(|c| c == block.as_slice()));
        assert_eq!(out.len(), 5 + 5 * (1 << 20));
    }
}
