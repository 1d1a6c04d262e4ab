//! The site as `digest serve` keeps it between rebuilds: every content file parsed, every
//! article's body rendered, every card, and the key of every output. A change re-parses the
//! files it touched, re-indexes the library (cheap), renders again the bodies and cards whose
//! inputs changed, and writes the outputs whose key changed (see `render::key`: keys are taken
//! from the very values each output is rendered from). The result is the same, file for file,
//! as a full build of the same sources.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use tera::Value;

use crate::config::{CONFIG_FILE, Config};
use crate::content::highlight::HighlightCache;
use crate::content::{self, Article, Body, BodyRecord, Item, LinkTargets, LoadOptions, Profile};
use crate::error::{Diagnostic, Error, Result};
use crate::library::{Lexicon, Library, TermRef, mentions};
use crate::output::Staging;
use crate::render::key::{self, Dep, Key, Shared};
use crate::render::{self, Bodies, MentionLinks, Mode, Templates};
use crate::timings::Timings;
use crate::urls::Urls;

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
    /// [`content::source_hash`] of the source.
    source_hash: u64,
}

/// An article's rendered body and what it was rendered from.
struct CachedBody {
    record: BodyRecord,
    /// The mention links' key when the body linked mentions.
    mention_links: Option<u64>,
    body: Shared<Body>,
    warnings: Vec<Diagnostic>,
}

/// Cards made by a rebuild, by their key.
type NewCards = Vec<(u64, Shared<Value>)>;

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
    mentions: Mutex<HashMap<PathBuf, ScannedMentions>>,
    /// Cards by [`render::card_key`].
    cards: HashMap<u64, Shared<Value>>,
    /// The key of every output of the last render.
    keys: HashMap<String, Key>,
    /// For each article, the outputs whose keys recorded its body: what an edit of the body
    /// alone can change.
    used_by: HashMap<Dep, Vec<String>>,
    /// What the last full rebuild computed, for edits that only touch articles' bodies.
    last: Option<Snapshot>,
    /// The key of the search records last handed out by [`LiveSite::search_update`].
    search_key: Option<u64>,
}

/// A search index to build into the served folder, apart from the rebuild that asked for it.
pub struct SearchUpdate {
    pub dir: PathBuf,
    /// Every language's records: one index, split by Pagefind.
    pub records: Vec<render::search::Record>,
}

impl SearchUpdate {
    /// Builds the index and writes it over the previous one, then removes the files of the
    /// previous index that the new one does not have.
    pub fn write(&self) -> Result<()> {
        let files = render::search::index_files(&self.records)?;
        let staging = Staging::live(&self.dir);
        render::search::write_index(&staging, &files)?;
        let kept: HashSet<&str> = files.iter().map(|(path, _)| path.as_str()).collect();
        let index_dir = self.dir.join(render::search::INDEX_DIR);
        let old: Vec<String> = walkdir::WalkDir::new(&index_dir)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .filter_map(|e| {
                let relative = e.path().strip_prefix(&self.dir).ok()?;
                Some(relative.to_string_lossy().replace('\\', "/"))
            })
            .filter(|path| !kept.contains(path.as_str()))
            .collect();
        for path in old {
            staging.remove(&path)?;
        }
        Ok(())
    }
}

/// The indexed site of the last rebuild that looked at everything.
struct Snapshot {
    library: Library,
    templates: Templates,
    /// The default language's, then each translation's (as in `Library::translations`).
    languages: Vec<LanguageState>,
}

/// What that rebuild computed for one language's articles.
struct LanguageState {
    /// Each article's card key, in library order.
    card_keys: Vec<u64>,
    ids: HashMap<PathBuf, usize>,
    lexicon: Lexicon,
    targets: LinkTargets,
    mention_links: Option<MentionLinks>,
}

/// Language `l` of a site (0 the default, then each translation): its configuration and
/// library.
fn language_of<'a>(
    config: &'a Config,
    library: &'a Library,
    l: usize,
) -> (&'a Config, &'a Library) {
    match l.checked_sub(1).and_then(|t| library.translations.get(t)) {
        Some(translation) => (&translation.config, &translation.library),
        None => (config, library),
    }
}

