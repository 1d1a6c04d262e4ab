//! `digest import`: an existing Hugo, Zola, Jekyll or Pelican site moved over with every URL
//! intact. Each generator's reader (hugo.rs, zola.rs, jekyll.rs, pelican.rs) turns the source
//! into a [`Source`]: settings, posts with their front matter as read and each post's URL under
//! the source's own rules. The shared pieces map front matter (posts.rs), choose a
//! `[permalinks]` pattern and aliases (urls.rs), convert shortcodes (shortcodes.rs) and write
//! the report (report.rs).

mod hugo;
mod jekyll;
mod pelican;
mod posts;
mod report;
mod shortcodes;
mod urls;
mod zola;

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};

/// The generators `digest import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generator {
    Hugo,
    Zola,
    Jekyll,
    Pelican,
}

impl Generator {
    pub fn name(self) -> &'static str {
        match self {
            Generator::Hugo => "Hugo",
            Generator::Zola => "Zola",
            Generator::Jekyll => "Jekyll",
            Generator::Pelican => "Pelican",
        }
    }

    /// `hugo`, `zola`, `jekyll` or `pelican`, as typed after `--from`.
    pub fn parse(text: &str) -> Option<Generator> {
        match text.to_ascii_lowercase().as_str() {
            "hugo" => Some(Generator::Hugo),
            "zola" => Some(Generator::Zola),
            "jekyll" => Some(Generator::Jekyll),
            "pelican" => Some(Generator::Pelican),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// `None`: detect it from the layout of `src`.
    pub from: Option<Generator>,
    pub src: PathBuf,
    pub dir: PathBuf,
    /// Write into a folder that is not empty, adding only missing files.
    pub force: bool,
    /// Names filed as companies on the posts that mention them.
    pub companies: Vec<String>,
}

/// What an import did, for the command line (the details are in import-report.md).
#[derive(Debug, Default)]
pub struct ImportSummary {
    pub generator: Option<Generator>,
    /// Whether the generator was detected rather than given.
    pub detected: bool,
    /// Files written, relative to the new site's folder.
    pub created: Vec<PathBuf>,
    /// Files that were there already and were left as they were.
    pub kept: Vec<PathBuf>,
    pub stats: Stats,
}

/// The figures of an import, as the report gives them.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    pub posts_found: usize,
    pub imported: usize,
    pub drafts: usize,
    pub skipped: usize,
    /// Published posts whose old URL is the new one, by the `[permalinks]` pattern.
    pub urls_as_permalinks: usize,
    /// Published posts whose old URL redirects to the new one.
    pub urls_as_aliases: usize,
    pub urls_lost: usize,
    pub shortcodes_found: usize,
    pub shortcodes_converted: usize,
}

/// The site-wide settings a reader found, in the source's terms.
#[derive(Debug, Clone, Default)]
pub(crate) struct Settings {
    pub title: Option<String>,
    pub description: Option<String>,
    /// Without a trailing slash.
    pub base_url: Option<String>,
    pub language: Option<String>,
    /// An IANA name digest accepts; UTC when the source has none.
    pub timezone: String,
    pub per_page: Option<usize>,
    /// The source's taxonomies (front-matter keys), e.g. `tags`, `categories`.
    pub taxonomies: Vec<String>,
    /// Configuration keys and what became of each, for the report.
    pub config_keys: Vec<(String, String)>,
}

impl Settings {
    /// The time zone settings name, as jiff knows it.
    pub fn tz(&self) -> jiff::tz::TimeZone {
        jiff::tz::TimeZone::get(&self.timezone).unwrap_or(jiff::tz::TimeZone::UTC)
    }
}

/// One post as a reader found it.
#[derive(Debug, Clone)]
pub(crate) struct RawPost {
    /// Relative to the source folder, for messages and the report.
    pub path: PathBuf,
    /// Where it goes, relative to `content/articles/`.
    pub dest: PathBuf,
    pub table: toml::Table,
    pub body: String,
    /// 1-based line of the source file where the body starts.
    pub body_line: usize,
    /// The date in the file name (`2015-05-15-rust-1.0.md`), if any.
    pub file_date: Option<jiff::civil::Date>,
    /// The post's own files (page bundle, co-located assets): (absolute path, path relative to
    /// the post's folder).
    pub resources: Vec<(PathBuf, PathBuf)>,
    /// What the source's URL rules need beside the front matter.
    pub place: Place,
}

