//! Pelican: `pelicanconf.py` (and `publishconf.py` for `SITEURL`), articles under `PATH` with
//! `Key: value` metadata, pages under `pages/`, `STATIC_PATHS`, reStructuredText listed and
//! skipped.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::posts::Fields;
use super::{Place, RawPost, Rules as AnyRules, Settings, Source};
use crate::error::Result;

/// Pelican's rules for an article's URL.
#[derive(Debug, Clone)]
pub(crate) struct Rules {
    pub article_url: String,
    pub article_save_as: Option<String>,
    /// `SLUGIFY_SOURCE`: `title` or `basename`.
    pub slug_from_basename: bool,
    pub use_folder_as_category: bool,
    pub default_category: String,
    pub lang: String,
}

/// A Python value as Pelican settings use them: a string, number, boolean, or list of strings.
#[derive(Debug, Clone, PartialEq)]
enum Py {
    Str(String),
    Num(i64),
    Bool(bool),
    List(Vec<String>),
    Other,
}

/// The top-level `NAME = value` assignments of a Python settings file.
fn settings_of(text: &str) -> BTreeMap<String, Py> {
    let mut out = BTreeMap::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line.starts_with(char::is_whitespace) || line.starts_with('#') {
            continue;
        }
        let Some((name, value)) = line.split_once('=') else {
            continue;
        };
        let name = name.trim();
        if name.is_empty()
            || !name
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b == b'_' || b.is_ascii_digit())
        {
            continue;
        }
        let mut value = strip_comment(value).trim().to_string();
        // A list or tuple over several lines.
        while (value.starts_with('[') && !value.ends_with(']'))
            || (value.starts_with('(') && !value.ends_with(')'))
        {
            let Some(next) = lines.next() else { break };
            value.push(' ');
            value.push_str(strip_comment(next).trim());
        }
        out.insert(name.to_string(), python_value(&value));
    }
    out
}

fn strip_comment(line: &str) -> &str {
    let mut quote = None;
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '#') => return &line[..i],
            _ => {}
        }
    }
    line
}

fn python_value(text: &str) -> Py {
    let t = text.trim();
    if let Some(s) = python_string(t) {
        return Py::Str(s);
    }
    match t {
        "True" => return Py::Bool(true),
        "False" => return Py::Bool(false),
        _ => {}
    }
    if let Ok(n) = t.parse() {
        return Py::Num(n);
    }
    if (t.starts_with('[') && t.ends_with(']')) || (t.starts_with('(') && t.ends_with(')')) {
        let inner = &t[1..t.len() - 1];
        return Py::List(
            inner
                .split(',')
                .filter_map(|item| python_string(item.trim()))
                .collect(),
        );
    }
    Py::Other
}

/// A string literal, alone or as the first choice of `'a' if X else 'b'` (the value a
/// published build uses).
fn python_string(t: &str) -> Option<String> {
    let t = t
        .strip_prefix(['r', 'u'])
        .filter(|r| r.starts_with(['\'', '"']))
        .unwrap_or(t);
    let quote = t.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let mut value = String::new();
    let mut chars = t[1..].char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                if let Some((_, next)) = chars.next() {
                    value.push(next);
                }
            }
            c if c == quote => {
                let rest = t[1 + i + 1..].trim();
                return (rest.is_empty() || rest.starts_with("if ")).then_some(value);
            }
            c => value.push(c),
        }
    }
    None
}

