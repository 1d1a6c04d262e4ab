//! Rendering the library into the staging folder, one stage after another. Each stage renders
//! its pages in parallel and writes each page as soon as it is rendered.
//!
//! Every output goes through [`Renderer::emit`] with the one value it is rendered from (its
//! inputs). A build renders everything; `digest serve` keys each output by its inputs (see
//! [`key`]) and renders only those whose key changed since the last render.

pub mod builtin;
pub mod chart;
pub mod context;
pub mod email;
pub mod feeds;
pub mod jsonld;
pub mod key;
pub mod languages;
pub mod relative;
pub mod search;
pub mod sitemap;
pub mod templates;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera, Value};

use crate::config::Config;
use crate::content::highlight::HighlightCache;
use crate::content::markdown::MentionLink;
use crate::content::{self, Body, LinkTargets};
use crate::error::{Diagnostic, Error, Result};
use crate::library::paginate::{Page, paginate};
use crate::library::{ArticleId, Library, Term, TermRef};
use crate::output::Staging;
use crate::timings::{TemplateClock, Timings};
use crate::urls::{self, Urls};
use context::{FeedLink, FeedLinks, date_string};
use feeds::FeedSpec;
use key::{Dep, Html, Key, Made, Shared};
use sitemap::Entry;

pub use crate::layout::STATIC_DIR;

/// The compiled templates, with what keys need of them.
pub struct Templates {
    pub tera: Tera,
    /// Each template's source and those it uses, hashed.
    closure: HashMap<String, u64>,
    /// Everything every template sees besides its inputs: `site`, the configuration that
    /// functions and filters read (base URL, time zone), `term_url()`'s table when used.
    globals: u64,
    /// The built-in theme's strings in this language (`t` in templates).
    pub strings: crate::i18n::Strings,
    /// The templates of each other language, in the order of `Library::translations`.
    pub translations: Vec<Templates>,
}

impl Templates {
    /// The part of a page's key that comes from its template and the globals.
    fn key(&self, name: &str) -> u64 {
        key::hash((self.closure.get(name), self.globals))
    }
}

/// Compiles the templates and sets the `site` variable every template sees; once per
/// language, each with its own `site`, strings (`t`) and links.
pub fn load_templates(root: &Path, config: &Config, library: &Library) -> Result<Templates> {
    let mut templates = load_language_templates(root, config, library)?;
    for translation in &library.translations {
        templates.translations.push(load_language_templates(
            root,
            &translation.config,
            &translation.library,
        )?);
    }
    Ok(templates)
}

fn load_language_templates(root: &Path, config: &Config, library: &Library) -> Result<Templates> {
    let links = Urls::new(&config.base_url, config.base_path());
    let root_links = Urls::new(config.root_base_url(), config.root_base_path());
    let strings = config.strings.clone();
    let date_format = config
        .language_key
        .as_ref()
        .and_then(|k| config.languages.get(k))
        .and_then(|l| l.date_format.clone())
        .or_else(|| strings.get("date_format").cloned())
        .unwrap_or_else(|| "%Y-%m-%d".into());
    let sources = templates::sources(root)?;
    let closure = templates::closure_keys(&sources);
    let term_links = templates::term_links_key(&sources, &links, library);
    let language = templates::Language {
        root: &root_links,
        strings: &strings,
        date_format: &date_format,
    };
    let mut tera = templates::load(sources, &links, library, config.time_zone(), language)?;
    let feed_links = feed_links_in(config, &links, "");
    let site = context::site_view(config, library, &links, feed_links);
    let globals = key::hash((
        key::key_of(&site).hash,
        key::key_of(config).hash,
        term_links,
        &strings,
        &date_format,
    ));
    tera.global_context().insert("site", &site);
    tera.global_context().insert("t", &strings);
    Ok(Templates {
        tera,
        closure,
        globals,
        strings,
        translations: Vec::new(),
    })
}

/// A value the renderer either owns (a build) or borrows from `digest serve`'s caches.
pub enum Held<'a, T> {
    Owned(T),
    Lent(&'a T),
}

/// The values of `held` that the renderer owns, to be freed apart.
fn owned<T>(held: Vec<Held<'_, T>>) -> Vec<T> {
    held.into_iter()
        .filter_map(|h| match h {
            Held::Owned(value) => Some(value),
            Held::Lent(_) => None,
        })
        .collect()
}

impl<T> std::ops::Deref for Held<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        match self {
            Held::Owned(value) => value,
            Held::Lent(value) => value,
        }
    }
}

/// Where articles' bodies come from.
pub enum Bodies<'s> {
    /// A build: each article's Markdown is rendered, its page written, and only what lists and
    /// feeds need is kept.
    Render {
        sources: Vec<String>,
        highlighter: &'s HighlightCache,
        /// Where to save the highlighter's cache once the bodies are rendered, while the
        /// list pages are.
        save_highlights_to: Option<&'s Path>,
    },
    /// `digest serve`: bodies and cards kept from earlier rebuilds, in library order: the
    /// default language's, then each translation's (in the order of `Library::translations`).
    Ready(Vec<ReadyLanguage<'s>>),
}

/// The bodies and cards of one language's articles, in its library's order.
pub struct ReadyLanguage<'s> {
    pub bodies: Vec<&'s Shared<Body>>,
    pub cards: Vec<&'s Shared<Value>>,
}

/// What to render: everything, or what changed.
#[derive(Clone, Copy)]
pub enum Mode<'a> {
    /// A build: every output is rendered.
    All,
    /// `digest serve`: every output is keyed, and rendered when its key differs from `previous`.
    Changed {
        previous: &'a HashMap<String, Key>,
        /// After an edit of article bodies only (the library as it was), the outputs whose
        /// keys recorded one of those articles: only they are keyed again, and the others
        /// keep their key. None: every output is keyed.
        revisit: Option<&'a HashSet<String>>,
    },
}

/// What to render, where.
pub struct Job<'a> {
    pub root: &'a Path,
    pub config: &'a Config,
    pub library: &'a Library,
    /// Compiled once; see [`load_templates`].
    pub templates: &'a Templates,
    pub out: &'a Staging,
    pub mode: Mode<'a>,
    /// Whether to copy the built-in and site static files.
    pub static_files: bool,
}

/// What a render did.
#[derive(Debug, Default)]
pub struct Rendered {
    /// Warnings found in articles' bodies.
    pub warnings: Vec<Diagnostic>,
    /// With [`Mode::Changed`]: the key of every output keyed (every output, unless only
    /// some are revisited), written or not.
    pub keys: HashMap<String, Key>,
    /// With [`Mode::Changed`]: the outputs written.
    pub written: Vec<String>,
}

struct Renderer<'a> {
    config: &'a Config,
    library: &'a Library,
    templates: &'a Templates,
    links: Urls,
    staging: &'a Staging,
    mode: Mode<'a>,
    clock: TemplateClock,
    /// Every article's summary value with its card, rendered once and shared by every list.
    cards: Vec<Held<'a, Shared<Value>>>,
    /// Every article's rendered body. In a build, articles no feed carries keep only their
    /// summary: a build does not hold every page's HTML in memory (and takes no keys).
    bodies: Vec<Held<'a, Shared<Body>>>,
    /// Each article's feed entry, made on first use.
    feed_entries: Vec<OnceLock<Value>>,
    site_feeds: Vec<FeedLink>,
    keys: Mutex<Vec<(String, Key)>>,
    written: Mutex<Vec<String>>,
    /// Every output path of this render but redirects (unless only some outputs are
    /// revisited), for aliases that would take a page's place.
    claimed: Mutex<Vec<String>>,
    /// In a build with search: each article's body text for its search record, taken while
    /// the body is at hand (a build keeps only summaries).
    search_texts: Vec<String>,
    /// The folder of this language's outputs: "" for the default language, "zh/".
    prefix: String,
    /// Which of `languages` this render is.
    language: usize,
    languages: &'a languages::Languages,
}