/// Where a post sits in the source, as the URL rules see it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Place {
    /// Folders between the content folder and the file (Hugo/Zola sections, Pelican folders,
    /// Jekyll categories given by folders).
    pub dirs: Vec<String>,
    /// The file's name without extension (a bundle's: its folder's), as written.
    pub stem: String,
}

/// A term page with content (Hugo `content/tags/x/_index.md`), written as a digest profile.
#[derive(Debug, Clone)]
pub(crate) struct Profile {
    pub source_taxonomy: String,
    pub term: String,
    pub name: Option<String>,
    pub body: String,
}

/// The source's rules for a post's URL.
#[derive(Debug, Clone)]
pub(crate) enum Rules {
    Hugo(hugo::Rules),
    Zola,
    Jekyll(jekyll::Rules),
    Pelican(pelican::Rules),
}

/// Everything a reader found in the source folder.
#[derive(Debug, Default)]
pub(crate) struct Source {
    pub settings: Settings,
    pub posts: Vec<RawPost>,
    /// Files copied into `static/`: (absolute path, path under static/).
    pub statics: Vec<(PathBuf, PathBuf)>,
    /// Files listed and not imported, with the reason.
    pub skipped: Vec<(PathBuf, String)>,
    pub profiles: Vec<Profile>,
}

/// Which generator's layout `src` has, if any.
pub fn detect(src: &Path) -> Option<Generator> {
    let has = |name: &str| src.join(name).exists();
    if has("pelicanconf.py") {
        return Some(Generator::Pelican);
    }
    if (has("_config.yml") || has("_config.yaml")) && has("_posts") {
        return Some(Generator::Jekyll);
    }
    if has("zola.toml") && has("content") {
        return Some(Generator::Zola);
    }
    if has("hugo.toml")
        || has("hugo.yaml")
        || has("hugo.json")
        || (has("config/_default") && has("content"))
    {
        return Some(Generator::Hugo);
    }
    if has("config.toml") && has("content") {
        let text = std::fs::read_to_string(src.join("config.toml")).unwrap_or_default();
        let table: toml::Table = text.parse().unwrap_or_default();
        // Zola spells it base_url; Hugo baseURL (any case), and has no base_url.
        if table.contains_key("base_url") {
            return Some(Generator::Zola);
        }
        return Some(Generator::Hugo);
    }
    if (has("config.yaml") || has("config.json")) && has("content") {
        return Some(Generator::Hugo);
    }
    None
}

/// `digest import`: reads the source site, writes a digest site into `options.dir` and
/// `import-report.md` beside it. Never overwrites a file.
pub fn import(options: &ImportOptions) -> Result<ImportSummary> {
    let src = &options.src;
    if !src.is_dir() {
        return Err(Error::Other(format!(
            "{} is not a folder; give the folder of the site to import",
            src.display()
        )));
    }
    let (generator, detected) = match options.from {
        Some(g) => (g, false),
        None => match detect(src) {
            Some(g) => (g, true),
            None => {
                return Err(Error::Other(format!(
                    "cannot tell which generator {} was made with (no hugo.toml, zola.toml or config.toml with content/, _config.yml with _posts/, or pelicanconf.py); pass --from hugo|zola|jekyll|pelican",
                    src.display()
                )));
            }
        },
    };
    check_target(&options.dir, options.force)?;
    let (source, rules) = match generator {
        Generator::Hugo => hugo::read(src)?,
        Generator::Zola => zola::read(src)?,
        Generator::Jekyll => jekyll::read(src)?,
        Generator::Pelican => pelican::read(src)?,
    };
    let plan = plan(generator, &source, &rules, &options.companies);
    let mut summary = ImportSummary {
        generator: Some(generator),
        detected,
        stats: plan.stats.clone(),
        ..ImportSummary::default()
    };
    let dir = &options.dir;
    let mut files: Vec<(PathBuf, FileBody)> = Vec::new();
    files.push(("site.toml".into(), FileBody::Text(plan.site_toml.clone())));
    for article in &plan.articles {
        files.push((
            Path::new("content/articles").join(&article.dest),
            FileBody::Text(article.text.clone()),
        ));
    }
    for (path, text) in &plan.profiles {
        files.push((path.clone(), FileBody::Text(text.clone())));
    }
    for (from, to) in &plan.copies {
        files.push((Path::new("static").join(to), FileBody::Copy(from.clone())));
    }
    let outcomes: Vec<Result<(PathBuf, bool)>> = files
        .into_par_iter()
        .map(|(rel, body)| write_new(&dir.join(&rel), &body).map(|created| (rel, created)))
        .collect();
    for outcome in outcomes {
        let (rel, created) = outcome?;
        if created {
            summary.created.push(rel);
        } else {
            summary.kept.push(rel);
        }
    }
    let report = report::render(generator, src, &source, &plan, &summary.kept);
    let report_path = PathBuf::from("import-report.md");
    if write_new(&dir.join(&report_path), &FileBody::Text(report))? {
        summary.created.push(report_path);
    } else {
        summary.kept.push(report_path);
    }
    Ok(summary)
}

