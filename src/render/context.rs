//! What templates see. Views borrow from the library and are turned into Tera values once:
//! an article's summary value (with its pre-rendered card) is shared by every list it is on.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Value;

use crate::config::Config;
use crate::content::markdown::TocEntry;
use crate::content::{Article, Body, Source};
use crate::library::matrix::Matrix;
use crate::library::{ArticleId, Edition, Library, Taxonomy, Term};
use crate::urls::{self, Urls};

use super::key::{Part, Shared};

/// A field of an article's rendered body, keyed with the body (see [`super::key`]).
pub type BodyPart<'a, P> = Part<'a, Body, P>;

/// `YYYY-MM-DD` in the site's time zone.
pub fn date_string(zoned: &jiff::ZonedDateTime) -> String {
    zoned.date().to_string()
}

/// RFC 3339 with the site's offset: `2023-09-15T00:00:00+00:00`.
pub fn datetime_string(zoned: &jiff::ZonedDateTime) -> String {
    jiff::fmt::strtime::format("%Y-%m-%dT%H:%M:%S%:z", zoned)
        .unwrap_or_else(|_| zoned.timestamp().to_string())
}

#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub base_url: &'a str,
    pub language: &'a str,
    pub taxonomies: Vec<TaxonomyView<'a>>,
    pub feeds: FeedLinks,
    pub extra: &'a toml::Table,
    pub generator: String,
    /// None when editions are turned off.
    pub editions_url: Option<String>,
    /// None without a company × regulation matrix.
    pub matrix_url: Option<String>,
    /// The search page; None with `[search] enabled = false`.
    pub search_url: Option<String>,
}

#[derive(Serialize, Clone)]
pub struct FeedLinks {
    pub atom: Option<String>,
    pub rss: Option<String>,
    pub json: Option<String>,
}

/// A `<link rel="alternate">` a page carries.
#[derive(Serialize, Clone)]
pub struct FeedLink {
    pub url: String,
    pub title: String,
    #[serde(rename = "type")]
    pub mime: &'static str,
}

#[derive(Serialize)]
pub struct TaxonomyView<'a> {
    pub name: &'a str,
    pub title: &'a str,
    pub url: String,
}

impl<'a> TaxonomyView<'a> {
    pub fn new(taxonomy: &'a Taxonomy, links: &Urls) -> Self {
        TaxonomyView {
            name: &taxonomy.name,
            title: &taxonomy.title,
            url: links.link(&urls::taxonomy(&taxonomy.name)),
        }
    }
}

pub fn site_view<'a>(
    config: &'a Config,
    library: &'a Library,
    links: &Urls,
    feeds: FeedLinks,
) -> SiteView<'a> {
    SiteView {
        title: &config.title,
        description: &config.description,
        base_url: &config.base_url,
        language: &config.language,
        taxonomies: library
            .taxonomies
            .iter()
            .map(|t| TaxonomyView::new(t, links))
            .collect(),
        feeds,
        extra: &config.extra,
        generator: format!("digest {}", env!("CARGO_PKG_VERSION")),
        editions_url: (config.edition != crate::config::EditionKind::None)
            .then(|| links.link("editions/")),
        matrix_url: library.matrix.is_some().then(|| links.link(urls::MATRIX)),
        // Each language's own search page (its part of the one index).
        search_url: config
            .search
            .enabled
            .then(|| links.link(super::search::PAGE)),
    }
}

#[derive(Serialize)]
pub struct TermLink<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
}

#[derive(Serialize)]
pub struct SummaryView<'a> {
    pub title: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub permalink: String,
    pub date: String,
    pub datetime: String,
    pub updated: Option<String>,
    pub updated_datetime: Option<String>,
    pub summary: BodyPart<'a, str>,
    pub summary_text: BodyPart<'a, str>,
    pub authors: &'a [String],
    pub source: Option<&'a Source>,
    pub image: Option<&'a str>,
    /// The image's link from this site's pages (`/digest/images/a.png`), or its own address.
    pub image_url: Option<String>,
    /// The image's absolute address, for Open Graph and feeds.
    pub image_permalink: Option<String>,
    /// Empty when the front matter gives none (`alt=""`; `digest check` warns).
    pub image_alt: &'a str,
    pub lang: &'a str,
    pub terms: BTreeMap<&'a str, Vec<TermLink<'a>>>,
    pub word_count: BodyPart<'a, usize>,
    pub reading_time: BodyPart<'a, usize>,
}

