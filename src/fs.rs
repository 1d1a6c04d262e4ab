//! File access that names the path in every error. The rest of the crate goes through here.

use std::path::Path;

use crate::error::{Error, Result};

pub fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::io(path, e))
}

pub fn read_to_string(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| Error::io(path, e))
}

pub fn write(path: &Path, contents: impl AsRef<[u8]>) -> Result<()> {
    std::fs::write(path, contents).map_err(|e| Error::io(path, e))
}

pub fn create_dir_all(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path).map_err(|e| Error::io(path, e))
}

/// Writes `contents` at `path`, creating the parent folders it needs.
pub fn write_creating_dirs(path: &Path, contents: impl AsRef<[u8]>) -> Result<()> {
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    write(path, contents)
}

/// Appends `line` and a newline to the file at `path` (created with its folders if missing),
/// and waits until it is on disk: a log that must survive the process being killed.
pub fn append_line(path: &Path, line: &str) -> Result<()> {
    use std::io::Write;
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    writeln!(file, "{line}")
        .and_then(|()| file.sync_data())
        .map_err(|e| Error::io(path, e))
}

pub fn copy(from: &Path, to: &Path) -> Result<()> {
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| Error::io_pair("copy", from, to, e))
}

pub fn remove_dir_all(path: &Path) -> Result<()> {
    std::fs::remove_dir_all(path).map_err(|e| Error::io(path, e))
}

pub fn remove_dir(path: &Path) -> Result<()> {
    std::fs::remove_dir(path).map_err(|e| Error::io(path, e))
}

pub fn remove_file(path: &Path) -> Result<()> {
    std::fs::remove_file(path).map_err(|e| Error::io(path, e))
}

/// Removes a file; `false` when there was none.
pub fn remove_file_if_present(path: &Path) -> Result<bool> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(Error::io(path, e)),
    }
}

/// Creates `path` holding `contents` unless something is there; `false` when it was. Never
/// replaces a file, even one created between a check and the write.
pub fn write_new(path: &Path, contents: impl AsRef<[u8]>) -> Result<bool> {
    use std::io::Write;
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path);
    match file {
        Ok(mut file) => {
            file.write_all(contents.as_ref())
                .map_err(|e| Error::io(path, e))?;
            Ok(true)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(Error::io(path, e)),
    }
}

pub fn rename(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to).map_err(|e| Error::io_pair("move", from, to, e))
}

pub fn read_dir(path: &Path) -> Result<std::fs::ReadDir> {
    std::fs::read_dir(path).map_err(|e| Error::io(path, e))
}

pub fn metadata(path: &Path) -> Result<std::fs::Metadata> {
    std::fs::metadata(path).map_err(|e| Error::io(path, e))
}

pub fn open(path: &Path) -> Result<std::fs::File> {
    std::fs::File::open(path).map_err(|e| Error::io(path, e))
}

/// Writes `contents` at `path` through a temporary file beside it and a rename, so a reader
/// (or a crash) never sees half a file; creates the parent folders it needs.
pub fn write_atomic(path: &Path, contents: impl AsRef<[u8]>) -> Result<()> {
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(format!(".digest-tmp-{}", std::process::id()));
    let temporary = std::path::PathBuf::from(temporary);
    write(&temporary, contents)?;
    rename(&temporary, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temporary);
    })
}

/// Removes a folder of digest's own that is no longer needed (a temporary or replaced build);
/// failing leaves only litter, so it is logged, not returned.
pub fn remove_dir_all_logged(path: &Path) {
    if let Err(e) = remove_dir_all(path) {
        log::warn!("could not remove {}: {e}", path.display());
    }
}

/// Hidden files and what editors leave beside the file they save (`#a.md#`, `a.md~`, `.a.md.swp`).
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
}

/// Orders the entries of one folder by name, as `WalkDir::sort_by_file_name` does, without
/// working out each name from its path at every comparison (a tenth of a second at 10,000
/// files): the entries share their folder's path, so their paths compare as their names do.
pub fn by_file_name(a: &walkdir::DirEntry, b: &walkdir::DirEntry) -> std::cmp::Ordering {
    a.path().as_os_str().cmp(b.path().as_os_str())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_failed_move_names_both_paths() {
        let dir = tempfile::tempdir().unwrap();
        let from = dir.path().join("missing");
        let to = dir.path().join("elsewhere");
        let message = super::rename(&from, &to).unwrap_err().to_string();
        assert!(
            message.contains("missing") && message.contains("elsewhere"),
            "{message}"
        );
    }

    #[test]
    fn atomic_writes_leave_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b.txt");
        super::write_atomic(&path, "one").unwrap();
        super::write_atomic(&path, "two").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "two");
        assert_eq!(std::fs::read_dir(dir.path().join("a")).unwrap().count(), 1);
        assert!(!super::write_new(&path, "three").unwrap());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "two");
    }

    #[test]
    fn by_file_name_walks_in_walkdirs_own_order() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["b", "a-b", "a.b", "A", "a/z", "a/y", "ä", "a0"] {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "").unwrap();
        }
        let walk = |w: walkdir::WalkDir| -> Vec<std::path::PathBuf> {
            w.into_iter().map(|e| e.unwrap().into_path()).collect()
        };
        assert_eq!(
            walk(walkdir::WalkDir::new(dir.path()).sort_by(super::by_file_name)),
            walk(walkdir::WalkDir::new(dir.path()).sort_by_file_name())
        );
    }
}