/// Refuses a target folder with visible files in it unless `force`, as `digest init` does.
fn check_target(dir: &Path, force: bool) -> Result<()> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::Other(format!(
            "{} is a file, not a folder; choose a new folder for the site",
            dir.display()
        )));
    }
    if dir.is_dir() && !force {
        let visible = std::fs::read_dir(dir)
            .map_err(|e| Error::io(dir, e))?
            .filter_map(|e| e.ok())
            .any(|e| !e.file_name().to_string_lossy().starts_with('.'));
        if visible {
            return Err(Error::Other(format!(
                "{} is not empty; import into a new or empty folder, or pass --force to add the missing files (existing files are never overwritten)",
                dir.display()
            )));
        }
    }
    Ok(())
}

enum FileBody {
    Text(String),
    Copy(PathBuf),
}

/// Creates `path` unless it exists; `false` when it did.
fn write_new(path: &Path, body: &FileBody) -> Result<bool> {
    if let Some(parent) = path.parent() {
        crate::fs::create_dir_all(parent)?;
    }
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path);
    let mut file = match file {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(false),
        Err(e) => return Err(Error::io(path, e)),
    };
    match body {
        FileBody::Text(text) => file
            .write_all(text.as_bytes())
            .map_err(|e| Error::io(path, e))?,
        FileBody::Copy(from) => {
            let mut reader = std::fs::File::open(from).map_err(|e| Error::io(from, e))?;
            std::io::copy(&mut reader, &mut file).map_err(|e| Error::io(path, e))?;
        }
    }
    Ok(true)
}

/// One article ready to write.
#[derive(Debug)]
pub(crate) struct Article {
    /// Relative to `content/articles/`.
    pub dest: PathBuf,
    pub text: String,
}

/// Everything to write, and what the report says about it.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    pub site_toml: String,
    pub pattern: String,
    pub articles: Vec<Article>,
    pub profiles: Vec<(PathBuf, String)>,
    pub copies: Vec<(PathBuf, PathBuf)>,
    pub stats: Stats,
    /// Front-matter key → (mapped, converted, kept as extra, dropped) counts.
    pub keys: BTreeMap<String, posts::KeyCounts>,
    pub extra_keys: Vec<String>,
    /// Old URLs that do not resolve after the import: (post, URL, reason).
    pub lost: Vec<(PathBuf, String, String)>,
    /// Posts whose old URL became an alias: (post, old URL, new URL).
    pub aliased: Vec<(PathBuf, String, String)>,
    pub shortcodes: shortcodes::Tally,
    /// Posts that could not be imported: (post, reason).
    pub failed: Vec<(PathBuf, String)>,
    /// Capitalised names mentioned most often that are no terms yet: (name, posts).
    pub candidates: Vec<(String, usize)>,
    /// How many posts each `--companies` name was filed on.
    pub companies_filed: Vec<(String, usize)>,
}

/// One article's text, its tags tally, and its own files to copy.
type Rendered = (Article, shortcodes::Tally, Vec<(PathBuf, PathBuf)>);