/// Reads a Pelican site: its settings files, then its articles and static files.
pub(crate) fn read(src: &Path) -> Result<(Source, AnyRules)> {
    let conf = read_conf(src)?;
    let s = |k: &str| conf_string(&conf, k);
    let list = |k: &str, default: &[&str]| match conf.get(k) {
        Some(Py::List(items)) => items.clone(),
        Some(Py::Str(s)) => vec![s.clone()],
        _ => default.iter().map(|s| s.to_string()).collect(),
    };
    let lang = s("DEFAULT_LANG").unwrap_or_else(|| "en".into());
    let settings = settings(&conf, &lang);
    let rules = Rules {
        article_url: s("ARTICLE_URL").unwrap_or_else(|| "{slug}.html".into()),
        article_save_as: s("ARTICLE_SAVE_AS"),
        slug_from_basename: s("SLUGIFY_SOURCE").as_deref() == Some("basename"),
        use_folder_as_category: !matches!(
            conf.get("USE_FOLDER_AS_CATEGORY"),
            Some(Py::Bool(false))
        ),
        default_category: s("DEFAULT_CATEGORY").unwrap_or_else(|| "misc".into()),
        lang,
    };
    let path = src.join(s("PATH").unwrap_or_else(|| "content".into()));
    let page_paths = list("PAGE_PATHS", &["pages"]);
    let static_paths = list("STATIC_PATHS", &["images"]);
    let article_paths = list("ARTICLE_PATHS", &[""]);
    let mut source = Source {
        settings,
        ..Source::default()
    };
    for dir in &static_paths {
        let from = path.join(dir);
        if from.is_file() {
            source.statics.push((from, PathBuf::from(dir)));
        } else {
            source.statics.extend(super::statics(&from, Path::new(dir)));
        }
    }
    read_articles(
        src,
        &path,
        &article_paths,
        &page_paths,
        &static_paths,
        &mut source,
    )?;
    Ok((source, AnyRules::Pelican(rules)))
}

/// pelicanconf.py's settings, with publishconf.py's public `SITEURL` and `TIMEZONE` over them.
fn read_conf(src: &Path) -> Result<BTreeMap<String, Py>> {
    let text = crate::fs::read_to_string(&src.join("pelicanconf.py"))?;
    let mut conf = settings_of(&text);
    // publishconf.py sets the public SITEURL over pelicanconf.py's (often empty) one.
    if let Ok(publish) = std::fs::read_to_string(src.join("publishconf.py")) {
        for (k, v) in settings_of(&publish) {
            if k == "SITEURL" || k == "TIMEZONE" {
                conf.insert(k, v);
            }
        }
    }
    Ok(conf)
}

