//! `digest init` (a new site that builds at once) and `digest new` (a new article with complete
//! front matter, its terms matched against the site's).

use std::path::{Path, PathBuf};

use crate::check::tracking;
use crate::config::Config;
use crate::content::front_matter::Format;
use crate::content::slug::term_key;
use crate::content::spans::{self, Style};
use crate::content::{self, CONTENT_DIR, LoadOptions};
use crate::error::{Error, Result};
use crate::library::{Library, Taxonomy};
use crate::render::builtin;

// ---------------------------------------------------------------------------------------------
// digest init
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct InitOptions {
    pub dir: PathBuf,
    /// Write into a folder that is not empty, adding only the files that are missing.
    pub force: bool,
}

#[derive(Debug, Default)]
pub struct InitReport {
    /// Files written, relative to the new site's folder.
    pub created: Vec<PathBuf>,
    /// Files that were there already and were left as they were.
    pub skipped: Vec<PathBuf>,
}

/// The slug of the example article `init` writes.
pub const EXAMPLE_SLUG: &str = "welcome-to-your-digest";

/// Writes a new site into `options.dir`. A folder with anything but hidden files in it is
/// refused unless `force`; even then no existing file is overwritten.
pub fn init(options: &InitOptions) -> Result<InitReport> {
    let dir = &options.dir;
    if dir.exists() && !dir.is_dir() {
        return Err(Error::Other(format!(
            "{} is a file, not a folder; choose a new folder for the site",
            dir.display()
        )));
    }
    if dir.is_dir() && !options.force {
        let visible = crate::fs::read_dir(dir)?
            .filter_map(|e| e.ok())
            .any(|e| !e.file_name().to_string_lossy().starts_with('.'));
        if visible {
            return Err(Error::Other(format!(
                "{} is not empty; run `digest init` on a new or empty folder, or pass --force to add the missing files (existing files are never overwritten)",
                dir.display()
            )));
        }
    }
    let today = jiff::ZonedDateTime::now()
        .with_time_zone(jiff::tz::TimeZone::UTC)
        .date();
    // In an existing site the welcome article would be published among the editor's own
    // stories by the next build: only a new site gets it.
    let existing_site = dir.join(crate::config::CONFIG_FILE).is_file();
    let mut report = InitReport::default();
    for (path, text) in init_files(today) {
        if existing_site && path.starts_with(format!("{CONTENT_DIR}/articles")) {
            continue;
        }
        if write_new(&dir.join(&path), &text)? {
            report.created.push(path);
        } else {
            report.skipped.push(path);
        }
    }
    Ok(report)
}

/// Every file of a new site, by path.
fn init_files(today: jiff::civil::Date) -> Vec<(PathBuf, String)> {
    let article = format!("{CONTENT_DIR}/articles/{today}-{EXAMPLE_SLUG}.md");
    vec![
        ("site.toml".into(), SITE_TOML.to_string()),
        (article.into(), example_article(today)),
        (
            format!("{CONTENT_DIR}/companies/alibaba.md").into(),
            EXAMPLE_PROFILE.to_string(),
        ),
        ("templates/.gitkeep".into(), TEMPLATES_NOTE.to_string()),
        ("static/.gitkeep".into(), STATIC_NOTE.to_string()),
        ("README.md".into(), site_readme()),
        (
            ".gitignore".into(),
            "/public/\n/.digest-cache/\n".to_string(),
        ),
    ]
}

/// Creates `path` with `text` unless it exists; `false` when it did.
fn write_new(path: &Path, text: &str) -> Result<bool> {
    if let Some(parent) = path.parent() {
        crate::fs::create_dir_all(parent)?;
    }
    crate::fs::write_new(path, text)
}

const SITE_TOML: &str = r#"# site.toml: the configuration of this digest site.
# Only `title` matters to start; every other key shows its default. Unknown keys are reported
# by `digest build` and `digest check`, with a did-you-mean.

