//! Rendering the library into the staging folder, one stage after another. Each stage renders
//! its pages in parallel and writes each page as soon as it is rendered.

pub mod builtin;
pub mod chart;
pub mod context;
pub mod feeds;
pub mod jsonld;
pub mod keys;
pub mod relative;
pub mod sitemap;
pub mod templates;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::OnceLock;
use std::time::Instant;

use rayon::prelude::*;
use tera::{Context, Tera, Value};

use crate::config::Config;
use crate::content::highlight::HighlightCache;
use crate::content::markdown::MentionLink;
use crate::content::{self, LinkTargets};
use crate::error::{Diagnostic, Result};
use crate::library::paginate::{Page, paginate};
use crate::library::{ArticleId, Library, Term, TermRef};
use crate::output::Staging;
use crate::timings::{TemplateClock, Timings};
use crate::urls::{self, Urls};
use context::{FeedLink, FeedLinks, date_string};
use feeds::FeedSpec;
use sitemap::Entry;

pub const STATIC_DIR: &str = "static";

/// What is kept of an article's rendered body once its page is written.
pub struct Kept<'a> {
    pub summary_text: Cow<'a, str>,
    pub word_count: usize,
    /// The HTML, only for articles that some feed carries: a build does not hold the rest
    /// in memory. `digest serve` lends its cached bodies.
    pub content: Option<Cow<'a, str>>,
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
    /// `digest serve`: bodies and summaries (with cards) kept from earlier rebuilds.
    Ready {
        bodies: &'s [&'s content::Body],
        summaries: Vec<Value>,
    },
}

/// What to render, where.
pub struct Job<'a> {
    pub root: &'a Path,
    pub config: &'a Config,
    pub library: &'a Library,
    /// Compiled once; see [`load_templates`].
    pub tera: &'a Tera,
    pub out: &'a Staging,
    /// Only these output paths (`articles/x/`, `atom.xml`; `static/` for the static files);
    /// everything when None. A rebuild in `digest serve` renders what changed.
    pub only: Option<&'a HashSet<String>>,
}

struct Renderer<'a> {
    config: &'a Config,
    library: &'a Library,
    tera: &'a Tera,
    links: Urls,
    staging: &'a Staging,
    only: Option<&'a HashSet<String>>,
    clock: TemplateClock,
    /// Every article's summary value, with its card rendered once.
    summaries: Vec<Value>,
    /// What later stages need of each article's rendered body.
    kept: Vec<Kept<'a>>,
    /// Each article's feed entry (summary, XML-escaped content), made on first use.
    feed_entries: Vec<OnceLock<Value>>,
    site_feeds: Vec<FeedLink>,
}

/// Compiles the templates and sets the `site` variable every template sees.
pub fn load_templates(root: &Path, config: &Config, library: &Library) -> Result<Tera> {
    let links = Urls::new(&config.base_url, config.base_path());
    let mut tera = templates::load(root, &links, library, config.time_zone())?;
    set_site(&mut tera, config, library);
    Ok(tera)
}

/// (Re)sets `site`, which depends on the library (its taxonomies, whether there is a matrix).
pub fn set_site(tera: &mut Tera, config: &Config, library: &Library) {
    let links = Urls::new(&config.base_url, config.base_path());
    let feed_links = feed_links_in(config, &links, "");
    let site = context::site_view(config, library, &links, feed_links);
    tera.global_context().insert("site", &site);
}

