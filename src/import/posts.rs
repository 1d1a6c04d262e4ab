//! Front matter from the source's keys to digest's: what each key becomes (mapped to a digest
//! key, converted into the URL, kept for templates through `[front_matter] extra_keys`, or
//! dropped), and the new file's text.

use std::path::PathBuf;

use toml::Value;

use super::{Generator, Profile, RawPost, Settings};
use crate::content::slug::{slugify, term_key};

/// What became of one front-matter key of one post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fate {
    /// To the digest key of the same meaning.
    Mapped,
    /// Used up in working out the URL (`url`, `permalink`, `slug`, `path`, `save_as`).
    Converted,
    /// Kept as written, accepted through `[front_matter] extra_keys` (or under `[extra]`).
    Kept,
    /// Not carried (an empty value).
    Dropped,
}

/// How often each fate befell one key, over all posts.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct KeyCounts {
    pub mapped: usize,
    pub converted: usize,
    pub kept: usize,
    pub dropped: usize,
}

impl KeyCounts {
    pub fn add(&mut self, fate: Fate) {
        match fate {
            Fate::Mapped => self.mapped += 1,
            Fate::Converted => self.converted += 1,
            Fate::Kept => self.kept += 1,
            Fate::Dropped => self.dropped += 1,
        }
    }
}

/// A date as the source wrote it: with a time or without.
#[derive(Debug, Clone)]
pub(crate) struct When {
    pub at: jiff::ZonedDateTime,
    pub date_only: bool,
}

/// A post's front matter in digest's terms.
#[derive(Debug, Clone, Default)]
pub(crate) struct Fields {
    pub title: Option<String>,
    pub date: Option<When>,
    pub updated: Option<When>,
    pub authors: Vec<String>,
    pub summary: Option<String>,
    pub draft: bool,
    /// The source's own slug, as written.
    pub slug: Option<String>,
    /// A URL given in front matter (Hugo `url`, Zola `path`, Jekyll `permalink`, Pelican
    /// `url`/`save_as`), as written.
    pub url: Option<String>,
    pub save_as: Option<String>,
    pub aliases: Vec<String>,
    /// Source taxonomy → names, in the source's order.
    pub terms: Vec<(String, Vec<String>)>,
    pub image: Option<String>,
    pub image_alt: Option<String>,
    /// The original publication: `[source]` with `name` and `url` (a digest's own key).
    pub source: Option<toml::Table>,
    /// Keys kept at the top level (declared in extra_keys).
    pub kept: Vec<(String, Value)>,
    /// Keys kept under `[extra]`: Zola's `[extra]`, and keys whose names digest uses otherwise.
    pub extra: toml::Table,
}

/// One post, mapped, with its URLs once chosen.
#[derive(Debug, Clone)]
pub(crate) struct Mapped<'a> {
    pub raw: &'a RawPost,
    pub fields: Fields,
    pub key_fates: Vec<(String, Fate)>,
    /// The URL the source published it at (site-relative, from `/`), or why it has none.
    pub old_url: Result<String, String>,
    /// Relative to `content/articles/`.
    pub dest: PathBuf,
    /// A `slug` to write, when digest would not derive the wanted one from the file name.
    pub slug: Option<String>,
    /// Old URLs that redirect here: the source's aliases and, when the URL changed, the old URL.
    pub aliases: Vec<String>,
    /// The URL digest publishes it at (site-relative, from `/`).
    pub new_url: String,
}

/// Reads a post's front matter into [`Fields`], recording each key's fate.
pub(crate) fn map<'a>(
    generator: Generator,
    raw: &'a RawPost,
    settings: &Settings,
    tz: &jiff::tz::TimeZone,
) -> Result<Mapped<'a>, (PathBuf, String)> {
    let reader = KeyReader::new(generator, raw, settings, tz);
    let mut fields = Fields::default();
    let mut fates = Vec::new();
    for (key, value) in &raw.table {
        // Hugo and Pelican read keys case-insensitively.
        let k = if matches!(generator, Generator::Hugo | Generator::Pelican) {
            key.to_lowercase()
        } else {
            key.clone()
        };
        let fate = reader.key(&mut fields, &k, value);
        fates.push((k, fate));
    }
    date_from_names(&mut fields, raw, tz);
    if fields.title.is_none() {
        return Err((raw.path.clone(), "no title".into()));
    }
    if fields.date.is_none() {
        return Err((
            raw.path.clone(),
            "no date in the front matter or the file name".into(),
        ));
    }
    Ok(Mapped {
        raw,
        fields,
        key_fates: fates,
        old_url: Err(String::new()),
        dest: raw.dest.clone(),
        slug: None,
        aliases: Vec::new(),
        new_url: String::new(),
    })
}