title = "My Tech Digest"                 # shown in the header, <title> and feeds
description = "What happened this week in tech"   # meta description and feed subtitle
base_url = "https://example.com"          # the public address; may carry a path: https://you.github.io/digest
language = "en"                           # <html lang>, and the default `lang` of articles
output_dir = "public"                     # where `digest build` writes, relative to this file
edition = "weekly"                        # group articles into editions: weekly | monthly | none
per_page = 10                             # articles per page on the home page and term pages
timezone = "UTC"                          # IANA name: where bare dates fall, and "today" for `digest new`
relative_urls = false                     # true: page-relative links, to open the output from disk

# Front-matter list keys that become term pages and feeds. One can be a table instead:
# taxonomies = [{ name = "companies", title = "Companies", feed = true }, "regulations", "tags"]
taxonomies = ["companies", "regulations", "tags"]

[markdown]
smart_punctuation = true   # "quotes", -- and ... become typographic punctuation
highlight = true           # syntax-highlight fenced code (CSS classes, light and dark themes)
unsafe_html = true         # false: raw HTML in articles is escaped instead of passed through

[feeds]
atom = true                # /atom.xml, and one per term
rss = true                 # /rss.xml
json = true                # /feed.json
limit = 20                 # newest articles per feed (site, each term, editions)

[entities]
auto_file = false          # true: file each article under every known term its text names
link_mentions = false      # true: link the first mention of each term in an article to its page
scan = ["companies", "regulations"]     # taxonomies whose names are looked for in the text
matrix = ["companies", "regulations"]   # rows and columns of the /matrix/ page; [] for none

[extra]                    # free-form values handed to templates as `site.extra`
# footer = "Written by the editors."
"#;

fn example_article(today: jiff::civil::Date) -> String {
    format!(
        r#"+++
title = "Welcome to your digest"
date = {today}
authors = ["The editors"]
summary = "An example article: front matter on top, Markdown below. Edit it, or delete it once you have your own."
companies = ["Alibaba"]
regulations = []
tags = ["Example"]
draft = false
[source]
name = "digest"
url = "https://example.com/"
+++
This is an example article. Each article is one Markdown file under `content/`, named
`YYYY-MM-DD-slug.md`; its page is `/articles/slug/`. `digest new "Title"` writes a new one with
every field of the front matter ready to fill in.

## Terms

The lists in the front matter (`companies`, `regulations`, `tags`) file the story under terms:
each term gets a page and a feed. This one is filed under Alibaba, whose profile is
`content/companies/alibaba.md`.

## Checking

Run `digest check` before publishing: it reports unknown keys, a term spelled two ways, two
articles with one source, tracking parameters in links, and companies a story names but is not
filed under. `digest check --fix` mends what is safe to mend.
"#
    )
}

const EXAMPLE_PROFILE: &str = r#"+++
name = "Alibaba"
aliases = ["Alibaba Group", "Alibaba Cloud", "阿里巴巴"]
website = "https://www.alibabagroup.com"
summary = "Chinese e-commerce and cloud computing group."
+++
An example term profile. A file directly in `content/companies/` describes one company: its
`name` as readers see it, and `aliases`, other names an article may use ("Alibaba Group" files the
story under Alibaba). This text is shown on the company's page.
"#;

const TEMPLATES_NOTE: &str = "A template here overrides digest's built-in template of the same name (e.g. article.html); other files can be included or extended. See README.md.\n";
const STATIC_NOTE: &str = "Files here are copied as they are to the root of the built site; one named like a built-in (style.css) replaces it. See README.md.\n";