pub fn summary_view<'a>(
    config: &'a Config,
    library: &'a Library,
    id: ArticleId,
    shared: &'a Shared<Body>,
    links: &Urls,
) -> SummaryView<'a> {
    let body = shared.value();
    let article = &library.articles[id];
    let path = article.url.clone();
    let terms = library
        .taxonomies
        .iter()
        .zip(&library.article_terms[id])
        .map(|(taxonomy, ids)| {
            let list = ids
                .iter()
                .map(|&t| term_link(taxonomy, &taxonomy.terms[t], links))
                .collect();
            (taxonomy.name.as_str(), list)
        })
        .collect();
    SummaryView {
        title: &article.title,
        slug: &article.slug,
        url: links.link(&path),
        permalink: links.permalink(&path),
        date: date_string(&article.date),
        datetime: datetime_string(&article.date),
        updated: article.updated.as_ref().map(date_string),
        updated_datetime: article.updated.as_ref().map(datetime_string),
        summary: shared.part("summary_html", body.summary_html.as_str()),
        summary_text: shared.part("summary_text", body.summary_text.as_str()),
        authors: &article.authors,
        source: article.source.as_ref(),
        image: article.image.as_deref(),
        image_url: article.image.as_deref().map(|i| image_link(i, links)),
        image_permalink: article
            .image
            .as_deref()
            .map(|i| super::feeds::absolute(i, links)),
        image_alt: article.image_alt.as_deref().unwrap_or(""),
        lang: article.lang.as_deref().unwrap_or(&config.language),
        terms,
        word_count: shared.part("word_count", &body.word_count),
        reading_time: shared.part("reading_time", &body.reading_time),
    }
}

/// An image of the front matter as pages link it: an address as written, a path (with or
/// without its leading `/`) from the site's root under base_url's path.
pub fn image_link(image: &str, links: &Urls) -> String {
    if image.starts_with("http://") || image.starts_with("https://") || image.starts_with("//") {
        image.to_string()
    } else {
        links.link(image)
    }
}

pub fn term_link<'a>(taxonomy: &'a Taxonomy, term: &'a Term, links: &Urls) -> TermLink<'a> {
    TermLink {
        name: &term.name,
        slug: &term.slug,
        url: links.link(&urls::term(&taxonomy.name, &term.slug)),
    }
}

#[derive(Serialize)]
pub struct NeighbourView<'a> {
    pub title: &'a str,
    pub url: String,
}

#[derive(Serialize)]
pub struct EditionLink<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub url: String,
}

/// What an article page adds to the summary.
#[derive(Serialize)]
pub struct ArticleDetails<'a> {
    pub toc: BodyPart<'a, [TocEntry]>,
    pub previous: Option<NeighbourView<'a>>,
    pub next: Option<NeighbourView<'a>>,
    pub edition: Option<EditionLink<'a>>,
    pub extra: &'a serde_json::Value,
    /// Terms the text names without the article being filed under them, by taxonomy.
    pub mentions: BTreeMap<&'a str, Vec<TermLink<'a>>>,
}

