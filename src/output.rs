//! The output folder: refuse unsafe ones, build beside it, then swap the finished build in, so a
//! failed or killed build never leaves a half-written site and nothing outside is ever deleted.

use std::fs::File;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use crate::error::{Error, Result};

/// Written into every output folder digest creates, so it knows which folders it may replace.
pub const MARKER: &str = ".digest-output";
const MARKER_TEXT: &str = "This folder is written by `digest build` and replaced on every build.\n";

/// A build in progress, written into a staging folder beside the output folder.
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    /// The folder is being served while it is written (`digest serve`): each file is written
    /// beside itself and renamed into place, so a request never reads half a page.
    live: bool,
    pages: AtomicUsize,
    files: AtomicUsize,
    bytes: AtomicU64,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct WriteStats {
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
}

/// Checks that `output` may be written and replaced, then creates a fresh staging folder.
pub fn prepare(root: &Path, output: &Path, force: bool) -> Result<Staging> {
    let output = absolute(output)?;
    check_output_path(root, &output)?;
    if output.exists() {
        if !output.is_dir() {
            return Err(Error::Output(format!(
                "output {} exists and is not a folder; refusing to replace it",
                output.display()
            )));
        }
        let has_marker = output.join(MARKER).is_file();
        let is_empty = crate::fs::read_dir(&output)?.next().is_none();
        if !has_marker && !is_empty && !force {
            return Err(Error::Output(format!(
                "output folder {} was not written by digest (it has no {MARKER} file); refusing to replace it. \
                 Choose another --output, empty the folder, or pass --force",
                output.display()
            )));
        }
    }
    let staging = sibling(&output, "staging");
    remove_leftover(&staging)?;
    remove_leftover(&sibling(&output, "old"))?;
    crate::fs::create_dir_all(&staging)?;
    crate::fs::write(&staging.join(MARKER), MARKER_TEXT)?;
    Ok(Staging {
        dir: staging,
        output,
        live: false,
        pages: AtomicUsize::new(0),
        files: AtomicUsize::new(0),
        bytes: AtomicU64::new(0),
    })
}

/// `/site/public` → `/site/.public.digest-staging`: hidden, beside the output, same file system.
fn sibling(output: &Path, what: &str) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    output.with_file_name(format!(".{name}.digest-{what}"))
}

/// A staging folder a killed build left behind; only ever one of digest's own. A symlink by
/// that name is removed itself, never followed: the build would otherwise be written into
/// (and swapped with) whatever folder it points to.
fn remove_leftover(dir: &Path) -> Result<()> {
    if dir.is_symlink() {
        crate::fs::remove_file(dir)?;
    } else if dir.is_dir() {
        crate::fs::remove_dir_all(dir)?;
    }
    Ok(())
}

/// The output path made absolute through its closest existing ancestor, following symlinks.
fn absolute(path: &Path) -> Result<PathBuf> {
    let path = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| Error::io(".", e))?
            .join(path)
    };
    let mut existing = path.as_path();
    let mut rest = Vec::new();
    loop {
        match existing.canonicalize() {
            Ok(canonical) => {
                let mut out = canonical;
                for part in rest.iter().rev() {
                    out.push(part);
                }
                return Ok(normalize(&out));
            }
            Err(_) => {
                let (Some(parent), Some(name)) = (existing.parent(), existing.file_name()) else {
                    return Ok(normalize(&path));
                };
                rest.push(name.to_os_string());
                existing = parent;
            }
        }
    }
}

fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The output may not be the site, hold it, or sit inside the folders digest reads.
pub fn check_output_path(root: &Path, output: &Path) -> Result<()> {
    let root = absolute(root)?;
    let output = absolute(output)?;
    if root.starts_with(&output) {
        return Err(Error::Output(format!(
            "output folder {} is the site folder or contains it; building there would replace the site itself",
            output.display()
        )));
    }
    for source in ["content", "templates", "static"] {
        let dir = absolute(&root.join(source))?;
        if output.starts_with(&dir) || dir.starts_with(&output) {
            return Err(Error::Output(format!(
                "output folder {} overlaps the site's {source}/ folder; choose a folder outside it, e.g. --output public",
                output.display()
            )));
        }
    }
    Ok(())
}

/// Whether `output` holds a build that recorded its fingerprint, to compare with.
pub fn has_marker(output: &Path) -> bool {
    output.join(MARKER).is_file()
}