fn site_readme() -> String {
    let templates: Vec<String> = builtin::TEMPLATES
        .iter()
        .map(|(name, _)| format!("`{name}`"))
        .collect();
    let mut statics: Vec<String> = builtin::STATIC_FILES
        .iter()
        .map(|(name, _)| format!("`{name}`"))
        .collect();
    statics.push("`highlight.css`".into());
    format!(
        r#"# My Tech Digest

A news digest built with [digest](https://github.com/), a static site generator for tech news.

```sh
digest new "Title" --company NAME   # a new article in content/articles/
digest check                        # what is wrong or missing, before you publish
digest build                        # the site, into public/
```

- `site.toml`: the configuration, every option written out with its default.
- `content/articles/`: one Markdown file per article, front matter between `+++` lines.
- `content/companies/`, `content/regulations/`, `content/tags/`: optional profiles of terms.
- `templates/`: a template here overrides the built-in one of the same name. The built-in
  templates are {templates}.
- `static/`: copied as it is into the site; a file named like a built-in replaces it. The
  built-in files are {statics}.
- `public/`: the built site (not to be committed).

The hidden `.gitkeep` files keep the empty `templates/` and `static/` folders in git; digest
ignores hidden files.
"#,
        templates = templates.join(", "),
        statics = statics.join(", "),
    )
}

// ---------------------------------------------------------------------------------------------
// digest new
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct NewOptions {
    pub root: PathBuf,
    pub title: String,
    pub companies: Vec<String>,
    pub regulations: Vec<String>,
    pub tags: Vec<String>,
    /// `YYYY-MM-DD`; today in the site's time zone when absent.
    pub date: Option<String>,
    pub source_url: Option<String>,
    /// `draft = true`, the default: a fresh article is not published by the next build until
    /// the editor says so (`--publish`).
    pub draft: bool,
}

/// Something `new` wants the editor to know about what it wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// A name that is not a term of the site yet, or a URL that was changed.
    pub warning: bool,
    pub message: String,
}

#[derive(Debug)]
pub struct NewReport {
    /// The article's file, relative to the site root.
    pub path: PathBuf,
    pub notes: Vec<Note>,
}

/// Writes a new article and says what it matched its terms to.
pub fn new_article(options: &NewOptions) -> Result<NewReport> {
    let root = &options.root;
    let (config, _) = crate::load_config(root, None)?;
    let title = options.title.trim();
    if title.is_empty() {
        return Err(Error::Other(
            "the title is empty; give one: digest new \"Title\"".into(),
        ));
    }
    let (date, written_date, when) = new_date(options.date.as_deref(), &config.time_zone())?;
    let (slug, fallback) = crate::content::slug::article_slug(date, title);
    if slug.is_empty() {
        return Err(Error::Other(format!(
            "cannot make a file name from the title {title:?}; use a title with letters or digits"
        )));
    }
    let path = PathBuf::from(CONTENT_DIR)
        .join("articles")
        .join(if fallback {
            // The slug holds the date already.
            format!("{slug}.md")
        } else {
            format!("{date}-{slug}.md")
        });
    let full = root.join(&path);
    if full.exists() {
        return Err(Error::Other(format!(
            "{} already exists; edit it, or choose another title or --date",
            full.display()
        )));
    }

    let mut notes = Vec::new();
    if fallback {
        notes.push(Note {
            warning: false,
            message: format!(
                "the title does not transliterate into a readable URL, so the article is named by its date and a hash: `{slug}`; set `slug = \"…\"` in the front matter to choose one"
            ),
        });
    }
    let source_url = new_source_url(options.source_url.as_deref(), &mut notes)?;

    // The site as it is, drafts and future articles included, to match names and slugs.
    let loaded = content::load(
        root,
        &config,
        LoadOptions {
            drafts: true,
            future: true,
            now: jiff::Timestamp::now(),
        },
        &mut crate::Timings::default(),
    );
    let (library, _) = Library::build(&config, loaded);
    let terms = new_terms(options, &library, &mut notes)?;
    let explicit_slug = free_slug(&library, &slug, fallback, date, &mut notes);

    if when > jiff::Timestamp::now() {
        notes.push(Note {
            warning: false,
            message: format!(
                "dated {written_date}, in the future: `digest build` leaves it out until then (or with --future)"
            ),
        });
    }

    let text = article_text(
        &config,
        title,
        &written_date,
        explicit_slug.as_deref(),
        &terms,
        source_url.as_deref(),
        options.draft,
    );
    if !write_new(&full, &text)? {
        return Err(Error::Other(format!(
            "{} already exists; edit it, or choose another title or --date",
            full.display()
        )));
    }
    Ok(NewReport { path, notes })
}