/// Frees `value` on a thread of its own. A built site's in-memory values (tens of thousands of
/// template maps at 10,000 articles) take ~0.1 s to free on one core: `digest build` exits
/// without waiting for that, and `digest serve` goes on answering meanwhile.
pub(crate) fn drop_in_background<T: Send + 'static>(value: T) {
    // Should no thread start, the value is dropped here, as usual.
    let _ = std::thread::Builder::new()
        .name("digest-drop".into())
        .spawn(move || drop(value));
}

/// Renders the site (or, with [`Mode::Changed`], what changed of it) into `job.out`: the
/// default language at the root, then each other language in its folder.
pub fn render_site(job: Job<'_>, bodies: Bodies<'_>, timings: &mut Timings) -> Result<Rendered> {
    let Job {
        root,
        config,
        library,
        templates,
        out: staging,
        mode,
        static_files,
    } = job;
    if templates.translations.len() != library.translations.len() {
        return Err(Error::Other(
            "templates were compiled for another set of languages".into(),
        ));
    }
    let languages = languages::Languages::new(config, library, templates);
    let renderer = Renderer::new(config, library, templates, staging, mode, &languages, 0);
    let mut sitemap = Vec::new();
    let start = Instant::now();
    let mut highlights = None;
    // With ready bodies, each translation's, in order; none to render.
    let mut ready_translations = Vec::new().into_iter();
    let mut translation_highlighter = None;
    let (renderer, mut warnings) = match bodies {
        Bodies::Render {
            sources,
            highlighter,
            save_highlights_to,
        } => {
            highlights = save_highlights_to.map(|path| (highlighter, path));
            translation_highlighter = Some(highlighter);
            renderer.render_articles(sources, highlighter, &mut sitemap)?
        }
        Bodies::Ready(languages) => {
            if languages.len() != library.translations.len() + 1 {
                return Err(Error::Other(
                    "bodies were made for another set of languages".into(),
                ));
            }
            let mut languages = languages.into_iter();
            let mut renderer = renderer;
            if let Some(ready) = languages.next() {
                renderer.ready(ready, &mut sitemap)?;
            }
            ready_translations = languages.collect::<Vec<_>>().into_iter();
            (renderer, Vec::new())
        }
    };
    timings.record("articles", start);
    let save_highlights = |_: &mut Vec<Entry>| {
        if let Some((highlighter, path)) = highlights
            && let Err(e) = highlighter.save(path)
        {
            log::warn!(
                "could not save the highlighting cache {}: {e}",
                path.display()
            );
        }
        Ok(())
    };
    renderer.list_pages(&mut sitemap, Some(&save_highlights), timings)?;
    let mut search_records = renderer.search_records();
    let mut sitemap_languages = vec![0; sitemap.len()];

    // Every other language: its articles (translations keep their Markdown in the library),
    // then its list pages, into its folder.
    let start = Instant::now();
    for (i, translation) in library.translations.iter().enumerate() {
        let mut other = Renderer::new(
            &translation.config,
            &translation.library,
            &templates.translations[i],
            staging,
            mode,
            &languages,
            i + 1,
        );
        let mut entries = Vec::new();
        match (translation_highlighter, ready_translations.next()) {
            (Some(highlighter), _) => {
                let sources = translation
                    .library
                    .articles
                    .iter()
                    .map(|a| a.body.clone())
                    .collect();
                let found;
                (other, found) = other.render_articles(sources, highlighter, &mut entries)?;
                warnings.extend(found);
            }
            (None, Some(ready)) => other.ready(ready, &mut entries)?,
            (None, None) => {}
        }
        let mut other_timings = Timings::default();
        other.list_pages(&mut entries, None, &mut other_timings)?;
        search_records.extend(other.search_records());
        renderer.absorb(other);
        sitemap_languages.extend(std::iter::repeat_n(i + 1, entries.len()));
        let prefix = format!("{}/", translation.key);
        sitemap.extend(entries.into_iter().map(|mut e| {
            e.path = format!("{prefix}{}", e.path);
            e
        }));
    }
    if !library.translations.is_empty() {
        timings.record("languages", start);
    }
    write_search_index(staging, search_records, timings)?;
    let start = Instant::now();
    renderer.redirects()?;
    timings.record("redirects", start);
    let start = Instant::now();
    let alternates = sitemap_alternates(&sitemap, &sitemap_languages, library, &languages);
    renderer.sitemaps(sitemap, alternates)?;
    if static_files {
        renderer.static_files(root)?;
    }
    timings.record("static", start);
    Ok(finish(renderer, warnings, timings))
}

/// The one search index of every language's records (none without search), which Pagefind
/// splits by the records' languages.
fn write_search_index(
    staging: &Staging,
    records: Vec<search::Record>,
    timings: &mut Timings,
) -> Result<()> {
    if records.is_empty() {
        return Ok(());
    }
    let start = Instant::now();
    let files = search::index_files(&records)?;
    drop(records);
    search::write_index(staging, &files)?;
    timings.record("search index", start);
    Ok(())
}

/// Each sitemap entry's alternates: the same page in the other languages. `entry_languages` gives
/// each entry's language (0, the default; i, the i-th translation, whose folder prefixes the
/// entry's path).
fn sitemap_alternates(
    sitemap: &[Entry],
    entry_languages: &[usize],
    library: &Library,
    languages: &languages::Languages,
) -> Vec<Vec<(String, String)>> {
    sitemap
        .iter()
        .zip(entry_languages)
        .map(|(entry, &language)| {
            let own = match language {
                0 => entry.path.as_str(),
                i => entry
                    .path
                    .strip_prefix(&format!("{}/", library.translations[i - 1].key))
                    .unwrap_or(&entry.path),
            };
            languages.sitemap_alternates(language, own)
        })
        .collect()
}

/// What the render did, from the renderer that did it; its in-memory values are freed on a
/// thread of their own.
fn finish(renderer: Renderer<'_>, warnings: Vec<Diagnostic>, timings: &mut Timings) -> Rendered {
    let Renderer {
        clock,
        cards,
        bodies,
        feed_entries,
        keys,
        written,
        ..
    } = renderer;
    timings.templates = clock.into_times();
    drop_in_background((owned(cards), owned(bodies), feed_entries));
    Rendered {
        warnings,
        keys: keys
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .into_iter()
            .collect(),
        written: written.into_inner().unwrap_or_else(|e| e.into_inner()),
    }
}

/// The search page's script (a plain function, keyed by what it is).
fn search_script(_: &()) -> Result<Vec<u8>> {
    Ok(search::SCRIPT_SOURCE.as_bytes().to_vec())
}