/// A setting's string value, when it is a non-empty one.
fn conf_string(conf: &BTreeMap<String, Py>, k: &str) -> Option<String> {
    match conf.get(k) {
        Some(Py::Str(s)) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}

/// The site-wide settings, and what became of each setting for the report.
fn settings(conf: &BTreeMap<String, Py>, lang: &str) -> Settings {
    let s = |k: &str| conf_string(conf, k);
    Settings {
        title: s("SITENAME"),
        description: s("SITESUBTITLE").or_else(|| s("DESCRIPTION")),
        base_url: s("SITEURL").map(|u| u.trim_end_matches('/').to_string()),
        language: Some(lang.to_string()),
        timezone: super::time_zone(s("TIMEZONE")),
        per_page: match conf.get("DEFAULT_PAGINATION") {
            Some(Py::Num(n)) if *n > 0 => usize::try_from(*n).ok(),
            _ => None,
        },
        taxonomies: vec!["tags".into(), "category".into()],
        config_keys: conf
            .keys()
            .map(|k| {
                let fate = match k.as_str() {
                    "SITENAME" => "title",
                    "SITESUBTITLE" | "DESCRIPTION" => "description",
                    "SITEURL" => "base_url",
                    "DEFAULT_LANG" => "language",
                    "TIMEZONE" => "timezone",
                    "DEFAULT_PAGINATION" => "per_page",
                    "ARTICLE_URL" | "ARTICLE_SAVE_AS" | "SLUGIFY_SOURCE" => {
                        "[permalinks] and aliases"
                    }
                    "PATH" | "ARTICLE_PATHS" | "PAGE_PATHS" | "STATIC_PATHS" => "read",
                    _ => "dropped",
                };
                (k.clone(), fate.to_string())
            })
            .collect(),
    }
}

/// Every article under `ARTICLE_PATHS`: pages, static files and reStructuredText are left out
/// (the last listed as skipped, since it cannot be imported as it is).
fn read_articles(
    src: &Path,
    path: &Path,
    article_paths: &[String],
    page_paths: &[String],
    static_paths: &[String],
    source: &mut Source,
) -> Result<()> {
    let under = |rel: &Path, dirs: &[String]| {
        dirs.iter()
            .any(|d| !d.is_empty() && rel.starts_with(d.trim_matches('/')))
    };
    for root in article_paths {
        for file in super::files_under(&path.join(root)) {
            let rel_path = super::rel(&file, path);
            let rel_src = super::rel(&file, src);
            if under(&rel_path, static_paths) {
                continue;
            }
            if under(&rel_path, page_paths) {
                if super::is_markdown(&file) {
                    source.skipped.push((
                        rel_src,
                        "a page, not an article: digest makes its own pages".into(),
                    ));
                }
                continue;
            }
            let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
            if ext == "rst" {
                source.skipped.push((
                    rel_src,
                    "reStructuredText: convert it to Markdown to import it".into(),
                ));
                continue;
            }
            if !super::is_markdown(&file) {
                continue;
            }
            let text = crate::fs::read_to_string(&file)?;
            let (table, body, body_line) = if text.starts_with("---") || text.starts_with("+++") {
                match super::front_matter(&text) {
                    Ok(parts) => parts,
                    Err(e) => {
                        source.skipped.push((rel_src, e));
                        continue;
                    }
                }
            } else {
                metadata(&text)
            };
            let stem = file
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let dirs: Vec<String> = rel_path
                .parent()
                .map(|p| p.iter().map(|s| s.to_string_lossy().into_owned()).collect())
                .unwrap_or_default();
            let mut dest = rel_path.clone();
            dest.set_extension("md");
            source.posts.push(RawPost {
                path: rel_src,
                dest,
                table,
                body: body.to_string(),
                body_line,
                file_date: super::dated_stem(&stem).map(|(d, _)| d),
                resources: Vec::new(),
                place: Place { dirs, stem },
            });
        }
    }
    Ok(())
}

/// Pelican's Markdown metadata: `Key: value` lines up to the first blank line (an indented line
/// continues the one before), keys lowercased. Returns the table, the body and its first line.
fn metadata(text: &str) -> (toml::Table, &str, usize) {
    let mut table = toml::Table::new();
    let mut last: Option<String> = None;
    let mut offset = 0;
    let mut line_no = 1;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if content.trim().is_empty() {
            offset += line.len();
            line_no += 1;
            break;
        }
        if content.starts_with([' ', '\t'])
            && let Some(key) = &last
        {
            if let Some(toml::Value::String(v)) = table.get_mut(key) {
                v.push(' ');
                v.push_str(content.trim());
            }
        } else if let Some((key, value)) = content.split_once(':')
            && !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        {
            let key = key.to_lowercase();
            table.insert(key.clone(), toml::Value::String(value.trim().to_string()));
            last = Some(key);
        } else {
            break;
        }
        offset += line.len();
        line_no += 1;
    }
    if table.is_empty() {
        return (table, text, 1);
    }
    (table, &text[offset.min(text.len())..], line_no)
}