/// The new article's day (which names the file), its date as the front matter writes it, and
/// the instant it is published. The front matter keeps a time (and an offset) when `--date`
/// gives one; without `--date`, today in the site's time zone.
fn new_date(
    given: Option<&str>,
    tz: &jiff::tz::TimeZone,
) -> Result<(jiff::civil::Date, String, jiff::Timestamp)> {
    let Some(text) = given else {
        let today = jiff::ZonedDateTime::now().with_time_zone(tz.clone()).date();
        let start = today
            .to_zoned_datetime(tz.clone())
            .map_or_else(|_| jiff::Timestamp::now(), |z| z.timestamp());
        return Ok((today, today.to_string(), start));
    };
    let text = text.trim();
    let zoned = crate::content::front_matter::parse_date(text, tz).ok_or_else(|| {
        Error::Other(format!(
            "--date {text:?} is not a date; write it as YYYY-MM-DD, e.g. 2023-09-15, or with a time, 2023-09-15T09:30"
        ))
    })?;
    let written = match written_offset(text) {
        _ if text.len() == 10 => zoned.date().to_string(),
        // An instant keeps the offset it was written with.
        Some(offset) => zoned
            .timestamp()
            .to_zoned_datetime(jiff::tz::TimeZone::fixed(offset))
            .strftime("%Y-%m-%dT%H:%M:%S%:z")
            .to_string(),
        None => zoned.datetime().to_string(),
    };
    Ok((zoned.date(), written, zoned.timestamp()))
}

/// `--source-url` checked as the build would check it (so the new file builds), with its
/// tracking parameters removed and a note saying which.
fn new_source_url(given: Option<&str>, notes: &mut Vec<Note>) -> Result<Option<String>> {
    let url = match given.map(str::trim) {
        None | Some("") => return Ok(None),
        Some(url) => url,
    };
    content::check_url(url).map_err(|message| Error::Other(format!("--source-url {message}")))?;
    content::check_source_url(url).map_err(|(message, meant)| {
        Error::Other(match meant {
            Some(meant) => format!("--source-url {message}; did you mean {meant}?"),
            None => format!(
                "--source-url {message}; give the story's full address, starting with https://"
            ),
        })
    })?;
    Ok(Some(match tracking::strip(url) {
        Some((clean, removed)) => {
            notes.push(Note {
                warning: false,
                message: format!(
                    "removed tracking parameters from the source URL: {}",
                    removed.join(", ")
                ),
            });
            clean
        }
        None => url.to_string(),
    }))
}

/// The names to write for `--company`, `--regulation` and `--tag`, by taxonomy, each matched
/// to the site's existing terms (see [`match_term`]) and written once.
fn new_terms(
    options: &NewOptions,
    library: &Library,
    notes: &mut Vec<Note>,
) -> Result<Vec<(String, Vec<String>)>> {
    let mut terms: Vec<(String, Vec<String>)> = Vec::new();
    for (flag, taxonomy_name, names) in [
        ("--company", "companies", &options.companies),
        ("--regulation", "regulations", &options.regulations),
        ("--tag", "tags", &options.tags),
    ] {
        if names.is_empty() {
            continue;
        }
        let Some(taxonomy) = library.taxonomies.iter().find(|t| t.name == taxonomy_name) else {
            return Err(Error::Other(format!(
                "{flag}: this site has no `{taxonomy_name}` taxonomy; add it to `taxonomies` in site.toml"
            )));
        };
        let mut written = Vec::new();
        for name in names {
            let (spelling, note) = match_term(taxonomy, flag, name)?;
            notes.extend(note);
            if !written.contains(&spelling) {
                written.push(spelling);
            }
        }
        terms.push((taxonomy_name.to_string(), written));
    }
    Ok(terms)
}

