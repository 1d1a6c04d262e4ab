//! Jekyll: `_config.yml`, posts in `_posts/` (also `<category>/_posts/`) named
//! `YYYY-MM-DD-title.md`, `_drafts/`, and every file without front matter outside `_` folders
//! published as it is (`assets/`, `images/`).

use std::path::{Path, PathBuf};

use super::posts::Fields;
use super::{Place, RawPost, Rules as AnyRules, Settings, Source};
use crate::error::Result;

/// Jekyll's rules for a post's URL.
#[derive(Debug, Clone)]
pub(crate) struct Rules {
    /// The site's `permalink`, a built-in style resolved to its pattern.
    pub permalink: String,
}

/// A built-in permalink style as its pattern.
fn style(name: &str) -> String {
    match name {
        "date" => "/:categories/:year/:month/:day/:title:output_ext".into(),
        "pretty" => "/:categories/:year/:month/:day/:title/".into(),
        "ordinal" => "/:categories/:year/:y_day/:title:output_ext".into(),
        "weekdate" => "/:categories/:year/W:week/:short_day/:title:output_ext".into(),
        "none" => "/:categories/:title:output_ext".into(),
        pattern => pattern.into(),
    }
}

/// Folders and files Jekyll never publishes.
const EXCLUDED: &[&str] = &[
    "Gemfile",
    "Gemfile.lock",
    "node_modules",
    "vendor",
    "CNAME",
    "README.md",
    "LICENSE",
    "LICENSE.md",
    "package.json",
    "package-lock.json",
    "Rakefile",
    "Makefile",
];

pub(crate) fn read(src: &Path) -> Result<(Source, AnyRules)> {
    let config_path = ["_config.yml", "_config.yaml"]
        .iter()
        .map(|n| src.join(n))
        .find(|p| p.is_file())
        .unwrap_or_else(|| src.join("_config.yml"));
    let config = if config_path.is_file() {
        super::read_config(&config_path)?
    } else {
        toml::Table::new()
    };
    let url = super::string(&config, "url").map(|u| u.trim_end_matches('/').to_string());
    let baseurl = super::string(&config, "baseurl")
        .map(|b| b.trim_matches('/').to_string())
        .filter(|b| !b.is_empty());
    let settings = Settings {
        title: super::string(&config, "title"),
        description: super::string(&config, "description"),
        base_url: match (url, baseurl) {
            (Some(u), Some(b)) => Some(format!("{u}/{b}")),
            (Some(u), None) => Some(u),
            (None, _) => None,
        },
        language: super::string(&config, "lang").or_else(|| super::string(&config, "locale")),
        timezone: super::time_zone(super::string(&config, "timezone")),
        per_page: config
            .get("paginate")
            .and_then(|v| v.as_integer())
            .and_then(|n| usize::try_from(n).ok())
            .filter(|n| *n > 0),
        taxonomies: vec!["tags".into(), "categories".into()],
        config_keys: config
            .keys()
            .map(|k| {
                let fate = match k.as_str() {
                    "title" => "title",
                    "description" => "description",
                    "url" | "baseurl" => "base_url",
                    "lang" | "locale" => "language",
                    "timezone" => "timezone",
                    "paginate" => "per_page",
                    "permalink" => "[permalinks] and aliases",
                    _ => "dropped",
                };
                (k.clone(), fate.to_string())
            })
            .collect(),
    };
    let rules = Rules {
        permalink: style(&super::string(&config, "permalink").unwrap_or_else(|| "date".into())),
    };
    let excluded: Vec<String> = config
        .get("exclude")
        .and_then(|e| e.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let mut source = Source {
        settings,
        ..Source::default()
    };
    for entry in walkdir::WalkDir::new(src)
        .sort_by(crate::fs::by_file_name)
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || (!name.starts_with('.')
                    && !EXCLUDED.contains(&name.as_ref())
                    && !excluded.iter().any(|x| x.trim_matches('/') == name))
        })
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
    {
        let file = entry.path();
        let rel = super::rel(file, src);
        let parts: Vec<String> = rel
            .iter()
            .map(|s| s.to_string_lossy().into_owned())
            .collect();
        if let Some(at) = parts.iter().position(|p| p == "_posts") {
            read_post(file, &rel, &parts[..at], &parts[at + 1..], &mut source)?;
            continue;
        }
        if parts.iter().any(|p| p == "_drafts") {
            source
                .skipped
                .push((rel, "a draft in _drafts/: not published by Jekyll".into()));
            continue;
        }
        if parts.iter().any(|p| p.starts_with('_')) {
            continue;
        }
        // A file with front matter is a page Jekyll renders; others are published as they are.
        let has_front = std::fs::read(file)
            .map(|b| b.starts_with(b"---"))
            .unwrap_or(false);
        if has_front {
            source
                .skipped
                .push((rel, "a page, not a post: digest makes its own pages".into()));
        } else {
            source.statics.push((file.to_path_buf(), rel));
        }
    }
    Ok((source, AnyRules::Jekyll(rules)))
}

