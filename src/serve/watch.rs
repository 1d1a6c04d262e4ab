//! Watching the site for edits: a debounced watcher (which merges the rename-and-create pairs
//! editors produce on save) and the filter for paths that are not the site's sources.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify_debouncer_full::notify::event::ModifyKind;
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::error::{Error, Result};
use crate::fs::is_ignored_name;

/// How long the watcher waits for a burst of events (an editor's save) to end.
pub const DEBOUNCE: Duration = Duration::from_millis(10);

pub type Watcher = Debouncer<notify_debouncer_full::notify::RecommendedWatcher, RecommendedCache>;

/// What the watcher tells the rebuild loop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// These sources changed (absolute paths).
    Paths(Vec<PathBuf>),
    /// Events were lost (the kernel's queue overflowed): read the whole site again.
    Rescan,
    /// The watcher can no longer be trusted to see edits; the message says why.
    Failed(String),
    /// The site folder itself was removed or moved away: nothing under it is seen any more.
    RootGone,
}

/// Watches `root` (absolute) and sends each debounced batch of changes.
pub fn watch(root: &Path, ignore: Vec<PathBuf>, sender: mpsc::Sender<Change>) -> Result<Watcher> {
    let filter_root = root.to_path_buf();
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
        for change in changes(&filter_root, &ignore, result) {
            let _ = sender.send(change);
        }
    })
    .map_err(|e| Error::Other(format!("cannot watch {}: {e}", root.display())))?;
    debouncer
        .watch(root, RecursiveMode::Recursive)
        .map_err(|e| Error::Other(format!("cannot watch {}: {e}", root.display())))?;
    Ok(debouncer)
}

/// What one debounced batch of events means for the site at `root`.
fn changes(root: &Path, ignore: &[PathBuf], result: DebounceEventResult) -> Vec<Change> {
    let events = match result {
        Ok(events) => events,
        Err(errors) => {
            let reasons: Vec<String> = errors.iter().map(ToString::to_string).collect();
            return vec![Change::Failed(format!(
                "the file watcher failed ({}); edits may go unseen until digest serve is restarted",
                reasons.join("; ")
            ))];
        }
    };
    let mut out = Vec::new();
    // The site folder itself removed or renamed: nothing under it is watched any more.
    let root_gone = events.iter().any(|e| {
        e.event.paths.iter().any(|p| p == root)
            && matches!(
                e.kind,
                EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(_))
            )
    });
    if root_gone {
        // Whatever else the batch says (site.toml removed…) is part of the same loss.
        return vec![Change::RootGone];
    }
    if events.iter().any(|e| e.need_rescan()) {
        out.push(Change::Rescan);
    }
    let mut paths: Vec<PathBuf> = events
        .into_iter()
        .filter(|e| !matches!(e.kind, EventKind::Access(_)))
        .flat_map(|e| e.event.paths)
        .filter(|p| is_source(root, p, ignore))
        .collect();
    paths.sort();
    paths.dedup();
    if !paths.is_empty() {
        out.push(Change::Paths(paths));
    }
    out
}

/// The message for a site folder that is no longer where digest serve watches it.
pub fn lost_message(root: &Path) -> String {
    format!(
        "the site folder {} was removed or moved: digest serve no longer sees edits and keeps serving the last build; restart it in the site folder",
        root.display()
    )
}

/// Identifies a folder on disk, to notice that the watched one was replaced or moved away
/// even when no event said so.
pub fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.dev(), meta.ino()))
}

/// site.toml, and files under content/, templates/, static/ or i18n/ that are not editor
/// leftovers.
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
                | crate::i18n::I18N_DIR
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
            "/site/i18n/zh.toml",
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