/// Maps every post, chooses URLs, and renders every file of the new site.
fn plan(generator: Generator, source: &Source, rules: &Rules, companies: &[String]) -> Plan {
    let settings = &source.settings;
    let tz = settings.tz();
    let mut plan = Plan::default();
    plan.stats.posts_found = source.posts.len() + source.skipped.len();
    plan.stats.skipped = source.skipped.len();

    // Front matter of every post, then its URL under the source's rules.
    let mapped: Vec<std::result::Result<posts::Mapped, (PathBuf, String)>> = source
        .posts
        .par_iter()
        .map(|raw| {
            let mut mapped = posts::map(generator, raw, settings, &tz)?;
            mapped.old_url = urls::old_url(rules, raw, &mapped.fields, settings);
            Ok(mapped)
        })
        .collect();
    let mut posts = Vec::new();
    for m in mapped {
        match m {
            Ok(m) => posts.push(m),
            Err(failed) => plan.failed.push(failed),
        }
    }
    for post in &posts {
        for (key, fate) in &post.key_fates {
            plan.keys.entry(key.clone()).or_default().add(*fate);
        }
    }
    let urls = urls::choose(&mut posts, &tz);
    plan.pattern = urls.pattern.clone();
    plan.lost = urls.lost;
    plan.aliased = urls.aliased;
    plan.stats.urls_as_permalinks = urls.kept;
    plan.stats.urls_as_aliases = plan.aliased.len();
    plan.stats.urls_lost = plan.lost.len();

    // An image that is one of the post's own files, by its published path (digest adds the
    // base path).
    for post in &mut posts {
        if let Some(image) = &post.fields.image
            && !image.contains("://")
            && !image.starts_with('/')
            && let Some(url) = urls::resource_url(post, image, "")
        {
            post.fields.image = Some(url);
        }
    }
    // Links to other posts, shortcodes, and each post's own files, written from the site's
    // root: digest puts root-relative body links under base_url's path when it renders them.
    let base_path = String::new();
    let by_path = urls::index(&posts, &base_path);
    let rendered: Vec<Rendered> = posts
        .par_iter()
        .map(|post| {
            let (body, tally) = shortcodes::convert(
                generator,
                &post.raw.body,
                &post.raw.path,
                post.raw.body_line,
                &by_path,
                &base_path,
            );
            let body = urls::rewrite_links(generator, &body, post, &by_path, &base_path);
            let text = posts::render(post, &body, companies);
            let copies = urls::resource_copies(post);
            (
                Article {
                    dest: post.dest.clone(),
                    text,
                },
                tally,
                copies,
            )
        })
        .collect();
    for (article, tally, copies) in rendered {
        plan.shortcodes.merge(tally);
        plan.articles.push(article);
        plan.copies.extend(copies);
    }
    plan.stats.shortcodes_found = plan.shortcodes.found();
    plan.stats.shortcodes_converted = plan.shortcodes.converted();
    plan.stats.imported = plan.articles.len();
    plan.stats.drafts = posts.iter().filter(|p| p.fields.draft).count();
    plan.copies.extend(source.statics.iter().cloned());
    plan.candidates = report::candidates(&posts, companies);
    plan.companies_filed = companies
        .iter()
        .map(|c| {
            let n = posts
                .iter()
                .filter(|p| posts::mentions(&p.raw.body, &p.fields, c))
                .count();
            (c.clone(), n)
        })
        .collect();
    let mut extra_keys: Vec<String> = posts
        .iter()
        .flat_map(|p| p.fields.kept.iter().map(|(k, _)| k.clone()))
        .collect();
    extra_keys.sort();
    extra_keys.dedup();
    plan.extra_keys = extra_keys;
    plan.profiles = source.profiles.iter().map(posts::profile).collect();
    plan.site_toml = posts::site_toml(generator, settings, &plan.pattern, &plan.extra_keys);
    plan
}

// ---------------------------------------------------------------------------------------------
// Shared by the readers
// ---------------------------------------------------------------------------------------------

/// Front matter in TOML (`+++`), YAML (`---`) or JSON (`{ … }`, Hugo), with the body and the
/// 1-based line where the body starts.
pub(crate) fn front_matter(text: &str) -> std::result::Result<(toml::Table, &str, usize), String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.starts_with('{') {
        let mut stream = serde_json::Deserializer::from_str(text).into_iter::<serde_json::Value>();
        return match stream.next() {
            Some(Ok(value)) => {
                let end = stream.byte_offset();
                let rest = &text[end..];
                let rest = rest
                    .strip_prefix("\r\n")
                    .or_else(|| rest.strip_prefix('\n'))
                    .unwrap_or(rest);
                let line = text[..text.len() - rest.len()].matches('\n').count() + 1;
                match json_to_toml(value) {
                    Some(toml::Value::Table(t)) => Ok((t, rest, line)),
                    _ => Err("JSON front matter is not an object".into()),
                }
            }
            Some(Err(e)) => Err(format!("invalid JSON front matter: {e}")),
            None => Err("empty file".into()),
        };
    }
    let split = crate::content::front_matter::split(text).map_err(|e| e.message)?;
    let table = crate::content::front_matter::parse(&split)
        .map_err(|e| format!("line {}: {}", e.line, e.message))?;
    Ok((table, split.body, split.body_line))
}

