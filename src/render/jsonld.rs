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
    let json = serde_json::to_string(value).unwrap_or_default();
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_breakouts_are_escaped() {
        let value = json!({ "headline": "</script><script>alert(1)</script> & <!--" });
        let text = script_safe(&value);
        assert!(!text.contains('<'));
        assert!(!text.contains('>'));
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }
}