/// Without a date in the front matter, the one in the file name (`2019-11-07-x.md`), else the
/// one in a URL given in front matter (`path = "2019/11/07/async-await-stable"`).
fn date_from_names(fields: &mut Fields, raw: &RawPost, tz: &jiff::tz::TimeZone) {
    if fields.date.is_none()
        && let Some(day) = raw.file_date
        && let Ok(at) = day.to_zoned_datetime(tz.clone())
    {
        fields.date = Some(When {
            at,
            date_only: true,
        });
    }
    if fields.date.is_none()
        && let Some(day) = fields.url.as_deref().and_then(date_in_path)
        && let Ok(at) = day.to_zoned_datetime(tz.clone())
    {
        fields.date = Some(When {
            at,
            date_only: true,
        });
    }
}

/// How one generator's front-matter keys read: which keys it has, and how it writes lists.
struct KeyReader<'a> {
    generator: Generator,
    raw: &'a RawPost,
    tz: &'a jiff::tz::TimeZone,
    /// Pelican writes lists as `a, b`.
    comma_lists: bool,
    /// Jekyll writes `tags: a b`.
    space_lists: bool,
    /// The front-matter keys that name terms.
    source_taxonomies: Vec<String>,
}

impl<'a> KeyReader<'a> {
    fn new(
        generator: Generator,
        raw: &'a RawPost,
        settings: &Settings,
        tz: &'a jiff::tz::TimeZone,
    ) -> Self {
        KeyReader {
            generator,
            raw,
            tz,
            comma_lists: generator == Generator::Pelican,
            space_lists: generator == Generator::Jekyll,
            source_taxonomies: match generator {
                Generator::Hugo => settings.taxonomies.clone(),
                Generator::Zola => Vec::new(),
                Generator::Jekyll => vec!["tags".into(), "categories".into(), "category".into()],
                Generator::Pelican => vec!["tags".into(), "category".into()],
            },
        }
    }

    /// Reads key `k` into `fields` and says what became of it. The groups are tried in order,
    /// and a key none of them takes is kept as it was written.
    fn key(&self, fields: &mut Fields, k: &str, value: &Value) -> Fate {
        if is_empty(value) {
            return Fate::Dropped;
        }
        self.about(fields, k, value)
            .or_else(|| self.url(fields, k, value))
            .or_else(|| self.links_and_terms(fields, k, value))
            .unwrap_or_else(|| keep(fields, k, value))
    }

    /// The title, dates, authors, summary and whether it is a draft.
    fn about(&self, fields: &mut Fields, k: &str, value: &Value) -> Option<Fate> {
        let generator = self.generator;
        let tz = self.tz;
        Some(match (k, value) {
            ("title", v) => {
                fields.title = text(v);
                Fate::Mapped
            }
            ("date", v) => match date(v, tz) {
                Some(when) => {
                    fields.date = Some(when);
                    Fate::Mapped
                }
                None => keep(fields, k, value),
            },
            ("publishdate" | "pubdate", v) if generator == Generator::Hugo => {
                match date(v, tz) {
                    // Hugo dates a post by `date`, then `publishDate`.
                    Some(when)
                        if !self
                            .raw
                            .table
                            .keys()
                            .any(|k| k.eq_ignore_ascii_case("date")) =>
                    {
                        fields.date = Some(when);
                        Fate::Mapped
                    }
                    _ => keep(fields, k, value),
                }
            }
            ("lastmod" | "updated" | "modified" | "last_modified_at", v) => match date(v, tz) {
                Some(when) if fields.updated.is_none() => {
                    fields.updated = Some(when);
                    Fate::Mapped
                }
                _ => keep(fields, k, value),
            },
            ("author" | "authors", v) => {
                fields.authors.extend(list(v, self.comma_lists, false));
                Fate::Mapped
            }
            ("summary" | "description" | "excerpt", v) if fields.summary.is_none() => {
                // `summary` wins over `description` whatever their order.
                let has_summary = k != "summary"
                    && self
                        .raw
                        .table
                        .keys()
                        .any(|o| o.eq_ignore_ascii_case("summary"));
                if has_summary {
                    keep(fields, k, value)
                } else {
                    fields.summary = text(v);
                    Fate::Mapped
                }
            }
            ("draft", Value::Boolean(b)) => {
                fields.draft |= *b;
                Fate::Mapped
            }
            ("published", Value::Boolean(b)) if generator == Generator::Jekyll => {
                fields.draft |= !*b;
                Fate::Mapped
            }
            ("status", Value::String(s)) if generator == Generator::Pelican => {
                fields.draft |= matches!(s.trim().to_lowercase().as_str(), "draft" | "hidden");
                Fate::Mapped
            }
            _ => return None,
        })
    }

