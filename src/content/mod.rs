//! Loading the site's content: every Markdown file under content/ becomes an [`Article`] or a
//! term [`Profile`], parsed in parallel, with every problem collected as a [`Diagnostic`].

pub mod contain;
pub mod discover;
pub mod front_matter;
pub mod highlight;
pub mod markdown;
pub mod permalink;
pub mod slug;
pub mod spans;

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};

use jiff::ZonedDateTime as Zoned;
use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::error::{Code, Diagnostic};
use crate::timings::Timings;
use crate::urls::Urls;
use discover::{Found, Kind};
use front_matter::{FieldError, Fields};
use highlight::HighlightCache;
use markdown::{MarkdownOptions, TocEntry};

pub use crate::layout::CONTENT_DIR;

#[derive(Debug, Clone, Copy)]
pub struct LoadOptions {
    pub drafts: bool,
    pub future: bool,
    /// What "future" is measured against.
    pub now: jiff::Timestamp,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Source {
    pub name: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    /// Relative to the site root, for messages.
    pub path: PathBuf,
    pub title: String,
    pub slug: String,
    /// Where the article is published, from `[permalinks] articles`: a site-relative path,
    /// `articles/x/` (a folder) or `2015/05/15/x.html` (a file).
    pub url: String,
    /// Old URLs (site-relative paths, `/2015/05/15/x.html`) that redirect here.
    pub aliases: Vec<String>,
    pub date: Zoned,
    pub updated: Option<Zoned>,
    pub authors: Vec<String>,
    /// `summary` from the front matter; otherwise the body provides one.
    pub summary: Option<String>,
    pub source: Option<Source>,
    pub lang: Option<String>,
    pub image: Option<String>,
    /// The image described for those who cannot see it.
    pub image_alt: Option<String>,
    /// Term names as written, by taxonomy; every declared taxonomy is present.
    pub terms: BTreeMap<String, Vec<String>>,
    pub draft: bool,
    pub extra: serde_json::Value,
    /// The Markdown source; the render stage takes it, renders it and writes the page.
    pub body: String,
    /// 1-based line of the file where the body starts, for positions in body warnings.
    pub body_line: usize,
    /// Where the slug comes from: the `slug` line, or the top of the file for a file-name slug.
    pub slug_at: (usize, usize),
    /// Where `aliases` is written.
    pub aliases_at: (usize, usize),
    /// Where `image` is written.
    pub image_at: (usize, usize),
    /// The `[languages]` key of a translation (`x.zh.md`); None in the default language.
    pub language_key: Option<String>,
}

/// An article's Markdown rendered: what its page, its card and the feeds show.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Body {
    pub html: String,
    pub toc: Vec<TocEntry>,
    pub summary_html: String,
    pub summary_text: String,
    pub word_count: usize,
    pub reading_time: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct TimelineEvent {
    pub date: jiff::civil::Date,
    pub event: String,
}

#[derive(Debug, Clone, Default)]
pub struct Profile {
    pub taxonomy: String,
    /// The file name without extension: the term's URL slug.
    pub slug: String,
    pub path: PathBuf,
    pub name: String,
    pub aliases: Vec<String>,
    pub website: Option<String>,
    pub summary: Option<String>,
    pub jurisdiction: Option<String>,
    pub effective: Option<jiff::civil::Date>,
    pub status: Option<String>,
    pub timeline: Vec<TimelineEvent>,
    /// The term's name by `[languages]` key (`names = { zh = "阿里巴巴" }`); `name` elsewhere.
    pub names: BTreeMap<String, String>,
    pub description_html: String,
    pub extra: serde_json::Value,
    /// Where `name` and `aliases` are written, for conflicts between profiles.
    pub name_at: (usize, usize),
    pub aliases_at: (usize, usize),
    /// The `[languages]` key of a profile's translation (`alibaba.zh.md`): what it gives
    /// (its name, summary, description…) replaces the original's on that language's pages.
    /// None for the profile itself.
    pub language_key: Option<String>,
}

#[derive(Debug, Default)]
pub struct Content {
    pub articles: Vec<Article>,
    pub profiles: Vec<Profile>,
    pub diagnostics: Vec<Diagnostic>,
    /// The date of the earliest article left out for being in the future: the site changes
    /// by itself then, so a build is only current until that moment.
    pub next_future: Option<jiff::Timestamp>,
    /// When the content was read: what "this week" means.
    pub now: jiff::Timestamp,
    /// Articles read but left out (drafts, future articles), so that a link to one can say so.
    pub left_out: Vec<LeftOut>,
}

/// An article read but not built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    /// Relative to the site root.
    pub path: PathBuf,
    pub reason: LeftOutReason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeftOutReason {
    Draft,
    Future,
}

impl LeftOutReason {
    /// "a draft", for messages.
    pub fn describe(self) -> &'static str {
        match self {
            LeftOutReason::Draft => "a draft",
            LeftOutReason::Future => "dated in the future",
        }
    }
}

/// The front-matter keys of an article besides its taxonomies.
pub(crate) const ARTICLE_KEYS: &[&str] = &[
    "title",
    "date",
    "updated",
    "authors",
    "author",
    "summary",
    "slug",
    "image",
    "lang",
    "draft",
    "source",
    "extra",
    "aliases",
    "image_alt",
];
const PROFILE_KEYS: &[&str] = &[
    "name",
    "aliases",
    "website",
    "summary",
    "jurisdiction",
    "effective",
    "status",
    "timeline",
    "names",
    "extra",
];

pub fn load(root: &Path, config: &Config, options: LoadOptions, timings: &mut Timings) -> Content {
    let start = std::time::Instant::now();
    let (found, mut diagnostics) = discover_files(root, config);
    let results: Vec<Parsed> = found
        .par_iter()
        .map(|file| parse_file(file, config))
        .collect();
    let mut articles = Vec::new();
    let mut profiles = Vec::new();
    for parsed in results {
        diagnostics.extend(parsed.diagnostics);
        match parsed.item {
            Some(Item::Article(a)) => articles.push(*a),
            Some(Item::Profile(p)) => profiles.push(*p),
            None => {}
        }
    }
    let content = assemble(articles, profiles, diagnostics, options);
    timings.record("read", start);
    content
}

/// Every content file of the site, classified.
pub fn discover_files(root: &Path, config: &Config) -> (Vec<Found>, Vec<Diagnostic>) {
    let taxonomy_names = config.taxonomy_names();
    discover::discover(root, &root.join(CONTENT_DIR), &taxonomy_names)
}

/// What one content file holds, once read.
#[derive(Debug, Clone)]
pub enum Item {
    Article(Box<Article>),
    Profile(Box<Profile>),
}

/// One content file read: its article or profile (None when it has errors), and its problems.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub item: Option<Item>,
    pub diagnostics: Vec<Diagnostic>,
}