pub fn article_details<'a>(
    library: &'a Library,
    id: ArticleId,
    body: &'a Shared<Body>,
    links: &Urls,
) -> ArticleDetails<'a> {
    let article = &library.articles[id];
    let neighbour = |a: &'a Article| NeighbourView {
        title: &a.title,
        url: links.link(&a.url),
    };
    ArticleDetails {
        toc: body.part("toc", body.value().toc.as_slice()),
        previous: library.previous(id).map(neighbour),
        next: library.next(id).map(neighbour),
        edition: library.article_edition[id].map(|e| edition_link(&library.editions[e], links)),
        extra: &article.extra,
        mentions: {
            let mut by_taxonomy: BTreeMap<&str, Vec<TermLink<'a>>> = library
                .taxonomies
                .iter()
                .map(|t| (t.name.as_str(), Vec::new()))
                .collect();
            for &(t, term) in &library.article_mentions[id] {
                let taxonomy = &library.taxonomies[t];
                if let Some(list) = by_taxonomy.get_mut(taxonomy.name.as_str()) {
                    list.push(term_link(taxonomy, &taxonomy.terms[term], links));
                }
            }
            by_taxonomy
        },
    }
}

pub fn edition_link<'a>(edition: &'a Edition, links: &Urls) -> EditionLink<'a> {
    EditionLink {
        id: &edition.id,
        title: &edition.title,
        url: links.link(&urls::edition(&edition.id)),
    }
}

#[derive(Serialize)]
pub struct TopTerm<'a> {
    pub taxonomy: &'a str,
    pub name: &'a str,
    pub url: String,
    pub count: usize,
}

#[derive(Serialize)]
pub struct EditionView<'a> {
    pub id: &'a str,
    pub title: &'a str,
    /// `week` or `month`.
    pub kind: &'static str,
    /// Whether the edition is the one running today ("This week").
    pub current: bool,
    pub start: String,
    pub end: String,
    pub url: String,
    pub count: usize,
    pub top_terms: Vec<TopTerm<'a>>,
    pub previous: Option<EditionLink<'a>>,
    pub next: Option<EditionLink<'a>>,
}

/// An edition without its article list; `index` is its place in `library.editions` (newest first).
pub fn edition_view<'a>(library: &'a Library, index: usize, links: &Urls) -> EditionView<'a> {
    let edition = &library.editions[index];
    let mut counts: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for &id in &edition.articles {
        for (t, ids) in library.article_terms[id].iter().enumerate() {
            for &term in ids {
                *counts.entry((t, term)).or_default() += 1;
            }
        }
    }
    let mut top: Vec<((usize, usize), usize)> = counts.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let top_terms = top
        .into_iter()
        .take(8)
        .map(|((t, term), count)| {
            let taxonomy = &library.taxonomies[t];
            let term = &taxonomy.terms[term];
            TopTerm {
                taxonomy: &taxonomy.name,
                name: &term.name,
                url: links.link(&urls::term(&taxonomy.name, &term.slug)),
                count,
            }
        })
        .collect();
    EditionView {
        id: &edition.id,
        title: &edition.title,
        kind: if edition.weekly { "week" } else { "month" },
        current: edition.start <= library.today && library.today <= edition.end,
        start: edition.start.to_string(),
        end: edition.end.to_string(),
        url: links.link(&urls::edition(&edition.id)),
        count: edition.articles.len(),
        top_terms,
        previous: library
            .editions
            .get(index + 1)
            .map(|e| edition_link(e, links)),
        next: index
            .checked_sub(1)
            .map(|i| edition_link(&library.editions[i], links)),
    }
}

#[derive(Serialize)]
pub struct TermSummary<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub count: usize,
    pub latest: Option<String>,
}

pub fn term_summary<'a>(
    library: &'a Library,
    taxonomy: &'a Taxonomy,
    term: &'a Term,
    links: &Urls,
) -> TermSummary<'a> {
    TermSummary {
        name: &term.name,
        slug: &term.slug,
        url: links.link(&urls::term(&taxonomy.name, &term.slug)),
        count: term.articles.len(),
        latest: term
            .articles
            .first()
            .map(|&id| date_string(&library.articles[id].date)),
    }
}