    /// The keys that say where the source published the post: used up in working out its URL.
    fn url(&self, fields: &mut Fields, k: &str, value: &Value) -> Option<Fate> {
        let generator = self.generator;
        match (k, value) {
            ("slug", v) => fields.slug = text(v),
            ("url", v) if matches!(generator, Generator::Hugo | Generator::Pelican) => {
                fields.url = text(v);
            }
            ("save_as", v) if generator == Generator::Pelican => fields.save_as = text(v),
            ("path", v) if generator == Generator::Zola => fields.url = text(v),
            ("permalink", v) if generator == Generator::Jekyll => fields.url = text(v),
            _ => return None,
        }
        Some(Fate::Converted)
    }

    /// Aliases, terms, Zola's `[extra]`, the image and the original publication.
    fn links_and_terms(&self, fields: &mut Fields, k: &str, value: &Value) -> Option<Fate> {
        let generator = self.generator;
        match (k, value) {
            ("aliases" | "redirect_from", v) => {
                fields.aliases.extend(list(v, false, false));
            }
            ("taxonomies", Value::Table(t)) if generator == Generator::Zola => {
                for (name, names) in t {
                    fields.terms.push((name.clone(), list(names, false, false)));
                }
            }
            ("extra", Value::Table(t)) if generator == Generator::Zola => {
                fields.extra.extend(t.clone());
            }
            (name, v)
                if self
                    .source_taxonomies
                    .iter()
                    .any(|t| t.eq_ignore_ascii_case(name)) =>
            {
                fields.terms.push((
                    name.to_string(),
                    list(v, self.comma_lists, self.space_lists),
                ));
            }
            ("image" | "cover" | "images" | "og_image" | "featured_image", v)
                if fields.image.is_none() && image(v).is_some() =>
            {
                fields.image = image(v);
            }
            ("source", Value::Table(t))
                if t.keys().all(|k| k == "name" || k == "url") && t.values().all(Value::is_str) =>
            {
                fields.source = Some(t.clone());
            }
            ("image_alt", Value::String(s)) => fields.image_alt = Some(s.clone()),
            _ => return None,
        }
        Some(Fate::Mapped)
    }
}

/// The date of a dated URL path: `/2019/11/07/x` → 2019-11-07.
fn date_in_path(path: &str) -> Option<jiff::civil::Date> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    segments.windows(3).find_map(|w| {
        let ok = w[0].len() == 4 && w[1].len() == 2 && w[2].len() == 2;
        let all_digits = w.iter().all(|s| s.bytes().all(|b| b.is_ascii_digit()));
        (ok && all_digits)
            .then(|| format!("{}-{}-{}", w[0], w[1], w[2]).parse().ok())
            .flatten()
    })
}

/// Keeps a key the way it was written: at the top level (declared in extra_keys), or under
/// `[extra]` when digest gives its name another meaning.
fn keep(fields: &mut Fields, key: &str, value: &Value) -> Fate {
    // Digest's own keys (and the taxonomies an import writes) mean something else here.
    if crate::content::ARTICLE_KEYS.contains(&key)
        || matches!(key, "companies" | "regulations" | "tags")
    {
        fields.extra.insert(key.to_string(), value.clone());
    } else {
        fields.kept.push((key.to_string(), value.clone()));
    }
    Fate::Kept
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Integer(_) | Value::Float(_) | Value::Boolean(_) | Value::Datetime(_) => {
            Some(value.to_string())
        }
        _ => None,
    }
}