/// Renders the site (or, with `job.only`, part of it) into `job.out`. Returns the warnings
/// found in articles' bodies.
pub fn render_site(
    job: Job<'_>,
    bodies: Bodies<'_>,
    timings: &mut Timings,
) -> Result<Vec<Diagnostic>> {
    let Job {
        root,
        config,
        library,
        tera,
        out: staging,
        only,
    } = job;
    let links = Urls::new(&config.base_url, config.base_path());
    let site_feeds = feed_link_list(&feed_links_in(config, &links, ""), &config.title);
    let mut renderer = Renderer {
        config,
        library,
        tera,
        links,
        staging,
        only,
        clock: TemplateClock::default(),
        summaries: Vec::new(),
        kept: Vec::new(),
        feed_entries: (0..library.articles.len())
            .map(|_| OnceLock::new())
            .collect(),
        site_feeds,
    };
    let mut sitemap = Vec::new();
    let start = Instant::now();
    let mut highlights = None;
    let warnings = match bodies {
        Bodies::Render {
            sources,
            highlighter,
            save_highlights_to,
        } => {
            highlights = save_highlights_to.map(|path| (highlighter, path));
            renderer.articles(sources, highlighter, &mut sitemap)?
        }
        Bodies::Ready { bodies, summaries } => {
            renderer.ready_articles(bodies, summaries, &mut sitemap)?;
            Vec::new()
        }
    };
    timings.record("articles", start);
    let renderer = renderer;
    // The list pages and feeds only read what the articles stage left, so their stages run
    // side by side: no core waits while one stage winds down and the next sets up. Each
    // stage's time is its own, and they overlap.
    type Stage<'s> = &'s (dyn Fn(&mut Vec<Entry>) -> Result<()> + Sync);
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
    let stages: [(&'static str, Stage<'_>); 7] = [
        ("home", &|s| renderer.home(s)),
        ("editions", &|s| renderer.editions(s)),
        ("taxonomies", &|s| renderer.taxonomies(s)),
        ("matrix", &|s| renderer.matrix(s)),
        ("feeds", &|s| renderer.site_feeds(s)),
        ("extras", &|s| renderer.extras(s)),
        ("cache", &save_highlights),
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
    let start = Instant::now();
    if renderer.wanted(SITEMAPS_OUTPUT) {
        for (name, xml) in sitemap::sitemaps(&sitemap, &renderer.links) {
            staging.write(&name, xml.as_bytes())?;
        }
        staging.write(
            "robots.txt",
            sitemap::robots_txt(&renderer.links).as_bytes(),
        )?;
    }
    if renderer.wanted(STATIC_OUTPUT) {
        renderer.static_files(root)?;
    }
    timings.record("static", start);
    let Renderer {
        clock,
        summaries,
        feed_entries,
        ..
    } = renderer;
    timings.templates = clock.into_times();
    crate::drop_in_background((summaries, feed_entries));
    Ok(warnings)
}

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
        keys::hash((
            self.lexicon.fingerprint(),
            self.pages
                .iter()
                .collect::<std::collections::BTreeMap<_, _>>(),
        ))
    }
}

/// An article's summary value with its card, rendered once and shared by every list.
pub fn summary_with_card(
    tera: &Tera,
    config: &Config,
    library: &Library,
    id: ArticleId,
    body: &content::Body,
) -> Result<Value> {
    let links = Urls::new(&config.base_url, config.base_path());
    let summary =
        Value::from_serializable(&context::summary_view(config, library, id, body, &links));
    let mut ctx = Context::new();
    ctx.insert_value("article", summary.clone());
    let card = tera
        .render("partials/card.html", &ctx)
        .map_err(|e| templates::template_error("partials/card.html", &e))?;
    Ok(context::with_field(
        summary,
        "card",
        Value::safe_string(&card),
    ))
}

/// The name under which `Job::only` asks for sitemap.xml (and its parts) and robots.txt.
pub const SITEMAPS_OUTPUT: &str = "sitemap.xml";

/// The name under which `Job::only` asks for the static files.
pub const STATIC_OUTPUT: &str = "static/";

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

/// The page-level variables every template gets.
struct PageMeta<'a> {
    path: &'a str,
    title: Option<&'a str>,
    description: &'a str,
    feeds: &'a [FeedLink],
}

impl<'a> Renderer<'a> {
    /// Whether this render writes anything under `prefix` ("companies/alibaba/").
    fn wants_under(&self, prefix: &str) -> bool {
        self.only
            .is_none_or(|only| only.iter().any(|p| p.starts_with(prefix)))
    }

    /// Whether this render writes the sitemaps, so the stages list their pages.
    fn collects_sitemap(&self) -> bool {
        self.wanted(SITEMAPS_OUTPUT)
    }

    /// Whether this render writes the output at `path`.
    fn wanted(&self, path: &str) -> bool {
        self.only.is_none_or(|only| only.contains(path))
    }

    /// Renders `template` into the page at `path`, writing it straight to its file.
    fn page(&self, template: &str, meta: PageMeta<'_>, ctx: &mut Context) -> Result<()> {
        if !self.wanted(meta.path) {
            return Ok(());
        }
        ctx.insert("page_url", &self.links.permalink(meta.path));
        ctx.insert("page_path", &self.links.link(meta.path));
        ctx.insert("page_title", &meta.title);
        ctx.insert("page_description", meta.description);
        ctx.insert("feeds", meta.feeds);
        let html = self.render(template, ctx)?;
        // The 404 page is served at any depth, so its links keep their paths from the root.
        if self.config.relative_urls && meta.path != "404.html" {
            let file = crate::output::page_file(meta.path);
            let html = relative::rewrite(
                &String::from_utf8_lossy(&html),
                &file,
                self.links.base_path(),
            );
            return self.staging.write(meta.path, html.as_bytes());
        }
        self.staging.write(meta.path, &html)
    }

