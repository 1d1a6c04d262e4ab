//! Where a site is: its root folder, found once at the start of a command and made absolute, so
//! that everything later (the watcher's events, output checks, messages) compares like with like.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The files and folders of a site, relative to its root. Every module names them from here.
pub const CONFIG_FILE: &str = "site.toml";
pub const CONTENT_DIR: &str = "content";
pub const TEMPLATES_DIR: &str = "templates";
pub const STATIC_DIR: &str = "static";
/// The site's own string tables (`i18n/<key>.toml`).
pub const I18N_DIR: &str = "i18n";
/// The site's cache folder; ignored by git, safe to delete.
pub const CACHE_DIR: &str = ".digest-cache";

/// The site folder for a command. With `--root`, that folder (relative to the current one);
/// without, the current folder or, as in Zola, the nearest parent holding `site.toml`, so that
/// commands work from inside `content/articles/`. The result is absolute and free of symlinks
/// and `..`: file watchers report absolute paths, and a relative root would match none of them.
pub fn resolve_root(given: Option<&Path>) -> Result<PathBuf> {
    let current = std::env::current_dir()
        .map_err(|e| Error::Other(format!("cannot read the current folder: {e}")))?;
    let Some(given) = given else {
        let found = current
            .ancestors()
            .find(|dir| dir.join(CONFIG_FILE).is_file())
            .unwrap_or(&current);
        return canonical(found);
    };
    let root = current.join(given);
    if !root.is_dir() {
        return Err(Error::Other(format!(
            "the site folder {} does not exist (--root {})",
            root.display(),
            given.display()
        )));
    }
    canonical(&root)
}

/// `path` made absolute against the current folder, without touching the disk: for folders that
/// may not exist yet, such as `--output`.
pub fn absolute(path: &Path) -> Result<PathBuf> {
    std::path::absolute(path).map_err(|e| Error::io(path, e))
}

fn canonical(path: &Path) -> Result<PathBuf> {
    path.canonicalize().map_err(|e| Error::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_given_root_must_exist() {
        let error = resolve_root(Some(Path::new("/no/such/site"))).unwrap_err();
        assert!(error.to_string().contains("/no/such/site"), "{error}");
    }

    #[test]
    fn a_given_root_is_made_absolute_and_canonical() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir_all(site.join("content")).unwrap();
        let dotted = site.join("content").join("..");
        assert_eq!(
            resolve_root(Some(&dotted)).unwrap(),
            site.canonicalize().unwrap()
        );
    }
}