/// Whether `output` holds a complete build of inputs with this fingerprint that is still valid
/// at `now` (a future-dated article may have come due since).
pub fn is_current(output: &Path, fingerprint: &str, now: jiff::Timestamp) -> bool {
    let Ok(marker) = crate::fs::read_to_string(&output.join(MARKER)) else {
        return false;
    };
    let field = |name: &str| {
        marker
            .lines()
            .find_map(|line| line.strip_prefix(name)?.strip_prefix(": "))
    };
    field("fingerprint") == Some(fingerprint)
        && field("valid-until")
            .and_then(|t| t.parse::<jiff::Timestamp>().ok())
            .is_none_or(|until| now < until)
}

impl Staging {
    /// Writes straight into `dir`, with no swap: `digest serve` fills a folder it does not
    /// serve yet (its first build, a restart).
    pub fn in_place(dir: &Path) -> Staging {
        Staging {
            live: false,
            ..Staging::live(dir)
        }
    }

    /// Writes into `dir` while it is served (`digest serve`'s rebuilds): each file through a
    /// rename, so that a request never reads half a page.
    pub fn live(dir: &Path) -> Staging {
        Staging {
            dir: dir.to_path_buf(),
            output: dir.to_path_buf(),
            live: true,
            pages: AtomicUsize::new(0),
            files: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
        }
    }

    /// Removes an output written earlier (a page's `index.html` or a file), and the folders it
    /// leaves empty.
    pub fn remove(&self, relative: &str) -> Result<()> {
        let path = self.path_for(&page_file(relative))?;
        if !crate::fs::remove_file_if_present(&path)? {
            return Ok(());
        }
        let mut dir = path.parent();
        while let Some(d) = dir {
            // A folder that is not empty stays: the first one ends the climb.
            if d == self.dir || crate::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
        Ok(())
    }

    /// Records what this build was made from in its marker file, for [`is_current`].
    pub fn record(&self, fingerprint: &str, valid_until: Option<jiff::Timestamp>) -> Result<()> {
        let mut marker = format!("{MARKER_TEXT}fingerprint: {fingerprint}\n");
        if let Some(until) = valid_until {
            marker.push_str(&format!("valid-until: {until}\n"));
        }
        crate::fs::write(&self.dir.join(MARKER), marker)
    }

    /// Full path for a site-relative output path, refusing anything that would leave the folder.
    pub fn path_for(&self, relative: &str) -> Result<PathBuf> {
        let rel = Path::new(relative);
        if rel.is_absolute() || rel.components().any(|c| !matches!(c, Component::Normal(_))) {
            return Err(Error::Output(format!(
                "refusing to write {relative:?}: it is not a path inside the output folder"
            )));
        }
        Ok(self.dir.join(rel))
    }

    /// Writes a whole file at once: with the page already in memory, straight to the file.
    pub fn write(&self, relative: &str, contents: &[u8]) -> Result<()> {
        if self.live {
            let relative = page_file(relative);
            crate::fs::write_atomic(&self.path_for(&relative)?, contents)?;
            self.count(is_page(&relative), contents.len() as u64);
            return Ok(());
        }
        let (mut file, path, is_page) = self.open(relative)?;
        file.write_all(contents).map_err(|e| Error::io(&path, e))?;
        self.count(is_page, contents.len() as u64);
        Ok(())
    }

    /// Creates a file for `relative` and its folders; says whether it is a page.
    fn open(&self, relative: &str) -> Result<(File, PathBuf, bool)> {
        let relative = page_file(relative);
        let path = self.path_for(&relative)?;
        if let Some(parent) = path.parent() {
            crate::fs::create_dir_all(parent)?;
        }
        let file = File::create(&path).map_err(|e| Error::io(&path, e))?;
        Ok((file, path, is_page(&relative)))
    }

    fn count(&self, is_page: bool, bytes: u64) {
        if is_page {
            self.pages.fetch_add(1, Ordering::Relaxed);
        }
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
    }

    /// Copies a folder's files (static/) into the output, keeping their relative paths. The
    /// output is published, so it must not carry files from elsewhere on the machine: a file
    /// whose real path (symlinks resolved, also those of folders on the way) lies outside both
    /// `root` (the site) and `from` itself is skipped with a warning. Hidden files and folders
    /// (`.git/`, `.DS_Store`) are skipped too, except a `.well-known/` folder.
    pub fn copy_tree(&self, from: &Path, root: &Path) -> Result<()> {
        if !from.is_dir() {
            return Ok(());
        }
        let root = root.canonicalize().map_err(|e| Error::io(root, e))?;
        // static/ may itself be a link to shared assets; what lies inside it is fine.
        let real_from = from.canonicalize().map_err(|e| Error::io(from, e))?;
        let walker = walkdir::WalkDir::new(from)
            .follow_links(true)
            .into_iter()
            .filter_entry(|e| {
                let name = e.file_name().to_string_lossy();
                e.depth() == 0
                    || !crate::fs::is_ignored_name(&name)
                    || (name == ".well-known" && e.file_type().is_dir())
            });
        for entry in walker {
            let entry =
                entry.map_err(|e| Error::Output(format!("cannot read {}: {e}", from.display())))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let inside = entry
                .path()
                .canonicalize()
                .is_ok_and(|real| real.starts_with(&root) || real.starts_with(&real_from));
            if !inside {
                log::warn!(
                    "{}: leads to a file outside the site (through a symbolic link); not copied",
                    entry.path().display()
                );
                continue;
            }
            let rel = entry.path().strip_prefix(from).unwrap_or(entry.path());
            let target = self.path_for(&rel.to_string_lossy())?;
            if let Some(parent) = target.parent() {
                crate::fs::create_dir_all(parent)?;
            }
            crate::fs::copy(entry.path(), &target)?;
            self.files.fetch_add(1, Ordering::Relaxed);
            self.bytes.fetch_add(
                entry.metadata().map(|m| m.len()).unwrap_or(0),
                Ordering::Relaxed,
            );
        }
        Ok(())
    }

    pub fn stats(&self) -> WriteStats {
        WriteStats {
            pages: self.pages.load(Ordering::Relaxed),
            files: self.files.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
        }
    }

    /// Swaps the finished build in place of the output folder.
    pub fn commit(self) -> Result<WriteStats> {
        let stats = self.stats();
        if self.output.exists() {
            if exchange(&self.dir, &self.output).is_ok() {
                // The staging path now holds the previous build.
                remove_tree(&self.dir)?;
            } else {
                let old = sibling(&self.output, "old");
                crate::fs::rename(&self.output, &old)?;
                crate::fs::rename(&self.dir, &self.output)?;
                remove_tree(&old)?;
            }
        } else {
            if let Some(parent) = self.output.parent() {
                crate::fs::create_dir_all(parent)?;
            }
            crate::fs::rename(&self.dir, &self.output)?;
        }
        Ok(stats)
    }

    /// Throws the unfinished build away; the previous output stays as it was.
    pub fn abandon(self) {
        crate::fs::remove_dir_all_logged(&self.dir);
    }
}

/// Deletes a previous build, spreading the work over every core: a site of thousands of pages
/// is thousands of folders, and unlinking them one by one is a noticeable part of a rebuild.
fn remove_tree(dir: &Path) -> Result<()> {
    use rayon::prelude::*;
    let mut subdirs = Vec::new();
    for entry in crate::fs::read_dir(dir)?.flatten() {
        let path = entry.path();
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            subdirs.extend(crate::fs::read_dir(&path)?.flatten().map(|e| e.path()));
        }
    }
    subdirs.par_iter().try_for_each(|path| {
        if path.is_dir() && !path.is_symlink() {
            crate::fs::remove_dir_all(path)
        } else {
            crate::fs::remove_file(path)
        }
    })?;
    crate::fs::remove_dir_all(dir)
}