/// What site.toml says about reading articles.
struct ArticleRules<'c> {
    taxonomies: Vec<String>,
    tz: jiff::tz::TimeZone,
    permalink: permalink::Pattern,
    extra_keys: &'c [String],
    /// `[languages]` keys, and their tags.
    languages: Vec<String>,
    tags: Vec<String>,
}

impl<'c> ArticleRules<'c> {
    fn new(config: &'c Config) -> Self {
        ArticleRules {
            taxonomies: config.taxonomy_names(),
            tz: config.time_zone(),
            // Checked when site.toml was read.
            permalink: permalink::Pattern::parse(&config.permalinks.articles)
                .or_else(|_| permalink::Pattern::parse(permalink::DEFAULT))
                .expect("the default permalink pattern parses"),
            extra_keys: &config.front_matter.extra_keys,
            languages: config.languages.keys().cloned().collect(),
            tags: config.languages.values().map(|l| l.tag.clone()).collect(),
        }
    }

    /// The keys an article may set: digest's own and one per taxonomy of the site.
    fn known_keys(&self) -> Vec<&str> {
        ARTICLE_KEYS
            .iter()
            .copied()
            .chain(self.taxonomies.iter().map(String::as_str))
            .collect()
    }
}

/// Reads and parses one content file.
/// A panic inside becomes an `internal-error` naming the file (see [`contain`]).
pub fn parse_file(file: &Found, config: &Config) -> Parsed {
    contain::contained("read", &file.display, || parse_file_unguarded(file, config)).unwrap_or_else(
        |error| Parsed {
            item: None,
            diagnostics: vec![error],
        },
    )
}

fn parse_file_unguarded(file: &Found, config: &Config) -> Parsed {
    let tz = config.time_zone();
    let mut diagnostics = Vec::new();
    let item = match &file.kind {
        Kind::Article => parse_article(file, &ArticleRules::new(config), &mut diagnostics)
            .map(|a| Item::Article(Box::new(a))),
        Kind::Profile { taxonomy } => parse_profile(
            file,
            taxonomy,
            &tz,
            markdown_options(config),
            config.base_path(),
            &config.languages.keys().cloned().collect::<Vec<_>>(),
            &mut diagnostics,
        )
        .map(|p| Item::Profile(Box::new(p))),
    };
    Parsed { item, diagnostics }
}

/// The site's content from its parsed files: drafts and future articles left out as asked,
/// and one slug per article checked.
pub fn assemble(
    mut articles: Vec<Article>,
    profiles: Vec<Profile>,
    mut diagnostics: Vec<Diagnostic>,
    options: LoadOptions,
) -> Content {
    let next_future = articles
        .iter()
        .filter(|a| options.drafts || !a.draft)
        .map(|a| a.date.timestamp())
        .filter(|date| !options.future && *date > options.now)
        .min();
    let mut left_out = Vec::new();
    articles.retain(|a| {
        let reason = if !options.drafts && a.draft {
            LeftOutReason::Draft
        } else if !options.future && a.date.timestamp() > options.now {
            LeftOutReason::Future
        } else {
            return true;
        };
        log::info!(
            "skipped {}: {} (build with {} to include it)",
            a.path.display(),
            reason.describe(),
            match reason {
                LeftOutReason::Draft => "--drafts",
                LeftOutReason::Future => "--future",
            }
        );
        left_out.push(LeftOut {
            path: a.path.clone(),
            reason,
        });
        false
    });

    inherit_from_originals(&mut articles);
    // URLs must be unique within a language, aliases too, and an alias may not take an
    // article's URL.
    let mut by_url: HashMap<&str, &Article> = HashMap::new();
    let mut translated: HashMap<(&str, &str), &Article> = HashMap::new();
    for a in &articles {
        let other = match &a.language_key {
            None => by_url.insert(&a.url, a),
            Some(key) => translated.insert((key, &a.url), a),
        };
        if let Some(other) = other {
            let hint = if other.date.date() != a.date.date() {
                "recurring titles: put the date in the URL, e.g. [permalinks] articles = \"/:year/:month/:day/:slug/\" in site.toml, or give one of the two articles another `slug`".to_string()
            } else {
                "give one of the two articles another `slug` in its front matter".to_string()
            };
            diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateUrl,
                    &a.path,
                    format!(
                        "URL /{} is already used by {} (slug `{}`)",
                        a.url,
                        other.path.display(),
                        a.slug
                    ),
                )
                .at(a.slug_at.0, a.slug_at.1)
                .with_hint(hint),
            );
        }
    }
    // An alias is a path from the site's root in every language: a translation's page is
    // under its language's folder there.
    let from_root: HashMap<String, &Article> = by_url
        .iter()
        .map(|(url, a)| (url.to_string(), *a))
        .chain(
            translated
                .iter()
                .map(|((key, url), a)| (format!("{key}/{url}"), *a)),
        )
        .collect();
    let mut by_alias: HashMap<&str, &Article> = HashMap::new();
    for a in &articles {
        for alias in &a.aliases {
            let conflict = match (from_root.get(alias.as_str()), by_alias.insert(alias, a)) {
                (Some(owner), _) if std::ptr::eq(*owner, a) => {
                    Some(format!("alias /{alias} is the article's own URL"))
                }
                (Some(owner), _) => Some(format!(
                    "alias /{alias} is the URL of {}",
                    owner.path.display()
                )),
                (None, Some(other)) if !std::ptr::eq(other, a) => Some(format!(
                    "alias /{alias} is also claimed by {}",
                    other.path.display()
                )),
                _ => None,
            };
            if let Some(message) = conflict {
                diagnostics.push(
                    Diagnostic::error(Code::AliasConflict, &a.path, message)
                        .at(a.aliases_at.0, a.aliases_at.1)
                        .with_hint(
                            "an old URL can redirect to one article only; remove it here or there",
                        ),
                );
            }
        }
    }
    diagnostics.sort_by(|a, b| (&a.path, a.line, a.col).cmp(&(&b.path, b.line, b.col)));
    Content {
        articles,
        profiles,
        diagnostics,
        next_future,
        now: options.now,
        left_out,
    }
}

/// The file a translation translates: `x.zh.md` → `x.md` (`x/index.zh.md` → `x/index.md`).
pub fn original_path(translation: &Path, key: &str) -> PathBuf {
    let name = translation
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let original = match name.rsplit_once('.') {
        Some((stem, ext)) => match stem.strip_suffix(&format!(".{key}")) {
            Some(stem) => format!("{stem}.{ext}"),
            None => name.clone(),
        },
        None => name.clone(),
    };
    translation.with_file_name(original)
}

