//! What each output depends on, as one hash per output path. `digest serve` compares the keys
//! of two rebuilds and renders only the outputs whose key changed: an edit re-renders what
//! depends on it and nothing else.
//!
//! Each key hashes exactly the inputs the renderer reads for that output (see mod.rs), through
//! small per-article and per-term hashes so that keying a whole site stays cheap. The
//! equivalence test in tests/serve.rs (incremental output == full build, after every edit of a
//! long random sequence) is what keeps these in step with the renderer.

use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::config::Config;
use crate::content::{Article, Body};
use crate::library::paginate::paginate;
use crate::library::{ArticleId, Library};
use crate::urls::{self, Urls};

use super::context;
use super::feeds::{self, last_modified};

pub fn hash(value: impl Hash) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// Hashes of the templates each kind of output is rendered with (a site's own template of the
/// same name replaces the built-in one; any other site template may be included anywhere).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateKeys {
    by_name: BTreeMap<String, u64>,
}

impl TemplateKeys {
    pub fn new(sources: impl IntoIterator<Item = (String, u64)>) -> Self {
        TemplateKeys {
            by_name: sources.into_iter().collect(),
        }
    }

    fn of(&self, names: &[&str]) -> u64 {
        let builtin = |name: &str| super::builtin::TEMPLATES.iter().any(|(n, _)| *n == name);
        let used: Vec<(&String, &u64)> = self
            .by_name
            .iter()
            .filter(|(name, _)| names.contains(&name.as_str()) || !builtin(name))
            .collect();
        hash(used)
    }
}

/// The parts of an article that its card and its page show.
pub fn meta_key(article: &Article) -> u64 {
    hash((
        &article.path,
        &article.title,
        &article.slug,
        article.date.to_string(),
        article.updated.as_ref().map(ToString::to_string),
        &article.authors,
        &article.summary,
        &article.source.as_ref().map(|s| (&s.name, &s.url)),
        &article.image,
        &article.lang,
        article.extra.to_string(),
    ))
}

/// The rendered body: what the page shows and what cards and feeds take from it.
pub fn body_key(body: &Body) -> u64 {
    hash((
        &body.html,
        body.toc
            .iter()
            .map(|e| (e.level, &e.id, &e.title))
            .collect::<Vec<_>>(),
        &body.summary_html,
        &body.summary_text,
        body.word_count,
        body.reading_time,
    ))
}

/// Everything in an article's summary value and card.
pub fn card_keys(
    library: &Library,
    meta: &[u64],
    bodies: &[&Body],
    templates: &TemplateKeys,
) -> Vec<u64> {
    let term_hashes = term_hashes(library);
    (0..library.articles.len())
        .map(|id| card_key(library, id, meta[id], bodies[id], &term_hashes, templates))
        .collect()
}

/// One article's card key (see [`card_keys`]).
pub fn card_key(
    library: &Library,
    id: ArticleId,
    meta: u64,
    body: &Body,
    term_hashes: &HashMap<(usize, usize), u64>,
    templates: &TemplateKeys,
) -> u64 {
    let terms: Vec<u64> = library.terms_of(id).map(|t| term_hashes[&t]).collect();
    hash((
        templates.of(&["partials/card.html"]),
        meta,
        &body.summary_html,
        &body.summary_text,
        body.word_count,
        body.reading_time,
        terms,
        &library.article_terms[id]
            .iter()
            .map(Vec::len)
            .collect::<Vec<_>>(),
    ))
}

/// A hash of each term's taxonomy, name and slug: what a card shows of it.
pub fn term_hashes(library: &Library) -> HashMap<(usize, usize), u64> {
    let mut out = HashMap::new();
    for (t, taxonomy) in library.taxonomies.iter().enumerate() {
        for (i, term) in taxonomy.terms.iter().enumerate() {
            out.insert((t, i), hash((&taxonomy.name, &term.name, &term.slug)));
        }
    }
    out
}

