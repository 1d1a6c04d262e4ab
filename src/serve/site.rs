//! The site as `digest serve` keeps it between rebuilds: every content file parsed, every
//! article's body rendered, every card, and a key per output. A change re-parses the files it
//! touched, re-indexes the library (cheap), re-renders the bodies and cards whose inputs
//! changed, and writes only the outputs whose key changed (see `render::keys`). The result is
//! the same, file for file, as a full build of the same sources.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use tera::Value;

use crate::config::{CONFIG_FILE, Config};
use crate::content::highlight::HighlightCache;
use crate::content::{self, Article, Body, Item, LinkTargets, LoadOptions, Profile};
use crate::error::{Diagnostic, Error, Result};
use crate::library::{Lexicon, Library, TermRef, mentions};
use crate::output::Staging;
use crate::render::{self, Bodies, keys};
use crate::timings::Timings;
use crate::urls::{self, Urls};

/// How the served site differs from a build: drafts and future articles on request, and the
/// local address instead of `base_url`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub drafts: bool,
    pub future: bool,
    /// `http://127.0.0.1:1111` (no path: base_url's path is kept).
    pub local_origin: Option<String>,
}

/// One content file as last read.
struct File {
    item: Option<Item>,
    diagnostics: Vec<Diagnostic>,
    /// The article's Markdown, kept apart from its metadata.
    source: Arc<str>,
    /// Hashes of the source and of the article's metadata, made once when the file is read.
    source_hash: u64,
    meta_key: u64,
}

/// An article's rendered body and what it was rendered from.
struct CachedBody {
    inputs: u64,
    /// [`keys::body_key`] of `body`.
    key: u64,
    body: Body,
    warnings: Vec<Diagnostic>,
}

/// An article's mentions, valid while its text (hash) and the lexicon (fingerprint) are unchanged.
type ScannedMentions = (u64, u64, Vec<TermRef>);

/// What a rebuild did.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Links (`/digest/articles/x/`) of every page written or removed.
    pub changed: Vec<String>,
    /// Only stylesheets changed: pages can swap them without reloading.
    pub css_only: bool,
    pub pages_written: usize,
    pub took: Duration,
    pub warnings: Vec<Diagnostic>,
    /// Where the rebuild spent its time.
    pub timings: Timings,
    /// Only article bodies changed, and the library was reused as it was.
    pub body_only: bool,
}

pub struct LiveSite {
    options: ServeOptions,
    config: Config,
    out: PathBuf,
    highlighter: HighlightCache,
    files: BTreeMap<PathBuf, File>,
    bodies: HashMap<PathBuf, CachedBody>,
    mentions: std::sync::Mutex<HashMap<PathBuf, ScannedMentions>>,
    cards: HashMap<u64, Value>,
    keys: HashMap<String, u64>,
    /// Whether the output folder holds a complete build.
    built: bool,
    /// What the last full rebuild computed, for edits that only touch an article's body.
    last: Option<Snapshot>,
}

/// The indexed site of the last rebuild that looked at everything.
struct Snapshot {
    library: Library,
    tera: tera::Tera,
    templates: keys::TemplateKeys,
    summaries: Vec<Value>,
    card_keys: Vec<u64>,
    body_keys: Vec<u64>,
    ids: HashMap<PathBuf, usize>,
    lexicon: Lexicon,
    targets: LinkTargets,
    targets_key: u64,
}

/// Written in place of an output's key when it was rendered without computing one: the next
/// full rebuild renders it again, whatever its key then.
const UNKNOWN_KEY: u64 = 0;