/// A translation tells the same story as its original: the terms it does not give (all its
/// lists empty) and its image are the original's; the image's description too, unless the
/// translation gives its own (`image_alt` in its language).
fn inherit_from_originals(articles: &mut [Article]) {
    let originals: HashMap<PathBuf, usize> = articles
        .iter()
        .enumerate()
        .filter(|(_, a)| a.language_key.is_none())
        .map(|(i, a)| (a.path.clone(), i))
        .collect();
    let inherit: Vec<(usize, usize)> = articles
        .iter()
        .enumerate()
        .filter_map(|(i, a)| {
            let key = a.language_key.as_ref()?;
            Some((i, *originals.get(&original_path(&a.path, key))?))
        })
        .collect();
    for (i, original) in inherit {
        let (terms, image, image_alt) = {
            let o = &articles[original];
            (o.terms.clone(), o.image.clone(), o.image_alt.clone())
        };
        let a = &mut articles[i];
        if a.terms.values().all(Vec::is_empty) {
            a.terms = terms;
        }
        if a.image.is_none() {
            a.image = image;
            a.image_alt = a.image_alt.take().or(image_alt);
        }
    }
}

pub fn markdown_options(config: &Config) -> MarkdownOptions {
    MarkdownOptions {
        smart_punctuation: config.markdown.smart_punctuation,
        highlight: config.markdown.highlight,
        unsafe_html: config.markdown.unsafe_html,
    }
}

/// Reads a file as UTF-8 text without its byte-order mark, or says why it cannot.
fn read_text(file: &Found, diags: &mut Vec<Diagnostic>) -> Option<String> {
    let bytes = match crate::fs::read(&file.path) {
        Ok(bytes) => bytes,
        Err(e) => {
            diags.push(Diagnostic::error(
                Code::Io,
                &file.display,
                format!("cannot read the file: {e}"),
            ));
            return None;
        }
    };
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            Some(text)
        }
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let (line, col) =
                crate::text::line_col(&String::from_utf8_lossy(&e.as_bytes()[..offset]), offset);
            diags.push(
                Diagnostic::error(
                    Code::ParseError,
                    &file.display,
                    "the file is not valid UTF-8 text",
                )
                .at(line, col)
                .with_hint("save the file with UTF-8 encoding"),
            );
            None
        }
    }
}

fn push_field_errors(display: &Path, errors: Vec<FieldError>, diags: &mut Vec<Diagnostic>) {
    for e in errors {
        let mut d = Diagnostic::error(e.code, display, e.message).at(e.line, e.col);
        d.hint = e.hint;
        diags.push(d);
    }
}

fn warn_unknown_keys(
    display: &Path,
    fields: &Fields<'_>,
    known: &[&str],
    diags: &mut Vec<Diagnostic>,
) {
    for (key, suggestion, (line, col)) in fields.leftover_keys(known) {
        let mut d = Diagnostic::warning(
            Code::UnknownKey,
            display,
            format!("unknown front-matter key `{key}`"),
        )
        .at(line, col)
        .about(&key);
        if let Some(s) = suggestion {
            d = d.with_hint(format!("did you mean `{s}`?"));
        }
        diags.push(d);
    }
}

/// Reads an article file: each front-matter field in turn (every problem collected), then the
/// slug and URL made from them. The order of the reads is the order of the diagnostics.
fn parse_article(
    file: &Found,
    rules: &ArticleRules<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Article> {
    let tz = &rules.tz;
    let text = read_text(file, diags)?;
    let (split, table) = split_front_matter(file, &text, diags)?;
    let mut f = Fields::new(table, &split);
    let (stem, language_key) = file_stem(file, &rules.languages);

    let title = read_title(&mut f);
    let date = read_date(&mut f, &stem, tz);
    let updated = f.date("updated", tz);
    let mut authors = f.string_list("authors").unwrap_or_default();
    if let Some(author) = f.string("author") {
        authors.insert(0, author);
    }
    let summary = f.string("summary");
    let explicit_slug = f.string("slug");
    let (aliases, aliases_at) = read_aliases(&mut f);
    let image = f.string("image");
    let image_at = if image.is_some() {
        f.position("image")
    } else {
        (0, 0)
    };
    let image_alt = f
        .string("image_alt")
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty());
    let lang = read_lang(&mut f);
    let draft = f.bool("draft").unwrap_or(false);
    let source = read_source(&mut f);
    let extra = f
        .table("extra")
        .map(|t| front_matter::table_to_json(&t))
        .unwrap_or_default();
    let terms = read_terms(&mut f, &rules.taxonomies);

    check_urls(&mut f, image.as_deref(), source.as_ref());
    check_updated(&mut f, date.as_ref(), updated.as_ref());
    let slug_at = match explicit_slug.is_some().then(|| f.position("slug")) {
        None | Some((0, _)) => (1, 1),
        Some(at) => at,
    };
    let slug = article_slug(
        &mut f,
        file,
        explicit_slug,
        &stem,
        title.as_deref(),
        date.as_ref(),
    );
    check_file_name(&mut f, &rules.permalink, &stem);
    let extra = keep_declared_keys(&mut f, extra, rules.extra_keys);
    report_fields(&file.display, f, &rules.known_keys(), diags)?;

    let (Some(title), Some(date)) = (title, date) else {
        // Unreachable when the checks above are right; never drop a file without a word.
        diags.push(
            Diagnostic::error(
                Code::MissingField,
                &file.display,
                "missing `title` or `date`",
            )
            .at(1, 1)
            .with_hint("the front matter needs `title` and `date`"),
        );
        return None;
    };
    let url = rules.permalink.fill(&permalink::Fill {
        date: date.with_time_zone(tz.clone()).date(),
        slug: &slug,
        filename: &stem,
    });
    Some(Article {
        path: file.display.clone(),
        title,
        url,
        aliases: aliases.iter().map(|a| alias_path(a)).collect(),
        slug,
        date,
        updated,
        authors,
        summary: summary
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        source,
        // A translation is in its language unless it says otherwise.
        lang: lang.or_else(|| {
            let key = language_key.as_ref()?;
            let i = rules.languages.iter().position(|k| k == key)?;
            Some(rules.tags[i].clone())
        }),
        image,
        image_alt,
        terms,
        draft,
        extra,
        body: split.body.to_string(),
        body_line: split.body_line,
        slug_at,
        aliases_at,
        image_at,
        language_key,
    })
}

/// Cuts `text` at its front-matter fences and parses the front matter, shared by articles and
/// profiles; a file whose front matter cannot be read gives its one error and nothing else.
fn split_front_matter<'t>(
    file: &Found,
    text: &'t str,
    diags: &mut Vec<Diagnostic>,
) -> Option<(front_matter::Split<'t>, toml::Table)> {
    match front_matter::split(text).and_then(|s| front_matter::parse(&s).map(|t| (s, t))) {
        Ok(ok) => Some(ok),
        Err(e) => {
            push_field_errors(&file.display, vec![e], diags);
            None
        }
    }
}