/// The templates of language `l`.
fn templates_of(templates: &Templates, l: usize) -> &Templates {
    l.checked_sub(1)
        .and_then(|t| templates.translations.get(t))
        .unwrap_or(templates)
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
            used_by: HashMap::new(),
            last: None,
            search_key: None,
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

    /// The search index to build after the last rebuild, when its records changed: the index
    /// is built off the edit → reload path, from the same records a build makes.
    pub fn search_update(&mut self) -> Option<SearchUpdate> {
        if !self.config.search.enabled {
            return None;
        }
        let library = &self.last.as_ref()?.library;
        let mut records = Vec::new();
        for l in 0..=library.translations.len() {
            let (config, library) = language_of(&self.config, library, l);
            let links = Urls::new(&config.base_url, config.base_path());
            let texts: Vec<String> = library
                .articles
                .par_iter()
                .map(|a| {
                    self.bodies
                        .get(&a.path)
                        .map(|b| render::search::body_text(&b.body.value().html))
                        .unwrap_or_default()
                })
                .collect();
            records.extend(render::search::records(config, library, &links, &texts));
        }
        let key = key::key_of(&records).hash;
        if self.search_key == Some(key) {
            return None;
        }
        self.search_key = Some(key);
        Some(SearchUpdate {
            dir: self.out.clone(),
            records,
        })
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
    /// are as before. The library is unchanged, so only the outputs that used those articles'
    /// bodies (as their keys recorded) are keyed and rendered again. None when the edit is
    /// anything else.
    fn body_only(&mut self, changed: &[PathBuf]) -> Option<Result<Outcome>> {
        let start = Instant::now();
        let last = self.last.as_ref()?;
        if changed.is_empty() || self.config.entities.auto_file {
            return None;
        }
        let root = &self.options.root;
        let taxonomies = self.config.taxonomy_names();
        let md_options = content::markdown_options(&self.config);
        let mut updates = Vec::new();
        for path in changed {
            let found = content::discover::classify(root, &root.join(path), &taxonomies)?;
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
            // The article, in whichever language it is written.
            let (l, id) = last
                .languages
                .iter()
                .enumerate()
                .find_map(|(l, state)| state.ids.get(&found.display).map(|&id| (l, id)))?;
            let state = &last.languages[l];
            let (_, library) = language_of(&self.config, &last.library, l);
            let article = &library.articles[id];
            let found_mentions: Vec<TermRef> =
                mentions::scan(&state.lexicon, &article.title, &file.source)
                    .into_iter()
                    .filter(|&(t, term)| !library.article_terms[id][t].contains(&term))
                    .collect();
            if found_mentions != library.article_mentions[id] {
                return None;
            }
            let mention_links = state
                .mention_links
                .as_ref()
                .map(|l| move |text: &str| l.find(text));
            let cached = render_one_body(
                article,
                &file.source,
                md_options,
                &state.targets,
                &self.highlighter,
                mention_links
                    .as_ref()
                    .map(|f| f as content::markdown::MentionLinker<'_>),
                state.mention_links.as_ref(),
            );
            updates.push((found.display, file, (l, id), cached));
        }
        Some(self.apply_body_edits(updates, start))
    }

    fn apply_body_edits(
        &mut self,
        updates: Vec<(PathBuf, File, (usize, usize), CachedBody)>,
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
        updates: Vec<(PathBuf, File, (usize, usize), CachedBody)>,
        start: Instant,
    ) -> Result<Outcome> {
        let mut edited = BTreeSet::new();
        let mut warnings = Vec::new();
        for (path, file, (l, id), cached) in updates {
            edited.insert(Dep::article(&path));
            self.files.insert(path.clone(), file);
            let (config, library) = language_of(&self.config, &last.library, l);
            let templates = templates_of(&last.templates, l);
            let card_key = render::card_key(templates, config, library, id, &cached.body);
            if let std::collections::hash_map::Entry::Vacant(slot) = self.cards.entry(card_key) {
                slot.insert(render::card(templates, config, library, id, &cached.body)?);
            }
            last.languages[l].card_keys[id] = card_key;
            warnings.extend(cached.warnings.iter().cloned());
            self.bodies.insert(path, cached);
        }
        let card_keys: Vec<&[u64]> = last
            .languages
            .iter()
            .map(|state| state.card_keys.as_slice())
            .collect();
        let live: HashSet<u64> = card_keys.iter().copied().flatten().copied().collect();
        self.cards.retain(|k, _| live.contains(k));
        let mut outcome = self.render(
            &last.library,
            &last.templates,
            &card_keys,
            Some(&edited),
            false,
        )?;
        outcome.warnings = warnings;
        outcome.took = start.elapsed();
        outcome.body_only = true;
        Ok(outcome)
    }

    /// Renders what changed into the served folder, keeping every output's key. With `edited`
    /// (the library as it was), only the outputs that used those articles' bodies are looked at.
    fn render(
        &mut self,
        library: &Library,
        templates: &Templates,
        card_keys: &[&[u64]],
        edited: Option<&BTreeSet<Dep>>,
        static_files: bool,
    ) -> Result<Outcome> {
        // The first build fills a folder nobody is served from yet; later ones write under
        // the server's feet.
        let staging = if self.last.is_some() {
            Staging::live(&self.out)
        } else {
            Staging::in_place(&self.out)
        };
        let revisit: Option<HashSet<String>> = edited.map(|edited| {
            edited
                .iter()
                .filter_map(|dep| self.used_by.get(dep))
                .flatten()
                .cloned()
                .collect()
        });
        let ready: Vec<render::ReadyLanguage<'_>> = card_keys
            .iter()
            .enumerate()
            .map(|(l, keys)| render::ReadyLanguage {
                bodies: language_of(&self.config, library, l)
                    .1
                    .articles
                    .iter()
                    .map(|a| &self.bodies[&a.path].body)
                    .collect(),
                cards: keys.iter().map(|k| &self.cards[k]).collect(),
            })
            .collect();
        let job = render::Job {
            root: &self.options.root,
            config: &self.config,
            library,
            templates,
            out: &staging,
            mode: Mode::Changed {
                previous: &self.keys,
                revisit: revisit.as_ref(),
            },
            static_files,
        };
        let mut timings = Timings::default();
        let rendered = render::render_site(job, Bodies::Ready(ready), &mut timings)?;
        let removed: Vec<String> = if revisit.is_some() {
            // The same library has the same outputs.
            Vec::new()
        } else {
            self.keys
                .keys()
                .filter(|path| !rendered.keys.contains_key(*path))
                .cloned()
                .collect()
        };
        for path in &removed {
            staging.remove(path)?;
        }
        let links = Urls::new(&self.config.base_url, self.config.base_path());
        let mut changed: Vec<String> = rendered
            .written
            .iter()
            .chain(&removed)
            .map(|p| links.link(p))
            .collect();
        changed.sort();
        if revisit.is_some() {
            for (path, key) in &rendered.keys {
                let old = self.keys.get(path).map(|k| &k.deps);
                if old != Some(&key.deps) {
                    self.note_uses(path, old.cloned().unwrap_or_default(), &key.deps);
                }
            }
            self.keys.extend(rendered.keys);
        } else {
            self.keys = rendered.keys;
            self.used_by.clear();
            for (path, key) in &self.keys {
                for dep in &key.deps {
                    self.used_by.entry(*dep).or_default().push(path.clone());
                }
            }
        }
        Ok(Outcome {
            changed,
            css_only: false,
            pages_written: staging.stats().pages,
            took: Duration::ZERO,
            warnings: Vec::new(),
            timings,
            body_only: false,
        })
    }

    /// Moves `path` in [`LiveSite::used_by`] from the articles it used to those it uses now.
    fn note_uses(&mut self, path: &str, before: BTreeSet<Dep>, now: &BTreeSet<Dep>) {
        for dep in before.difference(now) {
            if let Some(paths) = self.used_by.get_mut(dep) {
                paths.retain(|p| p != path);
            }
        }
        for dep in now.difference(&before) {
            self.used_by.entry(*dep).or_default().push(path.to_string());
        }
    }

    /// Rebuilds the whole site from the files as they are now, reusing every body and card
    /// whose inputs did not change; the render writes only the outputs whose key changed.
    fn full_rebuild(&mut self, changed: &[PathBuf]) -> Result<Outcome> {
        let start = Instant::now();
        let mut timings = Timings::default();
        let mut stage = Instant::now();
        let root = self.options.root.clone();
        let first = self.last.is_none();
        let static_changed = self.reread_changed(changed);

        timings.record("reread", stage);
        stage = Instant::now();
        let library = self.index()?;
        let mut warnings = library.1;
        let library = library.0;

        timings.record("index", stage);
        stage = Instant::now();
        // Bodies, in every language: rendered again only when what they were made from
        // changed.
        let links = Urls::new(&self.config.base_url, self.config.base_path());
        let count = library.translations.len() + 1;
        let mut prepared = Vec::with_capacity(count);
        for l in 0..count {
            let (config, articles) = language_of(&self.config, &library, l);
            let (bodies, targets, mention_links) = self.fresh_bodies(config, articles);
            self.bodies.extend(bodies);
            prepared.push((targets, mention_links));
        }
        let live: HashSet<&PathBuf> = (0..count)
            .flat_map(|l| &language_of(&self.config, &library, l).1.articles)
            .map(|a| &a.path)
            .collect();
        self.bodies.retain(|path, _| live.contains(path));
        for l in 0..count {
            for article in &language_of(&self.config, &library, l).1.articles {
                warnings.extend(self.bodies[&article.path].warnings.iter().cloned());
            }
        }

        timings.record("bodies", stage);
        stage = Instant::now();
        let templates = render::load_templates(&root, &self.config, &library)?;
        let mut card_keys = Vec::with_capacity(count);
        for l in 0..count {
            let (config, articles) = language_of(&self.config, &library, l);
            let (keys, new_cards) =
                self.fresh_cards(templates_of(&templates, l), config, articles)?;
            self.cards.extend(new_cards);
            card_keys.push(keys);
        }
        let live_cards: HashSet<u64> = card_keys.iter().flatten().copied().collect();
        self.cards.retain(|k, _| live_cards.contains(k));

        timings.record("cards", stage);
        stage = Instant::now();
        let mut outcome = self.render(
            &library,
            &templates,
            &card_keys.iter().map(Vec::as_slice).collect::<Vec<_>>(),
            None,
            first || !static_changed.is_empty(),
        )?;
        self.apply_static_changes(&mut outcome, &static_changed, first, &links)?;
        outcome.changed.sort();
        timings.record("render", stage);
        let languages = prepared
            .into_iter()
            .zip(card_keys)
            .enumerate()
            .map(|(l, ((targets, mention_links), card_keys))| {
                let (config, articles) = language_of(&self.config, &library, l);
                LanguageState {
                    card_keys,
                    ids: articles
                        .articles
                        .iter()
                        .enumerate()
                        .map(|(id, a)| (a.path.clone(), id))
                        .collect(),
                    lexicon: mentions::lexicon(config, &articles.taxonomies),
                    targets,
                    mention_links,
                }
            })
            .collect();
        self.last = Some(Snapshot {
            library,
            templates,
            languages,
        });
        if let Err(e) = self
            .highlighter
            .save(&crate::cache::highlight_cache_path(&root))
        {
            log::warn!("could not save the highlighting cache: {e}");
        }
        outcome.warnings = warnings;
        outcome.took = start.elapsed();
        outcome.timings = timings;
        Ok(outcome)
    }

    /// Reads the changed content files again; returns the changed files of static/, which
    /// are copied by the render rather than read.
    fn reread_changed(&mut self, changed: &[PathBuf]) -> Vec<PathBuf> {
        let root = self.options.root.clone();
        let mut static_changed = Vec::new();
        for path in changed {
            let absolute = root.join(path);
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
        static_changed
    }

    /// Removes from the output the static files that were deleted, and lists every changed
    /// one; when only stylesheets changed, browsers can swap them without a reload.
    fn apply_static_changes(
        &self,
        outcome: &mut Outcome,
        static_changed: &[PathBuf],
        first: bool,
        links: &Urls,
    ) -> Result<()> {
        let root = &self.options.root;
        for path in static_changed {
            let inside = path
                .strip_prefix(render::STATIC_DIR)
                .unwrap_or(path)
                .to_string_lossy()
                .into_owned();
            if !root.join(path).exists() {
                Staging::in_place(&self.out).remove(&inside)?;
            }
        }
        outcome.css_only = !first
            && outcome.changed.is_empty()
            && !static_changed.is_empty()
            && static_changed
                .iter()
                .all(|p| p.extension().is_some_and(|e| e == "css"));
        outcome.changed.extend(static_changed.iter().map(|p| {
            links.link(
                &p.strip_prefix(render::STATIC_DIR)
                    .unwrap_or(p)
                    .to_string_lossy(),
            )
        }));
        Ok(())
    }

    /// One language's bodies that are not current (rendered again, by path), with the link
    /// targets and mention links they were rendered with.
    fn fresh_bodies(
        &self,
        config: &Config,
        library: &Library,
    ) -> (
        Vec<(PathBuf, CachedBody)>,
        LinkTargets,
        Option<MentionLinks>,
    ) {
        let links = Urls::new(&config.base_url, config.base_path());
        let targets = LinkTargets::new(&links, &library.articles)
            .with_left_out(library.left_out.iter().cloned());
        let mention_links = MentionLinks::new(config, library);
        let mention_key = mention_links.as_ref().map(MentionLinks::key);
        let linker = mention_links
            .as_ref()
            .map(|l| move |text: &str| l.find(text));
        let md_options = content::markdown_options(config);
        let rendered = library
            .articles
            .par_iter()
            .filter_map(|article| {
                let (source, source_hash) = self
                    .files
                    .get(&article.path)
                    .map(|f| (&*f.source, f.source_hash))
                    .unwrap_or(("", content::source_hash("")));
                let current = self.bodies.get(&article.path).is_some_and(|cached| {
                    cached
                        .record
                        .still_holds(article, source_hash, md_options, &targets)
                        && (!cached.record.used_mention_links
                            || cached.mention_links == mention_key)
                });
                (!current).then(|| {
                    let body = render_one_body(
                        article,
                        source,
                        md_options,
                        &targets,
                        &self.highlighter,
                        linker
                            .as_ref()
                            .map(|f| f as content::markdown::MentionLinker<'_>),
                        mention_links.as_ref(),
                    );
                    (article.path.clone(), body)
                })
            })
            .collect();
        (rendered, targets, mention_links)
    }

    /// One language's card keys, in library order, and the cards not made yet.
    fn fresh_cards(
        &self,
        templates: &Templates,
        config: &Config,
        library: &Library,
    ) -> Result<(Vec<u64>, NewCards)> {
        let card_keys: Vec<u64> = (0..library.articles.len())
            .into_par_iter()
            .map(|id| {
                let body = &self.bodies[&library.articles[id].path].body;
                render::card_key(templates, config, library, id, body)
            })
            .collect();
        let missing: Vec<usize> = (0..library.articles.len())
            .filter(|&id| !self.cards.contains_key(&card_keys[id]))
            .collect();
        let new_cards = missing
            .par_iter()
            .map(|&id| {
                let body = &self.bodies[&library.articles[id].path].body;
                Ok((
                    card_keys[id],
                    render::card(templates, config, library, id, body)?,
                ))
            })
            .collect::<Result<_>>()?;
        Ok((card_keys, new_cards))
    }

    /// The library of the files as they are now, with the mention scans of unchanged articles
    /// reused.
    fn index(&self) -> Result<(Library, Vec<Diagnostic>)> {
        let mut articles = Vec::new();
        let mut profiles: Vec<Profile> = Vec::new();
        let mut diagnostics: Vec<Diagnostic> = Vec::new();
        let mut sources: HashMap<&Path, (&str, u64)> = HashMap::new();
        for (path, file) in &self.files {
            diagnostics.extend(file.diagnostics.iter().cloned());
            match &file.item {
                Some(Item::Article(a)) => {
                    // Bodies, of every language, are rendered from the files' sources.
                    articles.push((**a).clone());
                    sources.insert(path, (&*file.source, file.source_hash));
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
                .get(article.path.as_path())
                .map(|&(s, h)| (s, key::hash((h, &article.title))))
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
        Ok((library, diagnostics))
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

/// Renders one article's body, keeping what it was made from.
fn render_one_body(
    article: &Article,
    source: &str,
    options: content::markdown::MarkdownOptions,
    targets: &LinkTargets,
    highlighter: &HighlightCache,
    linker: Option<content::markdown::MentionLinker<'_>>,
    mention_links: Option<&MentionLinks>,
) -> CachedBody {
    let (body, warnings, record) =
        content::render_body_recorded(article, source, options, targets, highlighter, linker);
    CachedBody {
        mention_links: record
            .used_mention_links
            .then(|| mention_links.map(MentionLinks::key))
            .flatten(),
        record,
        body: Shared::new(body, Some(Dep::article(&article.path))),
        warnings,
    }
}

/// Whether a change means reading the whole site again: its configuration changed, or a
/// string table (`i18n/`), which the configuration of each language carries.
pub fn needs_restart(root: &Path, changed: &[PathBuf]) -> bool {
    changed.iter().any(|p| {
        let relative = p.strip_prefix(root).unwrap_or(p);
        relative == Path::new(CONFIG_FILE) || relative.starts_with(crate::i18n::I18N_DIR)
    })
}

fn read_file(found: &content::discover::Found, config: &Config) -> File {
    let parsed = content::parse_file(found, config);
    let mut item = parsed.item;
    let source: Arc<str> = match &mut item {
        Some(Item::Article(article)) => Arc::from(std::mem::take(&mut article.body)),
        _ => Arc::from(""),
    };
    File {
        item,
        diagnostics: parsed.diagnostics,
        source_hash: content::source_hash(&source),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_toml_and_string_tables_restart_the_site() {
        let root = Path::new("/site");
        let restarts = |path: &str| needs_restart(root, &[root.join(path)]);
        assert!(restarts("site.toml"));
        assert!(restarts("i18n/zh.toml"));
        assert!(!restarts("content/a.zh.md"));
        assert!(!restarts("templates/base.html"));
    }
}