/// The `slug` to write in the front matter, if any. A slug another article has would make the
/// build fail, so this one gets its date too (and a number if that is taken as well).
fn free_slug(
    library: &Library,
    slug: &str,
    fallback: bool,
    date: jiff::civil::Date,
    notes: &mut Vec<Note>,
) -> Option<String> {
    let taken = |s: &str| library.articles.iter().find(|a| a.slug == s);
    match taken(slug) {
        // Written out: the build would take the slug from the file name without its date.
        None if fallback => Some(slug.to_string()),
        None => None,
        Some(other) => {
            let mut candidate = format!("{slug}-{date}");
            let mut n = 2;
            while taken(&candidate).is_some() {
                candidate = format!("{slug}-{date}-{n}");
                n += 1;
            }
            notes.push(Note {
                warning: false,
                message: format!(
                    "the slug `{slug}` is taken by {}; this article gets slug = \"{candidate}\"",
                    other.path.display()
                ),
            });
            Some(candidate)
        }
    }
}

/// The UTC offset a date-time is written with (`Z` is +00:00); `None` without one.
fn written_offset(text: &str) -> Option<jiff::tz::Offset> {
    use jiff::fmt::temporal::{Pieces, PiecesOffset};
    match Pieces::parse(text).ok()?.offset()? {
        PiecesOffset::Numeric(n) => Some(n.offset()),
        _ => Some(jiff::tz::Offset::UTC),
    }
}

/// The name to write for `name` in `taxonomy`, and what to tell the editor about it.
fn match_term(taxonomy: &Taxonomy, flag: &str, name: &str) -> Result<(String, Option<Note>)> {
    let name = name.trim();
    let key = term_key(name);
    if key.is_empty() {
        return Err(Error::Other(format!(
            "{flag} {name:?}: a name needs letters or digits"
        )));
    }
    let noun = singular(&taxonomy.name);
    let Some(term) = taxonomy.find(name) else {
        let suggestions = closest(taxonomy, &key);
        let message = if suggestions.is_empty() {
            format!("{name:?} is a new {noun} in this site")
        } else {
            format!(
                "{name:?} is a new {noun} in this site; did you mean {}?",
                or_list(&suggestions)
            )
        };
        // A likely typo is a warning; a new name is news, not a mistake.
        return Ok((
            name.to_string(),
            Some(Note {
                warning: !suggestions.is_empty(),
                message,
            }),
        ));
    };
    // A name the site uses once or twice beside an established one is the typo `check` reports.
    let typo_of = taxonomy
        .terms
        .iter()
        .position(|t| std::ptr::eq(t, term))
        .and_then(|i| taxonomy.likely_typo_of(i));
    if let Some(meant) = typo_of {
        let meant = &taxonomy.terms[meant].name;
        return Ok((
            name.to_string(),
            Some(Note {
                warning: true,
                message: format!(
                    "{name:?} is a {noun} of {} in this site; did you mean {meant}?",
                    match term.articles.len() {
                        1 => "1 article".to_string(),
                        n => format!("{n} articles"),
                    }
                ),
            }),
        ));
    }
    if name == term.name {
        return Ok((name.to_string(), None));
    }
    let aliases: &[String] = term.profile.as_ref().map_or(&[], |p| &p.aliases);
    if aliases.iter().any(|a| a == name) {
        let profile = term.profile.as_ref().map(|p| p.path.display().to_string());
        return Ok((
            name.to_string(),
            Some(Note {
                warning: false,
                message: format!(
                    "{name:?} files under {} (an alias in {})",
                    term.name,
                    profile.unwrap_or_default()
                ),
            }),
        ));
    }
    // The same name spelled otherwise ("open ai"): write it the way the site does.
    let spelling = std::iter::once(&term.name)
        .chain(aliases)
        .find(|s| term_key(s) == key)
        .unwrap_or(&term.name)
        .clone();
    let message = if spelling == term.name {
        format!("{name:?} is written {spelling:?}, the spelling this site uses")
    } else {
        format!(
            "{name:?} is written {spelling:?}, the spelling this site uses; it files under {}",
            term.name
        )
    };
    Ok((
        spelling,
        Some(Note {
            warning: false,
            message,
        }),
    ))
}