/// Reports the keys nobody read as warnings and the fields' errors as errors; `None` when
/// there were errors, so the file is left out rather than published half-read.
fn report_fields(
    display: &Path,
    mut f: Fields<'_>,
    known: &[&str],
    diags: &mut Vec<Diagnostic>,
) -> Option<()> {
    warn_unknown_keys(display, &f, known, diags);
    let errors = std::mem::take(&mut f.errors);
    if errors.is_empty() {
        Some(())
    } else {
        push_field_errors(display, errors, diags);
        None
    }
}

/// The headline, trimmed; an empty or missing one is an error unless the field already had
/// one (a title of the wrong type says so itself).
fn read_title(f: &mut Fields<'_>) -> Option<String> {
    let had_title = f.contains("title");
    let title = f
        .string("title")
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    if title.is_none() && f.errors.is_empty() {
        if had_title {
            f.error(
                Code::InvalidValue,
                "title",
                "`title` is empty",
                Some("write the article's headline between the quotes".into()),
            );
        } else {
            f.missing("title", "\"…\"");
        }
    }
    title
}

/// The publication date: the `date` field, or when there is none the date in the file name
/// (`2013-06-07-this-week-in-rust.md`), as in Jekyll and Zola.
fn read_date(f: &mut Fields<'_>, stem: &str, tz: &jiff::tz::TimeZone) -> Option<Zoned> {
    // Only a top-level `date` counts: one inside `[extra]` or `[source]` is not the article's.
    let had_date = f.contains("date");
    let date = f.date("date", tz).or_else(|| {
        (!had_date)
            .then(|| slug::date_of_file_stem(stem, tz))
            .flatten()
    });
    if date.is_none() && !had_date {
        f.missing("date", "YYYY-MM-DD");
    }
    date
}

/// Old URLs as paths from the site's root, each checked, and where the list is written (for
/// the alias-conflict messages made later, when every article is known).
fn read_aliases(f: &mut Fields<'_>) -> (Vec<String>, (usize, usize)) {
    let aliases: Vec<String> = f
        .string_list("aliases")
        .unwrap_or_default()
        .into_iter()
        .map(|alias| from_site_root(&alias))
        .collect();
    let aliases_at = if aliases.is_empty() {
        (0, 0)
    } else {
        f.position("aliases")
    };
    for alias in &aliases {
        if let Err(problem) = check_alias(alias) {
            f.error(
                Code::AliasConflict,
                "aliases",
                format!("alias {alias:?} {problem}"),
                Some("write old URLs as paths from the site's root, e.g. aliases = [\"/2015/05/15/old-title.html\"]".into()),
            );
        }
    }
    (aliases, aliases_at)
}

/// `lang`, which must be a BCP 47 tag since it lands in `<html lang>` and feeds.
fn read_lang(f: &mut Fields<'_>) -> Option<String> {
    let lang = f.string("lang");
    if let Some(tag) = &lang
        && !crate::text::is_language_tag(tag)
    {
        f.error(
            Code::InvalidValue,
            "lang",
            format!("`lang` is not a language tag: {tag:?}"),
            Some("use a BCP 47 tag such as \"en\", \"zh-Hans\" or \"pt-BR\"".into()),
        );
    }
    lang
}

/// The `[source]` table: where the story was first published.
fn read_source(f: &mut Fields<'_>) -> Option<Source> {
    f.table("source").map(|mut t| {
        let mut take = |key: &str| match t.remove(key) {
            Some(toml::Value::String(s)) => Some(s),
            _ => None,
        };
        Source {
            name: take("name"),
            url: take("url"),
        }
    })
}

/// The article's terms in each taxonomy, trimmed; a name with no letters or digits would
/// give a term with no key, so it is an error.
fn read_terms(f: &mut Fields<'_>, taxonomies: &[String]) -> BTreeMap<String, Vec<String>> {
    let mut terms = BTreeMap::new();
    for taxonomy in taxonomies {
        let names = f.string_list(taxonomy).unwrap_or_default();
        let names: Vec<String> = names
            .into_iter()
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty())
            .collect();
        for name in &names {
            if slug::term_key(name).is_empty() {
                f.error(
                    Code::InvalidValue,
                    taxonomy,
                    format!("term name {name:?} has no letters or digits"),
                    Some("name the term with words, e.g. \"OpenAI\"".into()),
                );
            }
        }
        terms.insert(taxonomy.clone(), names);
    }
    terms
}

/// The image and the source's address must be URLs readers can follow, and the source one
/// the original story's full address (not a shortener's or a search page's).
fn check_urls(f: &mut Fields<'_>, image: Option<&str>, source: Option<&Source>) {
    let source_url = source.and_then(|s| s.url.as_deref());
    for (key, value) in [("image", image), ("source", source_url)] {
        if let Some(url) = value
            && let Err(message) = check_url(url)
        {
            let key_label = if key == "source" { "source.url" } else { key };
            f.error(
                Code::InvalidUrl,
                if key == "source" { "source.url" } else { key },
                format!("`{key_label}` {message}"),
                Some("use an https:// address or a path such as /images/x.png".into()),
            );
        }
    }

    if let Some(url) = source_url
        && check_url(url).is_ok()
        && let Err((message, meant)) = check_source_url(url)
    {
        f.error(
            Code::InvalidUrl,
            "source.url",
            format!("`source.url` {message}"),
            Some(match meant {
                Some(meant) => format!("did you mean `{meant}`?"),
                None => "write the original story's full address, starting with https://".into(),
            }),
        );
    }
}

/// `updated` before `date` would have feeds say the article changed before it was published.
fn check_updated(f: &mut Fields<'_>, date: Option<&Zoned>, updated: Option<&Zoned>) {
    if let (Some(date), Some(updated)) = (date, updated)
        && updated.timestamp() < date.timestamp()
    {
        f.error(
            Code::InvalidValue,
            "updated",
            format!(
                "`updated` ({}) is earlier than `date` ({}): feeds would say the article changed before it was published",
                written_time(updated),
                written_time(date)
            ),
            Some("`updated` is when the article last changed: on or after `date`; fix one of the two, or remove `updated`".into()),
        );
    }
}