impl<'a> Renderer<'a> {
    fn new(
        config: &'a Config,
        library: &'a Library,
        templates: &'a Templates,
        staging: &'a Staging,
        mode: Mode<'a>,
        languages: &'a languages::Languages,
        language: usize,
    ) -> Renderer<'a> {
        let links = Urls::new(&config.base_url, config.base_path());
        let site_feeds = feed_link_list(&feed_links_in(config, &links, ""), &config.title);
        let prefix = match &config.language_key {
            Some(key) => format!("{key}/"),
            None => String::new(),
        };
        Renderer {
            config,
            library,
            templates,
            links,
            staging,
            mode,
            clock: TemplateClock::default(),
            cards: Vec::new(),
            bodies: Vec::new(),
            feed_entries: (0..library.articles.len())
                .map(|_| OnceLock::new())
                .collect(),
            site_feeds,
            keys: Mutex::default(),
            written: Mutex::default(),
            claimed: Mutex::default(),
            search_texts: Vec::new(),
            prefix,
            language,
            languages,
        }
    }

    /// Takes over what the renderer of another language recorded: keys, outputs written and
    /// claimed, template times.
    fn absorb(&self, other: Renderer<'_>) {
        let Renderer {
            keys,
            written,
            claimed,
            clock,
            ..
        } = other;
        let into = |from: Mutex<Vec<String>>, to: &Mutex<Vec<String>>| {
            to.lock()
                .unwrap_or_else(|e| e.into_inner())
                .extend(from.into_inner().unwrap_or_else(|e| e.into_inner()));
        };
        into(written, &self.written);
        into(claimed, &self.claimed);
        self.keys
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(keys.into_inner().unwrap_or_else(|e| e.into_inner()));
        self.clock.merge(clock);
    }

    /// The articles stage from Markdown sources, handing back the renderer with its cards.
    fn render_articles(
        mut self,
        sources: Vec<String>,
        highlighter: &HighlightCache,
        sitemap: &mut Vec<Entry>,
    ) -> Result<(Renderer<'a>, Vec<Diagnostic>)> {
        let warnings = self.articles(sources, highlighter, sitemap)?;
        Ok((self, warnings))
    }

    /// The list pages and feeds. They only read what the articles stage left, so their
    /// stages run side by side: no core waits while one stage winds down and the next sets
    /// up. Each stage's time is its own, and they overlap.
    fn list_pages(
        &self,
        sitemap: &mut Vec<Entry>,
        also: Option<Stage<'_>>,
        timings: &mut Timings,
    ) -> Result<()> {
        let nothing = |_: &mut Vec<Entry>| Ok(());
        let stages: [(&'static str, Stage<'_>); 9] = [
            ("home", &|s| self.home(s)),
            ("editions", &|s| self.editions(s)),
            ("email", &|s| self.emails(s)),
            ("taxonomies", &|s| self.taxonomies(s)),
            ("matrix", &|s| self.matrix(s)),
            ("feeds", &|s| self.site_feeds(s)),
            ("extras", &|s| self.extras(s)),
            // Each language's search page; the one index of every language is built after all
            // of them (see `render_site`).
            ("search", &|s| self.search(s)),
            ("cache", also.unwrap_or(&nothing)),
        ];
        let done: Vec<_> = stages
            .par_iter()
            .map(|(name, stage)| {
                let start = Instant::now();
                let mut entries = Vec::new();
                let result = stage(&mut entries);
                (*name, start.elapsed(), entries, result)
            })
            .collect();
        for (name, took, entries, result) in done {
            result?;
            timings.record_duration(name, took);
            sitemap.extend(entries);
        }
        Ok(())
    }
}

/// One stage of list pages: renders its pages and lists them for the sitemap.
type Stage<'s> = &'s (dyn Fn(&mut Vec<Entry>) -> Result<()> + Sync);

/// With `[entities] link_mentions`: the page each term named in a body links to.
pub struct MentionLinks {
    lexicon: crate::library::Lexicon,
    pages: HashMap<TermRef, String>,
}

impl MentionLinks {
    /// None unless the site links mentions.
    pub fn new(config: &Config, library: &Library) -> Option<MentionLinks> {
        if !config.entities.link_mentions {
            return None;
        }
        let links = Urls::new(&config.base_url, config.base_path());
        let pages = library
            .taxonomies
            .iter()
            .enumerate()
            .flat_map(|(t, taxonomy)| {
                let links = &links;
                taxonomy.terms.iter().enumerate().map(move |(i, term)| {
                    ((t, i), links.link(&urls::term(&taxonomy.name, &term.slug)))
                })
            })
            .collect();
        Some(MentionLinks {
            lexicon: crate::library::mentions::lexicon(config, &library.taxonomies),
            pages,
        })
    }

    pub fn find(&self, text: &str) -> Vec<MentionLink> {
        self.lexicon
            .find(text)
            .into_iter()
            .map(|m| MentionLink {
                start: m.start,
                end: m.end,
                url: self.pages[&m.term].clone(),
            })
            .collect()
    }

    /// Changes whenever a body would link differently.
    pub fn key(&self) -> u64 {
        key::hash((
            self.lexicon.fingerprint(),
            self.pages
                .iter()
                .collect::<std::collections::BTreeMap<_, _>>(),
        ))
    }
}

/// An article's card: its summary value with `card`, the partial rendered from it, added.
/// Shared by every list showing the article.
pub fn card(
    templates: &Templates,
    config: &Config,
    library: &Library,
    id: ArticleId,
    body: &Shared<Body>,
) -> Result<Shared<Value>> {
    let links = Urls::new(&config.base_url, config.base_path());
    let view = context::summary_view(config, library, id, body, &links);
    let summary = Value::from_serializable(&view);
    let mut ctx = Context::new();
    ctx.insert_value("article", summary.clone());
    let card = templates
        .tera
        .render(CARD_TEMPLATE, &ctx)
        .map_err(|e| templates::template_error(CARD_TEMPLATE, &e))?;
    let value = context::with_field(summary, "card", Value::safe_string(&card));
    Ok(Shared::new(
        value,
        Some(Dep::article(&library.articles[id].path)),
    ))
}

/// What an article's card is made from: a card with this key is the same card.
pub fn card_key(
    templates: &Templates,
    config: &Config,
    library: &Library,
    id: ArticleId,
    body: &Shared<Body>,
) -> u64 {
    let links = Urls::new(&config.base_url, config.base_path());
    let view = context::summary_view(config, library, id, body, &links);
    key::hash((templates.key(CARD_TEMPLATE), key::key_of(&view).hash))
}

const CARD_TEMPLATE: &str = "partials/card.html";
const REDIRECT_TEMPLATE: &str = "redirect.html";

/// The redirects file of Netlify and Cloudflare Pages.
pub const REDIRECTS_FILE: &str = "_redirects";

/// Old paths and where they moved, as links from the host's root.
#[derive(Serialize)]
struct Redirects {
    moves: Vec<(String, String)>,
}

fn write_redirects(redirects: &Redirects) -> Result<Vec<u8>> {
    let mut text =
        String::from("# Old URLs of moved articles (front matter `aliases`), written by digest\n");
    for (from, to) in &redirects.moves {
        text.push_str(&format!("{from} {to} 301\n"));
    }
    Ok(text.into_bytes())
}

/// The name under which sitemap.xml (and its parts) are keyed.
pub const SITEMAPS_OUTPUT: &str = "sitemap.xml";

/// The feeds written in the folder `dir` ("companies/alibaba/", "" for the site's), by format.
fn feed_links_in(config: &Config, links: &Urls, dir: &str) -> FeedLinks {
    let feeds = &config.feeds;
    FeedLinks {
        atom: feeds.atom.then(|| links.link(&format!("{dir}atom.xml"))),
        rss: feeds.rss.then(|| links.link(&format!("{dir}rss.xml"))),
        json: feeds.json.then(|| links.link(&format!("{dir}feed.json"))),
    }
}

fn feed_link_list(feeds: &FeedLinks, title: &str) -> Vec<FeedLink> {
    let mut list = Vec::new();
    if let Some(url) = &feeds.atom {
        list.push(FeedLink {
            url: url.clone(),
            title: format!("{title} (Atom)"),
            mime: "application/atom+xml",
        });
    }
    if let Some(url) = &feeds.rss {
        list.push(FeedLink {
            url: url.clone(),
            title: format!("{title} (RSS)"),
            mime: "application/rss+xml",
        });
    }
    if let Some(url) = &feeds.json {
        list.push(FeedLink {
            url: url.clone(),
            title: format!("{title} (JSON Feed)"),
            mime: "application/feed+json",
        });
    }
    list
}