impl LiveSite {
    /// Reads the whole site; nothing is rendered until the first [`LiveSite::rebuild`].
    pub fn open(options: ServeOptions, out: &Path) -> Result<LiveSite> {
        let (mut config, _) = crate::load_config(&options.root, None)?;
        if let Some(origin) = &options.local_origin {
            config.base_url = format!("{}{}", origin.trim_end_matches('/'), config.base_path());
        }
        let mut site = LiveSite {
            out: out.to_path_buf(),
            highlighter: HighlightCache::load(&crate::cache::highlight_cache_path(&options.root)),
            options,
            config,
            files: BTreeMap::new(),
            bodies: HashMap::new(),
            mentions: Default::default(),
            cards: HashMap::new(),
            keys: HashMap::new(),
            built: false,
            last: None,
        };
        let (found, _) = content::discover_files(&site.options.root, &site.config);
        let parsed: Vec<(PathBuf, File)> = found
            .par_iter()
            .map(|file| (file.display.clone(), read_file(file, &site.config)))
            .collect();
        site.files = parsed.into_iter().collect();
        Ok(site)
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn out_dir(&self) -> &Path {
        &self.out
    }

    /// Applies changed paths (absolute or relative to the root) and renders what they affect.
    /// A change to site.toml needs a new `LiveSite`: see [`needs_restart`].
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Outcome> {
        if let Some(outcome) = self.body_only(changed) {
            return outcome;
        }
        self.full_rebuild(changed)
    }

    /// The common edit, fast: changed article bodies whose front matter, mentions and file set
    /// are as before. The library is unchanged, so only the article's page, the lists showing
    /// its card (when the card changed) and the feeds carrying it are rendered. None when the
    /// edit is anything else.
    fn body_only(&mut self, changed: &[PathBuf]) -> Option<Result<Outcome>> {
        let start = Instant::now();
        let last = self.last.as_ref()?;
        if changed.is_empty()
            || self.config.entities.auto_file
            || self.config.entities.link_mentions
        {
            return None;
        }
        let root = &self.options.root;
        let taxonomies = self.config.taxonomy_names();
        let library = &last.library;
        let md_options = content::markdown_options(&self.config);
        let mut updates = Vec::new();
        for path in changed {
            let absolute = if path.is_absolute() {
                path.clone()
            } else {
                root.join(path)
            };
            let found = content::discover::classify(root, &absolute, &taxonomies)?;
            if found.kind != content::discover::Kind::Article {
                return None;
            }
            let old = self.files.get(&found.display)?;
            let file = read_file(&found, &self.config);
            let (Some(Item::Article(new)), Some(Item::Article(previous))) = (&file.item, &old.item)
            else {
                return None;
            };
            if new != previous || file.diagnostics != old.diagnostics {
                return None;
            }
            let id = *last.ids.get(&found.display)?;
            let article = &library.articles[id];
            let found_mentions: Vec<TermRef> =
                mentions::scan(&last.lexicon, &article.title, &file.source)
                    .into_iter()
                    .filter(|&(t, term)| !library.article_terms[id][t].contains(&term))
                    .collect();
            if found_mentions != library.article_mentions[id] {
                return None;
            }
            let inputs = body_inputs(
                file.source_hash,
                &file.source,
                article,
                last.targets_key,
                None,
            );
            let (body, warnings) = content::render_body(
                article,
                &file.source,
                md_options,
                &last.targets,
                &self.highlighter,
                None,
            );
            updates.push((
                found.display,
                file,
                id,
                CachedBody {
                    inputs,
                    key: keys::body_key(&body),
                    body,
                    warnings,
                },
            ));
        }
        Some(self.apply_body_edits(updates, start))
    }

    fn apply_body_edits(
        &mut self,
        updates: Vec<(PathBuf, File, usize, CachedBody)>,
        start: Instant,
    ) -> Result<Outcome> {
        let Some(mut last) = self.last.take() else {
            return Err(Error::Other("no earlier build to update".into()));
        };
        let result = self.render_body_edits(&mut last, updates, start);
        self.last = Some(last);
        result
    }

    fn render_body_edits(
        &mut self,
        last: &mut Snapshot,
        updates: Vec<(PathBuf, File, usize, CachedBody)>,
        start: Instant,
    ) -> Result<Outcome> {
        let library = &last.library;
        let config = &self.config;
        let links = Urls::new(&config.base_url, config.base_path());
        let term_hashes = keys::term_hashes(library);
        let mut outputs: HashSet<String> = HashSet::new();
        let mut warnings = Vec::new();
        for (path, file, id, cached) in updates {
            let meta = file.meta_key;
            self.files.insert(path.clone(), file);
            let card_key = keys::card_key(
                library,
                id,
                meta,
                &cached.body,
                &term_hashes,
                &last.templates,
            );
            let card_changed = card_key != last.card_keys[id];
            let body_changed = cached.key != last.body_keys[id];
            if card_changed {
                last.summaries[id] =
                    render::summary_with_card(&last.tera, config, library, id, &cached.body)?;
                last.card_keys[id] = card_key;
                outputs.extend(lists_showing(config, library, id, &links));
            }
            if card_changed || body_changed {
                outputs.insert(urls::article(&library.articles[id].slug));
                outputs.extend(feeds_carrying(config, library, id, card_changed));
            }
            last.body_keys[id] = cached.key;
            warnings.extend(cached.warnings.iter().cloned());
            self.bodies.insert(path, cached);
        }
        let bodies: Vec<&Body> = library
            .articles
            .iter()
            .map(|a| &self.bodies[&a.path].body)
            .collect();
        let staging = Staging::in_place(&self.out);
        let job = render::Job {
            root: &self.options.root,
            config,
            library,
            tera: &last.tera,
            out: &staging,
            only: Some(&outputs),
        };
        let mut timings = Timings::default();
        render::render_site(
            job,
            Bodies::Ready {
                bodies: &bodies,
                summaries: last.summaries.clone(),
            },
            &mut timings,
        )?;
        for output in &outputs {
            self.keys.insert(output.clone(), UNKNOWN_KEY);
        }
        let mut changed: Vec<String> = outputs.iter().map(|p| links.link(p)).collect();
        changed.sort();
        Ok(Outcome {
            changed,
            css_only: false,
            pages_written: staging.stats().pages,
            took: start.elapsed(),
            warnings,
            timings,
            body_only: true,
        })
    }

    fn full_rebuild(&mut self, changed: &[PathBuf]) -> Result<Outcome> {
        let start = Instant::now();
        let mut timings = Timings::default();
        let mut stage = Instant::now();
        let root = self.options.root.clone();
        let mut static_changed = Vec::new();
        for path in changed {
            let absolute = if path.is_absolute() {
                path.clone()
            } else {
                root.join(path)
            };
            let relative = absolute
                .strip_prefix(&root)
                .unwrap_or(&absolute)
                .to_path_buf();
            if relative.starts_with(content::CONTENT_DIR) {
                self.reread(&absolute, &relative);
            } else if relative.starts_with(render::STATIC_DIR) {
                static_changed.push(relative);
            }
        }

        timings.record("reread", stage);
        stage = Instant::now();
        // Index the library from the files as they are now.
        let mut articles = Vec::new();
        let mut profiles: Vec<Profile> = Vec::new();
        let mut diagnostics: Vec<Diagnostic> = Vec::new();
        let mut sources: HashMap<PathBuf, (Arc<str>, u64, u64)> = HashMap::new();
        for (path, file) in &self.files {
            diagnostics.extend(file.diagnostics.iter().cloned());
            match &file.item {
                Some(Item::Article(a)) => {
                    articles.push((**a).clone());
                    sources.insert(
                        path.clone(),
                        (file.source.clone(), file.source_hash, file.meta_key),
                    );
                }
                Some(Item::Profile(p)) => profiles.push((**p).clone()),
                None => {}
            }
        }
        let options = LoadOptions {
            drafts: self.options.drafts,
            future: self.options.future,
            now: jiff::Timestamp::now(),
        };
        let content = content::assemble(articles, profiles, diagnostics, options);
        let cache = &self.mentions;
        let scan = |article: &Article, lexicon: &Lexicon| -> Vec<TermRef> {
            let (source, source_hash) = sources
                .get(&article.path)
                .map(|(s, h, _)| (&**s, keys::hash((h, &article.title))))
                .unwrap_or(("", 0));
            let fingerprint = lexicon.fingerprint();
            if let Some((s, l, found)) = cache
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get(&article.path)
                && *s == source_hash
                && *l == fingerprint
            {
                return found.clone();
            }
            let found = mentions::scan(lexicon, &article.title, source);
            cache.lock().unwrap_or_else(|e| e.into_inner()).insert(
                article.path.clone(),
                (source_hash, fingerprint, found.clone()),
            );
            found
        };
        let (library, diagnostics) = Library::build_with(&self.config, content, &scan);
        if diagnostics.iter().any(Diagnostic::is_error) {
            return Err(Error::Site(diagnostics));
        }
        let mut warnings = diagnostics;

        timings.record("index", stage);
        stage = Instant::now();
        // Bodies: rendered again only when their source or what they link to changed.
        let links = Urls::new(&self.config.base_url, self.config.base_path());
        let targets = LinkTargets::new(&links, &library.articles);
        let targets_key = keys::hash(
            library
                .articles
                .iter()
                .map(|a| (&a.path, &a.slug))
                .collect::<Vec<_>>(),
        );
        let linked_terms = render::MentionLinks::new(&self.config, &library);
        let mentions_key = linked_terms.as_ref().map(render::MentionLinks::key);
        let linker = linked_terms
            .as_ref()
            .map(|l| move |text: &str| l.find(text));
        let mention_links = linker
            .as_ref()
            .map(|f| f as content::markdown::MentionLinker<'_>);
        let md_options = content::markdown_options(&self.config);
        let rendered: Vec<Option<CachedBody>> = library
            .articles
            .par_iter()
            .map(|article| {
                let (source, source_hash) = sources
                    .get(&article.path)
                    .map(|(s, h, _)| (&**s, *h))
                    .unwrap_or(("", 0));
                let inputs = body_inputs(source_hash, source, article, targets_key, mentions_key);
                if self
                    .bodies
                    .get(&article.path)
                    .is_some_and(|b| b.inputs == inputs)
                {
                    return None;
                }
                let (body, warnings) = content::render_body(
                    article,
                    source,
                    md_options,
                    &targets,
                    &self.highlighter,
                    mention_links,
                );
                Some(CachedBody {
                    inputs,
                    key: keys::body_key(&body),
                    body,
                    warnings,
                })
            })
            .collect();
        for (article, body) in library.articles.iter().zip(rendered) {
            if let Some(body) = body {
                self.bodies.insert(article.path.clone(), body);
            }
        }
        let live: HashSet<&PathBuf> = library.articles.iter().map(|a| &a.path).collect();
        self.bodies.retain(|path, _| live.contains(path));
        let cached: Vec<&CachedBody> = library
            .articles
            .iter()
            .map(|a| &self.bodies[&a.path])
            .collect();
        let bodies: Vec<&Body> = cached.iter().map(|c| &c.body).collect();
        let body_keys: Vec<u64> = cached.iter().map(|c| c.key).collect();
        for article in &library.articles {
            warnings.extend(self.bodies[&article.path].warnings.iter().cloned());
        }

        timings.record("bodies", stage);
        stage = Instant::now();
        // Cards, by key.
        let mut tera = render::load_templates(&root, &self.config, &library)?;
        render::set_site(&mut tera, &self.config, &library);
        let templates = render::templates::keys(&root)?;
        let meta: Vec<u64> = library
            .articles
            .iter()
            .map(|a| sources.get(&a.path).map_or(0, |s| s.2))
            .collect();
        let card_keys = keys::card_keys(&library, &meta, &bodies, &templates);
        let missing: Vec<usize> = (0..library.articles.len())
            .filter(|&id| !self.cards.contains_key(&card_keys[id]))
            .collect();
        let new_cards: Vec<(u64, Value)> = missing
            .par_iter()
            .map(|&id| {
                Ok((
                    card_keys[id],
                    render::summary_with_card(&tera, &self.config, &library, id, bodies[id])?,
                ))
            })
            .collect::<Result<_>>()?;
        self.cards.extend(new_cards);
        let live_cards: HashSet<u64> = card_keys.iter().copied().collect();
        self.cards.retain(|k, _| live_cards.contains(k));
        let summaries: Vec<Value> = card_keys.iter().map(|k| self.cards[k].clone()).collect();

        timings.record("cards", stage);
        stage = Instant::now();
        // Outputs whose key changed, and outputs that no longer exist.
        let site_key = keys::hash(
            serde_json::to_string(&render::context::site_view(
                &self.config,
                &library,
                &links,
                render::context::FeedLinks {
                    atom: None,
                    rss: None,
                    json: None,
                },
            ))
            .unwrap_or_default(),
        );
        let new_keys: HashMap<String, u64> =
            keys::output_keys(&self.config, &library, &card_keys, &body_keys, &templates)
                .into_iter()
                .map(|(path, key)| (path, keys::hash((key, site_key))))
                .collect();
        let mut dirty: HashSet<String> = new_keys
            .iter()
            .filter(|(path, key)| !self.built || self.keys.get(*path) != Some(key))
            .map(|(path, _)| path.clone())
            .collect();
        let removed: Vec<String> = self
            .keys
            .keys()
            .filter(|p| !new_keys.contains_key(*p))
            .cloned()
            .collect();
        if !self.built || !static_changed.is_empty() {
            dirty.insert(render::STATIC_OUTPUT.into());
        }
        // Sitemaps list every page: cheap to write, and any change may touch them.
        dirty.insert(render::SITEMAPS_OUTPUT.into());
        dirty.insert(render::sitemap::NEWS_SITEMAP.into());

        timings.record("keys", stage);
        stage = Instant::now();
        let staging = Staging::in_place(&self.out);
        let job = render::Job {
            root: &root,
            config: &self.config,
            library: &library,
            tera: &tera,
            out: &staging,
            only: if self.built { Some(&dirty) } else { None },
        };
        render::render_site(
            job,
            Bodies::Ready {
                bodies: &bodies,
                summaries: summaries.clone(),
            },
            &mut Timings::default(),
        )?;
        for path in &removed {
            staging.remove(path)?;
        }
        for path in &static_changed {
            let inside = path
                .strip_prefix(render::STATIC_DIR)
                .unwrap_or(path)
                .to_string_lossy()
                .into_owned();
            if !root.join(path).exists() {
                staging.remove(&inside)?;
            }
        }
        let always = [
            render::STATIC_OUTPUT,
            render::SITEMAPS_OUTPUT,
            render::sitemap::NEWS_SITEMAP,
        ];
        let css_only = self.built
            && removed.is_empty()
            && !static_changed.is_empty()
            && dirty.iter().all(|p| always.contains(&p.as_str()))
            && static_changed
                .iter()
                .all(|p| p.extension().is_some_and(|e| e == "css"));
        let mut changed: Vec<String> = dirty
            .iter()
            .filter(|p| !always.contains(&p.as_str()))
            .chain(&removed)
            .map(|p| links.link(p))
            .collect();
        changed.extend(static_changed.iter().map(|p| {
            links.link(
                &p.strip_prefix(render::STATIC_DIR)
                    .unwrap_or(p)
                    .to_string_lossy(),
            )
        }));
        changed.sort();
        timings.record("remove", stage);
        let pages_written = staging.stats().pages;
        self.keys = new_keys;
        self.built = true;
        drop(bodies);
        drop(cached);
        let ids = library
            .articles
            .iter()
            .enumerate()
            .map(|(id, a)| (a.path.clone(), id))
            .collect();
        self.last = Some(Snapshot {
            lexicon: mentions::lexicon(&self.config, &library.taxonomies),
            library,
            tera,
            templates,
            summaries,
            card_keys,
            body_keys,
            ids,
            targets,
            targets_key,
        });
        let _ = self
            .highlighter
            .save(&crate::cache::highlight_cache_path(&root));
        Ok(Outcome {
            changed,
            css_only,
            pages_written,
            took: start.elapsed(),
            warnings,
            timings,
            body_only: false,
        })
    }

    /// Reads one changed content file again, or forgets it when it is gone.
    fn reread(&mut self, absolute: &Path, relative: &Path) {
        let taxonomies = self.config.taxonomy_names();
        if absolute.is_dir() {
            // A folder appeared or was renamed: read everything under it.
            self.files.retain(|path, _| !path.starts_with(relative));
            let (found, _) = content::discover_files(&self.options.root, &self.config);
            for file in found.iter().filter(|f| f.display.starts_with(relative)) {
                self.files
                    .insert(file.display.clone(), read_file(file, &self.config));
            }
            return;
        }
        match content::discover::classify(&self.options.root, absolute, &taxonomies) {
            Some(found) => {
                self.files
                    .insert(found.display.clone(), read_file(&found, &self.config));
            }
            None => {
                // Deleted, or a folder's files when the folder was removed.
                self.files.retain(|path, _| !path.starts_with(relative));
            }
        }
    }
}

/// What an article's rendered body depends on: its source, what the body shows of the front
/// matter, the other articles' URLs when it links to their files, and the terms it may link.
fn body_inputs(
    source_hash: u64,
    source: &str,
    article: &Article,
    targets_key: u64,
    mentions_key: Option<u64>,
) -> u64 {
    let links_to_articles = source.contains(".md");
    keys::hash((
        source_hash,
        &article.title,
        &article.summary,
        &article.path,
        links_to_articles.then_some(targets_key),
        mentions_key,
    ))
}

/// The list pages whose cards include article `id`: its home page, its edition, a page of
/// each of its terms, a page of each matrix cell it is in.
fn lists_showing(config: &Config, library: &Library, id: usize, links: &Urls) -> Vec<String> {
    let page_of = |ids: &[usize], first: &str| {
        ids.binary_search(&id)
            .ok()
            .map(|position| urls::page(first, position / config.per_page.max(1) + 1))
    };
    let mut out = vec![urls::page("", id / config.per_page.max(1) + 1)];
    if config.edition != crate::config::EditionKind::None
        && let Some(e) = library.article_edition[id]
    {
        out.push(urls::edition(&library.editions[e].id));
    }
    for (t, term) in library.terms_of(id) {
        let taxonomy = &library.taxonomies[t];
        let term = &taxonomy.terms[term];
        out.extend(page_of(
            &term.articles,
            &urls::term(&taxonomy.name, &term.slug),
        ));
    }
    if let Some(matrix) = &library.matrix {
        for &row in &library.article_terms[id][matrix.rows] {
            for &column in &library.article_terms[id][matrix.columns] {
                if let Some(ids) = matrix.cells.get(&(row, column)) {
                    let first = urls::matrix_cell(
                        &library.taxonomies[matrix.rows].terms[row].slug,
                        &library.taxonomies[matrix.columns].terms[column].slug,
                    );
                    out.extend(page_of(ids, &first));
                }
            }
        }
    }
    let _ = links;
    out
}

/// The feed files that carry article `id` (its content, and its summary when `card_changed`).
fn feeds_carrying(
    config: &Config,
    library: &Library,
    id: usize,
    card_changed: bool,
) -> Vec<String> {
    let limit = config.feeds.limit;
    let mut dirs = Vec::new();
    if id < limit {
        dirs.push(String::new());
    }
    for (t, term) in library.terms_of(id) {
        let taxonomy = &library.taxonomies[t];
        let term = &taxonomy.terms[term];
        if taxonomy.feed && term.articles.iter().take(limit).any(|&a| a == id) {
            dirs.push(urls::term(&taxonomy.name, &term.slug));
        }
    }
    let mut out: Vec<String> = dirs
        .iter()
        .flat_map(|dir| ["atom.xml", "rss.xml", "feed.json"].map(|f| format!("{dir}{f}")))
        .collect();
    if card_changed
        && config.edition != crate::config::EditionKind::None
        && library.article_edition[id].is_some_and(|e| e < limit)
    {
        out.push(render::feeds::EDITIONS_FEED.into());
    }
    out
}

/// Whether a change means reading the whole site again (its configuration changed).
pub fn needs_restart(root: &Path, changed: &[PathBuf]) -> bool {
    changed.iter().any(|p| {
        let relative = p.strip_prefix(root).unwrap_or(p);
        relative == Path::new(CONFIG_FILE)
    })
}

fn read_file(found: &content::discover::Found, config: &Config) -> File {
    let parsed = content::parse_file(found, config);
    let mut item = parsed.item;
    let (source, meta_key): (Arc<str>, u64) = match &mut item {
        Some(Item::Article(article)) => {
            let source = Arc::from(std::mem::take(&mut article.body));
            (source, keys::meta_key(article))
        }
        _ => (Arc::from(""), 0),
    };
    File {
        item,
        diagnostics: parsed.diagnostics,
        source_hash: keys::hash(&*source),
        source,
        meta_key,
    }
}