/// The article's URL segment: the `slug` field when it is one, else made from the file name
/// or the title. Empty (with an error recorded) when none can be made.
fn article_slug(
    f: &mut Fields<'_>,
    file: &Found,
    explicit_slug: Option<String>,
    stem: &str,
    title: Option<&str>,
    date: Option<&Zoned>,
) -> String {
    let slug = match explicit_slug {
        Some(s) if slug::is_valid_slug(&s) => s,
        Some(s) => {
            let suggestion = slug::slugify(&s);
            f.error(
                Code::InvalidValue,
                "slug",
                format!("slug {s:?} is not a single URL segment"),
                Some(if suggestion.is_empty() {
                    "use lowercase letters, digits and '-', e.g. slug = \"alibaba-tongyi-qianwen\""
                        .to_string()
                } else {
                    format!("use lowercase letters, digits and '-', e.g. slug = \"{suggestion}\"")
                }),
            );
            String::new()
        }
        None => {
            // The file name without its date, else the title; a date and a hash when the
            // text does not transliterate well (Japanese).
            let named = slug::stem_without_date(stem);
            let text = if slug::slugify(named).is_empty() {
                title.unwrap_or("")
            } else {
                named
            };
            let day = date.map_or(jiff::civil::date(1970, 1, 1), |d| d.date());
            let (slug, fallback) = if text.is_ascii() && text == named {
                (slug::slugify_whole(text), false)
            } else {
                slug::article_slug(day, text)
            };
            if fallback {
                log::info!(
                    "{}: {text:?} does not transliterate into a readable URL; slug `{slug}` (set `slug` to choose one)",
                    file.display.display()
                );
            }
            slug
        }
    };
    if slug.is_empty() && f.errors.is_empty() {
        f.error(
            Code::InvalidValue,
            "title",
            "cannot make a URL slug from the file name or title",
            Some("add `slug = \"…\"` with lowercase letters, digits and '-'".into()),
        );
    }
    slug
}

/// A pattern with `:filename` puts the file's name in the URL, so it must be able to stand there.
fn check_file_name(f: &mut Fields<'_>, pattern: &permalink::Pattern, stem: &str) {
    if pattern.uses_filename() && !permalink::is_url_segment(stem) {
        f.error(
            Code::InvalidValue,
            "title",
            format!("the file name {stem:?} cannot stand in a URL, which `:filename` in [permalinks] puts it in"),
            Some("rename the file with letters, digits, '-', '_' and '.', or use :slug in the pattern".into()),
        );
    }
}

/// Keys the site declared its own (`[front_matter] extra_keys`): moved into `extra` for
/// templates, without an unknown-key warning. A key already in `[extra]` wins.
fn keep_declared_keys(
    f: &mut Fields<'_>,
    mut extra: serde_json::Value,
    extra_keys: &[String],
) -> serde_json::Value {
    for key in extra_keys {
        if let Some(value) = f.take(key) {
            if !extra.is_object() {
                extra = serde_json::Value::Object(Default::default());
            }
            let serde_json::Value::Object(map) = &mut extra else {
                continue;
            };
            map.entry(key.clone())
                .or_insert_with(|| front_matter::value_to_json(&value));
        }
    }
    extra
}

/// The name a file gives its article: its stem, or for a page bundle (`x/index.md`, as in Hugo
/// and Zola) its folder's name; with the language key its name carries (`x.zh.md`).
fn file_stem(file: &Found, languages: &[String]) -> (String, Option<String>) {
    let full = file
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (stem, key) = crate::i18n::split_language(&full, languages);
    let key = key.map(str::to_string);
    if stem == "index"
        && let Some(folder) = file.path.parent().and_then(Path::file_name)
    {
        return (folder.to_string_lossy().into_owned(), key);
    }
    (stem.to_string(), key)
}

/// What is wrong with an alias, if anything: it must be a path from the site's root.
/// An alias written without its leading `/` (`2015/05/15/x.html`, as Zola writes them) is a
/// path from the site's root too; anything with a scheme or a host is left for
/// [`check_alias`] to refuse.
fn from_site_root(alias: &str) -> String {
    let trimmed = alias.trim();
    if trimmed.is_empty() || trimmed.starts_with('/') || trimmed.contains("://") {
        trimmed.to_string()
    } else {
        format!("/{trimmed}")
    }
}

fn check_alias(alias: &str) -> Result<(), &'static str> {
    if !alias.starts_with('/') || alias.starts_with("//") {
        return Err("is not a path from the site's root (starting with `/`)");
    }
    if alias.contains(['?', '#']) {
        return Err("has a query or fragment, which a static redirect page cannot answer");
    }
    if alias
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '\\')
    {
        return Err("has spaces, backslashes or control characters");
    }
    if alias.split('/').any(|s| s == ".." || s == ".") {
        return Err("has a `.` or `..` segment");
    }
    if alias == "/" {
        return Err("is the home page");
    }
    Ok(())
}

/// An alias as an output path: `/old/` and `/old` (a folder, as Hugo writes them) become
/// `old/`, `/2015/05/15/x.html` stays a file.
fn alias_path(alias: &str) -> String {
    let path = alias.trim_start_matches('/');
    let last = path.rsplit('/').next().unwrap_or("");
    if path.ends_with('/') || !last.contains('.') {
        format!("{}/", path.trim_end_matches('/'))
    } else {
        path.to_string()
    }
}

/// Only web and relative URLs: `javascript:` or `data:` in front matter would run in readers' browsers.
pub fn check_url(url: &str) -> Result<(), String> {
    let trimmed = url.trim();
    let scheme_end = trimmed.find([':', '/', '?', '#']);
    match scheme_end {
        Some(i) if trimmed.as_bytes()[i] == b':' => {
            let scheme = trimmed[..i].to_ascii_lowercase();
            if scheme == "http" || scheme == "https" {
                Ok(())
            } else {
                Err(format!("must be an http(s) or relative URL, found {url:?}"))
            }
        }
        _ if trimmed.chars().any(|c| c.is_control()) => {
            Err(format!("contains control characters: {url:?}"))
        }
        _ => Ok(()),
    }
}

/// A source is another publication, so its URL must be absolute: `www.example.com/story` would
/// be read as a path of this site. On error, what is wrong and, when the text is an address
/// without its scheme, the URL that was meant.
pub fn check_source_url(url: &str) -> Result<(), (String, Option<String>)> {
    let trimmed = url.trim();
    let lower = trimmed.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        return Ok(());
    }
    if let Some(rest) = trimmed.strip_prefix("//") {
        return Err((
            format!("has no scheme: {url:?}"),
            Some(format!("https://{rest}")),
        ));
    }
    let host = trimmed.split(['/', '?', '#']).next().unwrap_or("");
    let looks_like_host = host.contains('.')
        && !host.starts_with('.')
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':'));
    let meant = looks_like_host.then(|| format!("https://{trimmed}"));
    Err((
        format!(
            "has no scheme: {url:?} would be read as a path of this site, not another publication's page"
        ),
        meant,
    ))
}

/// A date as the editor wrote it: the day alone at midnight, else the day and time.
fn written_time(time: &Zoned) -> String {
    if time.time() == jiff::civil::Time::midnight() {
        time.date().to_string()
    } else {
        time.strftime("%Y-%m-%d %H:%M").to_string()
    }
}