#[derive(Serialize)]
pub struct TermView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub count: usize,
    pub latest: Option<String>,
    pub aliases: &'a [String],
    pub website: Option<&'a str>,
    /// `www.alibabagroup.com` for `https://www.alibabagroup.com/en/`.
    pub website_host: Option<&'a str>,
    pub summary: Option<&'a str>,
    pub jurisdiction: Option<&'a str>,
    pub effective: Option<String>,
    pub status: Option<&'a str>,
    pub description: Option<&'a str>,
    /// Other terms most often in the same articles, by taxonomy, most shared first.
    pub related: BTreeMap<&'a str, Vec<RelatedTerm<'a>>>,
    /// The profile's events merged with the latest articles, oldest first.
    pub timeline: Vec<TimelineEntry<'a>>,
    /// Articles per month as an inline SVG (safe HTML), or none without articles.
    pub chart: Option<String>,
    /// Articles that name the term without being filed under it (newest first, at most 20).
    pub mentioned_in: Vec<NeighbourView<'a>>,
    pub mentioned_count: usize,
}

#[derive(Serialize)]
pub struct RelatedTerm<'a> {
    pub name: &'a str,
    pub url: String,
    pub count: usize,
}

#[derive(Serialize)]
pub struct TimelineEntry<'a> {
    pub date: String,
    pub text: &'a str,
    /// Articles link to their page; profile events have no page.
    pub url: Option<String>,
    /// `event` (from the profile) or `article`.
    pub kind: &'static str,
}

/// How many related terms of each taxonomy a term page lists.
const RELATED_PER_TAXONOMY: usize = 8;
/// How many of the newest articles join a profile's events on the timeline.
const TIMELINE_ARTICLES: usize = 12;

pub fn term_view<'a>(
    library: &'a Library,
    taxonomy: &'a Taxonomy,
    term: &'a Term,
    links: &Urls,
    strings: &crate::i18n::Strings,
) -> TermView<'a> {
    let profile = term.profile.as_ref();
    let summary = term_summary(library, taxonomy, term, links);
    TermView {
        name: summary.name,
        slug: summary.slug,
        url: summary.url,
        count: summary.count,
        latest: summary.latest,
        aliases: profile.map(|p| p.aliases.as_slice()).unwrap_or(&[]),
        website: profile.and_then(|p| p.website.as_deref()),
        website_host: profile.and_then(|p| p.website.as_deref()).map(website_host),
        summary: profile.and_then(|p| p.summary.as_deref()),
        jurisdiction: profile.and_then(|p| p.jurisdiction.as_deref()),
        effective: profile.and_then(|p| p.effective).map(|d| d.to_string()),
        status: profile.and_then(|p| p.status.as_deref()),
        description: profile
            .map(|p| p.description_html.as_str())
            .filter(|d| !d.trim().is_empty()),
        related: related_terms(library, taxonomy, term, links),
        timeline: timeline(library, term, links),
        chart: super::chart::monthly_coverage(
            term.articles
                .iter()
                .map(|&id| library.articles[id].date.date()),
            &term.name,
            strings,
        ),
        mentioned_in: term
            .mentioned_in
            .iter()
            .take(20)
            .map(|&id| NeighbourView {
                title: &library.articles[id].title,
                url: links.link(&library.articles[id].url),
            })
            .collect(),
        mentioned_count: term.mentioned_in.len(),
    }
}

/// The host of a web address, or the address itself when it has none.
fn website_host(url: &str) -> &str {
    match url.split_once("://") {
        Some((_, rest)) => rest.split(['/', '?', '#']).next().unwrap_or(rest),
        None => url,
    }
}