/// A JSON value as TOML (nulls left out, as TOML has none).
pub(crate) fn json_to_toml(value: serde_json::Value) -> Option<toml::Value> {
    use serde_json::Value as J;
    Some(match value {
        J::Null => return None,
        J::Bool(b) => toml::Value::Boolean(b),
        J::Number(n) => match n.as_i64() {
            Some(i) => toml::Value::Integer(i),
            None => toml::Value::Float(n.as_f64().unwrap_or_default()),
        },
        J::String(s) => toml::Value::String(s),
        J::Array(items) => toml::Value::Array(items.into_iter().filter_map(json_to_toml).collect()),
        J::Object(map) => toml::Value::Table(
            map.into_iter()
                .filter_map(|(k, v)| json_to_toml(v).map(|v| (k, v)))
                .collect(),
        ),
    })
}

/// A configuration file in TOML, YAML or JSON as one table.
pub(crate) fn read_config(path: &Path) -> Result<toml::Table> {
    let text = crate::fs::read_to_string(path)?;
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let bad =
        |message: String| Error::Other(format!("{}: cannot read it: {message}", path.display()));
    match ext {
        "toml" => text
            .parse::<toml::Table>()
            .map_err(|e| bad(e.message().to_string())),
        "json" => {
            let value: serde_json::Value =
                serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
            match json_to_toml(value) {
                Some(toml::Value::Table(t)) => Ok(t),
                _ => Err(bad("not an object".into())),
            }
        }
        _ => {
            if text.trim().is_empty() {
                return Ok(toml::Table::new());
            }
            let value: serde_json::Value =
                yaml_serde::from_str(&text).map_err(|e| bad(e.to_string()))?;
            match json_to_toml(value) {
                Some(toml::Value::Table(t)) => Ok(t),
                _ => Ok(toml::Table::new()),
            }
        }
    }
}

/// A table's keys lowercased (Hugo reads its configuration case-insensitively).
pub(crate) fn lowercase_keys(table: toml::Table) -> toml::Table {
    table
        .into_iter()
        .map(|(k, v)| {
            let v = match v {
                toml::Value::Table(t) => toml::Value::Table(lowercase_keys(t)),
                v => v,
            };
            (k.to_lowercase(), v)
        })
        .collect()
}

/// `2015-05-15-rust-1.0` → the date and `rust-1.0` (Zola also allows `_` after the date).
pub(crate) fn dated_stem(stem: &str) -> Option<(jiff::civil::Date, &str)> {
    let b = stem.as_bytes();
    if b.len() < 11 || !(b[10] == b'-' || b[10] == b'_') {
        return None;
    }
    let day: jiff::civil::Date = stem.get(..10)?.parse().ok()?;
    Some((day, &stem[11..]))
}

/// Every file under `dir`, in name order, skipping hidden ones.
pub(crate) fn files_under(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .sort_by(crate::fs::by_file_name)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

/// Whether a file name is Markdown.
pub(crate) fn is_markdown(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("md" | "markdown" | "mdown" | "mkd" | "mkdn")
    )
}

/// The string value of a key, if it is one.
pub(crate) fn string(table: &toml::Table, key: &str) -> Option<String> {
    match table.get(key) {
        Some(toml::Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    }
}

/// A time zone digest knows, or UTC.
pub(crate) fn time_zone(name: Option<String>) -> String {
    name.filter(|n| jiff::tz::TimeZone::get(n).is_ok())
        .unwrap_or_else(|| "UTC".into())
}

/// Files of a static folder, copied to the same place under static/.
pub(crate) fn statics(dir: &Path, under: &Path) -> Vec<(PathBuf, PathBuf)> {
    files_under(dir)
        .into_iter()
        .filter_map(|f| {
            let rel = f.strip_prefix(dir).ok()?.to_path_buf();
            Some((f, under.join(rel)))
        })
        .collect()
}

/// The path of `file` relative to `base`, with `/` separators.
pub(crate) fn rel(file: &Path, base: &Path) -> PathBuf {
    file.strip_prefix(base).unwrap_or(file).to_path_buf()
}
