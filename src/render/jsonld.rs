//! schema.org `NewsArticle` JSON-LD for article pages: what search engines read about a story,
//! including the companies (`Organization`) and regulations (`Legislation`) it is about.

use serde::Serialize;
use serde_json::{Value, json};

use crate::config::Config;
use crate::content::Body;
use crate::library::{ArticleId, Library};
use crate::urls::{self, Urls};

use super::context::{BodyPart, datetime_string};
use super::feeds::{absolute, last_modified};
use super::key::Shared;

/// What an article's JSON-LD says, gathered from the library: the page's inputs, and the key of
/// its script (see [`super::key::Made`]).
#[derive(Serialize)]
pub struct NewsArticleView<'a> {
    headline: &'a str,
    url: String,
    published: String,
    modified: String,
    language: &'a str,
    word_count: BodyPart<'a, usize>,
    authors: &'a [String],
    publisher: &'a str,
    publisher_url: String,
    description: BodyPart<'a, str>,
    based_on: Option<&'a str>,
    image: Option<String>,
    image_alt: Option<&'a str>,
    about: Vec<Entity<'a>>,
    mentions: Vec<Entity<'a>>,
    keywords: Vec<&'a str>,
}

/// A company as an `Organization`, a regulation as `Legislation`, a mention of anything else
/// as a `Thing`.
#[derive(Serialize)]
struct Entity<'a> {
    kind: &'static str,
    name: &'a str,
    url: Option<String>,
    same_as: Option<&'a str>,
    jurisdiction: Option<&'a str>,
    date: Option<String>,
}

pub fn view<'a>(
    config: &'a Config,
    library: &'a Library,
    id: ArticleId,
    body: &'a Shared<Body>,
    links: &Urls,
) -> NewsArticleView<'a> {
    let article = &library.articles[id];
    let mut about = Vec::new();
    let mut keywords = Vec::new();
    for (t, term) in library.terms_of(id) {
        match entity(library, t, term, links) {
            Some(thing) => about.push(thing),
            None => keywords.push(library.taxonomies[t].terms[term].name.as_str()),
        }
    }
    let mentions = library.article_mentions[id]
        .iter()
        .map(|&(t, term)| {
            entity(library, t, term, links).unwrap_or_else(|| Entity {
                kind: "Thing",
                name: &library.taxonomies[t].terms[term].name,
                url: None,
                same_as: None,
                jurisdiction: None,
                date: None,
            })
        })
        .collect();
    NewsArticleView {
        headline: &article.title,
        url: links.permalink(&article.url),
        published: datetime_string(&article.date),
        modified: datetime_string(last_modified(article)),
        language: article.lang.as_deref().unwrap_or(&config.language),
        word_count: body.part("word_count", &body.value().word_count),
        authors: &article.authors,
        publisher: &config.title,
        publisher_url: links.permalink(""),
        description: body.part("summary_text", body.value().summary_text.as_str()),
        based_on: article.source.as_ref().and_then(|s| s.url.as_deref()),
        image: article.image.as_deref().map(|image| absolute(image, links)),
        image_alt: article.image_alt.as_deref(),
        about,
        mentions,
        keywords,
    }
}

/// The JSON-LD text as a safe template value, ready for `<script type="application/ld+json">`.
pub fn script(view: &NewsArticleView<'_>) -> tera::Value {
    let mut data = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": view.headline,
        "url": view.url,
        "mainEntityOfPage": view.url,
        "datePublished": view.published,
        "dateModified": view.modified,
        "inLanguage": view.language,
        "wordCount": view.word_count.value(),
        "author": view.authors.iter().map(|name| json!({ "@type": "Person", "name": name })).collect::<Vec<_>>(),
        "publisher": { "@type": "Organization", "name": view.publisher, "url": view.publisher_url },
    });
    if !view.description.value().is_empty() {
        data["description"] = json!(view.description.value());
    }
    if let Some(url) = view.based_on {
        data["isBasedOn"] = json!(url);
    }
    if let Some(image) = &view.image {
        data["image"] = match view.image_alt {
            Some(alt) => json!({ "@type": "ImageObject", "url": image, "caption": alt }),
            None => json!(image),
        };
    }
    let things = |list: &[Entity<'_>]| Value::Array(list.iter().map(thing).collect());
    if !view.about.is_empty() {
        data["about"] = things(&view.about);
    }
    if !view.mentions.is_empty() {
        data["mentions"] = things(&view.mentions);
    }
    if !view.keywords.is_empty() {
        data["keywords"] = json!(view.keywords);
    }
    tera::Value::safe_string(&script_safe(&data))
}

fn thing(entity: &Entity<'_>) -> Value {
    let mut thing = json!({ "@type": entity.kind, "name": entity.name });
    if let Some(url) = &entity.url {
        thing["url"] = json!(url);
    }
    if let Some(same_as) = entity.same_as {
        thing["sameAs"] = json!(same_as);
    }
    if let Some(jurisdiction) = entity.jurisdiction {
        thing["legislationJurisdiction"] = json!(jurisdiction);
    }
    if let Some(date) = &entity.date {
        thing["legislationDate"] = json!(date);
    }
    thing
}

/// A company as an `Organization`, a regulation as `Legislation`; other terms are keywords.
fn entity<'a>(library: &'a Library, t: usize, term: usize, links: &Urls) -> Option<Entity<'a>> {
    let taxonomy = &library.taxonomies[t];
    let term = &taxonomy.terms[term];
    let url = Some(links.permalink(&urls::term(&taxonomy.name, &term.slug)));
    let profile = term.profile.as_ref();
    match taxonomy.name.as_str() {
        "companies" => Some(Entity {
            kind: "Organization",
            name: &term.name,
            url,
            same_as: profile.and_then(|p| p.website.as_deref()),
            jurisdiction: None,
            date: None,
        }),
        "regulations" => Some(Entity {
            kind: "Legislation",
            name: &term.name,
            url,
            same_as: None,
            jurisdiction: profile.and_then(|p| p.jurisdiction.as_deref()),
            date: profile.and_then(|p| p.effective).map(|d| d.to_string()),
        }),
        _ => None,
    }
}

/// JSON whose text cannot end the surrounding `<script>` or open a comment: `<`, `>` and `&`
/// are written as Unicode escapes, which JSON parsers read back as the same characters.
pub fn script_safe(value: &Value) -> String {
    let mut out = Vec::with_capacity(2048);
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, ScriptSafe);
    serde::Serialize::serialize(value, &mut serializer)
        .expect("a JSON value serialises into memory");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// serde_json's compact output with those characters escaped inside strings, the only place
/// JSON can hold them: one pass, no second copy of the text.
struct ScriptSafe;

impl serde_json::ser::Formatter for ScriptSafe {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut rest = fragment;
        while let Some(at) = rest.find(['<', '>', '&', '\u{2028}', '\u{2029}']) {
            writer.write_all(&rest.as_bytes()[..at])?;
            let Some(c) = rest[at..].chars().next() else {
                break;
            };
            write!(writer, "\\u{:04x}", u32::from(c))?;
            rest = &rest[at + c.len_utf8()..];
        }
        writer.write_all(rest.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_breakouts_are_escaped() {
        let value =
            json!({ "headline": "</script><script>alert(1)</script> & <!--\u{2028}é", "<k>": 1 });
        let text = script_safe(&value);
        assert!(!text.contains('<'));
        assert!(!text.contains('>'));
        assert!(!text.contains('&'));
        assert!(!text.contains('\u{2028}'));
        assert!(
            text.contains(r"\u003c/script\u003e") && text.contains(r"\u0026") && text.contains('é')
        );
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }
}