/// What every page's template gets besides its own view.
#[derive(Serialize)]
struct PageInputs<'a, V: Serialize> {
    page_url: String,
    page_path: String,
    page_title: Option<&'a str>,
    page_description: Described<'a>,
    feeds: &'a [FeedLink],
    /// This page in the site's languages: hreflang alternates and the switcher.
    page_languages: languages::PageLanguages,
    #[serde(flatten)]
    view: V,
}

/// The page-level variables of one page.
struct PageMeta<'a> {
    path: &'a str,
    title: Option<&'a str>,
    description: Text<'a>,
    feeds: &'a [FeedLink],
}

/// The text of a page's meta description: written (a term's summary, the site's description)
/// or an article's summary.
enum Text<'a> {
    Plain(std::borrow::Cow<'a, str>),
    Body(context::BodyPart<'a, str>),
}

impl<'a> From<&'a str> for Text<'a> {
    fn from(text: &'a str) -> Self {
        Text::Plain(text.into())
    }
}

impl<'a> From<&'a String> for Text<'a> {
    fn from(text: &'a String) -> Self {
        Text::Plain(text.as_str().into())
    }
}

impl<'a> From<context::BodyPart<'a, str>> for Text<'a> {
    fn from(part: context::BodyPart<'a, str>) -> Self {
        Text::Body(part)
    }
}

/// The most words (or CJK characters) of a meta description.
const DESCRIPTION_WORDS: usize = 120;

/// Every page's description: its own text, else a sentence about the site and the page, so
/// that no page goes without one (a site without a description, an article without a summary).
struct Described<'a> {
    text: Text<'a>,
    fallback: String,
}

impl Serialize for Described<'_> {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        if !serializer.is_human_readable() {
            return match &self.text {
                Text::Plain(text) => (text, &self.fallback).serialize(serializer),
                Text::Body(part) => (part, &self.fallback).serialize(serializer),
            };
        }
        let text = match &self.text {
            Text::Plain(text) => text.as_ref(),
            Text::Body(part) => part.value(),
        };
        if text.trim().is_empty() {
            self.fallback.serialize(serializer)
        } else {
            // A description is a sentence or two: a long first paragraph is cut, Chinese
            // by characters.
            crate::i18n::cut(text, DESCRIPTION_WORDS).serialize(serializer)
        }
    }
}

/// An article page's view: its summary and details, its content and JSON-LD.
#[derive(Serialize)]
struct ArticleView<'a> {
    #[serde(flatten)]
    summary: context::SummaryView<'a>,
    #[serde(flatten)]
    details: context::ArticleDetails<'a>,
    content: Html<'a, Body>,
    jsonld: Made<'a, jsonld::NewsArticleView<'a>>,
}

/// The feed views atom.xml and rss.xml are rendered with.
#[derive(Serialize)]
struct FeedPage<'a> {
    feed: feeds::FeedView<'a>,
    page_url: String,
    page_path: String,
}

/// Everything a term's pages share, prepared once per term.
struct TermPages<'r> {
    taxonomy: usize,
    term: &'r Term,
    /// Made on first use: `digest serve` keys pages without always needing it.
    view: OnceLock<context::TermView<'r>>,
    first: String,
    feeds: Vec<FeedLink>,
    feed_url: Option<String>,
    description: String,
    pages: Vec<Page<'r, ArticleId>>,
}

/// One job per page and per feed set, so a tag with thousands of stories is spread over
/// every core instead of keeping one busy while the others wait.
enum TermJob<'j> {
    Feeds(&'j TermPages<'j>),
    Page(&'j TermPages<'j>, usize),
}

impl<'a> Renderer<'a> {
    /// The one way an output is made: `inputs` is all it is rendered from (with the site-wide
    /// globals), `render` turns them into bytes. In a build it is rendered; in `digest serve`
    /// it is keyed first and rendered only when its key changed.
    fn emit<I: Serialize>(
        &self,
        path: &str,
        recipe: u64,
        inputs: impl FnOnce() -> I,
        render: impl FnOnce(&I) -> Result<Vec<u8>>,
    ) -> Result<()> {
        let prefixed;
        let path = if self.prefix.is_empty() {
            path
        } else {
            prefixed = format!("{}{path}", self.prefix);
            prefixed.as_str()
        };
        if !matches!(
            self.mode,
            Mode::Changed {
                revisit: Some(_),
                ..
            }
        ) {
            self.claimed
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(path.to_string());
        }
        let Mode::Changed { previous, .. } = self.mode else {
            let bytes = render(&inputs())?;
            return self.staging.write(path, &bytes);
        };
        if !self.visits_output(path) {
            return Ok(());
        }
        let old = previous.get(path);
        let inputs = inputs();
        let mut new = key::key_of(&inputs);
        new.hash = key::hash((recipe, new.hash));
        if old == Some(&new) {
            self.record(path, new, false);
            return Ok(());
        }
        let bytes = render(&inputs)?;
        self.staging.write(path, &bytes)?;
        self.record(path, new, true);
        Ok(())
    }

    /// Whether this render looks at the output at `path` from the site's root.
    fn visits_output(&self, path: &str) -> bool {
        match self.mode {
            Mode::Changed {
                revisit: Some(revisit),
                ..
            } => revisit.contains(path),
            _ => true,
        }
    }

    /// Whether this render looks at any output under `prefix` ("companies/alibaba/"), so
    /// that stages skip the preparation of what they will not render.
    fn visits_under(&self, prefix: &str) -> bool {
        match self.mode {
            Mode::Changed {
                revisit: Some(revisit),
                ..
            } => {
                let prefix = format!("{}{prefix}", self.prefix);
                revisit.iter().any(|p| p.starts_with(&prefix))
            }
            _ => true,
        }
    }

    /// Whether the sitemaps are looked at, so that stages list their pages.
    fn lists_sitemap(&self) -> bool {
        self.visits_output(SITEMAPS_OUTPUT)
    }

    fn record(&self, path: &str, key: Key, written: bool) {
        self.keys
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((path.to_string(), key));
        if written {
            self.written
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(path.to_string());
        }
    }

    /// A file made by code: `make` (a plain function, so it sees nothing but its inputs) turns
    /// the inputs into bytes.
    fn data<I: Serialize>(
        &self,
        path: &str,
        make: fn(&I) -> Result<Vec<u8>>,
        inputs: impl FnOnce() -> I,
    ) -> Result<()> {
        self.emit(path, key::hash(make as usize), inputs, make)
    }