/// Everything of an article that its rendered body depends on, besides what the body looks up
/// (other articles' pages, mentioned terms' pages: see [`BodyRecord`]).
#[derive(Hash)]
struct BodyInputs<'a> {
    /// For relative links, and for positions in warnings.
    path: &'a Path,
    body_line: usize,
    /// Counted in the word count.
    title: &'a str,
    summary: Option<&'a str>,
    /// [`source_hash`] of the Markdown.
    source: u64,
    options: MarkdownOptions,
    /// Root-relative links are written under it.
    base_path: &'a str,
}

/// What a rendered body was made from: its inputs (hashed) and what it looked up while it was
/// rendered. A body renders the same again while its inputs hash the same, every link it
/// resolved resolves the same, and, when it linked mentions, the terms' pages are the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyRecord {
    pub inputs: u64,
    pub links: Vec<(String, Option<String>)>,
    pub used_mention_links: bool,
}

impl BodyRecord {
    /// Whether a body rendered with this record would render the same for `article` now, from
    /// the Markdown whose [`source_hash`] is `source`.
    pub fn still_holds(
        &self,
        article: &Article,
        source: u64,
        options: MarkdownOptions,
        targets: &LinkTargets,
    ) -> bool {
        let inputs = BodyInputs::of(article, source, options, &targets.base_path);
        let dir = inputs.path.parent().unwrap_or(Path::new(""));
        self.inputs == hash_of(&inputs)
            && self
                .links
                .iter()
                .all(|(link, found)| targets.resolve(dir, link) == *found)
    }
}

/// A hash of an article's Markdown, taken once when the file is read.
pub fn source_hash(source: &str) -> u64 {
    hash_of(&source)
}

impl<'a> BodyInputs<'a> {
    fn of(article: &'a Article, source: u64, options: MarkdownOptions, base_path: &'a str) -> Self {
        BodyInputs {
            base_path,
            path: &article.path,
            body_line: article.body_line,
            title: &article.title,
            summary: article.summary.as_deref(),
            source,
            options,
        }
    }
}

fn hash_of(value: &impl std::hash::Hash) -> u64 {
    use std::hash::{DefaultHasher, Hasher};
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// Renders an article's Markdown; warnings come back positioned in the article's file. A panic
/// while rendering becomes an `internal-error` naming the file (see [`contain`]).
pub fn render_body(
    article: &Article,
    source: &str,
    options: MarkdownOptions,
    targets: &LinkTargets,
    highlighter: &HighlightCache,
    mention_links: Option<markdown::MentionLinker<'_>>,
) -> Result<(Body, Vec<Diagnostic>), Diagnostic> {
    contain::contained("render", &article.path, || {
        let (body, diagnostics, _) = render_body_recorded(
            article,
            source,
            options,
            targets,
            highlighter,
            mention_links,
        );
        (body, diagnostics)
    })
}

/// [`render_body`], with the record of what the body was made from.
pub fn render_body_recorded(
    article: &Article,
    source: &str,
    options: MarkdownOptions,
    targets: &LinkTargets,
    highlighter: &HighlightCache,
    mention_links: Option<markdown::MentionLinker<'_>>,
) -> (Body, Vec<Diagnostic>, BodyRecord) {
    let inputs = BodyInputs::of(article, source_hash(source), options, &targets.base_path);
    let dir = inputs.path.parent().unwrap_or(Path::new(""));
    let looked_up = std::sync::Mutex::new(Vec::new());
    let resolve = |link: &str| {
        let found = targets.resolve(dir, link);
        looked_up
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((link.to_string(), found.clone()));
        found
    };
    let used_mention_links = std::sync::atomic::AtomicBool::new(false);
    let used = &used_mention_links;
    let linker = mention_links.map(|find| {
        move |text: &str| {
            used.store(true, std::sync::atomic::Ordering::Relaxed);
            find(text)
        }
    });
    let hooks = markdown::Hooks {
        resolve_link: &resolve,
        highlighter,
        mention_links: linker.as_ref().map(|f| f as markdown::MentionLinker<'_>),
        base_path: &targets.base_path,
    };
    let rendered = markdown::render(source, inputs.options, hooks);
    let looked_up = looked_up.into_inner().unwrap_or_else(|e| e.into_inner());
    // Each broken-link warning is made right after its link failed to resolve, so the n-th one
    // is about the n-th link that did not resolve: say why it did not.
    let mut unresolved = looked_up.iter().filter(|(_, found)| found.is_none());
    let diags = rendered
        .warnings
        .iter()
        .map(|w| {
            let mut d = Diagnostic::warning(w.code, inputs.path, w.message.clone())
                .at(w.line + inputs.body_line - 1, w.col);
            d.hint = w.hint.clone();
            d.subject = w.subject.clone();
            if w.code == Code::BrokenLink
                && let Some((link, _)) = unresolved.next()
            {
                let (message, hint) = targets.explain(dir, link);
                d.message = message;
                d.hint = Some(hint);
            }
            d
        })
        .collect();
    let (summary_html, summary_text) = match inputs.summary {
        Some(summary) => (
            format!("<p>{}</p>", crate::text::escape_html(summary)),
            summary.to_string(),
        ),
        None => (rendered.summary_html, rendered.summary_text),
    };
    let body = Body {
        html: rendered.html,
        toc: rendered.toc,
        summary_html,
        summary_text,
        word_count: rendered.word_count + markdown::count_words(inputs.title),
        reading_time: markdown::reading_time(rendered.word_count),
    };
    let record = BodyRecord {
        inputs: hash_of(&inputs),
        links: looked_up,
        used_mention_links: used_mention_links.into_inner(),
    };
    (body, diags, record)
}

/// Article files by their path, so `[text](../2023-09-13-alibaba.md)` can become a page link.
pub struct LinkTargets {
    by_path: HashMap<PathBuf, String>,
    /// Articles that exist but are not built: a link to one is a link to a draft.
    left_out: HashMap<PathBuf, LeftOutReason>,
    /// base_url's path, which root-relative links in bodies are written under.
    base_path: String,
}

impl LinkTargets {
    pub fn new(links: &Urls, articles: &[Article]) -> Self {
        LinkTargets {
            by_path: articles
                .iter()
                .map(|a| (a.path.clone(), links.link(&a.url)))
                .collect(),
            base_path: links.base_path().to_string(),
            left_out: HashMap::new(),
        }
    }

    /// Knowing the articles left out, a link to one is reported as such, not as a link to
    /// nothing.
    pub fn with_left_out(mut self, left_out: impl IntoIterator<Item = LeftOut>) -> Self {
        self.left_out
            .extend(left_out.into_iter().map(|l| (l.path, l.reason)));
        self
    }

    /// Why `link` (from a file in `dir`) leads to no page: the message and the hint of the
    /// broken-link warning. A left-out article is named as such; a mistyped file name gets the
    /// closest article file, written relative to `dir`.
    fn explain(&self, dir: &Path, link: &str) -> (String, String) {
        let target = normalize_link(dir, link);
        if let Some(reason) = self.left_out.get(&target) {
            return (
                format!(
                    "link to `{link}`, which is {} and not published: readers would get a page that does not exist",
                    reason.describe()
                ),
                "publish that article first (draft = false, a date not in the future), or link to it once it is".into(),
            );
        }
        let message = format!("link to `{link}`, which is not an article of this site");
        let wanted = target.to_string_lossy();
        let closest = self
            .by_path
            .keys()
            .chain(self.left_out.keys())
            .map(|p| (strsim::jaro_winkler(&wanted, &p.to_string_lossy()), p))
            .filter(|(score, _)| *score >= 0.9)
            .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)));
        match closest {
            Some((_, path)) => (
                message,
                format!("did you mean `{}`?", relative_link(dir, path)),
            ),
            None => (
                message,
                "link to the article's .md file relative to this file, e.g. ../articles/2023-09-13-alibaba.md".into(),
            ),
        }
    }

    /// `link` is relative to `dir` (the linking file's folder), or to content/ when it starts with `/`.
    fn resolve(&self, dir: &Path, link: &str) -> Option<String> {
        self.by_path.get(&normalize_link(dir, link)).cloned()
    }
}

