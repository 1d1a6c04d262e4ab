//! Feeds: Atom and RSS through (overridable) templates, JSON Feed 1.1 serialised with serde,
//! the editions' Atom feed written by code. Each is rendered from a view built here, which is
//! also what its key hashes.

use std::sync::OnceLock;

use serde::Serialize;
use tera::Value;

use crate::content::{Article, Body};
use crate::library::{ArticleId, Library};
use crate::text::escape_xml;
use crate::urls::Urls;

use super::Held;
use super::context::{BodyPart, datetime_string};
use super::key::{Made, Shared};

/// Which feed a page follows: the site's, a term's, the editions'.
pub struct FeedSpec<'a> {
    pub title: String,
    pub description: String,
    /// Site-relative path of the page the feed follows ("companies/alibaba/").
    pub page_path: String,
    pub entries: &'a [ArticleId],
}

/// What feeds are made from: the library, each article's card value and rendered body.
#[derive(Clone, Copy)]
pub struct FeedSources<'a> {
    pub library: &'a Library,
    pub cards: &'a [Held<'a, Shared<Value>>],
    pub bodies: &'a [Held<'a, Shared<Body>>],
    /// Each article's Atom/RSS entry value, made on first use.
    pub entry_cache: &'a [OnceLock<Value>],
    pub links: &'a Urls,
    pub language: &'a str,
}

/// The `feed` that atom.xml and rss.xml see.
#[derive(Serialize)]
pub struct FeedView<'a> {
    title: &'a str,
    description: &'a str,
    url: String,
    feed_url: String,
    updated: String,
    entries: Vec<Made<'a, EntryInputs<'a>>>,
}

/// An entry: the article's card value, with its content (HTML already escaped for XML, ready
/// for `<content type="html">` or `<description>`) and its last change.
#[derive(Serialize)]
pub struct EntryInputs<'a> {
    card: &'a Shared<Value>,
    content: BodyPart<'a, str>,
    updated_or_date: String,
}

fn entry_value(inputs: &EntryInputs<'_>) -> Value {
    let mut entry = inputs.card.value().clone().into_map().unwrap_or_default();
    entry.insert(
        "content".into(),
        Value::safe_string(&escape_xml(inputs.content.value())),
    );
    entry.insert(
        "updated_or_date".into(),
        Value::from(inputs.updated_or_date.as_str()),
    );
    Value::from(entry)
}

/// When the newest of `ids` last changed, RFC 3339.
fn updated_of(library: &Library, ids: &[ArticleId]) -> String {
    ids.iter()
        .map(|&id| last_modified(&library.articles[id]))
        .max_by_key(|z| z.timestamp())
        .map(datetime_string)
        .unwrap_or_else(|| "1970-01-01T00:00:00+00:00".into())
}

pub fn feed_view<'a>(
    spec: &'a FeedSpec<'_>,
    feed_path: &str,
    from: FeedSources<'a>,
) -> FeedView<'a> {
    let library = from.library;
    FeedView {
        title: &spec.title,
        description: &spec.description,
        url: from.links.permalink(&spec.page_path),
        feed_url: from.links.permalink(feed_path),
        updated: updated_of(library, spec.entries),
        entries: spec
            .entries
            .iter()
            .map(|&id| {
                // Made once per article, however many feeds carry it.
                Made::cached(
                    EntryInputs {
                        card: &from.cards[id],
                        content: from.bodies[id]
                            .part("html", from.bodies[id].value().html.as_str()),
                        updated_or_date: datetime_string(last_modified(&library.articles[id])),
                    },
                    entry_value,
                    &from.entry_cache[id],
                )
            })
            .collect(),
    }
}

pub fn last_modified(article: &Article) -> &jiff::ZonedDateTime {
    article.updated.as_ref().unwrap_or(&article.date)
}

/// A JSON Feed 1.1, as written (serde_json) and as keyed.
#[derive(Serialize)]
pub struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: String,
    feed_url: String,
    description: &'a str,
    language: &'a str,
    items: Vec<JsonItem<'a>>,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    id: String,
    url: String,
    title: &'a str,
    content_html: BodyPart<'a, str>,
    summary: BodyPart<'a, str>,
    date_published: String,
    date_modified: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<JsonAuthor<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    external_url: Option<&'a str>,
    language: &'a str,
}

#[derive(Serialize)]
struct JsonAuthor<'a> {
    name: &'a str,
}

pub fn json_feed<'a>(
    spec: &'a FeedSpec<'_>,
    feed_path: &str,
    from: FeedSources<'a>,
) -> JsonFeed<'a> {
    let FeedSources {
        library,
        bodies,
        links,
        language,
        ..
    } = from;
    let items = spec
        .entries
        .iter()
        .map(|&id| {
            let article = &library.articles[id];
            let body = &bodies[id];
            let permalink = links.permalink(&article.url);
            let tags = library
                .taxonomies
                .iter()
                .zip(&library.article_terms[id])
                .flat_map(|(taxonomy, ids)| ids.iter().map(|&t| taxonomy.terms[t].name.as_str()))
                .collect();
            JsonItem {
                id: permalink.clone(),
                url: permalink,
                title: &article.title,
                content_html: body.part("html", body.value().html.as_str()),
                summary: body.part("summary_text", body.value().summary_text.as_str()),
                date_published: datetime_string(&article.date),
                date_modified: datetime_string(last_modified(article)),
                authors: article
                    .authors
                    .iter()
                    .map(|name| JsonAuthor { name })
                    .collect(),
                tags,
                image: article.image.as_deref().map(|i| absolute(i, links)),
                external_url: article.source.as_ref().and_then(|s| s.url.as_deref()),
                language: article.lang.as_deref().unwrap_or(language),
            }
        })
        .collect();
    JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: &spec.title,
        home_page_url: links.permalink(&spec.page_path),
        feed_url: links.permalink(feed_path),
        description: &spec.description,
        language,
        items,
    }
}

