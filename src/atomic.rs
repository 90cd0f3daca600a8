//! Files that appear whole or not at all: `init`'s blank sheet, the HTML report and
//! the interview's sheet are all written to a temporary file beside the target,
//! synced, then linked into place. One place for it, so every writer gets the same
//! care over modes, links, devices, races and what is left behind:
//!
//! - only a regular file is ever replaced: a FIFO or a character device (`/dev/null`,
//!   a terminal) is written into as standard output would be, anything else refused;
//! - a symbolic link is followed: its target is written, the link stays;
//! - a replaced file keeps its mode;
//! - a temporary file is removed on the way out of a run stopped by a signal
//!   ([`discard_staged_for_exit`]).
//!
//! On Windows the same holds with Windows' own terms: a device name (`NUL`,
//! `CON`, `COM1`, `\\.\pipe\NAME`) is written into as a character device is on
//! Unix; the rename is `MoveFileExW` (tempfile's `persist`), which refuses a
//! read-only target instead of keeping its mode, and the new file takes the
//! folder's inherited permissions.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use tempfile::NamedTempFile;

/// The temporary files staged and not yet linked into place, so that a signal
/// handler can remove them. Held while one is created and while one is renamed,
/// so that a signal never lands between the two.
static STAGED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn staged_files() -> MutexGuard<'static, Vec<PathBuf>> {
    STAGED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Removes every staged temporary file, for a process on its way out (Ctrl-C,
/// SIGTERM): call it from the signal handler, then exit. No file is staged or
/// linked into place after it, so it must be the last thing before exiting.
pub fn discard_staged_for_exit() {
    let mut staged = staged_files();
    for p in staged.drain(..) {
        let _ = std::fs::remove_file(p);
    }
    // Kept locked: a write under way never links its file in now.
    std::mem::forget(staged);
}

/// A staged file's place in [`STAGED`], given up when it is linked or dropped.
#[derive(Debug)]
struct Registered(PathBuf);

impl Drop for Registered {
    fn drop(&mut self) {
        staged_files().retain(|p| *p != self.0);
    }
}

/// Bytes written and synced beside their target, not yet in place.
#[derive(Debug)]
pub struct Staged {
    tmp: NamedTempFile,
    target: PathBuf,
    registered: Registered,
}

/// The folder a file is written in (`.` for a bare name).
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Where writing to `path` lands: the file at the end of its chain of symbolic
/// links (which need not exist yet), or `path` itself.
pub fn resolve(path: &Path) -> PathBuf {
    let mut p = path.to_path_buf();
    // As many hops as the kernel follows before it gives up on a loop.
    for _ in 0..40 {
        match std::fs::read_link(&p) {
            Ok(t) if t.is_absolute() => p = t,
            Ok(t) => p = folder_of(&p).join(t),
            Err(_) => break,
        }
    }
    p
}

/// Writes `bytes` to a temporary file in `target`'s folder, named after it
/// (`.NAME.XXXX.tmp`), with `target`'s mode when it exists and the mode of a plain
/// new file otherwise (umask applied, not tempfile's private 0600), and syncs it.
/// `target` is taken as it is: [`resolve`] it first to write through a link.
pub fn stage(target: &Path, bytes: &[u8]) -> io::Result<Staged> {
    stage_with(target, |w| w.write_all(bytes))
}

/// [`stage`] with the bytes written by `fill` (through a buffer), for a file too
/// large to hold in memory first.
pub(crate) fn stage_with(
    target: &Path,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<Staged> {
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
    let (mut tmp, registered) = {
        let mut staged = staged_files();
        let tmp = builder.tempfile_in(folder_of(target))?;
        staged.push(tmp.path().to_path_buf());
        let registered = Registered(tmp.path().to_path_buf());
        (tmp, registered)
    };
    {
        let mut buffered = io::BufWriter::with_capacity(1 << 16, &mut tmp);
        fill(&mut buffered)?;
        buffered.flush()?;
    }
    tmp.as_file().sync_all()?;
    Ok(Staged {
        tmp,
        target: target.to_path_buf(),
        registered,
    })
}

/// Why staged bytes did not go into place; the staged file comes back, so the
/// caller can put it elsewhere.
#[derive(Debug)]
pub struct NotLinked {
    /// The staged file, still to be put somewhere.
    pub staged: Staged,
    /// Why it could not be linked in.
    pub error: io::Error,
}

impl Staged {
    /// Links the file in as `path` (`replace`: over whatever is there), with the
    /// registry held so that a signal handler never removes it half way.
    fn link(self, path: &Path, replace: bool) -> Result<(), NotLinked> {
        let Staged {
            tmp,
            target,
            registered,
        } = self;
        let held = staged_files();
        let linked = if replace {
            tmp.persist(path)
        } else {
            tmp.persist_noclobber(path)
        };
        drop(held);
        linked.map(drop).map_err(|e| NotLinked {
            staged: Staged {
                tmp: e.file,
                target,
                registered,
            },
            error: e.error,
        })
    }

    /// Renames the file over the target, whatever is there.
    pub fn replace(self) -> Result<(), NotLinked> {
        let target = self.target.clone();
        self.link(&target, true)
    }

    /// Links the file in as the target, unless something is there already (even a
    /// file that appeared after the caller last looked): then `AlreadyExists`.
    pub fn create(self) -> Result<(), NotLinked> {
        let target = self.target.clone();
        self.link(&target, false)
    }

    /// Links the file in at another path, which must not exist.
    pub fn create_at(self, path: &Path) -> io::Result<()> {
        self.link(path, false).map_err(|e| e.error)
    }
}

/// Where [`write`] put the bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wrote {
    /// A regular file at the path, whole.
    File,
    /// The regular file a symbolic link leads to, whole; the link is kept.
    Through(PathBuf),
    /// Straight into a FIFO or a character device, as standard output is written;
    /// nothing was renamed.
    Into,
}

/// Whether `path` is (or leads to) a regular file: what [`write`] would replace.
pub fn is_file(path: &Path) -> bool {
    !is_device(path) && std::fs::metadata(path).is_ok_and(|m| m.is_file())
}

/// Whether `path` names a Windows device, which is written into, never renamed
/// over. std gives them no file type of their own on Windows (`NUL` may even read
/// as a file), so they are known by name. Never true on Unix, where the file type
/// says it.
fn is_device(path: &Path) -> bool {
    cfg!(windows) && names_windows_device(path)
}

/// Whether `path` is one of the names Windows keeps for devices in every folder
/// (`NUL`, `CON`, `PRN`, `AUX`, `COM1`-`COM9`, `LPT1`-`LPT9`, `CONIN$`, `CONOUT$`;
/// any case, trailing dots and spaces ignored as Windows ignores them) or a named
/// pipe (`\\.\pipe\NAME`).
fn names_windows_device(path: &Path) -> bool {
    let whole = path.as_os_str().to_string_lossy();
    if whole
        .get(..9)
        .is_some_and(|head| head.eq_ignore_ascii_case(r"\\.\pipe\"))
    {
        return true;
    }
    // The last component, by either separator, so that this reads the same on
    // every platform (and is tested on all of them).
    let name = whole.rsplit(['/', '\\']).next().unwrap_or_default();
    let name = name.trim_end_matches(['.', ' ']).to_ascii_uppercase();
    match name.as_bytes() {
        b"CON" | b"PRN" | b"AUX" | b"NUL" | b"CONIN$" | b"CONOUT$" => true,
        [b'C', b'O', b'M', n] | [b'L', b'P', b'T', n] => (b'1'..=b'9').contains(n),
        _ => false,
    }
}

/// Writes `bytes` to `path`: a regular file is written whole (replacing what is
/// there when `replace`, otherwise only when nothing is: `AlreadyExists`), through
/// any symbolic link; a FIFO or character device is written into, whatever
/// `replace`; a folder, block device or socket is refused (`InvalidInput`).
pub fn write(path: &Path, bytes: &[u8], replace: bool) -> io::Result<Wrote> {
    write_with(path, replace, |w| w.write_all(bytes))
}

/// [`write`] with the bytes written by `fill`, for a file too large to hold in
/// memory first.
pub fn write_with(
    path: &Path,
    replace: bool,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<Wrote> {
    if is_device(path) {
        return stream_into(path, fill).map(|()| Wrote::Into);
    }
    if let Ok(meta) = std::fs::metadata(path)
        && !meta.is_file()
    {
        return write_into(path, &meta, fill).map(|()| Wrote::Into);
    }
    let target = resolve(path);
    let staged = stage_with(&target, fill)?;
    let linked = if replace {
        staged.replace()
    } else {
        staged.create()
    };
    linked.map_err(|e| e.error)?;
    Ok(if target == path {
        Wrote::File
    } else {
        Wrote::Through(target)
    })
}

/// Writes into what is neither a regular file nor missing: a FIFO or character
/// device as a stream (never created, truncated or renamed over), anything else
/// refused.
fn write_into(
    path: &Path,
    meta: &std::fs::Metadata,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let refuse = |what: &str| {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("it is {what}, not a file"),
        ))
    };
    if meta.is_dir() {
        return refuse("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_block_device() {
            return refuse("a block device");
        }
        if t.is_socket() {
            return refuse("a socket");
        }
    }
    stream_into(path, fill)
}

/// Writes into a FIFO or device as a stream: opened to write, never created,
/// truncated or renamed over.
fn stream_into(path: &Path, fill: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let out = std::fs::OpenOptions::new().write(true).open(path)?;
    let mut out = io::BufWriter::with_capacity(1 << 16, out);
    fill(&mut out)?;
    out.flush()
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
        assert_eq!(write(&p, b"three", true).unwrap(), Wrote::File);
        assert_eq!(std::fs::read(&p).unwrap(), b"three");
        // Nothing is left beside it.
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_written_through_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("real")).unwrap();
        let target = dir.path().join("real/r.html");
        std::fs::write(&target, "old").unwrap();
        let link = dir.path().join("r.html");
        std::os::unix::fs::symlink("real/r.html", &link).unwrap();
        assert_eq!(
            write(&link, b"new", true).unwrap(),
            Wrote::Through(dir.path().join("real/r.html"))
        );
        assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        // A dangling link: its target is created.
        let dangling = dir.path().join("d.html");
        std::os::unix::fs::symlink("real/d.html", &dangling).unwrap();
        write(&dangling, b"made", false).unwrap();
        assert_eq!(
            std::fs::read(dir.path().join("real/d.html")).unwrap(),
            b"made"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_written_into_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.html");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()));
        let reader = std::thread::spawn({
            let fifo = fifo.clone();
            move || std::fs::read(fifo).unwrap()
        });
        assert_eq!(write(&fifo, b"<html>", true).unwrap(), Wrote::Into);
        assert_eq!(reader.join().unwrap(), b"<html>");
        assert!(fifo.symlink_metadata().unwrap().file_type().is_fifo());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn windows_device_names_are_known_by_name() {
        for p in [
            "NUL",
            "nul",
            "CON",
            "out/NUL",
            r"C:\reports\nul",
            "NUL. ",
            "COM1",
            "lpt9",
            "CONOUT$",
            r"\\.\pipe\pmo-vmo",
        ] {
            assert!(names_windows_device(Path::new(p)), "{p}");
        }
        for p in [
            "null",
            "NUL.html",
            "COM0",
            "COM10",
            "LPT",
            "CONSOLE",
            "report.html",
            "",
        ] {
            assert!(!names_windows_device(Path::new(p)), "{p}");
        }
        // Only Windows treats them so.
        assert_eq!(is_device(Path::new("NUL")), cfg!(windows));
    }

    #[test]
    fn discarding_removes_what_is_staged_and_nothing_else() {
        // Not `discard_staged_for_exit`, which keeps the registry locked for good:
        // what it removes is the registry's content, checked here.
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.html");
        let staged = stage(&p, b"x").unwrap();
        let tmp = staged.tmp.path().to_path_buf();
        assert!(staged_files().contains(&tmp));
        staged.replace().unwrap();
        assert!(!staged_files().contains(&tmp));
        let dropped = stage(&p, b"y").unwrap();
        let tmp = dropped.tmp.path().to_path_buf();
        drop(dropped);
        assert!(!staged_files().contains(&tmp));
    }
}