/// The file a link names, relative to the site root.
fn normalize_link(dir: &Path, link: &str) -> PathBuf {
    let link = percent_decode(link);
    let joined = match link.strip_prefix('/') {
        Some(rest) => Path::new(CONTENT_DIR).join(rest),
        None => dir.join(&link),
    };
    let mut normal = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::ParentDir => {
                normal.pop();
            }
            Component::Normal(part) => normal.push(part),
            _ => {}
        }
    }
    normal
}

/// `path` as a link from a file in `dir` (both relative to the site root): `../x/a.md`.
fn relative_link(dir: &Path, path: &Path) -> String {
    let from: Vec<_> = dir.components().collect();
    let to: Vec<_> = path.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); from.len() - common];
    parts.extend(
        to[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// `a%20b.md` → `a b.md`; a `%` that starts no escape stays as it is.
pub(crate) fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// Reads a term's profile (`content/<taxonomy>/<slug>.md`): its fields in turn, every problem
/// collected, then its description rendered as Markdown.
fn parse_profile(
    file: &Found,
    taxonomy: &str,
    tz: &jiff::tz::TimeZone,
    options: MarkdownOptions,
    base_path: &str,
    languages: &[String],
    diags: &mut Vec<Diagnostic>,
) -> Option<Profile> {
    let text = read_text(file, diags)?;
    let (split, table) = split_front_matter(file, &text, diags)?;
    let mut f = Fields::new(table, &split);
    let (slug, language_key) = profile_slug(&mut f, file, languages);
    let name_at = f.position("name");
    let aliases_at = f.position("aliases");
    let name = read_profile_name(&mut f, language_key.is_some());
    let aliases = read_profile_aliases(&mut f);
    let website = f.string("website");
    if let Some(url) = &website
        && let Err(message) = check_url(url)
    {
        f.error(
            Code::InvalidUrl,
            "website",
            format!("`website` {message}"),
            Some("use an https:// address".into()),
        );
    }
    let summary = f.string("summary");
    let jurisdiction = f.string("jurisdiction");
    let effective = f.date("effective", tz).map(|z| z.date());
    let status = f.string("status");
    let timeline = read_timeline(&mut f, tz);
    let names = read_names(&mut f);
    let extra = f
        .table("extra")
        .map(|t| front_matter::table_to_json(&t))
        .unwrap_or_default();
    report_fields(&file.display, f, PROFILE_KEYS, diags)?;

    let highlighter = HighlightCache::default();
    let hooks = markdown::Hooks {
        resolve_link: &|_| None,
        highlighter: &highlighter,
        mention_links: None,
        base_path,
    };
    let rendered = markdown::render(split.body, options, hooks);
    Some(Profile {
        taxonomy: taxonomy.to_string(),
        slug,
        path: file.display.clone(),
        name: name.unwrap_or_default(),
        aliases,
        website,
        summary,
        jurisdiction,
        effective,
        status,
        timeline,
        names,
        description_html: rendered.html,
        extra,
        name_at,
        aliases_at,
        language_key,
    })
}

/// The profile's file name is the term's URL segment, so it must be a slug already; with the
/// language key a translation's name carries (`alibaba.zh.md`).
fn profile_slug(
    f: &mut Fields<'_>,
    file: &Found,
    languages: &[String],
) -> (String, Option<String>) {
    let stem = file
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (slug, language_key) = crate::i18n::split_language(&stem, languages);
    let (slug, language_key) = (slug.to_string(), language_key.map(str::to_string));
    if !slug::is_valid_slug(&slug) {
        f.errors.push(FieldError {
            code: Code::InvalidValue,
            line: 0,
            col: 0,
            message: format!("profile file name {slug:?} is not a URL slug"),
            hint: Some(format!("rename the file to {}.md", slug::slugify(&slug))),
        });
    }
    (slug, language_key)
}

/// The term's name as readers see it, required but in a translation, which may keep the
/// original's.
fn read_profile_name(f: &mut Fields<'_>, translation: bool) -> Option<String> {
    let name = f
        .string("name")
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty());
    if name.is_none() && !translation && f.errors.is_empty() {
        f.errors.push(FieldError {
            code: Code::MissingField,
            line: 1,
            col: 1,
            message: "missing `name`".into(),
            hint: Some("add `name = \"…\"`: the term's name as readers see it".into()),
        });
    }
    name
}

/// Other spellings articles may use for the term; each needs letters or digits to have a key.
fn read_profile_aliases(f: &mut Fields<'_>) -> Vec<String> {
    let aliases: Vec<String> = f
        .string_list("aliases")
        .unwrap_or_default()
        .into_iter()
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty())
        .collect();
    for alias in &aliases {
        if slug::term_key(alias).is_empty() {
            f.error(
                Code::InvalidValue,
                "aliases",
                format!("alias {alias:?} has no letters or digits"),
                None,
            );
        }
    }
    aliases
}

/// `[[timeline]]` entries (a regulation's milestones), oldest first; an entry without both a
/// date and an event is an error rather than a hole in the list.
fn read_timeline(f: &mut Fields<'_>, tz: &jiff::tz::TimeZone) -> Vec<TimelineEvent> {
    let mut timeline = Vec::new();
    match f.take("timeline") {
        None => {}
        Some(toml::Value::Array(items)) => {
            for item in items {
                match timeline_event(item, tz) {
                    Some((date, event)) => timeline.push(TimelineEvent {
                        date: date.date(),
                        event,
                    }),
                    None => f.error(
                        Code::InvalidValue,
                        "timeline",
                        "each timeline entry needs a `date` (YYYY-MM-DD) and an `event` (text)",
                        Some("[[timeline]]\ndate = 2023-07-13\nevent = \"Published\"".into()),
                    ),
                }
            }
        }
        Some(_) => f.error(
            Code::InvalidValue,
            "timeline",
            "`timeline` must be a list of { date, event } tables",
            None,
        ),
    }
    timeline.sort_by_key(|e| e.date);
    timeline
}

