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
use crate::content::markdown::MentionLink;
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
}

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
        let lexicon = self
            .config
            .entities
            .link_mentions
            .then(|| mentions::lexicon(&self.config, &library.taxonomies));
        let term_links: HashMap<TermRef, String> = library
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
        let mentions_key = lexicon.as_ref().map(|l| {
            keys::hash((
                l.fingerprint(),
                term_links.iter().collect::<BTreeMap<_, _>>(),
            ))
        });
        let linker = |text: &str| -> Vec<MentionLink> {
            lexicon
                .as_ref()
                .map(|lexicon| {
                    lexicon
                        .find(text)
                        .into_iter()
                        .map(|m| MentionLink {
                            start: m.start,
                            end: m.end,
                            url: term_links[&m.term].clone(),
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let mention_links: Option<content::markdown::MentionLinker<'_>> =
            lexicon.is_some().then_some(&linker);
        let md_options = content::markdown_options(&self.config);
        let rendered: Vec<Option<CachedBody>> = library
            .articles
            .par_iter()
            .map(|article| {
                let (source, source_hash) = sources
                    .get(&article.path)
                    .map(|(s, h, _)| (&**s, *h))
                    .unwrap_or(("", 0));
                let links_to_articles = source.contains(".md");
                let inputs = keys::hash((
                    source_hash,
                    &article.title,
                    &article.summary,
                    &article.path,
                    links_to_articles.then_some(targets_key),
                    mentions_key,
                ));
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
                summaries,
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
        let css_only = self.built
            && dirty.len() == 1
            && removed.is_empty()
            && static_changed
                .iter()
                .all(|p| p.extension().is_some_and(|e| e == "css"));
        let mut changed: Vec<String> = dirty
            .iter()
            .filter(|p| p.as_str() != render::STATIC_OUTPUT)
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
        })
    }

    /// Reads one changed content file again, or forgets it when it is gone.
    fn reread(&mut self, absolute: &Path, relative: &Path) {
        let taxonomies: Vec<String> = self
            .config
            .taxonomies
            .iter()
            .map(|t| t.name.clone())
            .collect();
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
