//! Files that appear whole or not at all: `init`'s blank sheet, the HTML report and
//! the interview's sheet are all written to a temporary file beside the target,
//! synced, then linked into place. One place for it, so every writer gets the same
//! care over modes, races and what is left behind.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

/// Bytes written and synced beside their target, not yet in place.
#[derive(Debug)]
pub struct Staged {
    tmp: NamedTempFile,
    target: PathBuf,
}

/// The folder a file is written in (`.` for a bare name).
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Writes `bytes` to a temporary file in `target`'s folder, named after it
/// (`.NAME.XXXX.tmp`), with `target`'s mode when it exists and the mode of a plain
/// new file otherwise (umask applied, not tempfile's private 0600), and syncs it.
pub fn stage(target: &Path, bytes: &[u8]) -> io::Result<Staged> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(
            std::fs::metadata(target)
                .map(|m| m.permissions())
                .unwrap_or_else(|_| std::fs::Permissions::from_mode(0o666)),
        );
    }
    let mut tmp = builder.tempfile_in(folder_of(target))?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    Ok(Staged {
        tmp,
        target: target.to_path_buf(),
    })
}

/// Why staged bytes did not go into place; the staged file comes back, so the
/// caller can put it elsewhere.
#[derive(Debug)]
pub struct NotLinked {
    pub staged: Staged,
    pub error: io::Error,
}

impl Staged {
    /// Renames the file over the target, whatever is there.
    pub fn replace(self) -> Result<(), NotLinked> {
        let Staged { tmp, target } = self;
        tmp.persist(&target).map(drop).map_err(|e| NotLinked {
            staged: Staged {
                tmp: e.file,
                target,
            },
            error: e.error,
        })
    }

    /// Links the file in as the target, unless something is there already (even a
    /// file that appeared after the caller last looked): then `AlreadyExists`.
    pub fn create(self) -> Result<(), NotLinked> {
        let Staged { tmp, target } = self;
        tmp.persist_noclobber(&target)
            .map(drop)
            .map_err(|e| NotLinked {
                staged: Staged {
                    tmp: e.file,
                    target,
                },
                error: e.error,
            })
    }

    /// Links the file in at another path, which must not exist.
    pub fn create_at(self, path: &Path) -> io::Result<()> {
        self.tmp
            .persist_noclobber(path)
            .map(drop)
            .map_err(|e| e.error)
    }
}

/// Writes `bytes` to `path` whole: replacing what is there when `replace`,
/// otherwise only when nothing is (`AlreadyExists`).
pub fn write(path: &Path, bytes: &[u8], replace: bool) -> io::Result<()> {
    let staged = stage(path, bytes)?;
    let linked = if replace {
        staged.replace()
    } else {
        staged.create()
    };
    linked.map_err(|e| e.error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_file_is_created_and_an_existing_one_kept_unless_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.html");
        write(&p, b"one", false).unwrap();
        let e = write(&p, b"two", false).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&p).unwrap(), b"one");
        write(&p, b"three", true).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"three");
        // Nothing is left beside it.
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }
}