    /// Renders a template into memory, timing it for `--timings`.
    fn render(&self, template: &str, ctx: &Context) -> Result<Vec<u8>> {
        let started = Instant::now();
        let mut out = Vec::with_capacity(16 * 1024);
        self.tera
            .render_to(template, ctx, &mut out)
            .map_err(|e| templates::template_error(template, &e))?;
        self.clock.add(template, started.elapsed());
        Ok(out)
    }

    fn summaries_of(&self, ids: &[ArticleId]) -> Value {
        Value::from(
            ids.iter()
                .map(|&id| self.summaries[id].clone())
                .collect::<Vec<_>>(),
        )
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
        let targets = LinkTargets::new(&self.links, &library.articles);
        let options = content::markdown_options(self.config);
        let linked_terms = MentionLinks::new(self.config, library);
        let linker = linked_terms
            .as_ref()
            .map(|l| move |text: &str| l.find(text));
        let mention_links = linker
            .as_ref()
            .map(|f| f as content::markdown::MentionLinker<'_>);
        let this = &*self;
        let results: Vec<(Value, Kept<'_>, Vec<Diagnostic>)> = sources
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
                );
                drop(source);
                let summary = this.summary_with_card(id, &body)?;
                this.article_page(id, &summary, &body)?;
                let kept = Kept {
                    word_count: body.word_count,
                    content: in_feed[id].then_some(Cow::Owned(body.html)),
                    summary_text: Cow::Owned(body.summary_text),
                };
                Ok((summary, kept, warnings))
            })
            .collect::<Result<_>>()?;
        let mut warnings = Vec::new();
        self.summaries.reserve(results.len());
        self.kept.reserve(results.len());
        for (summary, kept, diags) in results {
            self.summaries.push(summary);
            self.kept.push(kept);
            warnings.extend(diags);
        }
        if self.collects_sitemap() {
            sitemap.extend(library.articles.iter().map(|a| Entry {
                path: urls::article(&a.slug),
                lastmod: Some(date_string(feeds::last_modified(a))),
            }));
        }
        Ok(warnings)
    }

    /// Writes article pages from bodies and summaries made earlier (`digest serve`).
    fn ready_articles(
        &mut self,
        bodies: &'a [&'a content::Body],
        summaries: Vec<Value>,
        sitemap: &mut Vec<Entry>,
    ) -> Result<()> {
        let in_feed = self.feed_members();
        let this = &*self;
        (0..bodies.len()).into_par_iter().try_for_each(|id| {
            let path = urls::article(&this.library.articles[id].slug);
            if this.wanted(&path) {
                this.article_page(id, &summaries[id], bodies[id])?;
            }
            Ok::<(), crate::Error>(())
        })?;
        self.kept = bodies
            .iter()
            .zip(&in_feed)
            .map(|(body, &in_feed)| Kept {
                word_count: body.word_count,
                content: in_feed.then_some(Cow::Borrowed(body.html.as_str())),
                summary_text: Cow::Borrowed(body.summary_text.as_str()),
            })
            .collect();
        self.summaries = summaries;
        if self.collects_sitemap() {
            sitemap.extend(self.library.articles.iter().map(|a| Entry {
                path: urls::article(&a.slug),
                lastmod: Some(date_string(feeds::last_modified(a))),
            }));
        }
        Ok(())
    }

    /// One article's page.
    fn article_page(&self, id: ArticleId, summary: &Value, body: &content::Body) -> Result<()> {
        let library = self.library;
        let article = &library.articles[id];
        let details =
            Value::from_serializable(&context::article_details(library, id, body, &self.links));
        let mut value = context::merged(summary, details)
            .into_map()
            .unwrap_or_default();
        value.insert("content".into(), Value::safe_string(&body.html));
        let jsonld = jsonld::article(self.config, library, id, body, &self.links);
        value.insert("jsonld".into(), Value::safe_string(&jsonld));
        let mut ctx = Context::new();
        ctx.insert_value("article", Value::from(value));
        let path = urls::article(&article.slug);
        self.page(
            "article.html",
            PageMeta {
                path: &path,
                title: Some(&article.title),
                description: &body.summary_text,
                feeds: &self.site_feeds,
            },
            &mut ctx,
        )
    }

    /// An article's summary value with its card, rendered once and shared by every list.
    fn summary_with_card(&self, id: ArticleId, body: &content::Body) -> Result<Value> {
        let started = Instant::now();
        let summary = summary_with_card(self.tera, self.config, self.library, id, body);
        self.clock.add("partials/card.html", started.elapsed());
        summary
    }

    fn feed_sources(&self) -> feeds::FeedSources<'_> {
        feeds::FeedSources {
            library: self.library,
            summaries: &self.summaries,
            kept: &self.kept,
            entry_cache: &self.feed_entries,
            links: &self.links,
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
        let latest_edition = if self.library.editions.is_empty() {
            Value::none()
        } else {
            Value::from_serializable(&context::edition_view(self.library, 0, &self.links))
        };
        pages.par_iter().try_for_each(|page| {
            if !self.wanted(&page.path) {
                return Ok(());
            }
            let mut ctx = Context::new();
            ctx.insert_value("articles", self.summaries_of(page.items));
            ctx.insert("paginator", &page.paginator);
            ctx.insert_value("latest_edition", latest_edition.clone());
            let title = format!("Page {}", page.paginator.number);
            self.page(
                "index.html",
                PageMeta {
                    path: &page.path,
                    title: (page.paginator.number > 1).then_some(title.as_str()),
                    description: &self.config.description,
                    feeds: &self.site_feeds,
                },
                &mut ctx,
            )
        })?;
        let lastmod = self.latest_date(&ids);
        if self.collects_sitemap() {
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
            title: format!("{} editions (Atom)", self.config.title),
            mime: "application/atom+xml",
        }];
        edition_feeds.extend(self.site_feeds.iter().cloned());
        // Views only for the pages written (all of them for the archive).
        let all_views = self.wanted("editions/");
        let views: Vec<Value> = (0..library.editions.len())
            .map(|i| {
                if all_views || self.wanted(&urls::edition(&library.editions[i].id)) {
                    Value::from_serializable(&context::edition_view(library, i, &self.links))
                } else {
                    Value::none()
                }
            })
            .collect();
        (0..library.editions.len())
            .into_par_iter()
            .try_for_each(|i| {
                let edition = &library.editions[i];
                let mut ctx = Context::new();
                ctx.insert_value(
                    "edition",
                    context::with_field(
                        views[i].clone(),
                        "articles",
                        self.summaries_of(&edition.articles),
                    ),
                );
                let path = urls::edition(&edition.id);
                let description = format!(
                    "{} from {} to {}",
                    feeds::stories(edition.articles.len()),
                    edition.start,
                    edition.end
                );
                self.page(
                    "edition.html",
                    PageMeta {
                        path: &path,
                        title: Some(&edition.title),
                        description: &description,
                        feeds: &edition_feeds,
                    },
                    &mut ctx,
                )
            })?;
        let mut ctx = Context::new();
        ctx.insert_value("editions", Value::from(views));
        self.page(
            "editions.html",
            PageMeta {
                path: "editions/",
                title: Some("Editions"),
                description: "Every edition of the digest",
                feeds: &edition_feeds,
            },
            &mut ctx,
        )?;
        if self.wanted(feeds::EDITIONS_FEED) {
            let atom = feeds::editions_atom(self.config, &self.feed_sources());
            self.staging.write(feeds::EDITIONS_FEED, atom.as_bytes())?;
        }
        if self.collects_sitemap() {
            sitemap.push(Entry {
                path: "editions/".into(),
                lastmod: self.latest_date(&(0..library.articles.len().min(1)).collect::<Vec<_>>()),
            });
        }
        if self.collects_sitemap() {
            sitemap.extend(library.editions.iter().map(|e| Entry {
                path: urls::edition(&e.id),
                lastmod: self.latest_date(&e.articles),
            }));
        }
        Ok(())
    }

    fn taxonomies(&self, sitemap: &mut Vec<Entry>) -> Result<()> {
        let library = self.library;
        // Everything a term's pages share, prepared once per term.
        struct TermPages<'r> {
            taxonomy: usize,
            term: &'r Term,
            view: Value,
            first: String,
            feeds: Vec<FeedLink>,
            feed_url: Option<String>,
            description: String,
            pages: Vec<Page<'r, ArticleId>>,
        }
        let taxonomy_views: Vec<Value> = library
            .taxonomies
            .iter()
            .map(|t| Value::from_serializable(&context::TaxonomyView::new(t, &self.links)))
            .collect();
        for (taxonomy, view) in library.taxonomies.iter().zip(&taxonomy_views) {
            let path = urls::taxonomy(&taxonomy.name);
            if self.collects_sitemap() {
                sitemap.push(Entry {
                    path: path.clone(),
                    lastmod: None,
                });
            }
            if !self.wanted(&path) {
                continue;
            }
            let terms: Vec<Value> = taxonomy
                .terms
                .iter()
                .map(|t| {
                    Value::from_serializable(&context::term_summary(
                        library,
                        taxonomy,
                        t,
                        &self.links,
                    ))
                })
                .collect();
            let mut ctx = Context::new();
            ctx.insert_value("taxonomy", view.clone());
            ctx.insert_value("terms", Value::from(terms));
            let description = format!(
                "Every term in {}, with the number of stories",
                taxonomy.title
            );
            self.page(
                "taxonomy.html",
                PageMeta {
                    path: &path,
                    title: Some(&taxonomy.title),
                    description: &description,
                    feeds: &self.site_feeds,
                },
                &mut ctx,
            )?;
        }

        let terms: Vec<TermPages<'_>> = library
            .taxonomies
            .iter()
            .enumerate()
            .flat_map(|(t, taxonomy)| taxonomy.terms.iter().map(move |term| (t, taxonomy, term)))
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|(t, taxonomy, term)| {
                let first = urls::term(&taxonomy.name, &term.slug);
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
                // Pages only when one of them, or the sitemap listing them, is written.
                let pages = if self.collects_sitemap() || self.wants_under(&first) {
                    paginate(&term.articles, self.config.per_page, &first, &self.links)
                } else {
                    Vec::new()
                };
                // The view (related terms, timeline, chart) only when a page of it is written.
                let view = if pages.iter().any(|p| self.wanted(&p.path)) {
                    Value::from_serializable(&context::term_view(
                        library,
                        taxonomy,
                        term,
                        &self.links,
                    ))
                } else {
                    Value::none()
                };
                TermPages {
                    taxonomy: t,
                    term,
                    view,
                    feeds,
                    feed_url,
                    description: term
                        .profile
                        .as_ref()
                        .and_then(|p| p.summary.clone())
                        .unwrap_or_else(|| {
                            format!("Every story about {} in {}", term.name, self.config.title)
                        }),
                    pages,
                    first,
                }
            })
            .collect();

        // One job per page and per feed set, so a tag with thousands of stories is spread over
        // every core instead of keeping one busy while the others wait.
        enum Job<'j> {
            Feeds(&'j TermPages<'j>),
            Page(&'j TermPages<'j>, usize),
        }
        let jobs: Vec<Job<'_>> = terms
            .iter()
            .flat_map(|tp| {
                let feeds = library.taxonomies[tp.taxonomy]
                    .feed
                    .then_some(Job::Feeds(tp));
                feeds
                    .into_iter()
                    .chain((0..tp.pages.len()).map(move |n| Job::Page(tp, n)))
            })
            .collect();
        jobs.par_iter().try_for_each(|job| match job {
            Job::Feeds(tp) => {
                let spec = FeedSpec {
                    title: format!("{} — {}", tp.term.name, self.config.title),
                    description: format!("Stories about {} in {}", tp.term.name, self.config.title),
                    page_path: tp.first.clone(),
                    entries: &tp.term.articles
                        [..tp.term.articles.len().min(self.config.feeds.limit)],
                };
                self.write_feeds(&spec, &tp.first)
            }
            Job::Page(tp, n) => {
                let page = &tp.pages[*n];
                if !self.wanted(&page.path) {
                    return Ok(());
                }
                let mut ctx = Context::new();
                ctx.insert_value("taxonomy", taxonomy_views[tp.taxonomy].clone());
                ctx.insert_value("term", tp.view.clone());
                ctx.insert_value("articles", self.summaries_of(page.items));
                ctx.insert("paginator", &page.paginator);
                ctx.insert("feed_url", &tp.feed_url);
                let title = if page.paginator.number > 1 {
                    format!("{} (page {})", tp.term.name, page.paginator.number)
                } else {
                    tp.term.name.clone()
                };
                self.page(
                    "term.html",
                    PageMeta {
                        path: &page.path,
                        title: Some(&title),
                        description: &tp.description,
                        feeds: &tp.feeds,
                    },
                    &mut ctx,
                )
            }
        })?;
        for tp in &terms {
            let lastmod = self.latest_date(&tp.term.articles);
            if self.collects_sitemap() {
                sitemap.extend(tp.pages.iter().map(|p| Entry {
                    path: p.path.clone(),
                    lastmod: lastmod.clone(),
                }));
            }
        }
        Ok(())
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
        let mut ctx = Context::new();
        if self.wanted(urls::MATRIX) {
            ctx.insert(
                "matrix",
                &context::matrix_view(library, matrix, &self.links),
            );
        }
        let title = format!("{} × {}", rows.title, columns.title);
        let description = format!(
            "How many stories cover each of the {} under each of the {}",
            rows.title.to_lowercase(),
            columns.title.to_lowercase()
        );
        self.page(
            "matrix.html",
            PageMeta {
                path: urls::MATRIX,
                title: Some(&title),
                description: &description,
                feeds: &self.site_feeds,
            },
            &mut ctx,
        )?;
        if self.collects_sitemap() {
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
                let pages = if self.collects_sitemap() || self.wants_under(&first) {
                    paginate(ids, self.config.per_page, &first, &self.links)
                } else {
                    Vec::new()
                };
                pages.into_iter().map(move |page| (r, c, page))
            })
            .collect();
        pages.par_iter().try_for_each(|(r, c, page)| {
            if !self.wanted(&page.path) {
                return Ok(());
            }
            let (row, column) = (&rows.terms[*r], &columns.terms[*c]);
            let mut ctx = Context::new();
            ctx.insert("row", &context::term_link(rows, row, &self.links));
            ctx.insert("column", &context::term_link(columns, column, &self.links));
            ctx.insert_value("articles", self.summaries_of(page.items));
            ctx.insert("paginator", &page.paginator);
            let title = format!("{} × {}", row.name, column.name);
            let description = format!("Stories about both {} and {}", row.name, column.name);
            self.page(
                "matrix_cell.html",
                PageMeta {
                    path: &page.path,
                    title: Some(&title),
                    description: &description,
                    feeds: &self.site_feeds,
                },
                &mut ctx,
            )
        })?;
        if self.collects_sitemap() {
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
            let path = format!("{dir}{file}");
            if !enabled || !self.wanted(&path) {
                continue;
            }
            let mut ctx = Context::new();
            ctx.insert_value("feed", feeds::feed_value(spec, &path, &self.feed_sources()));
            ctx.insert("page_url", &self.links.permalink(&path));
            ctx.insert("page_path", &self.links.link(&path));
            let xml = self.render(template, &ctx)?;
            self.staging.write(&path, &xml)?;
        }
        let path = format!("{dir}feed.json");
        if feeds.json && self.wanted(&path) {
            let json = feeds::json_feed(spec, &path, &self.config.language, &self.feed_sources());
            self.staging.write(&path, json.as_bytes())?;
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

    fn extras(&self, _sitemap: &mut Vec<Entry>) -> Result<()> {
        let mut ctx = Context::new();
        self.page(
            "404.html",
            PageMeta {
                path: "404.html",
                title: Some("Page not found"),
                description: "This page does not exist.",
                feeds: &self.site_feeds,
            },
            &mut ctx,
        )?;
        self.news_sitemap()
    }

    /// The articles of the two days before the newest one, for Google News.
    fn news_sitemap(&self) -> Result<()> {
        if !self.wanted(sitemap::NEWS_SITEMAP) {
            return Ok(());
        }
        let articles = &self.library.articles;
        let entries: Vec<sitemap::NewsEntry<'_>> = match articles.first() {
            None => Vec::new(),
            Some(newest) => {
                let cutoff = newest.date.timestamp() - jiff::SignedDuration::from_hours(48);
                articles
                    .iter()
                    .take_while(|a| a.date.timestamp() >= cutoff)
                    .map(|a| sitemap::NewsEntry {
                        path: urls::article(&a.slug),
                        title: &a.title,
                        published: context::datetime_string(&a.date),
                        language: a.lang.as_deref().unwrap_or(&self.config.language),
                    })
                    .collect()
            }
        };
        let xml = sitemap::news_sitemap(&self.config.title, &entries, &self.links);
        self.staging.write(sitemap::NEWS_SITEMAP, xml.as_bytes())
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