    /// Renders `template` into the page at `meta.path`, with `view` and the page's own
    /// variables.
    fn page<V: Serialize>(
        &self,
        template: &'static str,
        meta: PageMeta<'_>,
        view: impl FnOnce() -> V,
    ) -> Result<()> {
        let path = meta.path;
        let inputs = || PageInputs {
            page_url: self.links.permalink(path),
            page_path: self.links.link(path),
            page_title: meta.title,
            page_description: Described {
                fallback: match meta.title {
                    Some(title) => self.say(
                        "description_of_page",
                        &[("title", title), ("site", &self.config.title)],
                    ),
                    None => self.say("description_of_site", &[("site", &self.config.title)]),
                },
                text: meta.description,
            },
            feeds: meta.feeds,
            page_languages: self.languages.of_page(self.language, path),
            view: view(),
        };
        self.emit(path, self.templates.key(template), inputs, |inputs| {
            let ctx = Context::from_serialize(inputs)
                .map_err(|e| Error::Other(format!("cannot hand {path} to {template}: {e}")))?;
            let html = self.render(template, &ctx)?;
            if !self.config.relative_urls {
                return Ok(html);
            }
            // Relative to the file as written, from the site's root, so that a page under
            // /zh/ reaches the stylesheets and the other language's pages at the root too.
            let file = crate::output::page_file(&format!("{}{path}", self.prefix));
            let root = self.config.root_base_path();
            let html = String::from_utf8_lossy(&html);
            // The 404 page is served at any depth, so its links keep their paths from the root
            // (all but its stylesheets: see relative::rewrite_links_tags).
            let html = if path == "404.html" {
                relative::rewrite_links_tags(&html, &file, root)?
            } else {
                relative::rewrite(&html, &file, root)?
            };
            Ok(html.into_bytes())
        })
    }

    /// Renders a template into memory, timing it for `--timings`.
    fn render(&self, template: &str, ctx: &Context) -> Result<Vec<u8>> {
        let started = Instant::now();
        let mut out = Vec::with_capacity(16 * 1024);
        self.templates
            .tera
            .render_to(template, ctx, &mut out)
            .map_err(|e| templates::template_error(template, &e))?;
        self.clock.add(template, started.elapsed());
        Ok(out)
    }

    /// A string of the built-in theme in this render's language.
    fn say(&self, name: &str, values: &[(&str, &str)]) -> String {
        crate::i18n::say(&self.templates.strings, name, values)
    }

    fn cards_of(&self, ids: &[ArticleId]) -> Vec<&Shared<Value>> {
        ids.iter().map(|&id| &*self.cards[id]).collect()
    }

    /// Renders each article's Markdown, its card and its page, keeping only what lists and
    /// feeds need afterwards.
    fn articles(
        &mut self,
        sources: Vec<String>,
        highlighter: &HighlightCache,
        sitemap: &mut Vec<Entry>,
    ) -> Result<Vec<Diagnostic>> {
        let library = self.library;
        let in_feed = self.feed_members();
        let targets = LinkTargets::new(&self.links, &library.articles)
            .with_left_out(library.left_out.iter().cloned());
        let options = content::markdown_options(self.config);
        let linked_terms = MentionLinks::new(self.config, library);
        let linker = linked_terms
            .as_ref()
            .map(|l| move |text: &str| l.find(text));
        let mention_links = linker
            .as_ref()
            .map(|f| f as content::markdown::MentionLinker<'_>);
        let this = &*self;
        let search = self.config.search.enabled;
        type Done = (Shared<Value>, Shared<Body>, Vec<Diagnostic>, String);
        let results: Vec<Done> = sources
            .into_par_iter()
            .enumerate()
            .map(|(id, source)| {
                let article = &library.articles[id];
                let (body, warnings) = content::render_body(
                    article,
                    &source,
                    options,
                    &targets,
                    highlighter,
                    mention_links,
                )
                .map_err(|internal| Error::Site(vec![internal]))?;
                drop(source);
                let dep = Some(Dep::article(&article.path));
                let mut body = Shared::new(body, dep);
                let card = this.timed_card(id, &body)?;
                this.article_page(id, &body)?;
                let text = if search {
                    search::body_text(&body.value().html)
                } else {
                    String::new()
                };
                if !in_feed[id] {
                    // Keys are never taken in a build, so the body may shrink to what lists use.
                    let mut kept = body.into_value();
                    kept.html = String::new();
                    kept.toc = Vec::new();
                    body = Shared::new(kept, dep);
                }
                Ok((card, body, warnings, text))
            })
            .collect::<Result<_>>()?;
        let mut warnings = Vec::new();
        self.cards.reserve(results.len());
        self.bodies.reserve(results.len());
        if search {
            self.search_texts.reserve(results.len());
        }
        for (card, body, diags, text) in results {
            self.cards.push(Held::Owned(card));
            self.bodies.push(Held::Owned(body));
            if search {
                self.search_texts.push(text);
            }
            warnings.extend(diags);
        }
        self.list_articles(sitemap);
        Ok(warnings)
    }

    /// Takes bodies and cards made earlier (`digest serve`) and writes the article pages.
    fn ready(&mut self, ready: ReadyLanguage<'a>, sitemap: &mut Vec<Entry>) -> Result<()> {
        if ready.bodies.len() != self.library.articles.len()
            || ready.cards.len() != self.library.articles.len()
        {
            return Err(Error::Other(
                "bodies were made for another set of articles".into(),
            ));
        }
        self.bodies = ready.bodies.into_iter().map(Held::Lent).collect();
        self.cards = ready.cards.into_iter().map(Held::Lent).collect();
        self.ready_articles(sitemap)
    }

    /// Writes article pages from bodies and cards made earlier (`digest serve`).
    fn ready_articles(&mut self, sitemap: &mut Vec<Entry>) -> Result<()> {
        let this = &*self;
        (0..this.bodies.len())
            .into_par_iter()
            .try_for_each(|id| this.article_page(id, &this.bodies[id]))?;
        self.list_articles(sitemap);
        Ok(())
    }

    fn list_articles(&self, sitemap: &mut Vec<Entry>) {
        if !self.lists_sitemap() {
            return;
        }
        sitemap.extend(self.library.articles.iter().map(|a| Entry {
            path: a.url.clone(),
            lastmod: Some(date_string(feeds::last_modified(a))),
        }));
    }

    /// One article's page.
    fn article_page(&self, id: ArticleId, body: &Shared<Body>) -> Result<()> {
        let library = self.library;
        let article = &library.articles[id];
        let path = article.url.clone();
        let links = &self.links;
        self.page(
            "article.html",
            PageMeta {
                path: &path,
                title: Some(&article.title),
                description: Text::from(
                    body.part("summary_text", body.value().summary_text.as_str()),
                ),
                feeds: &self.site_feeds,
            },
            || {
                #[derive(Serialize)]
                struct View<'v> {
                    article: ArticleView<'v>,
                }
                View {
                    article: ArticleView {
                        summary: context::summary_view(self.config, library, id, body, links),
                        details: context::article_details(library, id, body, links),
                        content: Html(body.part("html", body.value().html.as_str())),
                        jsonld: Made::new(
                            jsonld::view(self.config, library, id, body, links),
                            jsonld::script,
                        ),
                    },
                }
            },
        )
    }

    /// The card of one article, timed for `--timings`.
    fn timed_card(&self, id: ArticleId, body: &Shared<Body>) -> Result<Shared<Value>> {
        let started = Instant::now();
        let made = card(self.templates, self.config, self.library, id, body);
        self.clock.add(CARD_TEMPLATE, started.elapsed());
        made
    }

