//! Feeds: Atom and RSS through (overridable) templates, JSON Feed 1.1 serialised with serde.

use std::sync::OnceLock;

use serde::Serialize;
use tera::Value;

use super::Kept;
use crate::content::Article;
use crate::library::{ArticleId, Library};
use crate::text::escape_xml;

use super::context::{datetime_string, with_field};

/// Which feed a page follows: the site's, a term's, the editions'.
pub struct FeedSpec<'a> {
    pub title: String,
    pub description: String,
    /// Site-relative path of the page the feed follows ("companies/alibaba/").
    pub page_path: String,
    pub entries: &'a [ArticleId],
}

#[derive(Serialize)]
struct FeedView<'a> {
    title: &'a str,
    description: &'a str,
    url: String,
    feed_url: String,
    updated: String,
}

/// What feeds are made from: the library and what the render stage kept of each article.
#[derive(Clone, Copy)]
pub struct FeedSources<'a> {
    pub library: &'a Library,
    pub summaries: &'a [Value],
    pub kept: &'a [Kept<'a>],
    /// Each article's feed entry value, built on first use.
    pub entry_cache: &'a [OnceLock<Value>],
    pub links: &'a crate::urls::Urls,
}

/// The `feed` value handed to atom.xml and rss.xml. Each entry's `content` is the article's HTML
/// already escaped for XML, ready for `<content type="html">` or `<description>`.
pub fn feed_value(spec: &FeedSpec<'_>, feed_path: &str, from: &FeedSources<'_>) -> Value {
    let FeedSources {
        library,
        summaries,
        kept,
        entry_cache,
        links,
    } = *from;
    let updated = spec
        .entries
        .iter()
        .map(|&id| last_modified(&library.articles[id]))
        .max_by_key(|z| z.timestamp())
        .map(datetime_string)
        .unwrap_or_else(|| "1970-01-01T00:00:00+00:00".into());
    let view = FeedView {
        title: &spec.title,
        description: &spec.description,
        url: links.permalink(&spec.page_path),
        feed_url: links.permalink(feed_path),
        updated,
    };
    let entries: Vec<Value> = spec
        .entries
        .iter()
        .map(|&id| {
            // Built once per article, however many feeds carry it: the number of articles in
            // any feed is bounded by terms × feeds.limit, not by the size of the site.
            entry_cache[id]
                .get_or_init(|| {
                    let article = &library.articles[id];
                    let mut entry = summaries[id].clone().into_map().unwrap_or_default();
                    entry.insert(
                        "content".into(),
                        Value::safe_string(&escape_xml(
                            kept[id].content.as_deref().unwrap_or_default(),
                        )),
                    );
                    entry.insert(
                        "updated_or_date".into(),
                        Value::from(datetime_string(last_modified(article))),
                    );
                    Value::from(entry)
                })
                .clone()
        })
        .collect();
    with_field(
        Value::from_serializable(&view),
        "entries",
        Value::from(entries),
    )
}

pub fn last_modified(article: &Article) -> &jiff::ZonedDateTime {
    article.updated.as_ref().unwrap_or(&article.date)
}

#[derive(Serialize)]
struct JsonFeed<'a> {
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
    content_html: &'a str,
    summary: &'a str,
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

pub fn json_feed(
    spec: &FeedSpec<'_>,
    feed_path: &str,
    language: &str,
    from: &FeedSources<'_>,
) -> String {
    let FeedSources {
        library,
        kept,
        links,
        ..
    } = *from;
    let items = spec
        .entries
        .iter()
        .map(|&id| {
            let article = &library.articles[id];
            let permalink = links.permalink(&crate::urls::article(&article.slug));
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
                content_html: kept[id].content.as_deref().unwrap_or_default(),
                summary: &kept[id].summary_text,
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
    let feed = JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: &spec.title,
        home_page_url: links.permalink(&spec.page_path),
        feed_url: links.permalink(feed_path),
        description: &spec.description,
        language,
        items,
    };
    serde_json::to_string(&feed).unwrap_or_default()
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
pub fn editions_atom(config: &crate::config::Config, from: &FeedSources<'_>) -> String {
    let FeedSources {
        library,
        kept,
        links,
        ..
    } = *from;
    use crate::text::escape_xml as x;
    let updated_of = |ids: &[ArticleId]| {
        ids.iter()
            .map(|&id| last_modified(&library.articles[id]))
            .max_by_key(|z| z.timestamp())
            .map(datetime_string)
            .unwrap_or_else(|| "1970-01-01T00:00:00+00:00".into())
    };
    let feed_url = links.permalink(EDITIONS_FEED);
    let all: Vec<ArticleId> = library
        .editions
        .first()
        .map(|e| e.articles.clone())
        .unwrap_or_default();
    let mut xml = String::new();
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{} — editions</title>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n  <id>{}</id>\n  <updated>{}</updated>\n  <author><name>{}</name></author>\n",
        x(&config.language),
        x(&config.title),
        x(&feed_url),
        x(&links.permalink("editions/")),
        x(&feed_url),
        x(&updated_of(&all)),
        x(&config.title),
    ));
    for edition in library.editions.iter().take(config.feeds.limit) {
        let url = links.permalink(&crate::urls::edition(&edition.id));
        let mut content = String::from("<ul>");
        for &id in &edition.articles {
            let article = &library.articles[id];
            content.push_str(&format!(
                "<li><a href=\"{}\">{}</a>{}</li>",
                crate::text::escape_html(&links.permalink(&crate::urls::article(&article.slug))),
                crate::text::escape_html(&article.title),
                if kept[id].summary_text.is_empty() {
                    String::new()
                } else {
                    format!(" — {}", crate::text::escape_html(&kept[id].summary_text))
                }
            ));
        }
        content.push_str("</ul>");
        xml.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n    <id>{}</id>\n    <published>{}</published>\n    <updated>{}</updated>\n    <summary type=\"text\">{} from {} to {}</summary>\n    <content type=\"html\">{}</content>\n  </entry>\n",
            x(&edition.title),
            x(&url),
            x(&url),
            x(&edition
                .start
                .to_zoned_datetime(config.time_zone())
                .map(|z| datetime_string(&z))
                .unwrap_or_default()),
            x(&updated_of(&edition.articles)),
            stories(edition.articles.len()),
            edition.start,
            edition.end,
            x(&content),
        ));
    }
    xml.push_str("</feed>\n");
    xml
}

/// "1 story", "3 stories".
pub fn stories(n: usize) -> String {
    if n == 1 {
        "1 story".into()
    } else {
        format!("{n} stories")
    }
}
