//! Finding the site's content files: articles anywhere under content/, term profiles directly
//! under content/<taxonomy>/. Hidden files, editor temp files and symlink loops are skipped.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::error::{Code, Diagnostic};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Article,
    /// A profile for a term of this taxonomy.
    Profile {
        taxonomy: String,
    },
}

#[derive(Debug, Clone)]
pub struct Found {
    /// Absolute (root-joined) path to read.
    pub path: PathBuf,
    /// Path relative to the site root, for messages.
    pub display: PathBuf,
    pub kind: Kind,
}

pub fn is_markdown(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("md" | "markdown")
    )
}

pub fn discover(
    root: &Path,
    content_dir: &Path,
    taxonomies: &[String],
) -> (Vec<Found>, Vec<Diagnostic>) {
    let mut found = Vec::new();
    let mut warnings = Vec::new();
    if !content_dir.is_dir() {
        return (found, warnings);
    }
    let walker = WalkDir::new(content_dir)
        .follow_links(true)
        .sort_by(crate::fs::by_file_name)
        .into_iter()
        .filter_entry(|e| {
            let ignored =
                e.depth() > 0 && crate::fs::is_ignored_name(&e.file_name().to_string_lossy());
            if ignored {
                log::info!(
                    "skipped {}: hidden, or an editor's leftover",
                    relative(root, e.path()).display()
                );
            }
            !ignored
        });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err.path().map(|p| relative(root, p)).unwrap_or_default();
                // A loop is skipped; anything else could not be read.
                let message = if err.loop_ancestor().is_some() {
                    "symbolic link loop; skipped".to_string()
                } else {
                    format!("cannot read: {err}")
                };
                warnings.push(Diagnostic::warning(Code::Io, path, message));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        if !is_markdown(entry.path()) {
            log::info!(
                "skipped {}: not a Markdown file (.md)",
                relative(root, entry.path()).display()
            );
            continue;
        }
        let kind = kind_of(content_dir, entry.path(), taxonomies);
        found.push(Found {
            display: relative(root, entry.path()),
            path: entry.into_path(),
            kind,
        });
    }
    (found, warnings)
}

/// A profile when directly in `content/<taxonomy>/`, else an article.
pub fn kind_of(content_dir: &Path, path: &Path, taxonomies: &[String]) -> Kind {
    let inside = path.strip_prefix(content_dir).unwrap_or(path);
    let mut components = inside.components();
    match (components.next(), components.next(), components.next()) {
        (Some(dir), Some(_file), None)
            if taxonomies.iter().any(|t| dir.as_os_str() == t.as_str()) =>
        {
            Kind::Profile {
                taxonomy: dir.as_os_str().to_string_lossy().into_owned(),
            }
        }
        _ => Kind::Article,
    }
}

/// The content file at `path`, if it is one digest reads (Markdown, not hidden or a leftover).
pub fn classify(root: &Path, path: &Path, taxonomies: &[String]) -> Option<Found> {
    let content_dir = root.join(super::CONTENT_DIR);
    let inside = path.strip_prefix(&content_dir).ok()?;
    let ignored = inside
        .components()
        .any(|c| crate::fs::is_ignored_name(&c.as_os_str().to_string_lossy()));
    if ignored || !is_markdown(path) || !path.is_file() {
        return None;
    }
    Some(Found {
        path: path.to_path_buf(),
        display: relative(root, path),
        kind: kind_of(&content_dir, path, taxonomies),
    })
}

pub fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_leftovers_are_ignored() {
        for name in ["#a.md#", "a.md~", ".a.md.swp", ".hidden.md"] {
            assert!(crate::fs::is_ignored_name(name), "{name}");
        }
        assert!(!crate::fs::is_ignored_name("a.md"));
    }

    #[test]
    fn classifies_profiles_and_articles() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        for file in [
            "articles/2023/a.md",
            "companies/alibaba.md",
            "companies/deep/b.md",
            "c.markdown",
            "notes.txt",
            "articles/#x.md#",
        ] {
            let path = content.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "").unwrap();
        }
        std::fs::create_dir_all(content.join("folder.md")).unwrap();
        let (found, warnings) = discover(dir.path(), &content, &["companies".to_string()]);
        assert!(warnings.is_empty());
        let kinds: Vec<_> = found
            .iter()
            .map(|f| (f.display.to_string_lossy().into_owned(), f.kind.clone()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("content/articles/2023/a.md".to_string(), Kind::Article),
                ("content/c.markdown".to_string(), Kind::Article),
                (
                    "content/companies/alibaba.md".to_string(),
                    Kind::Profile {
                        taxonomy: "companies".into()
                    }
                ),
                ("content/companies/deep/b.md".to_string(), Kind::Article),
            ]
        );
    }
}
