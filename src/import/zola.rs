//! Zola: `config.toml` with `base_url`, `content/` with sections (`_index.md`), pages and
//! co-located assets (`x/index.md` beside its files), dates in file names, `static/`.

use std::path::{Path, PathBuf};

use super::posts::Fields;
use super::{Place, RawPost, Rules, Settings, Source};
use crate::content::slug::slugify;
use crate::error::Result;

pub(crate) fn read(src: &Path) -> Result<(Source, Rules)> {
    // Zola 0.19 and later also read `zola.toml`.
    let config_path = ["zola.toml", "config.toml"]
        .iter()
        .map(|n| src.join(n))
        .find(|p| p.is_file())
        .unwrap_or_else(|| src.join("config.toml"));
    let config = super::read_config(&config_path)?;
    let mut settings = Settings {
        title: super::string(&config, "title"),
        description: super::string(&config, "description"),
        base_url: super::string(&config, "base_url").map(|u| u.trim_end_matches('/').to_string()),
        language: super::string(&config, "default_language"),
        // Zola reads dates without an offset as UTC.
        timezone: "UTC".into(),
        ..Settings::default()
    };
    settings.taxonomies = config
        .get("taxonomies")
        .and_then(|t| t.as_array())
        .map(|list| {
            list.iter()
                .filter_map(|t| t.get("name").and_then(|n| n.as_str()).map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    settings.config_keys = config
        .keys()
        .map(|k| {
            let fate = match k.as_str() {
                "title" => "title",
                "description" => "description",
                "base_url" => "base_url",
                "default_language" => "language",
                "taxonomies" => "companies/regulations/tags",
                _ => "dropped",
            };
            (k.clone(), fate.to_string())
        })
        .collect();
    let content_dir = src.join("content");
    let mut source = Source {
        statics: super::statics(&src.join("static"), Path::new("")),
        ..Source::default()
    };
    let files = super::files_under(&content_dir);
    for file in &files {
        let rel_src = super::rel(file, src);
        let rel_content = super::rel(file, &content_dir);
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
        let in_page_folder = dir.join("index.md").is_file() && !dir.join("_index.md").is_file();
        if !super::is_markdown(file) {
            if !in_page_folder {
                // An asset beside a section's pages is published with the section.
                source.statics.push((file.clone(), rel_content));
            }
            continue;
        }
        if in_page_folder && name != "index.md" {
            continue;
        }
        let text = crate::fs::read_to_string(file)?;
        let (table, body, body_line) = match super::front_matter(&text) {
            Ok(parts) => parts,
            Err(e) => {
                source.skipped.push((rel_src, e));
                continue;
            }
        };
        if name == "_index.md" {
            if settings.per_page.is_none() {
                settings.per_page = table
                    .get("paginate_by")
                    .and_then(|v| v.as_integer())
                    .and_then(|n| usize::try_from(n).ok())
                    .filter(|n| *n > 0);
            }
            source.skipped.push((
                rel_src,
                "a section's page (_index.md): digest makes its own lists".into(),
            ));
            continue;
        }
        let mut dirs: Vec<String> = rel_content
            .parent()
            .map(|p| p.iter().map(|s| s.to_string_lossy().into_owned()).collect())
            .unwrap_or_default();
        let mut resources = Vec::new();
        let mut dest = PathBuf::from(&rel_content);
        let stem = if name == "index.md" {
            for f in super::files_under(&dir) {
                if f != *file && !super::is_markdown(&f) {
                    resources.push((f.clone(), super::rel(&f, &dir)));
                }
            }
            dirs.pop().unwrap_or_default()
        } else {
            dest.set_extension("md");
            file.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        source.posts.push(RawPost {
            path: rel_src,
            dest,
            table,
            body: body.to_string(),
            body_line,
            file_date: super::dated_stem(&stem).map(|(d, _)| d),
            resources,
            place: Place { dirs, stem },
        });
    }
    source.settings = settings;
    Ok((source, Rules::Zola))
}

/// A page's URL under Zola's rules: `path`, else its section's path and its slug (`slug`, else
/// the file name without its date), slugified.
pub(crate) fn url(raw: &RawPost, fields: &Fields) -> std::result::Result<String, String> {
    if let Some(path) = &fields.url {
        return Ok(format!("/{}/", path.trim_matches('/')));
    }
    let slug = match &fields.slug {
        Some(s) => slugify(s),
        None => {
            let stem = super::dated_stem(&raw.place.stem)
                .map(|(_, rest)| rest)
                .unwrap_or(&raw.place.stem);
            slugify(stem)
        }
    };
    if slug.is_empty() {
        return Err("no slug can be made from the file name".into());
    }
    let mut parts: Vec<String> = raw.place.dirs.iter().map(|d| slugify(d)).collect();
    parts.push(slug);
    Ok(format!("/{}/", parts.join("/")))
}
