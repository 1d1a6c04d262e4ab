//! What digest remembers between builds, so unchanged work is skipped:
//!
//! - the fingerprint of every input of the last build (digest itself, options, site.toml, and the
//!   bytes of every file under content/, templates/, static/ and i18n/), stored in the output's marker
//!   file: when nothing changed, `digest build` has nothing to do;
//! - highlighted code blocks by content hash, under `.digest-cache/` in the site
//!   ([`crate::content::highlight::HighlightCache`]).
//!
//! Both are safe to delete, and neither can make a build stale: any change of input, option or
//! digest binary changes the fingerprint, and cached blocks are keyed by their exact code.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::error::{Error, Result};

pub use crate::layout::CACHE_DIR;

pub fn highlight_cache_path(root: &Path) -> PathBuf {
    root.join(CACHE_DIR).join("highlight.bin")
}

/// A hash of everything a build reads, as hex: the files of the site at `root`, the build's
/// `options` (whatever of them changes the output) and where it is written.
pub fn fingerprint(root: &Path, options: impl Hash, output: &Path) -> Result<String> {
    let mut hasher = std::hash::DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut hasher);
    // A rebuilt binary of the same version (a developer's) must not reuse old output.
    if let Ok(meta) = std::env::current_exe().and_then(std::fs::metadata) {
        meta.len().hash(&mut hasher);
        meta.modified().ok().hash(&mut hasher);
    }
    (options, output).hash(&mut hasher);
    let config = root.join(crate::layout::CONFIG_FILE);
    crate::fs::read(&config)?.hash(&mut hasher);

    let mut files: Vec<PathBuf> = Vec::new();
    for dir in [
        crate::layout::CONTENT_DIR,
        crate::layout::TEMPLATES_DIR,
        crate::layout::STATIC_DIR,
        crate::layout::I18N_DIR,
    ] {
        let dir = root.join(dir);
        if !dir.is_dir() {
            continue;
        }
        for entry in WalkDir::new(&dir)
            .follow_links(true)
            .sort_by(crate::fs::by_file_name)
        {
            match entry {
                Ok(entry) if entry.file_type().is_file() => files.push(entry.into_path()),
                Ok(_) => {}
                // Unreadable entries and symlink loops: the build reports them; make the
                // fingerprint unique so such a site is never considered unchanged.
                Err(_) => jiff::Timestamp::now().hash(&mut hasher),
            }
        }
    }
    let hashes: Vec<u64> = files
        .par_iter()
        // One buffer per thread, reused: reading each file into a fresh allocation costs more
        // in page faults than the hashing.
        .map_init(
            || vec![0; 64 * 1024],
            |buffer, path| {
                let mut file_hasher = std::hash::DefaultHasher::new();
                // As bytes: hashing a Path walks its components, which costs more than the file.
                path.strip_prefix(root)
                    .unwrap_or(path)
                    .as_os_str()
                    .as_encoded_bytes()
                    .hash(&mut file_hasher);
                hash_file(path, buffer, &mut file_hasher).map_err(|e| Error::io(path, e))?;
                Ok(file_hasher.finish())
            },
        )
        .collect::<Result<_>>()?;
    hashes.hash(&mut hasher);
    Ok(format!("{:016x}", hasher.finish()))
}

/// Feeds a file's bytes and length to `hasher`, a buffer at a time.
fn hash_file(path: &Path, buffer: &mut [u8], hasher: &mut impl Hasher) -> std::io::Result<()> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut length: u64 = 0;
    loop {
        match file.read(buffer) {
            Ok(0) => break,
            Ok(n) => {
                hasher.write(&buffer[..n]);
                length += n as u64;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    hasher.write_u64(length);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.toml"), "title = \"T\"\n").unwrap();
        std::fs::create_dir_all(dir.path().join("content/articles")).unwrap();
        std::fs::write(
            dir.path().join("content/articles/a.md"),
            "+++\ntitle = \"A\"\n+++\n",
        )
        .unwrap();
        dir
    }

    #[test]
    fn fingerprint_follows_every_input() {
        let dir = site();
        let root = dir.path();
        let options = (false, "https://a.example/");
        let out = dir.path().join("public");
        let first = fingerprint(root, options, &out).unwrap();
        assert_eq!(first, fingerprint(root, options, &out).unwrap());

        std::fs::write(
            dir.path().join("content/articles/a.md"),
            "+++\ntitle = \"B\"\n+++\n",
        )
        .unwrap();
        let edited = fingerprint(root, options, &out).unwrap();
        assert_ne!(first, edited);

        std::fs::create_dir_all(dir.path().join("templates")).unwrap();
        std::fs::write(dir.path().join("templates/article.html"), "x").unwrap();
        let templated = fingerprint(root, options, &out).unwrap();
        assert_ne!(edited, templated);

        let drafts = (true, "https://a.example/");
        assert_ne!(templated, fingerprint(root, drafts, &out).unwrap());
        assert_ne!(
            templated,
            fingerprint(root, options, &dir.path().join("elsewhere")).unwrap()
        );
    }
}