/// One `{ date, event }` table, the date written as a TOML date or as a string.
fn timeline_event(item: toml::Value, tz: &jiff::tz::TimeZone) -> Option<(Zoned, String)> {
    let toml::Value::Table(mut t) = item else {
        return None;
    };
    let date = match t.remove("date") {
        Some(toml::Value::Datetime(d)) => front_matter::parse_date(&d.to_string(), tz),
        Some(toml::Value::String(s)) => front_matter::parse_date(&s, tz),
        _ => None,
    };
    let text = match t.remove("event") {
        Some(toml::Value::String(s)) => Some(s),
        _ => None,
    };
    date.zip(text)
}

/// The term's name in each of the site's other languages (`names = { zh = "阿里巴巴" }`).
fn read_names(f: &mut Fields<'_>) -> BTreeMap<String, String> {
    let mut names = BTreeMap::new();
    match f.take("names") {
        None => {}
        Some(toml::Value::Table(table)) => {
            for (key, value) in table {
                match value {
                    toml::Value::String(n) if !n.trim().is_empty() => {
                        names.insert(key, n.trim().to_string());
                    }
                    _ => f.error(
                        Code::InvalidValue,
                        "names",
                        format!("`names.{key}` must be the term's name in that language"),
                        Some("names = { zh = \"阿里巴巴\" }".into()),
                    ),
                }
            }
        }
        Some(_) => f.error(
            Code::InvalidValue,
            "names",
            "`names` must be a table of names by language key",
            Some("names = { zh = \"阿里巴巴\" }".into()),
        ),
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_without_a_leading_slash_are_from_the_root() {
        assert_eq!(
            from_site_root("2014/12/12/1.0-Timeline.html"),
            "/2014/12/12/1.0-Timeline.html"
        );
        assert_eq!(from_site_root("/old/"), "/old/");
        assert_eq!(from_site_root("https://e.com/x"), "https://e.com/x");
        assert!(check_alias(&from_site_root("https://e.com/x")).is_err());
        assert!(check_alias(&from_site_root("releases/1.94.1")).is_ok());
    }

    #[test]
    fn urls_in_front_matter() {
        for ok in [
            "https://example.com/x",
            "HTTP://e.com",
            "/images/a.png",
            "images/a.png",
            "//cdn.e.com/a",
        ] {
            assert!(check_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            " JavaScript:x",
            "vbscript:x",
            "file:///etc/passwd",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn source_urls_need_a_scheme() {
        assert!(check_source_url("https://www.example.com/story").is_ok());
        assert_eq!(
            check_source_url("www.example.com/story").map_err(|(_, meant)| meant),
            Err(Some("https://www.example.com/story".to_string()))
        );
        assert_eq!(
            check_source_url("//example.com/a").map_err(|(_, meant)| meant),
            Err(Some("https://example.com/a".to_string()))
        );
        assert_eq!(
            check_source_url("/news/a").map_err(|(_, meant)| meant),
            Err(None)
        );
    }

    #[test]
    fn language_tags() {
        for ok in ["en", "zh-Hans", "pt-BR", "sr-Latn-RS", "de-CH-1996"] {
            assert!(crate::text::is_language_tag(ok), "{ok}");
        }
        for bad in [
            "",
            "e",
            "en_US",
            "en-",
            "en\"><script>",
            "englishlanguage",
            " en",
        ] {
            assert!(!crate::text::is_language_tag(bad), "{bad}");
        }
    }

    fn parse_article_text(text: &str) -> Parsed {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, text).unwrap();
        let (config, _) =
            Config::parse("title = \"T\"\nbase_url = \"https://example.com/\"\n").unwrap();
        let found = Found {
            path,
            display: PathBuf::from("content/a.md"),
            kind: Kind::Article,
        };
        parse_file(&found, &config)
    }

    #[test]
    fn a_date_inside_a_table_is_not_the_articles_date() {
        for text in [
            "+++\ntitle = \"A\"\n[extra]\ndate = \"someday\"\n+++\n",
            "---\ntitle: A\nextra:\n  date: someday\n---\n",
        ] {
            let parsed = parse_article_text(text);
            assert!(parsed.item.is_none());
            let messages: Vec<_> = parsed.diagnostics.iter().map(|d| &d.message).collect();
            assert_eq!(messages, ["missing `date`"], "{text}");
        }
    }

    #[test]
    fn an_empty_title_is_reported_on_its_line() {
        let parsed = parse_article_text("+++\ndate = 2023-01-01\ntitle = \"  \"\n+++\n");
        let d = &parsed.diagnostics[0];
        assert_eq!((d.message.as_str(), d.line), ("`title` is empty", 3));
    }

    #[test]
    fn links_resolve_relative_to_the_file() {
        let targets = LinkTargets {
            by_path: [(
                PathBuf::from("content/articles/2023-09-13-a.md"),
                "/articles/a/".to_string(),
            )]
            .into(),
            left_out: HashMap::new(),
            base_path: String::new(),
        };
        let dir = Path::new("content/articles/sub");
        assert_eq!(
            targets.resolve(dir, "../2023-09-13-a.md").as_deref(),
            Some("/articles/a/")
        );
        assert_eq!(
            targets.resolve(dir, "/articles/2023-09-13-a.md").as_deref(),
            Some("/articles/a/")
        );
        assert_eq!(targets.resolve(dir, "2023-09-13-a.md"), None);
        assert_eq!(percent_decode("a%20b.md"), "a b.md");
        assert_eq!(percent_decode("%zz%C3%A9%"), "%zzé%");
    }

    #[test]
    fn broken_links_say_why() {
        let targets = LinkTargets {
            by_path: [(
                PathBuf::from("content/articles/2023-09-13-alibaba.md"),
                "/articles/alibaba/".to_string(),
            )]
            .into(),
            left_out: HashMap::new(),
            base_path: String::new(),
        }
        .with_left_out([LeftOut {
            path: PathBuf::from("content/articles/2023-09-14-draft.md"),
            reason: LeftOutReason::Draft,
        }]);
        let dir = Path::new("content/articles/sub");
        let (message, _) = targets.explain(dir, "../2023-09-14-draft.md");
        assert!(message.contains("which is a draft"), "{message}");
        let (_, hint) = targets.explain(dir, "../2023-09-13-alibab.md");
        assert_eq!(hint, "did you mean `../2023-09-13-alibaba.md`?");
        let (message, hint) = targets.explain(dir, "../nothing-like-it.md");
        assert!(message.contains("not an article of this site"));
        assert!(!hint.contains("did you mean"), "{hint}");
    }
}