    fn feed_sources(&self) -> feeds::FeedSources<'_> {
        feeds::FeedSources {
            library: self.library,
            cards: &self.cards,
            bodies: &self.bodies,
            entry_cache: &self.feed_entries,
            links: &self.links,
            language: &self.config.language,
        }
    }

    /// Which articles some feed carries: the newest `feeds.limit` of the site and of each term.
    fn feed_members(&self) -> Vec<bool> {
        let limit = self.config.feeds.limit;
        let mut members = vec![false; self.library.articles.len()];
        for member in members.iter_mut().take(limit) {
            *member = true;
        }
        for taxonomy in self.library.taxonomies.iter().filter(|t| t.feed) {
            for term in &taxonomy.terms {
                for &id in term.articles.iter().take(limit) {
                    members[id] = true;
                }
            }
        }
        members
    }

    fn latest_date(&self, ids: &[ArticleId]) -> Option<String> {
        ids.iter()
            .map(|&id| feeds::last_modified(&self.library.articles[id]))
            .max_by_key(|z| z.timestamp())
            .map(date_string)
    }

    fn home(&self, sitemap: &mut Vec<Entry>) -> Result<()> {
        let ids: Vec<ArticleId> = (0..self.library.articles.len()).collect();
        let pages = paginate(&ids, self.config.per_page, "", &self.links);
        let latest_edition = OnceLock::new();
        pages.par_iter().try_for_each(|page| {
            let title = self.say("page", &[("number", &page.paginator.number.to_string())]);
            self.page(
                "index.html",
                PageMeta {
                    path: &page.path,
                    title: (page.paginator.number > 1).then_some(title.as_str()),
                    description: Text::from(&self.config.description),
                    feeds: &self.site_feeds,
                },
                || {
                    #[derive(Serialize)]
                    struct View<'v> {
                        articles: Vec<&'v Shared<Value>>,
                        paginator: &'v crate::library::paginate::Paginator,
                        latest_edition: &'v Option<context::EditionView<'v>>,
                    }
                    View {
                        articles: self.cards_of(page.items),
                        paginator: &page.paginator,
                        latest_edition: latest_edition.get_or_init(|| {
                            (!self.library.editions.is_empty())
                                .then(|| context::edition_view(self.library, 0, &self.links))
                        }),
                    }
                },
            )
        })?;
        if self.lists_sitemap() {
            let lastmod = self.latest_date(&ids);
            sitemap.extend(pages.iter().map(|p| Entry {
                path: p.path.clone(),
                lastmod: lastmod.clone(),
            }));
        }
        Ok(())
    }

    fn editions(&self, sitemap: &mut Vec<Entry>) -> Result<()> {
        let library = self.library;
        if self.config.edition == crate::config::EditionKind::None {
            return Ok(());
        }
        let mut edition_feeds = vec![FeedLink {
            url: self.links.link(feeds::EDITIONS_FEED),
            title: self.say("editions_feed_link", &[("site", &self.config.title)]),
            mime: "application/atom+xml",
        }];
        edition_feeds.extend(self.site_feeds.iter().cloned());
        // Made on first use: `digest serve` revisits few pages.
        let views: Vec<OnceLock<context::EditionView<'_>>> = (0..library.editions.len())
            .map(|_| OnceLock::new())
            .collect();
        let view =
            |i: usize| views[i].get_or_init(|| context::edition_view(library, i, &self.links));
        (0..library.editions.len())
            .into_par_iter()
            .try_for_each(|i| {
                let edition = &library.editions[i];
                let path = urls::edition(&edition.id);
                let description = feeds::edition_span(&self.config.strings, edition);
                self.page(
                    "edition.html",
                    PageMeta {
                        path: &path,
                        title: Some(&edition.title),
                        description: Text::from(&description),
                        feeds: &edition_feeds,
                    },
                    || {
                        #[derive(Serialize)]
                        struct WithArticles<'v> {
                            #[serde(flatten)]
                            edition: &'v context::EditionView<'v>,
                            articles: Vec<&'v Shared<Value>>,
                            /// The edition as a newsletter, when emails are written.
                            email_url: Option<String>,
                        }
                        #[derive(Serialize)]
                        struct View<'v> {
                            edition: WithArticles<'v>,
                        }
                        View {
                            edition: WithArticles {
                                edition: view(i),
                                articles: self.cards_of(&edition.articles),
                                email_url: email::writes_emails(self.config).then(|| {
                                    self.links.link(&format!("{path}{}", email::HTML_FILE))
                                }),
                            },
                        }
                    },
                )
            })?;
        self.page(
            "editions.html",
            PageMeta {
                path: "editions/",
                title: Some(&self.say("editions", &[])),
                description: Text::Plain(self.say("every_edition", &[]).into()),
                feeds: &edition_feeds,
            },
            || {
                #[derive(Serialize)]
                struct View<'v> {
                    editions: Vec<&'v context::EditionView<'v>>,
                }
                View {
                    editions: (0..library.editions.len()).map(view).collect(),
                }
            },
        )?;
        // With emails, the email stage writes the feed: its entries carry the emails.
        if !email::writes_emails(self.config) {
            let bodies = &self.bodies;
            self.data(feeds::EDITIONS_FEED, feeds::write_editions_feed, || {
                feeds::editions_feed(self.config, library, bodies, &self.links)
            })?;
        }
        if self.lists_sitemap() {
            sitemap.push(Entry {
                path: "editions/".into(),
                lastmod: self.latest_date(&(0..library.articles.len().min(1)).collect::<Vec<_>>()),
            });
            sitemap.extend(library.editions.iter().map(|e| Entry {
                path: urls::edition(&e.id),
                lastmod: self.latest_date(&e.articles),
            }));
        }
        Ok(())
    }

    /// The taxonomies' index pages, and every term's pages and feeds.
    fn taxonomies(&self, sitemap: &mut Vec<Entry>) -> Result<()> {
        let library = self.library;
        let taxonomy_views: Vec<context::TaxonomyView<'_>> = library
            .taxonomies
            .iter()
            .map(|t| context::TaxonomyView::new(t, &self.links))
            .collect();
        self.taxonomy_indexes(&taxonomy_views, sitemap)?;
        let terms = self.term_pages();
        let jobs: Vec<TermJob<'_>> = terms
            .iter()
            .flat_map(|tp| {
                let feeds = library.taxonomies[tp.taxonomy]
                    .feed
                    .then_some(TermJob::Feeds(tp));
                feeds
                    .into_iter()
                    .chain((0..tp.pages.len()).map(move |n| TermJob::Page(tp, n)))
            })
            .collect();
        jobs.par_iter().try_for_each(|job| match job {
            TermJob::Feeds(tp) => self.term_feeds(tp),
            TermJob::Page(tp, n) => self.term_page(tp, *n, &taxonomy_views),
        })?;
        for tp in terms.iter().filter(|_| self.lists_sitemap()) {
            let lastmod = self.latest_date(&tp.term.articles);
            sitemap.extend(tp.pages.iter().map(|p| Entry {
                path: p.path.clone(),
                lastmod: lastmod.clone(),
            }));
        }
        Ok(())
    }

    /// Each taxonomy's page listing all its terms.
    fn taxonomy_indexes(
        &self,
        taxonomy_views: &[context::TaxonomyView<'_>],
        sitemap: &mut Vec<Entry>,
    ) -> Result<()> {
        let library = self.library;
        for (taxonomy, view) in library.taxonomies.iter().zip(taxonomy_views) {
            let path = urls::taxonomy(&taxonomy.name);
            if self.lists_sitemap() {
                sitemap.push(Entry {
                    path: path.clone(),
                    lastmod: None,
                });
            }
            let description = self.say("every_term_in", &[("taxonomy", &taxonomy.title)]);
            self.page(
                "taxonomy.html",
                PageMeta {
                    path: &path,
                    title: Some(&taxonomy.title),
                    description: Text::from(&description),
                    feeds: &self.site_feeds,
                },
                || {
                    #[derive(Serialize)]
                    struct View<'v> {
                        taxonomy: &'v context::TaxonomyView<'v>,
                        terms: Vec<context::TermSummary<'v>>,
                    }
                    View {
                        taxonomy: view,
                        terms: taxonomy
                            .terms
                            .iter()
                            .map(|t| context::term_summary(library, taxonomy, t, &self.links))
                            .collect(),
                    }
                },
            )?;
        }
        Ok(())
    }

    /// What each term's pages share, for the terms this render writes or looks at.
    fn term_pages(&self) -> Vec<TermPages<'_>> {
        let library = self.library;
        library
            .taxonomies
            .iter()
            .enumerate()
            .flat_map(|(t, taxonomy)| taxonomy.terms.iter().map(move |term| (t, taxonomy, term)))
            .collect::<Vec<_>>()
            .into_par_iter()
            .filter_map(|(t, taxonomy, term)| {
                let first = urls::term(&taxonomy.name, &term.slug);
                // Only the terms whose pages or feeds this render looks at.
                if !self.lists_sitemap() && !self.visits_under(&first) {
                    return None;
                }
                let mut feeds = Vec::new();
                let mut feed_url = None;
                if taxonomy.feed {
                    let links = feed_links_in(self.config, &self.links, &first);
                    feed_url = links
                        .atom
                        .clone()
                        .or(links.rss.clone())
                        .or(links.json.clone());
                    feeds = feed_link_list(&links, &term.name);
                }
                feeds.extend(self.site_feeds.iter().cloned());
                Some(TermPages {
                    taxonomy: t,
                    term,
                    view: OnceLock::new(),
                    feeds,
                    feed_url,
                    description: term
                        .profile
                        .as_ref()
                        .and_then(|p| p.summary.clone())
                        .unwrap_or_else(|| {
                            self.say(
                                "every_story_about",
                                &[("name", &term.name), ("site", &self.config.title)],
                            )
                        }),
                    pages: paginate(&term.articles, self.config.per_page, &first, &self.links),
                    first,
                })
            })
            .collect()
    }

    /// A term's feeds, with its latest stories.
    fn term_feeds(&self, tp: &TermPages<'_>) -> Result<()> {
        let spec = FeedSpec {
            title: format!("{} — {}", tp.term.name, self.config.title),
            description: self.say(
                "stories_about",
                &[("name", &tp.term.name), ("site", &self.config.title)],
            ),
            page_path: tp.first.clone(),
            entries: &tp.term.articles[..tp.term.articles.len().min(self.config.feeds.limit)],
        };
        self.write_feeds(&spec, &tp.first)
    }

    /// Page `n` of a term's stories.
    fn term_page<'s>(
        &'s self,
        tp: &TermPages<'s>,
        n: usize,
        taxonomy_views: &[context::TaxonomyView<'_>],
    ) -> Result<()> {
        let library = self.library;
        let page = &tp.pages[n];
        let title = if page.paginator.number > 1 {
            self.say(
                "title_page",
                &[
                    ("title", &tp.term.name),
                    ("number", &page.paginator.number.to_string()),
                ],
            )
        } else {
            tp.term.name.clone()
        };
        let taxonomy = &library.taxonomies[tp.taxonomy];
        self.page(
            "term.html",
            PageMeta {
                path: &page.path,
                title: Some(&title),
                description: Text::from(&tp.description),
                feeds: &tp.feeds,
            },
            || {
                #[derive(Serialize)]
                struct View<'v> {
                    taxonomy: &'v context::TaxonomyView<'v>,
                    term: &'v context::TermView<'v>,
                    articles: Vec<&'v Shared<Value>>,
                    paginator: &'v crate::library::paginate::Paginator,
                    feed_url: &'v Option<String>,
                }
                View {
                    taxonomy: &taxonomy_views[tp.taxonomy],
                    term: tp.view.get_or_init(|| {
                        context::term_view(
                            library,
                            taxonomy,
                            tp.term,
                            &self.links,
                            &self.config.strings,
                        )
                    }),
                    articles: self.cards_of(page.items),
                    paginator: &page.paginator,
                    feed_url: &tp.feed_url,
                }
            },
        )
    }

    /// `/matrix/` and a paginated page for every pair of terms that share articles.
    fn matrix(&self, sitemap: &mut Vec<Entry>) -> Result<()> {
        let library = self.library;
        let Some(matrix) = &library.matrix else {
            return Ok(());
        };
        let (rows, columns) = (
            &library.taxonomies[matrix.rows],
            &library.taxonomies[matrix.columns],
        );
        let title = format!("{} × {}", rows.title, columns.title);
        let description = self.say(
            "matrix_description",
            &[
                ("rows", &rows.title.to_lowercase()),
                ("columns", &columns.title.to_lowercase()),
            ],
        );
        self.page(
            "matrix.html",
            PageMeta {
                path: urls::MATRIX,
                title: Some(&title),
                description: Text::from(&description),
                feeds: &self.site_feeds,
            },
            || {
                #[derive(Serialize)]
                struct View<'v> {
                    matrix: context::MatrixView<'v>,
                }
                View {
                    matrix: context::matrix_view(library, matrix, &self.links),
                }
            },
        )?;
        if self.lists_sitemap() {
            sitemap.push(Entry {
                path: urls::MATRIX.into(),
                lastmod: None,
            });
        }

        let pages: Vec<(usize, usize, Page<'_, ArticleId>)> = matrix
            .cells
            .iter()
            .flat_map(|(&(r, c), ids)| {
                let first = urls::matrix_cell(&rows.terms[r].slug, &columns.terms[c].slug);
                let pages = if self.lists_sitemap() || self.visits_under(&first) {
                    paginate(ids, self.config.per_page, &first, &self.links)
                } else {
                    Vec::new()
                };
                pages.into_iter().map(move |page| (r, c, page))
            })
            .collect();
        pages.par_iter().try_for_each(|(r, c, page)| {
            let (row, column) = (&rows.terms[*r], &columns.terms[*c]);
            let title = format!("{} × {}", row.name, column.name);
            let description = self.say(
                "matrix_cell_description",
                &[("row", &row.name), ("column", &column.name)],
            );
            self.page(
                "matrix_cell.html",
                PageMeta {
                    path: &page.path,
                    title: Some(&title),
                    description: Text::from(&description),
                    feeds: &self.site_feeds,
                },
                || {
                    #[derive(Serialize)]
                    struct View<'v> {
                        row: context::TermLink<'v>,
                        column: context::TermLink<'v>,
                        articles: Vec<&'v Shared<Value>>,
                        paginator: &'v crate::library::paginate::Paginator,
                    }
                    View {
                        row: context::term_link(rows, row, &self.links),
                        column: context::term_link(columns, column, &self.links),
                        articles: self.cards_of(page.items),
                        paginator: &page.paginator,
                    }
                },
            )
        })?;
        if self.lists_sitemap() {
            sitemap.extend(pages.into_iter().map(|(_, _, page)| Entry {
                path: page.path,
                lastmod: None,
            }));
        }
        Ok(())
    }

    /// Atom, RSS and JSON Feed for one list, in the folder `dir` ("" for the site's own).
    fn write_feeds(&self, spec: &FeedSpec<'_>, dir: &str) -> Result<()> {
        let feeds = &self.config.feeds;
        for (enabled, file, template) in [
            (feeds.atom, "atom.xml", "atom.xml"),
            (feeds.rss, "rss.xml", "rss.xml"),
        ] {
            if !enabled {
                continue;
            }
            let path = format!("{dir}{file}");
            let inputs = || FeedPage {
                feed: feeds::feed_view(spec, &path, self.feed_sources()),
                page_url: self.links.permalink(&path),
                page_path: self.links.link(&path),
            };
            self.emit(&path, self.templates.key(template), inputs, |inputs| {
                let ctx = Context::from_serialize(inputs)
                    .map_err(|e| Error::Other(format!("cannot hand {path} to {template}: {e}")))?;
                self.render(template, &ctx)
            })?;
        }
        if feeds.json {
            let path = format!("{dir}feed.json");
            self.data(&path, feeds::write_json_feed, || {
                feeds::json_feed(spec, &path, self.feed_sources())
            })?;
        }
        Ok(())
    }

    fn site_feeds(&self, _sitemap: &mut Vec<Entry>) -> Result<()> {
        let ids: Vec<ArticleId> =
            (0..self.library.articles.len().min(self.config.feeds.limit)).collect();
        let spec = FeedSpec {
            title: self.config.title.clone(),
            description: self.config.description.clone(),
            page_path: String::new(),
            entries: &ids,
        };
        self.write_feeds(&spec, "")
    }

    /// A redirect page at each alias (front matter `aliases`) of every language's articles,
    /// and `_redirects` listing them with a 301 for hosts that read it (Netlify, Cloudflare
    /// Pages). An alias is a path from the site's root in every language. Aliases taken by
    /// another page of the site are errors naming the article.
    fn redirects(&self) -> Result<()> {
        let claimed: HashSet<String> =
            std::mem::take(&mut *self.claimed.lock().unwrap_or_else(|e| e.into_inner()))
                .into_iter()
                .collect();
        // Each translation's redirects in its own language, written at the root.
        let others: Vec<Renderer<'_>> = self
            .library
            .translations
            .iter()
            .zip(&self.templates.translations)
            .enumerate()
            .map(|(i, (translation, templates))| {
                let mut other = Renderer::new(
                    &translation.config,
                    &translation.library,
                    templates,
                    self.staging,
                    self.mode,
                    self.languages,
                    i + 1,
                );
                other.prefix = String::new();
                other
            })
            .collect();
        let mut conflicts = Vec::new();
        let mut moves: Vec<(String, String)> = Vec::new();
        for renderer in std::iter::once(self).chain(&others) {
            renderer.redirect_pages(&claimed, &mut conflicts, &mut moves)?;
        }
        for other in others {
            self.absorb(other);
        }
        if !conflicts.is_empty() {
            return Err(Error::Site(conflicts));
        }
        if moves.is_empty() {
            return Ok(());
        }
        moves.sort();
        self.data(REDIRECTS_FILE, write_redirects, || Redirects { moves })
    }

    /// The redirect pages of this renderer's articles; their moves (links from the host's
    /// root), and the aliases that would take the place of a page in `claimed`.
    fn redirect_pages(
        &self,
        claimed: &HashSet<String>,
        conflicts: &mut Vec<Diagnostic>,
        moves: &mut Vec<(String, String)>,
    ) -> Result<()> {
        let root_links = Urls::new(self.config.root_base_url(), self.config.root_base_path());
        for article in &self.library.articles {
            for alias in &article.aliases {
                if claimed.contains(alias.as_str()) {
                    conflicts.push(
                        Diagnostic::error(
                            crate::error::Code::AliasConflict,
                            &article.path,
                            format!("alias /{alias} is a page the site writes itself"),
                        )
                        .at(article.aliases_at.0, article.aliases_at.1)
                        .with_hint(
                            "an alias names an old URL that no longer has a page; remove this one",
                        ),
                    );
                    continue;
                }
                moves.push((root_links.link(alias), self.links.link(&article.url)));
                self.page(
                    REDIRECT_TEMPLATE,
                    PageMeta {
                        path: alias,
                        title: Some(&article.title),
                        description: Text::from(""),
                        feeds: &[],
                    },
                    || {
                        #[derive(Serialize)]
                        struct Target<'v> {
                            title: &'v str,
                            url: String,
                            permalink: String,
                        }
                        #[derive(Serialize)]
                        struct View<'v> {
                            target: Target<'v>,
                        }
                        View {
                            target: Target {
                                title: &article.title,
                                url: self.links.link(&article.url),
                                permalink: self.links.permalink(&article.url),
                            },
                        }
                    },
                )?;
            }
        }
        Ok(())
    }

    fn extras(&self, _sitemap: &mut Vec<Entry>) -> Result<()> {
        self.page(
            "404.html",
            PageMeta {
                path: "404.html",
                title: Some(&self.say("page_not_found", &[])),
                description: Text::Plain(self.say("page_not_found_text", &[]).into()),
                feeds: &self.site_feeds,
            },
            || (),
        )?;
        // One news sitemap for the site, listed in robots.txt, from the default language.
        if self.language > 0 {
            return Ok(());
        }
        self.news_sitemap()
    }

    /// The /search/ page of this language, and the script they share.
    fn search(&self, _sitemap: &mut Vec<Entry>) -> Result<()> {
        if !self.config.search.enabled {
            return Ok(());
        }
        self.data(search::SCRIPT, search_script, || ())?;
        let filters = search::filters(self.config, self.library);
        let title = self.say("search", &[]);
        let description = self.say("search_description", &[("site", &self.config.title)]);
        self.page(
            "search.html",
            PageMeta {
                path: search::PAGE,
                title: Some(&title),
                description: Text::from(&description),
                feeds: &self.site_feeds,
            },
            || {
                #[derive(Serialize)]
                struct View<'v> {
                    filters: &'v [search::FilterView],
                    index_url: String,
                }
                View {
                    filters: &filters,
                    // One index for every language, at the site's root.
                    index_url: format!("{}/{}/", self.config.root_base_path(), search::INDEX_DIR),
                }
            },
        )?;
        Ok(())
    }

    /// This language's search records, in a build with search (`digest serve` builds its
    /// index apart, after the reload).
    fn search_records(&self) -> Vec<search::Record> {
        if !self.config.search.enabled || !matches!(self.mode, Mode::All) {
            return Vec::new();
        }
        search::records(self.config, self.library, &self.links, &self.search_texts)
    }

    /// The articles of the two days before the newest one, for Google News.
    fn news_sitemap(&self) -> Result<()> {
        self.data(sitemap::NEWS_SITEMAP, sitemap::write_news_sitemap, || {
            let articles = &self.library.articles;
            let entries = match articles.first() {
                None => Vec::new(),
                Some(newest) => {
                    let cutoff = newest.date.timestamp() - jiff::SignedDuration::from_hours(48);
                    articles
                        .iter()
                        .take_while(|a| a.date.timestamp() >= cutoff)
                        .map(|a| sitemap::NewsEntry {
                            path: a.url.clone(),
                            title: &a.title,
                            published: context::datetime_string(&a.date),
                            language: a.lang.as_deref().unwrap_or(&self.config.language),
                        })
                        .collect()
                }
            };
            sitemap::NewsSitemap {
                publication: &self.config.title,
                entries,
                links: &self.links,
            }
        })
    }

    /// sitemap.xml (and its parts past the limit) and robots.txt; `alternates` are each
    /// entry's pages in other languages.
    fn sitemaps(&self, entries: Vec<Entry>, alternates: Vec<Vec<(String, String)>>) -> Result<()> {
        let names = sitemap::file_names(entries.len());
        let count = names.len();
        for (n, name) in names.iter().enumerate() {
            // Each file keyed by all the entries: they change together.
            let entries = &entries;
            let alternates = &alternates;
            let index = n;
            let links = &self.links;
            self.data(name, sitemap::write_sitemap_part, || sitemap::SitemapPart {
                entries,
                alternates,
                links,
                part: index,
                parts: count,
            })?;
        }
        self.data("robots.txt", sitemap::write_robots_txt, || &self.links)
    }

    /// Built-in stylesheets and icon first, then the site's static/ over them.
    fn static_files(&self, root: &Path) -> Result<()> {
        for (name, body) in builtin::STATIC_FILES {
            self.staging.write(name, body.as_bytes())?;
        }
        self.staging.write(
            "highlight.css",
            crate::content::highlight::stylesheet().as_bytes(),
        )?;
        self.staging.copy_tree(&root.join(STATIC_DIR), root)
    }
}