/// The feed's JSON, compact.
pub fn write_json_feed(feed: &JsonFeed<'_>) -> crate::Result<Vec<u8>> {
    serde_json::to_vec(feed)
        .map_err(|e| crate::Error::Other(format!("cannot write a JSON feed: {e}")))
}

/// Front-matter image paths become absolute for feeds and social cards.
pub fn absolute(url: &str, links: &crate::urls::Urls) -> String {
    if url.starts_with("http://") || url.starts_with("https://") {
        url.to_string()
    } else if let Some(rest) = url.strip_prefix("//") {
        format!("https://{rest}")
    } else {
        links.permalink(url)
    }
}

pub const EDITIONS_FEED: &str = "editions/atom.xml";

/// `/editions/atom.xml`: one entry per edition, its content the list of its stories.
#[derive(Serialize)]
pub struct EditionsFeed<'a> {
    language: &'a str,
    /// The site's title: the feed's author.
    site: &'a str,
    /// "Tech Policy Digest — editions", in the feed's language.
    title: String,
    feed_url: String,
    page_url: String,
    updated: String,
    editions: Vec<EditionEntry<'a>>,
}

#[derive(Serialize)]
struct EditionEntry<'a> {
    title: &'a str,
    url: String,
    published: String,
    updated: String,
    /// "2 stories from 2023-09-11 to 2023-09-17", in the feed's language.
    summary: String,
    stories: Vec<EditionStory<'a>>,
}

#[derive(Serialize)]
struct EditionStory<'a> {
    url: String,
    title: &'a str,
    summary: BodyPart<'a, str>,
}

pub fn editions_feed<'a>(
    config: &'a crate::config::Config,
    library: &'a Library,
    bodies: &'a [Held<'a, Shared<Body>>],
    links: &Urls,
) -> EditionsFeed<'a> {
    let feed_url = links.permalink(EDITIONS_FEED);
    let newest: &[ArticleId] = library
        .editions
        .first()
        .map(|e| e.articles.as_slice())
        .unwrap_or_default();
    EditionsFeed {
        language: &config.language,
        site: &config.title,
        title: crate::i18n::say(
            &config.strings,
            "editions_feed_title",
            &[("site", &config.title)],
        ),
        feed_url,
        page_url: links.permalink("editions/"),
        updated: updated_of(library, newest),
        editions: library
            .editions
            .iter()
            .take(config.feeds.limit)
            .map(|edition| EditionEntry {
                title: &edition.title,
                url: links.permalink(&crate::urls::edition(&edition.id)),
                published: edition
                    .start
                    .to_zoned_datetime(config.time_zone())
                    .map(|z| datetime_string(&z))
                    .unwrap_or_default(),
                updated: updated_of(library, &edition.articles),
                summary: edition_span(&config.strings, edition),
                stories: edition
                    .articles
                    .iter()
                    .map(|&id| {
                        let article = &library.articles[id];
                        let body = &bodies[id];
                        EditionStory {
                            url: links.permalink(&article.url),
                            title: &article.title,
                            summary: body.part("summary_text", body.value().summary_text.as_str()),
                        }
                    })
                    .collect(),
            })
            .collect(),
    }
}

pub fn write_editions_feed(feed: &EditionsFeed<'_>) -> crate::Result<Vec<u8>> {
    write_editions_feed_with(feed, None)
}

/// The editions feed; with `emails`, each entry's content is its edition's email (newest first),
/// else the list of its stories.
pub fn write_editions_feed_with(
    feed: &EditionsFeed<'_>,
    emails: Option<&[String]>,
) -> crate::Result<Vec<u8>> {
    use crate::text::escape_xml as x;
    let mut xml = String::new();
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n  <id>{}</id>\n  <updated>{}</updated>\n  <author><name>{}</name></author>\n",
        x(feed.language),
        x(&feed.title),
        x(&feed.feed_url),
        x(&feed.page_url),
        x(&feed.feed_url),
        x(&feed.updated),
        x(feed.site),
    ));
    for (n, edition) in feed.editions.iter().enumerate() {
        let mut content = String::from("<ul>");
        for story in &edition.stories {
            let summary = story.summary.value();
            content.push_str(&format!(
                "<li><a href=\"{}\">{}</a>{}</li>",
                crate::text::escape_html(&story.url),
                crate::text::escape_html(story.title),
                if summary.is_empty() {
                    String::new()
                } else {
                    format!(" — {}", crate::text::escape_html(summary))
                }
            ));
        }
        content.push_str("</ul>");
        if let Some(email) = emails.and_then(|e| e.get(n)) {
            content = email.clone();
        }
        xml.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n    <id>{}</id>\n    <published>{}</published>\n    <updated>{}</updated>\n    <summary type=\"text\">{}</summary>\n    <content type=\"html\">{}</content>\n  </entry>\n",
            x(edition.title),
            x(&edition.url),
            x(&edition.url),
            x(&edition.published),
            x(&edition.updated),
            x(&edition.summary),
            x(&content),
        ));
    }
    xml.push_str("</feed>\n");
    Ok(xml.into_bytes())
}

/// "2 stories from 2023-09-11 to 2023-09-17": an edition's span, in the language of `strings`.
pub fn edition_span(strings: &crate::i18n::Strings, edition: &crate::library::Edition) -> String {
    crate::i18n::say(
        strings,
        "edition_span",
        &[
            (
                "stories",
                &crate::i18n::stories(strings, edition.articles.len()),
            ),
            ("start", &edition.start.to_string()),
            ("end", &edition.end.to_string()),
        ],
    )
}