/// One file of `_posts/`: `categories` are the folders before `_posts`, `inside` the path
/// after it (sub-folders there are no categories, but keep files of one name apart).
fn read_post(
    file: &Path,
    rel: &Path,
    categories: &[String],
    inside: &[String],
    source: &mut Source,
) -> Result<()> {
    if !super::is_markdown(file) {
        source.skipped.push((
            rel.to_path_buf(),
            "not Markdown: only Markdown posts are imported".into(),
        ));
        return Ok(());
    }
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let Some((day, title)) = super::dated_stem(&stem) else {
        source.skipped.push((
            rel.to_path_buf(),
            "not named YYYY-MM-DD-title: Jekyll does not publish it".into(),
        ));
        return Ok(());
    };
    let text = crate::fs::read_to_string(file)?;
    let (table, body, body_line) = match super::front_matter(&text) {
        Ok(parts) => parts,
        Err(e) => {
            source.skipped.push((rel.to_path_buf(), e));
            return Ok(());
        }
    };
    let mut dest = PathBuf::new();
    for c in categories {
        dest.push(c);
    }
    for folder in inside.iter().take(inside.len().saturating_sub(1)) {
        dest.push(folder);
    }
    dest.push(format!("{stem}.md"));
    source.posts.push(RawPost {
        path: rel.to_path_buf(),
        dest,
        table,
        body: body.to_string(),
        body_line,
        file_date: Some(day),
        resources: Vec::new(),
        place: Place {
            dirs: categories.to_vec(),
            stem: title.to_string(),
        },
    });
    Ok(())
}

/// Jekyll's `slugify` in `pretty` mode, keeping case (`:title`): runs of anything but letters,
/// digits and `._~!$&'()+,;=@` become one `-`.
fn pretty_slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() || "._~!$&'()+,;=@".contains(c) {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// Jekyll's default `slugify` (`:slug`): lowercase letters and digits joined by `-`.
fn default_slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// A post's URL under Jekyll's rules: its `permalink`, else the site's, filled in.
pub(crate) fn url(
    rules: &Rules,
    raw: &RawPost,
    fields: &Fields,
    tz: &jiff::tz::TimeZone,
) -> std::result::Result<String, String> {
    let pattern = fields
        .url
        .as_deref()
        .map(style)
        .unwrap_or_else(|| rules.permalink.clone());
    let date = fields
        .date
        .as_ref()
        .map(|w| w.at.with_time_zone(tz.clone()))
        .ok_or("no date")?;
    let slug_source = fields
        .slug
        .clone()
        .unwrap_or_else(|| raw.place.stem.clone());
    let mut categories: Vec<String> = raw.place.dirs.iter().map(|c| c.to_lowercase()).collect();
    for (taxonomy, names) in &fields.terms {
        if taxonomy == "categories" || taxonomy == "category" {
            for name in names {
                let name = name.to_lowercase();
                if !categories.contains(&name) {
                    categories.push(name);
                }
            }
        }
    }
    let mut out = String::new();
    let mut rest = pattern.as_str();
    while let Some(i) = rest.find(':') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let token = &after[..len];
        let value = match token {
            "year" => format!("{:04}", date.year()),
            "short_year" => format!("{:02}", date.year() % 100),
            "month" => format!("{:02}", date.month()),
            "i_month" => date.month().to_string(),
            "day" => format!("{:02}", date.day()),
            "i_day" => date.day().to_string(),
            "y_day" => format!("{:03}", date.day_of_year()),
            "hour" => format!("{:02}", date.hour()),
            "minute" => format!("{:02}", date.minute()),
            "second" => format!("{:02}", date.second()),
            "title" => pretty_slug(&slug_source),
            "slug" => default_slug(&slug_source),
            "name" => default_slug(&raw.place.stem),
            "categories" => categories.join("/"),
            "output_ext" => ".html".into(),
            other => {
                return Err(format!(
                    "Jekyll permalink token `:{other}` is not known here"
                ));
            }
        };
        out.push_str(&value);
        rest = &after[len..];
    }
    out.push_str(rest);
    // An extensionless file URL is written as a `.html` file.
    if !out.ends_with('/') && !out.ends_with(".html") && !out.ends_with(".htm") {
        out.push_str(".html");
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_as_jekyll_makes_them() {
        assert_eq!(pretty_slug("Rust-1.0"), "Rust-1.0");
        assert_eq!(pretty_slug("Hello World!"), "Hello-World!");
        assert_eq!(default_slug("Hello World 1.0"), "hello-world-1-0");
        assert_eq!(style("pretty"), "/:categories/:year/:month/:day/:title/");
    }
}