/// The names of the terms closest to `key` (a [`term_key`]), best first, at most three.
fn closest(taxonomy: &Taxonomy, key: &str) -> Vec<String> {
    let mut scored: Vec<(f64, &str)> = Vec::new();
    for term in &taxonomy.terms {
        let mut candidates = vec![term.key.clone()];
        if let Some(profile) = &term.profile {
            candidates.extend(profile.aliases.iter().map(|a| term_key(a)));
        }
        candidates.extend(term.spellings.keys().map(|s| term_key(s)));
        let score = candidates
            .iter()
            .filter(|c| !c.is_empty())
            .map(|c| {
                let similar = strsim::jaro_winkler(key, c);
                let contained =
                    c.len().min(key.len()) >= 3 && (c.contains(key) || key.contains(c.as_str()));
                if contained { similar.max(0.9) } else { similar }
            })
            .fold(0.0, f64::max);
        if score >= 0.8 {
            scored.push((score, term.name.as_str()));
        }
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored
        .into_iter()
        .take(3)
        .map(|(_, n)| n.to_string())
        .collect()
}

/// "A", "A or B", "A, B or C".
fn or_list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

fn singular(taxonomy: &str) -> String {
    if let Some(stem) = taxonomy.strip_suffix("ies") {
        format!("{stem}y")
    } else if let Some(stem) = taxonomy.strip_suffix('s') {
        stem.to_string()
    } else {
        format!("{taxonomy} term")
    }
}

fn toml_string(text: &str) -> String {
    spans::literal(Format::Toml, Style::Double, text)
}

fn article_text(
    config: &Config,
    title: &str,
    date: &str,
    slug: Option<&str>,
    terms: &[(String, Vec<String>)],
    source_url: Option<&str>,
    draft: bool,
) -> String {
    let mut text = String::from("+++\n");
    text.push_str(&format!("title = {}\n", toml_string(title)));
    text.push_str(&format!("date = {date}\n"));
    if let Some(slug) = slug {
        text.push_str(&format!("slug = {}\n", toml_string(slug)));
    }
    text.push_str("authors = []\n");
    text.push_str("summary = \"\"\n");
    for taxonomy in &config.taxonomies {
        let names = terms
            .iter()
            .find(|(name, _)| *name == taxonomy.name)
            .map_or(&[][..], |(_, names)| names.as_slice());
        let items: Vec<String> = names.iter().map(|n| toml_string(n)).collect();
        text.push_str(&format!("{} = [{}]\n", taxonomy.name, items.join(", ")));
    }
    text.push_str(&format!("draft = {draft}\n"));
    if let Some(url) = source_url {
        text.push_str("[source]\n");
        text.push_str("# name = \"…\"\n");
        text.push_str(&format!("url = {}\n", toml_string(url)));
    }
    text.push_str("+++\n");
    text.push_str(PLACEHOLDER);
    text.push_str(
        " Its first paragraph is the summary on cards and in feeds,\nunless `summary` above says otherwise.\n",
    );
    text
}

/// `digest new --lang <key> ORIGINAL`: writes `x.<key>.md` beside the original `x.md` (named
/// by its file, slug or title), with the original's title, date, authors and source to
/// translate. Its terms are the original's unless it lists its own.
pub fn new_translation(root: &Path, original: &str, key: &str, draft: bool) -> Result<NewReport> {
    let (config, _) = crate::load_config(root, None)?;
    if !config.languages.contains_key(key) {
        let known: Vec<&str> = config.languages.keys().map(String::as_str).collect();
        return Err(Error::Other(if known.is_empty() {
            format!("--lang {key}: this site has one language; add [languages.{key}] to site.toml")
        } else {
            format!(
                "--lang {key}: not a language of this site ({}); add [languages.{key}] to site.toml",
                known.join(", ")
            )
        }));
    }
    let (found, _) = content::discover_files(root, &config);
    let wanted = original.trim();
    let as_path = Path::new(wanted);
    let mut articles = Vec::new();
    for file in found
        .iter()
        .filter(|f| f.kind == content::discover::Kind::Article)
    {
        if let Some(content::Item::Article(article)) = content::parse_file(file, &config).item
            && article.language_key.is_none()
        {
            articles.push(*article);
        }
    }
    let by_path = |a: &&content::Article| {
        a.path == as_path || root.join(&a.path) == as_path || as_path.ends_with(&a.path)
    };
    let article = articles
        .iter()
        .find(by_path)
        .or_else(|| articles.iter().find(|a| a.slug == wanted))
        .or_else(|| articles.iter().find(|a| a.title == wanted))
        .ok_or_else(|| {
            Error::Other(format!(
                "--lang {key}: no article {wanted:?} in the default language; name it by its file (content/articles/x.md), slug or title"
            ))
        })?;
    let name = article
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (stem, ext) = name.rsplit_once('.').unwrap_or((&name, "md"));
    let path = article.path.with_file_name(format!("{stem}.{key}.{ext}"));
    let full = root.join(&path);
    let mut text = String::from("+++\n");
    text.push_str(&format!("title = {}\n", toml_string(&article.title)));
    text.push_str(&format!("date = {}\n", article.date.date()));
    text.push_str(&format!(
        "updated = {}\n",
        jiff::ZonedDateTime::now()
            .with_time_zone(config.time_zone())
            .date()
    ));
    let authors: Vec<String> = article.authors.iter().map(|a| toml_string(a)).collect();
    text.push_str(&format!("authors = [{}]\n", authors.join(", ")));
    text.push_str("summary = \"\"\n");
    text.push_str(&format!("draft = {draft}\n"));
    if let Some(source) = &article.source {
        text.push_str("[source]\n");
        if let Some(name) = &source.name {
            text.push_str(&format!("name = {}\n", toml_string(name)));
        }
        if let Some(url) = &source.url {
            text.push_str(&format!("url = {}\n", toml_string(url)));
        }
    }
    text.push_str("+++\n");
    text.push_str(PLACEHOLDER);
    text.push_str(&format!(
        " Translate {} here; the title above is still the original's.\n",
        article.path.display()
    ));
    if !write_new(&full, &text)? {
        return Err(Error::Other(format!(
            "{} already exists; edit it",
            full.display()
        )));
    }
    Ok(NewReport {
        path,
        notes: vec![Note {
            warning: false,
            message: "the translation files itself under the original's terms; list terms in its front matter to give it others".to_string(),
        }],
    })
}

/// The first words of the body `digest new` writes; `digest check` warns while they are there.
pub const PLACEHOLDER: &str = "Write the story here, in Markdown.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_new_site_parses() {
        let (config, warnings) = Config::parse(SITE_TOML).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(config.taxonomies.len(), 3);
        let defaults = Config::default();
        assert_eq!(config.per_page, defaults.per_page);
        assert_eq!(config.feeds.limit, defaults.feeds.limit);
        assert_eq!(config.entities.scan, defaults.entities.scan);
    }

    #[test]
    fn names_and_lists() {
        assert_eq!(singular("companies"), "company");
        assert_eq!(singular("tags"), "tag");
        assert_eq!(or_list(&["A".into(), "B".into(), "C".into()]), "A, B or C");
        assert_eq!(toml_string("Say \"hi\""), "\"Say \\\"hi\\\"\"");
    }
}