/// Pelican's `slugify`: ASCII, lowercase, punctuation removed (`1.0` → `10`), spaces and
/// hyphens joined into one `-`.
pub(crate) fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let kept: String = ascii
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-' || c.is_whitespace())
        .collect();
    let mut out = String::new();
    for c in kept.trim().chars() {
        if c == '-' || c.is_whitespace() {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// An article's URL under Pelican's rules: `save_as`/`url`, else `ARTICLE_SAVE_AS` or
/// `ARTICLE_URL` filled in (`{date:%Y}`, `{slug}`, `{category}`, `{lang}`, `{author}`).
pub(crate) fn url(
    rules: &Rules,
    raw: &RawPost,
    fields: &Fields,
    tz: &jiff::tz::TimeZone,
) -> std::result::Result<String, String> {
    let date = fields
        .date
        .as_ref()
        .map(|w| w.at.with_time_zone(tz.clone()))
        .ok_or("no date")?;
    let slug = match &fields.slug {
        Some(s) => s.clone(),
        None if rules.slug_from_basename => slugify(&raw.place.stem),
        None => slugify(fields.title.as_deref().unwrap_or("")),
    };
    let category = fields
        .terms
        .iter()
        .find(|(t, _)| t == "category")
        .and_then(|(_, names)| names.first().cloned())
        .or_else(|| {
            rules
                .use_folder_as_category
                .then(|| raw.place.dirs.last().cloned())
                .flatten()
        })
        .unwrap_or_else(|| rules.default_category.clone());
    let author = fields.authors.first().cloned().unwrap_or_default();
    let pattern = fields
        .save_as
        .clone()
        .or_else(|| fields.url.clone())
        .or_else(|| rules.article_save_as.clone())
        .unwrap_or_else(|| rules.article_url.clone());
    let mut out = String::new();
    let mut rest = pattern.as_str();
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let Some(end) = rest[i..].find('}') else {
            return Err(format!("unclosed `{{` in {pattern:?}"));
        };
        let field = &rest[i + 1..i + end];
        let (name, format) = field.split_once(':').unwrap_or((field, ""));
        let value = match name {
            "slug" => slug.clone(),
            "category" => slugify(&category),
            "lang" => rules.lang.clone(),
            "author" => slugify(&author),
            "date" if !format.is_empty() => date.strftime(format).to_string(),
            "date" => date.strftime("%Y-%m-%d %H:%M:%S").to_string(),
            other => return Err(format!("Pelican URL field `{{{other}}}` is not known here")),
        };
        out.push_str(&value);
        rest = &rest[i + end + 1..];
    }
    out.push_str(rest);
    // `x/index.html` is published as `x/`.
    if let Some(folder) = out.strip_suffix("index.html") {
        out = folder.to_string();
    }
    Ok(format!("/{}", out.trim_start_matches('/')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pelican_settings_and_metadata() {
        let conf = settings_of(
            "SITENAME = 'This Week'  # name\nSITEURL = \"\"\nSTATIC_PATHS = [\n  'images',\n  'extra/CNAME',\n]\nDEFAULT_PAGINATION = 10\nRELATIVE = False\n",
        );
        assert_eq!(conf["SITENAME"], Py::Str("This Week".into()));
        assert_eq!(
            conf["STATIC_PATHS"],
            Py::List(vec!["images".into(), "extra/CNAME".into()])
        );
        assert_eq!(conf["DEFAULT_PAGINATION"], Py::Num(10));
        assert_eq!(conf["RELATIVE"], Py::Bool(false));
        assert_eq!(
            python_value("'https://x.org' if not LOCAL else 'http://localhost'"),
            Py::Str("https://x.org".into())
        );
        assert_eq!(python_value("'a' + B"), Py::Other);
        let (table, body, line) = metadata(
            "Title: Hello\nDate: 2013-06-07 10:20\nTags: a,\n    b\n\nBody: not metadata\n",
        );
        assert_eq!(table["title"].as_str(), Some("Hello"));
        assert_eq!(table["tags"].as_str(), Some("a, b"));
        assert_eq!(body, "Body: not metadata\n");
        assert_eq!(line, 6);
    }

    #[test]
    fn slugs_as_pelican_makes_them() {
        assert_eq!(slugify("Rust 1.0 is here!"), "rust-10-is-here");
        assert_eq!(slugify("This Week in Rust 12"), "this-week-in-rust-12");
    }
}
