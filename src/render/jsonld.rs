//! schema.org `NewsArticle` JSON-LD for article pages: what search engines read about a story,
//! including the companies (`Organization`) and regulations (`Legislation`) it is about.

use serde_json::{Value, json};

use crate::config::Config;
use crate::content::Body;
use crate::library::{ArticleId, Library};
use crate::urls::{self, Urls};

use super::context::datetime_string;
use super::feeds::{absolute, last_modified};

/// The JSON-LD text, safe to place inside `<script type="application/ld+json">`.
pub fn article(
    config: &Config,
    library: &Library,
    id: ArticleId,
    body: &Body,
    links: &Urls,
) -> String {
    let article = &library.articles[id];
    let permalink = links.permalink(&urls::article(&article.slug));
    let mut about = Vec::new();
    let mut keywords = Vec::new();
    for (t, term) in library.terms_of(id) {
        match entity(library, t, term, links) {
            Some(thing) => about.push(thing),
            None => keywords.push(library.taxonomies[t].terms[term].name.as_str()),
        }
    }
    let mentions: Vec<Value> = library.article_mentions[id]
        .iter()
        .map(|&(t, term)| {
            entity(library, t, term, links).unwrap_or_else(
                || json!({ "@type": "Thing", "name": library.taxonomies[t].terms[term].name }),
            )
        })
        .collect();
    let mut data = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "url": permalink,
        "mainEntityOfPage": permalink,
        "datePublished": datetime_string(&article.date),
        "dateModified": datetime_string(last_modified(article)),
        "inLanguage": article.lang.as_deref().unwrap_or(&config.language),
        "wordCount": body.word_count,
        "author": article.authors.iter().map(|name| json!({ "@type": "Person", "name": name })).collect::<Vec<_>>(),
        "publisher": { "@type": "Organization", "name": config.title, "url": links.permalink("") },
    });
    if !body.summary_text.is_empty() {
        data["description"] = json!(body.summary_text);
    }
    if let Some(url) = article.source.as_ref().and_then(|s| s.url.as_deref()) {
        data["isBasedOn"] = json!(url);
    }
    if let Some(image) = &article.image {
        data["image"] = json!(absolute(image, links));
    }
    if !about.is_empty() {
        data["about"] = Value::Array(about);
    }
    if !mentions.is_empty() {
        data["mentions"] = Value::Array(mentions);
    }
    if !keywords.is_empty() {
        data["keywords"] = json!(keywords);
    }
    script_safe(&data)
}

/// A company as an `Organization`, a regulation as `Legislation`; other terms are keywords.
fn entity(library: &Library, t: usize, term: usize, links: &Urls) -> Option<Value> {
    let taxonomy = &library.taxonomies[t];
    let term = &taxonomy.terms[term];
    let url = links.permalink(&urls::term(&taxonomy.name, &term.slug));
    let profile = term.profile.as_ref();
    match taxonomy.name.as_str() {
        "companies" => {
            let mut org = json!({ "@type": "Organization", "name": term.name, "url": url });
            if let Some(website) = profile.and_then(|p| p.website.as_deref()) {
                org["sameAs"] = json!(website);
            }
            Some(org)
        }
        "regulations" => {
            let mut law = json!({ "@type": "Legislation", "name": term.name, "url": url });
            if let Some(jurisdiction) = profile.and_then(|p| p.jurisdiction.as_deref()) {
                law["legislationJurisdiction"] = json!(jurisdiction);
            }
            if let Some(effective) = profile.and_then(|p| p.effective) {
                law["legislationDate"] = json!(effective.to_string());
            }
            Some(law)
        }
        _ => None,
    }
}

/// JSON whose text cannot end the surrounding `<script>` or open a comment: `<`, `>` and `&`
/// are written as Unicode escapes, which JSON parsers read back as the same characters.
pub fn script_safe(value: &Value) -> String {
    let mut out = Vec::with_capacity(2048);
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, ScriptSafe);
    if serde::Serialize::serialize(value, &mut serializer).is_err() {
        return String::new();
    }
    String::from_utf8(out).unwrap_or_default()
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