fn related_terms<'a>(
    library: &'a Library,
    taxonomy: &'a Taxonomy,
    term: &'a Term,
    links: &Urls,
) -> BTreeMap<&'a str, Vec<RelatedTerm<'a>>> {
    let this = library
        .taxonomies
        .iter()
        .position(|t| std::ptr::eq(t, taxonomy))
        .zip(taxonomy.terms.iter().position(|t| std::ptr::eq(t, term)));
    let mut counts: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for &id in &term.articles {
        for other in library.terms_of(id) {
            if Some(other) != this {
                *counts.entry(other).or_default() += 1;
            }
        }
    }
    let mut ranked: Vec<((usize, usize), usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut related: BTreeMap<&str, Vec<RelatedTerm<'a>>> = library
        .taxonomies
        .iter()
        .map(|t| (t.name.as_str(), Vec::new()))
        .collect();
    for ((t, other), count) in ranked {
        let other_taxonomy = &library.taxonomies[t];
        let list = related.entry(other_taxonomy.name.as_str()).or_default();
        if list.len() < RELATED_PER_TAXONOMY {
            let other = &other_taxonomy.terms[other];
            list.push(RelatedTerm {
                name: &other.name,
                url: links.link(&urls::term(&other_taxonomy.name, &other.slug)),
                count,
            });
        }
    }
    related
}

fn timeline<'a>(library: &'a Library, term: &'a Term, links: &Urls) -> Vec<TimelineEntry<'a>> {
    let Some(profile) = term.profile.as_ref().filter(|p| !p.timeline.is_empty()) else {
        return Vec::new();
    };
    let mut entries: Vec<(jiff::civil::Date, TimelineEntry<'a>)> = profile
        .timeline
        .iter()
        .map(|e| {
            (
                e.date,
                TimelineEntry {
                    date: e.date.to_string(),
                    text: &e.event,
                    url: None,
                    kind: "event",
                },
            )
        })
        .collect();
    entries.extend(term.articles.iter().take(TIMELINE_ARTICLES).map(|&id| {
        let article = &library.articles[id];
        let date = article.date.date();
        (
            date,
            TimelineEntry {
                date: date.to_string(),
                text: &article.title,
                url: Some(links.link(&article.url)),
                kind: "article",
            },
        )
    }));
    // Oldest first; on one day the profile's event comes before the stories about it.
    entries.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.kind.cmp(b.1.kind).reverse()));
    entries.into_iter().map(|(_, e)| e).collect()
}

/// Adds `key: value` to a map-valued Tera value.
pub fn with_field(value: Value, key: &'static str, field: Value) -> Value {
    let mut map = value.into_map().unwrap_or_default();
    map.insert(key.into(), field);
    Value::from(map)
}

#[derive(Serialize)]
pub struct MatrixView<'a> {
    pub rows_title: &'a str,
    pub columns_title: &'a str,
    pub columns: Vec<TermLink<'a>>,
    pub rows: Vec<MatrixRow<'a>>,
}

#[derive(Serialize)]
pub struct MatrixRow<'a> {
    pub name: &'a str,
    pub url: String,
    pub cells: Vec<MatrixCell>,
}

#[derive(Serialize)]
pub struct MatrixCell {
    pub count: usize,
    /// The page of those articles; none for an empty cell.
    pub url: Option<String>,
}

pub fn matrix_view<'a>(library: &'a Library, matrix: &'a Matrix, links: &Urls) -> MatrixView<'a> {
    let rows_taxonomy = &library.taxonomies[matrix.rows];
    let columns_taxonomy = &library.taxonomies[matrix.columns];
    let column_terms = matrix.column_terms();
    MatrixView {
        rows_title: &rows_taxonomy.title,
        columns_title: &columns_taxonomy.title,
        columns: column_terms
            .iter()
            .map(|&c| term_link(columns_taxonomy, &columns_taxonomy.terms[c], links))
            .collect(),
        rows: matrix
            .row_terms()
            .into_iter()
            .map(|r| {
                let row = &rows_taxonomy.terms[r];
                MatrixRow {
                    name: &row.name,
                    url: links.link(&urls::term(&rows_taxonomy.name, &row.slug)),
                    cells: column_terms
                        .iter()
                        .map(|&c| {
                            let count = matrix.cells.get(&(r, c)).map_or(0, Vec::len);
                            MatrixCell {
                                count,
                                url: (count > 0).then(|| {
                                    links.link(&urls::matrix_cell(
                                        &row.slug,
                                        &columns_taxonomy.terms[c].slug,
                                    ))
                                }),
                            }
                        })
                        .collect(),
                }
            })
            .collect(),
    }
}
