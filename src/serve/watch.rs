//! Watching the site for edits: a debounced watcher (which merges the rename-and-create pairs
//! editors produce on save) and the filter for paths that are not the site's sources.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::content::discover::is_ignored_name;
use crate::error::{Error, Result};

/// How long the watcher waits for a burst of events (an editor's save) to end.
pub const DEBOUNCE: Duration = Duration::from_millis(10);

pub type Watcher = Debouncer<notify_debouncer_full::notify::RecommendedWatcher, RecommendedCache>;

/// Watches `root` and sends each debounced batch of relevant changed paths.
pub fn watch(
    root: &Path,
    ignore: Vec<PathBuf>,
    sender: mpsc::Sender<Vec<PathBuf>>,
) -> Result<Watcher> {
    let filter_root = root.to_path_buf();
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
        let Ok(events) = result else {
            return;
        };
        let mut paths: Vec<PathBuf> = events
            .into_iter()
            .filter(|e| !matches!(e.kind, EventKind::Access(_)))
            .flat_map(|e| e.event.paths)
            .filter(|p| is_source(&filter_root, p, &ignore))
            .collect();
        paths.sort();
        paths.dedup();
        if !paths.is_empty() {
            let _ = sender.send(paths);
        }
    })
    .map_err(|e| Error::Other(format!("cannot watch {}: {e}", root.display())))?;
    debouncer
        .watch(root, RecursiveMode::Recursive)
        .map_err(|e| Error::Other(format!("cannot watch {}: {e}", root.display())))?;
    Ok(debouncer)
}

/// site.toml, and files under content/, templates/ or static/ that are not editor leftovers.
pub fn is_source(root: &Path, path: &Path, ignore: &[PathBuf]) -> bool {
    if ignore.iter().any(|i| path.starts_with(i)) {
        return false;
    }
    let Ok(relative) = path.strip_prefix(root) else {
        return false;
    };
    if relative == Path::new(crate::config::CONFIG_FILE) {
        return true;
    }
    let mut components = relative.components();
    let top = components
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let wanted = matches!(
        top.as_deref(),
        Some(
            crate::content::CONTENT_DIR
                | crate::render::templates::TEMPLATES_DIR
                | crate::render::STATIC_DIR
        )
    );
    wanted
        && !relative.components().skip(1).any(|c| {
            // static/.well-known/ is published (see output::copy_tree), so it is watched.
            let name = c.as_os_str().to_string_lossy();
            name != ".well-known" && is_ignored_name(&name)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_and_leftovers() {
        let root = Path::new("/site");
        let ignore = vec![PathBuf::from("/site/public")];
        for yes in [
            "/site/site.toml",
            "/site/content/a.md",
            "/site/templates/base.html",
            "/site/static/x.css",
            "/site/static/.well-known/security.txt",
        ] {
            assert!(is_source(root, Path::new(yes), &ignore), "{yes}");
        }
        for no in [
            "/site/public/index.html",
            "/site/content/.a.md.swp",
            "/site/content/a.md~",
            "/site/content/#a.md#",
            "/site/.git/index",
            "/site/README.md",
            "/elsewhere/x.md",
        ] {
            assert!(!is_source(root, Path::new(no), &ignore), "{no}");
        }
    }
}