/// A list, or one string (split at commas for Pelican, at spaces for Jekyll categories).
fn list(value: &Value, commas: bool, spaces: bool) -> Vec<String> {
    let items: Vec<String> = match value {
        Value::Array(items) => items.iter().filter_map(text).collect(),
        Value::String(s) if commas => s.split(',').map(|p| p.trim().to_string()).collect(),
        Value::String(s) if spaces => s.split_whitespace().map(str::to_string).collect(),
        other => text(other).into_iter().collect(),
    };
    items.into_iter().filter(|s| !s.is_empty()).collect()
}

/// The image of `image = "x"`, `cover = { image = "x" }` (Hugo themes) or `images = ["x"]`.
fn image(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Array(items) => items.first().and_then(image),
        Value::Table(t) => t.get("image").or_else(|| t.get("src")).and_then(image),
        _ => None,
    }
}

/// A front-matter date in the source's time zone: a TOML date, or text as YAML and Pelican
/// write it (`2020-01-02 10:20:30 +0100`, `2020-01-02T10:20`, `2020-01-02`).
pub(crate) fn date(value: &Value, tz: &jiff::tz::TimeZone) -> Option<When> {
    let text = match value {
        Value::Datetime(d) => d.to_string(),
        Value::String(s) => s.trim().to_string(),
        _ => return None,
    };
    parse_date(&text, tz)
}

pub(crate) fn parse_date(text: &str, tz: &jiff::tz::TimeZone) -> Option<When> {
    let padded = pad_date(text.trim());
    let text = padded.as_str();
    if text.len() == 10 {
        let day: jiff::civil::Date = text.parse().ok()?;
        return Some(When {
            at: day.to_zoned_datetime(tz.clone()).ok()?,
            date_only: true,
        });
    }
    // `2020-01-02 10:20:30 +0100` → `2020-01-02T10:20:30+01:00`.
    let mut t = text.to_string();
    if t.len() > 10 && t.as_bytes()[10] == b' ' {
        t.replace_range(10..11, "T");
    }
    let mut parts: Vec<&str> = t.split_whitespace().collect();
    let mut offset = String::new();
    if parts.len() >= 2 {
        let last = parts[parts.len() - 1];
        if last == "UTC" || last == "Z" {
            offset = "Z".into();
            parts.pop();
        } else if (last.starts_with('+') || last.starts_with('-'))
            && last[1..].chars().all(|c| c.is_ascii_digit() || c == ':')
        {
            let digits: String = last[1..].chars().filter(char::is_ascii_digit).collect();
            if digits.len() == 4 {
                offset = format!("{}{}:{}", &last[..1], &digits[..2], &digits[2..]);
                parts.pop();
            }
        }
    }
    let joined = format!("{}{offset}", parts.join(""));
    if let Ok(ts) = joined.parse::<jiff::Timestamp>() {
        // Keep the offset the source wrote, so the day is the one it meant.
        let at = ts.to_zoned_datetime(tz.clone());
        return Some(When {
            at,
            date_only: false,
        });
    }
    let civil: jiff::civil::DateTime = joined.parse().ok()?;
    Some(When {
        at: civil.to_zoned_datetime(tz.clone()).ok()?,
        date_only: false,
    })
}

/// `2020-12-2 10:00` → `2020-12-02 10:00` (Pelican reads dates loosely, and some sites write
/// them so).
fn pad_date(text: &str) -> String {
    let end = text.find([' ', 'T']).unwrap_or(text.len());
    let parts: Vec<&str> = text[..end].split('-').collect();
    let numeric = parts.len() == 3
        && parts[0].len() == 4
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()));
    if !numeric {
        return text.to_string();
    }
    format!(
        "{}-{:0>2}-{:0>2}{}",
        parts[0],
        parts[1],
        parts[2],
        &text[end..]
    )
}