/// Keys of every output path the renderer writes with `wanted(path)`.
pub fn output_keys(
    config: &Config,
    library: &Library,
    cards: &[u64],
    body_keys: &[u64],
    templates: &TemplateKeys,
) -> HashMap<String, u64> {
    let links = Urls::new(&config.base_url, config.base_path());
    let mut keys = HashMap::new();
    let term_hashes = term_hashes(library);
    // What JSON-LD says of a term: its name and, from the profile, website or jurisdiction.
    let entity_hashes: HashMap<(usize, usize), u64> = term_hashes
        .iter()
        .map(|(&(t, i), &h)| {
            let profile = library.taxonomies[t].terms[i].profile.as_ref();
            let entity = profile.map(|p| {
                (
                    &p.website,
                    &p.jurisdiction,
                    p.effective.map(|d| d.to_string()),
                )
            });
            ((t, i), hash((h, entity)))
        })
        .collect();

    let article_template = templates.of(&["base.html", "article.html"]);
    for (id, article) in library.articles.iter().enumerate() {
        let edition = library.article_edition[id]
            .map(|e| (&library.editions[e].id, &library.editions[e].title));
        let mentions: Vec<u64> = library.article_mentions[id]
            .iter()
            .map(|t| term_hashes[t])
            .collect();
        let entities: Vec<u64> = library.terms_of(id).map(|t| entity_hashes[&t]).collect();
        keys.insert(
            urls::article(&article.slug),
            hash((
                article_template,
                cards[id],
                body_keys[id],
                library.previous(id).map(|a| (&a.title, &a.slug)),
                library.next(id).map(|a| (&a.title, &a.slug)),
                edition,
                mentions,
                entities,
            )),
        );
    }
    let cards_of = |ids: &[ArticleId]| hash(ids.iter().map(|&id| cards[id]).collect::<Vec<_>>());

    let edition_views: Vec<u64> = (0..library.editions.len())
        .map(|i| {
            hash(
                serde_json::to_string(&context::edition_view(library, i, &links))
                    .unwrap_or_default(),
            )
        })
        .collect();
    let all: Vec<ArticleId> = (0..library.articles.len()).collect();
    let home_template = templates.of(&["base.html", "index.html", "partials/pagination.html"]);
    for page in paginate(&all, config.per_page, "", &links) {
        keys.insert(
            page.path.clone(),
            hash((
                home_template,
                serde_json::to_string(&page.paginator).unwrap_or_default(),
                cards_of(page.items),
                edition_views.first(),
            )),
        );
    }

    if config.edition != crate::config::EditionKind::None {
        let edition_template = templates.of(&["base.html", "edition.html"]);
        for (i, edition) in library.editions.iter().enumerate() {
            keys.insert(
                urls::edition(&edition.id),
                hash((
                    edition_template,
                    edition_views[i],
                    cards_of(&edition.articles),
                )),
            );
        }
        keys.insert(
            "editions/".into(),
            hash((
                templates.of(&["base.html", "editions.html"]),
                &edition_views,
            )),
        );
        let in_feed: Vec<u64> = library
            .editions
            .iter()
            .take(config.feeds.limit)
            .map(|e| {
                hash((
                    &e.id,
                    &e.title,
                    e.start.to_string(),
                    e.end.to_string(),
                    e.articles
                        .iter()
                        .map(|&id| (cards[id], last_modified(&library.articles[id]).to_string()))
                        .collect::<Vec<_>>(),
                ))
            })
            .collect();
        keys.insert(feeds::EDITIONS_FEED.into(), hash(in_feed));
    }

    let feed_template = templates.of(&["atom.xml", "rss.xml"]);
    let feed_entries = |ids: &[ArticleId]| {
        hash(
            ids.iter()
                .take(config.feeds.limit)
                .map(|&id| {
                    (
                        cards[id],
                        body_keys[id],
                        last_modified(&library.articles[id]).to_string(),
                    )
                })
                .collect::<Vec<_>>(),
        )
    };
    let feed_files = |keys: &mut HashMap<String, u64>, dir: &str, title: &str, entries: u64| {
        for file in ["atom.xml", "rss.xml", "feed.json"] {
            keys.insert(
                format!("{dir}{file}"),
                hash((feed_template, file, title, entries)),
            );
        }
    };
    feed_files(&mut keys, "", &config.title, feed_entries(&all));

    let taxonomy_template = templates.of(&["base.html", "taxonomy.html"]);
    let term_template = templates.of(&["base.html", "term.html", "partials/pagination.html"]);
    let mut term_feeds = Vec::new();
    for taxonomy in &library.taxonomies {
        let summaries: Vec<String> = taxonomy
            .terms
            .iter()
            .map(|t| {
                serde_json::to_string(&context::term_summary(library, taxonomy, t, &links))
                    .unwrap_or_default()
            })
            .collect();
        keys.insert(
            urls::taxonomy(&taxonomy.name),
            hash((
                taxonomy_template,
                &taxonomy.name,
                &taxonomy.title,
                summaries,
            )),
        );
        for term in &taxonomy.terms {
            let first = urls::term(&taxonomy.name, &term.slug);
            let view = hash(
                serde_json::to_string(&context::term_view(library, taxonomy, term, &links))
                    .unwrap_or_default(),
            );
            for page in paginate(&term.articles, config.per_page, &first, &links) {
                keys.insert(
                    page.path.clone(),
                    hash((
                        term_template,
                        &taxonomy.name,
                        &taxonomy.title,
                        taxonomy.feed,
                        view,
                        serde_json::to_string(&page.paginator).unwrap_or_default(),
                        cards_of(page.items),
                    )),
                );
            }
            if taxonomy.feed {
                term_feeds.push((first, term.name.clone(), feed_entries(&term.articles)));
            }
        }
    }
    for (dir, name, entries) in term_feeds {
        feed_files(&mut keys, &dir, &name, entries);
    }

    if let Some(matrix) = &library.matrix {
        keys.insert(
            urls::MATRIX.into(),
            hash((
                templates.of(&["base.html", "matrix.html"]),
                serde_json::to_string(&context::matrix_view(library, matrix, &links))
                    .unwrap_or_default(),
            )),
        );
        let cell_template =
            templates.of(&["base.html", "matrix_cell.html", "partials/pagination.html"]);
        let (rows, columns) = (
            &library.taxonomies[matrix.rows],
            &library.taxonomies[matrix.columns],
        );
        for (&(r, c), ids) in &matrix.cells {
            let (row, column) = (&rows.terms[r], &columns.terms[c]);
            let first = urls::matrix_cell(&row.slug, &column.slug);
            for page in paginate(ids, config.per_page, &first, &links) {
                keys.insert(
                    page.path.clone(),
                    hash((
                        cell_template,
                        (&row.name, &row.slug, &column.name, &column.slug),
                        serde_json::to_string(&page.paginator).unwrap_or_default(),
                        cards_of(page.items),
                    )),
                );
            }
        }
    }
    keys.insert("404.html".into(), templates.of(&["base.html", "404.html"]));
    keys
}