/// Whether an output file is a page of the site: HTML, but not an edition's email, which is a
/// message (counted among files, not pages).
fn is_page(relative: &str) -> bool {
    relative.ends_with(".html")
        && !((relative.starts_with("editions/") || relative.contains("/editions/"))
            && relative.ends_with(&format!("/{}", crate::render::email::HTML_FILE)))
}

/// `articles/x/` → `articles/x/index.html`; "" → `index.html`.
pub fn page_file(relative: &str) -> String {
    if relative.is_empty() || relative.ends_with('/') {
        format!("{relative}index.html")
    } else {
        relative.to_string()
    }
}

/// Atomically exchanges two paths (Linux `renameat2(RENAME_EXCHANGE)`), so there is no moment
/// at which the output folder is missing.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both paths are valid NUL-terminated strings that outlive the call.
    let result = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if result == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_served_folder_is_written_file_by_file_through_a_rename() {
        use std::io::Read;
        let dir = tempfile::tempdir().unwrap();
        let staging = Staging::live(dir.path());
        staging.write("a/", b"old page").unwrap();
        // A reader that opened the page before the rewrite (the server, mid-response) keeps
        // reading the whole old page: the new one is renamed over it, never truncated in place.
        let mut reader = File::open(dir.path().join("a/index.html")).unwrap();
        staging.write("a/", b"the new page").unwrap();
        let mut seen = String::new();
        reader.read_to_string(&mut seen).unwrap();
        assert_eq!(seen, "old page");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a/index.html")).unwrap(),
            "the new page"
        );
        let names: Vec<_> = std::fs::read_dir(dir.path().join("a"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["index.html"], "no temporary file is left");
        assert_eq!(staging.stats().files, 2);
    }

    #[test]
    fn refuses_outputs_that_overlap_the_site() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content")).unwrap();
        for bad in [".", "..", "content", "content/x", "templates", "static/out"] {
            assert!(check_output_path(&root, &root.join(bad)).is_err(), "{bad}");
        }
        assert!(check_output_path(&root, &root.join("public")).is_ok());
        assert!(check_output_path(&root, &dir.path().join("elsewhere")).is_ok());
    }

    #[test]
    fn recorded_fingerprint_decides_whether_output_is_current() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let staging = prepare(&dir.path().join("site"), &out, false).unwrap();
        let until: jiff::Timestamp = "2030-01-01T00:00:00Z".parse().unwrap();
        staging.record("abc", Some(until)).unwrap();
        staging.commit().unwrap();
        let before: jiff::Timestamp = "2029-01-01T00:00:00Z".parse().unwrap();
        assert!(is_current(&out, "abc", before));
        assert!(!is_current(&out, "abd", before));
        assert!(!is_current(&out, "abc", until));
        assert!(!is_current(&dir.path().join("missing"), "abc", before));
    }

    #[test]
    fn refuses_symlink_to_content() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::os::unix::fs::symlink(root.join("content"), root.join("out")).unwrap();
        assert!(check_output_path(root, &root.join("out")).is_err());
    }

    #[test]
    fn refuses_foreign_folder_unless_forced() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("mine.txt"), "keep").unwrap();
        assert!(prepare(&dir.path().join("site"), &out, false).is_err());
        let staging = prepare(&dir.path().join("site"), &out, true).unwrap();
        staging.abandon();
        assert!(out.join("mine.txt").exists());
    }

    #[test]
    fn static_files_never_bring_in_files_from_outside_the_site() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let secret = dir.path().join("secret");
        std::fs::create_dir_all(&secret).unwrap();
        std::fs::write(secret.join("key.txt"), "secret").unwrap();
        let files = [
            "static/style.css",
            "static/.git/config",
            "static/.DS_Store",
            "static/.well-known/security.txt",
            "static/img/a.png",
            "shared/logo.svg",
        ];
        for file in files {
            let path = root.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, file).unwrap();
        }
        symlink(&secret, root.join("static/ext")).unwrap();
        symlink(secret.join("key.txt"), root.join("static/key.txt")).unwrap();
        symlink(root.join("shared"), root.join("static/shared")).unwrap();
        let staging = prepare(&root, &dir.path().join("public"), false).unwrap();
        staging.copy_tree(&root.join("static"), &root).unwrap();
        let mut copied: Vec<String> = walkdir::WalkDir::new(&staging.dir)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file() && e.file_name() != MARKER)
            .map(|e| {
                let rel = e.path().strip_prefix(&staging.dir).unwrap();
                rel.to_string_lossy().into_owned()
            })
            .collect();
        copied.sort();
        assert_eq!(
            copied,
            [
                ".well-known/security.txt",
                "img/a.png",
                "shared/logo.svg",
                "style.css"
            ]
        );
        staging.abandon();
    }

    #[test]
    fn a_symlink_named_like_the_staging_folder_is_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::fs::write(elsewhere.join("index.html"), "keep").unwrap();
        let out = dir.path().join("public");
        for what in ["staging", "old"] {
            std::os::unix::fs::symlink(&elsewhere, sibling(&out, what)).unwrap();
        }
        let staging = prepare(&root, &out, false).unwrap();
        staging.write("index.html", b"new").unwrap();
        staging.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "new"
        );
        assert!(!out.is_symlink());
        let kept: Vec<_> = std::fs::read_dir(&elsewhere)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(kept, [std::ffi::OsString::from("index.html")]);
        assert_eq!(
            std::fs::read_to_string(elsewhere.join("index.html")).unwrap(),
            "keep"
        );
    }

    #[test]
    fn commit_swaps_and_abandon_keeps_the_old_build() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let out = root.join("public");
        let staging = prepare(&root, &out, false).unwrap();
        staging.write("a/", b"one").unwrap();
        assert!(staging.write("../escape.html", b"x").is_err());
        assert!(staging.write("/etc/x", b"x").is_err());
        staging.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "one"
        );

        let staging = prepare(&root, &out, false).unwrap();
        staging.write("b.html", b"two").unwrap();
        staging.abandon();
        assert!(out.join("a/index.html").exists());
        assert!(!out.join("b.html").exists());

        let staging = prepare(&root, &out, false).unwrap();
        staging.write("b.html", b"two").unwrap();
        staging.commit().unwrap();
        assert!(!out.join("a/index.html").exists());
        assert!(out.join("b.html").exists());
        let leftovers: Vec<_> = std::fs::read_dir(&root)
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers, [std::ffi::OsString::from("public")]);
    }
}