/// `2020-01-02` or `2020-01-02T10:20:30+01:00`.
fn when_text(when: &When) -> String {
    if when.date_only {
        when.at.date().to_string()
    } else {
        when.at.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
    }
}

/// Which digest taxonomy a source taxonomy's terms go to.
pub(crate) fn digest_taxonomy(source: &str) -> &'static str {
    match source.to_lowercase().as_str() {
        "companies" | "company" => "companies",
        "regulations" | "regulation" => "regulations",
        _ => "tags",
    }
}

/// Whether a post names `name` in its title or body, as a whole word.
pub(crate) fn mentions(body: &str, fields: &Fields, name: &str) -> bool {
    let name = name.trim();
    if name.is_empty() {
        return false;
    }
    let title = fields.title.as_deref().unwrap_or("");
    [title, body].iter().any(|text| {
        text.match_indices(name).any(|(i, _)| {
            let before = text[..i].chars().next_back();
            let after = text[i + name.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
    })
}

fn key_text(key: &str) -> String {
    if !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        key.to_string()
    } else {
        Value::String(key.to_string()).to_string()
    }
}

fn strings(items: &[String]) -> String {
    Value::Array(items.iter().cloned().map(Value::String).collect()).to_string()
}

/// The article's text: digest front matter, then the body.
pub(crate) fn render(post: &Mapped<'_>, body: &str, companies: &[String]) -> String {
    let f = &post.fields;
    let mut out = String::from("+++\n");
    let mut line = |key: &str, value: String| {
        out.push_str(&key_text(key));
        out.push_str(" = ");
        out.push_str(&value);
        out.push('\n');
    };
    line(
        "title",
        Value::String(f.title.clone().unwrap_or_default()).to_string(),
    );
    if let Some(date) = &f.date {
        line("date", when_text(date));
    }
    if let Some(updated) = &f.updated {
        line("updated", when_text(updated));
    }
    if !f.authors.is_empty() {
        line("authors", strings(&f.authors));
    }
    if let Some(summary) = &f.summary {
        line("summary", Value::String(summary.clone()).to_string());
    }
    // Terms by digest taxonomy, one spelling of each.
    let mut terms: Vec<(&str, Vec<String>)> = vec![
        ("companies", Vec::new()),
        ("regulations", Vec::new()),
        ("tags", Vec::new()),
    ];
    let mut add = |taxonomy: &str, name: &str| {
        if let Some((_, names)) = terms.iter_mut().find(|(t, _)| *t == taxonomy)
            && !names.iter().any(|n| term_key(n) == term_key(name))
            && !term_key(name).is_empty()
        {
            names.push(name.to_string());
        }
    };
    for (taxonomy, names) in &f.terms {
        for name in names {
            add(digest_taxonomy(taxonomy), name);
        }
    }
    for company in companies {
        if mentions(&post.raw.body, f, company) {
            add("companies", company.trim());
        }
    }
    for (taxonomy, names) in &terms {
        if !names.is_empty() {
            line(taxonomy, strings(names));
        }
    }
    if f.draft {
        line("draft", "true".into());
    }
    if let Some(slug) = &post.slug {
        line("slug", Value::String(slug.clone()).to_string());
    }
    if let Some(image) = &f.image {
        line("image", Value::String(image.clone()).to_string());
    }
    if let Some(alt) = &f.image_alt {
        line("image_alt", Value::String(alt.clone()).to_string());
    }
    if !post.aliases.is_empty() {
        line("aliases", strings(&post.aliases));
    }
    for (key, value) in &f.kept {
        line(key, value.to_string());
    }
    if let Some(source) = &f.source {
        out.push_str("[source]\n");
        for (key, value) in source {
            out.push_str(&format!("{} = {value}\n", key_text(key)));
        }
    }
    if !f.extra.is_empty() {
        out.push_str("[extra]\n");
        for (key, value) in &f.extra {
            out.push_str(&format!("{} = {value}\n", key_text(key)));
        }
    }
    out.push_str("+++\n");
    out.push_str(body);
    out
}

/// A term page with content as a digest profile: `content/<taxonomy>/<slug>.md`.
pub(crate) fn profile(p: &Profile) -> (PathBuf, String) {
    let taxonomy = digest_taxonomy(&p.source_taxonomy);
    let name = p.name.clone().unwrap_or_else(|| p.term.clone());
    let path = PathBuf::from(format!("content/{taxonomy}/{}.md", slugify(&p.term)));
    let text = format!("+++\nname = {}\n+++\n{}", Value::String(name), p.body);
    (path, text)
}

/// site.toml for the imported site.
pub(crate) fn site_toml(
    generator: Generator,
    settings: &Settings,
    pattern: &str,
    extra_keys: &[String],
) -> String {
    let s = |v: &str| Value::String(v.to_string()).to_string();
    let mut out = format!(
        "# site.toml, written by `digest import --from {}`; see import-report.md for what was\n# mapped from the source's configuration.\n\n",
        generator.name().to_lowercase()
    );
    out.push_str(&format!(
        "title = {}\n",
        s(settings.title.as_deref().unwrap_or("My Digest"))
    ));
    if let Some(description) = &settings.description {
        out.push_str(&format!("description = {}\n", s(description)));
    }
    match &settings.base_url {
        Some(url) => out.push_str(&format!("base_url = {}\n", s(url))),
        None => out.push_str(
            "# The source had no base URL: set the address the site is published at.\nbase_url = \"https://example.com\"\n",
        ),
    }
    if let Some(language) = &settings.language {
        out.push_str(&format!("language = {}\n", s(language)));
    }
    out.push_str(&format!("timezone = {}\n", s(&settings.timezone)));
    if let Some(per_page) = settings.per_page {
        out.push_str(&format!("per_page = {per_page}\n"));
    }
    out.push_str("taxonomies = [\"companies\", \"regulations\", \"tags\"]\n");
    out.push_str(&format!(
        "\n# Where the source published its posts.\n[permalinks]\narticles = {}\n",
        s(pattern)
    ));
    out.push_str(&format!(
        "\n# Front-matter keys the source used that digest has no meaning for, kept for templates\n# as article.extra.<key>.\n[front_matter]\nextra_keys = {}\n",
        strings(extra_keys)
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_sources_write_them() {
        let tz = jiff::tz::TimeZone::get("Europe/Berlin").unwrap();
        let w = parse_date("2020-01-02 23:30:00 -0800", &tz).unwrap();
        assert!(!w.date_only);
        // 23:30 in California is the next morning in Berlin.
        assert_eq!(w.at.date(), jiff::civil::date(2020, 1, 3));
        assert_eq!(when_text(&w), "2020-01-03T08:30:00+01:00");
        let w = parse_date("2020-01-02", &tz).unwrap();
        assert!(w.date_only);
        assert_eq!(when_text(&w), "2020-01-02");
        let w = parse_date("2013-06-07 10:20", &tz).unwrap();
        assert_eq!(when_text(&w), "2013-06-07T10:20:00+02:00");
        assert!(parse_date("2020-01-02T10:00:00Z", &tz).is_some());
        assert!(parse_date("yesterday", &tz).is_none());
        let w = parse_date("2020-12-2", &tz).unwrap();
        assert_eq!(when_text(&w), "2020-12-02");
    }

    #[test]
    fn dates_in_url_paths() {
        assert_eq!(
            date_in_path("2019/11/07/Async-await-stable"),
            Some(jiff::civil::date(2019, 11, 7))
        );
        assert_eq!(date_in_path("/blog/x/"), None);
    }

    #[test]
    fn mentions_are_whole_words() {
        let fields = Fields::default();
        assert!(mentions("OpenAI said", &fields, "OpenAI"));
        assert!(!mentions("OpenAIs said", &fields, "OpenAI"));
        assert!(mentions("(Alibaba)", &fields, "Alibaba"));
    }

    #[test]
    fn lists_split_as_the_source_does() {
        let v = Value::String("rust, news ,weekly".into());
        assert_eq!(list(&v, true, false), ["rust", "news", "weekly"]);
        let v = Value::String("release rust".into());
        assert_eq!(list(&v, false, true), ["release", "rust"]);
        assert_eq!(
            image(&toml::from_str::<toml::Table>("c = { image = \"a.png\" }").unwrap()["c"]),
            Some("a.png".into())
        );
    }
}
