//! Search: one Pagefind record per article, made from the library's own data (title, the
//! body's text without code blocks, summary, date, terms and their aliases) instead of
//! re-reading written pages, and the index Pagefind builds from them under `/pagefind/`.
//!
//! One index for the site, which Pagefind splits by language: each record is in the language
//! of the pages it is listed on (the site's, or a translation's `[languages]` tag), and each
//! language's /search/ page loads the part of its own `<html lang>`. An article written in
//! another language than its site's (`lang = "zh"` in an English site) stays in the site's
//! part: a part of its own would hide it from the site's search page. Chinese and Japanese text
//! is segmented into words in a `zh` or `ja` part; in an English part a run of Chinese
//! characters is one word ("通义千问"), found by itself or by its beginning.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::library::{ArticleId, Library};
use crate::output::Staging;
use crate::text::escape_html;
use crate::urls::Urls;

use super::context::date_string;

/// Where the index goes, under the output folder.
pub const INDEX_DIR: &str = "pagefind";
/// The search page's output path.
pub const PAGE: &str = "search/";
/// The meta field with every name of the article's terms (searched, not shown).
pub const NAMES_META: &str = "names";
/// The search page's script, at the output root.
pub const SCRIPT: &str = "search.js";
pub const SCRIPT_SOURCE: &str = include_str!("../../static/search.js");

/// What Pagefind is given for one article. Plain data: its hash is the index's key in
/// `digest serve`, which rebuilds the index only when a record changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Record {
    /// The article's link (`/digest/articles/x/`).
    pub url: String,
    /// HTML-escaped text, as Pagefind reads from pages: its excerpts are HTML with `<mark>`.
    pub content: String,
    pub language: String,
    /// Shown with each result: title, date, image, and one entry per taxonomy (the terms'
    /// names, comma-separated).
    pub meta: BTreeMap<String, String>,
    pub filters: BTreeMap<String, Vec<String>>,
    pub sort: BTreeMap<String, String>,
}

/// A filter group of the search page: its name in the index, its label and its values.
#[derive(Debug, Clone, Serialize)]
pub struct FilterView {
    pub name: String,
    pub label: String,
    /// For a taxonomy's filter, the taxonomy: the meta key of the result's chips.
    pub taxonomy: Option<String>,
    pub values: Vec<FilterValue>,
}

/// One checkbox: a value and how many stories have it. Made from the library, so the page
/// lists them without loading the index's filter files (at 10,000 stories, tens of KB).
#[derive(Debug, Clone, Serialize)]
pub struct FilterValue {
    pub value: String,
    pub count: usize,
}

/// The name of a taxonomy's filter: one company, one regulation, one tag.
pub fn filter_name(taxonomy: &str) -> String {
    if let Some(stem) = taxonomy.strip_suffix("ies") {
        format!("{stem}y")
    } else if let Some(stem) = taxonomy.strip_suffix('s') {
        stem.to_string()
    } else {
        taxonomy.to_string()
    }
}

/// The filter groups, in the order the page shows them: taxonomies (terms by name), then
/// editions and years (newest first).
pub fn filters(config: &Config, library: &Library) -> Vec<FilterView> {
    let mut list: Vec<FilterView> = library
        .taxonomies
        .iter()
        .map(|t| {
            let mut values: Vec<FilterValue> = t
                .terms
                .iter()
                .filter(|term| !term.articles.is_empty())
                .map(|term| FilterValue {
                    value: term.name.clone(),
                    count: term.articles.len(),
                })
                .collect();
            values.sort_by_cached_key(|v| v.value.to_lowercase());
            FilterView {
                name: filter_name(&t.name),
                label: t.title.clone(),
                taxonomy: Some(t.name.clone()),
                values,
            }
        })
        .collect();
    if config.edition != crate::config::EditionKind::None {
        list.push(FilterView {
            name: "edition".into(),
            label: crate::i18n::say(&config.strings, "search_filter_edition", &[]),
            taxonomy: None,
            values: library
                .editions
                .iter()
                .map(|e| FilterValue {
                    value: e.title.clone(),
                    count: e.articles.len(),
                })
                .collect(),
        });
    }
    let mut years: BTreeMap<std::cmp::Reverse<i16>, usize> = BTreeMap::new();
    for article in &library.articles {
        *years
            .entry(std::cmp::Reverse(article.date.year()))
            .or_default() += 1;
    }
    list.push(FilterView {
        name: "year".into(),
        label: crate::i18n::say(&config.strings, "search_filter_year", &[]),
        taxonomy: None,
        values: years
            .into_iter()
            .map(|(year, count)| FilterValue {
                value: year.0.to_string(),
                count,
            })
            .collect(),
    });
    list
}

/// Every article's record, in library order; `texts` are the bodies' text ([`body_text`]).
pub fn records(config: &Config, library: &Library, links: &Urls, texts: &[String]) -> Vec<Record> {
    use rayon::prelude::*;
    (0..library.articles.len())
        .into_par_iter()
        .map(|id| record(config, library, links, id, texts.get(id).map_or("", |t| t)))
        .collect()
}

/// One article's record.
pub fn record(
    config: &Config,
    library: &Library,
    links: &Urls,
    id: ArticleId,
    text: &str,
) -> Record {
    let article = &library.articles[id];
    let date = date_string(&article.date);
    let mut meta = BTreeMap::new();
    let mut filters: BTreeMap<String, Vec<String>> = BTreeMap::new();
    meta.insert("title".to_string(), article.title.clone());
    meta.insert("date".to_string(), date.clone());
    if let Some(image) = &article.image {
        meta.insert(
            "image".to_string(),
            super::context::image_link(image, links),
        );
        if let Some(alt) = &article.image_alt {
            meta.insert("image_alt".to_string(), alt.clone());
        }
    }
    // The body text, then the summary when the author wrote one apart from the body.
    let mut content = String::with_capacity(text.len() + 256);
    content.push_str(text);
    if let Some(summary) = &article.summary {
        content.push('\n');
        content.push_str(&escape_html(summary));
    }
    // Every name of every term the article is filed under, so that any of them finds it. In
    // the meta, whose words Pagefind indexes too, rather than the content: excerpts come from
    // the content, and a list of names makes a poor one.
    let mut names: Vec<&str> = Vec::new();
    for (t, terms) in library.article_terms[id].iter().enumerate() {
        let taxonomy = &library.taxonomies[t];
        if terms.is_empty() {
            continue;
        }
        let filed: Vec<String> = terms
            .iter()
            .map(|&i| taxonomy.terms[i].name.clone())
            .collect();
        meta.insert(taxonomy.name.clone(), filed.join(", "));
        for &i in terms {
            let term = &taxonomy.terms[i];
            names.push(&term.name);
            if let Some(profile) = &term.profile {
                names.extend(profile.aliases.iter().map(String::as_str));
            }
            names.extend(term.spellings.keys().map(String::as_str));
        }
        filters.insert(filter_name(&taxonomy.name), filed);
    }
    let mut seen = std::collections::HashSet::new();
    names.retain(|name| seen.insert(name.to_lowercase()));
    if !names.is_empty() {
        meta.insert(NAMES_META.to_string(), names.join(" "));
    }
    if config.edition != crate::config::EditionKind::None
        && let Some(edition) = library.article_edition[id]
    {
        filters.insert(
            "edition".to_string(),
            vec![library.editions[edition].title.clone()],
        );
    }
    filters.insert("year".to_string(), vec![article.date.year().to_string()]);
    let mut sort = BTreeMap::new();
    // Seconds, so that Pagefind sorts numerically whatever each date's offset.
    sort.insert(
        "date".to_string(),
        article.date.timestamp().as_second().to_string(),
    );
    Record {
        url: links.link(&article.url),
        content,
        language: crate::i18n::primary_language(&config.language),
        meta,
        filters,
        sort,
    }
}

/// The text of a rendered body, still HTML-escaped, without what a reader does not search
/// for: code blocks, scripts, styles, navigation (a table of contents) and tags.
pub fn body_text(html: &str) -> String {
    const SKIPPED: &[&str] = &["pre", "script", "style", "nav", "svg", "template"];
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    // The element whose content is skipped, and how deep it nests in itself.
    let mut skipping: Option<(&str, usize)> = None;
    while let Some(lt) = rest.find('<') {
        if skipping.is_none() {
            out.push_str(&rest[..lt]);
        }
        let tag = &rest[lt + 1..];
        let Some(gt) = tag.find('>') else {
            rest = "";
            break;
        };
        let inside = &tag[..gt];
        rest = &tag[gt + 1..];
        let closing = inside.starts_with('/');
        let name: String = inside
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        // Block-level boundaries separate words: "<p>a</p><p>b</p>" is "a b", not "ab".
        if is_block(&name) && skipping.is_none() && !out.ends_with(char::is_whitespace) {
            out.push(' ');
        }
        match &mut skipping {
            Some((skipped, depth)) if *skipped == name => {
                if closing {
                    if *depth == 0 {
                        skipping = None;
                    } else {
                        *depth -= 1;
                    }
                } else if !inside.ends_with('/') {
                    *depth += 1;
                }
            }
            Some(_) => {}
            None => {
                if !closing
                    && !inside.ends_with('/')
                    && let Some(skipped) = SKIPPED.iter().find(|s| **s == name)
                {
                    skipping = Some((skipped, 0));
                }
            }
        }
    }
    if skipping.is_none() {
        out.push_str(rest);
    }
    // One space between words, whatever the markup's line breaks.
    let mut tidy = String::with_capacity(out.len());
    for word in out.split_whitespace() {
        if !tidy.is_empty() {
            tidy.push(' ');
        }
        tidy.push_str(word);
    }
    tidy
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "br"
            | "li"
            | "ul"
            | "ol"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "blockquote"
            | "table"
            | "tr"
            | "td"
            | "th"
            | "figure"
            | "figcaption"
            | "hr"
            | "dt"
            | "dd"
            | "section"
            | "aside"
    )
}

/// Pagefind's files for `records`, as (path under the output folder, bytes). Pagefind's own
/// UI scripts are left out: the page's script calls pagefind.js.
pub fn index_files(records: &[Record]) -> Result<Vec<(String, Vec<u8>)>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(failed)?;
    runtime.block_on(async {
        let options = pagefind::options::PagefindServiceConfig::builder().build();
        let mut index = pagefind::api::PagefindIndex::new(Some(options)).map_err(failed)?;
        for record in records {
            index
                .add_custom_record(
                    record.url.clone(),
                    record.content.clone(),
                    record.language.clone(),
                    Some(record.meta.clone()),
                    Some(record.filters.clone()),
                    Some(record.sort.clone()),
                )
                .await
                .map_err(failed)?;
        }
        let files = index.get_files().await.map_err(failed)?;
        Ok(files
            .into_iter()
            .filter_map(|file| {
                let name = file.filename.to_string_lossy().replace('\\', "/");
                let ui = name.starts_with("pagefind-ui")
                    || name.starts_with("pagefind-component-ui")
                    || name.starts_with("pagefind-modular-ui")
                    || name.starts_with("pagefind-highlight")
                    // The page's script runs Pagefind on the main thread (`noWorker`).
                    || name == "pagefind-worker.js"
                    || name.starts_with("playground/");
                (!ui).then(|| (format!("{INDEX_DIR}/{name}"), file.contents))
            })
            .collect())
    })
}

/// Writes the index files into the output.
pub fn write_index(staging: &Staging, files: &[(String, Vec<u8>)]) -> Result<()> {
    for (path, bytes) in files {
        staging.write(path, bytes)?;
    }
    Ok(())
}

/// Pagefind's errors (`anyhow`) as digest's.
fn failed(e: impl std::fmt::Display) -> Error {
    Error::Other(format!("cannot build the search index: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_text_keeps_prose_and_drops_code_navigation_and_tags() {
        let cases = [
            ("<p>One</p><p>two</p>", "One two"),
            ("<p>A <em>bold</em> move</p>", "A bold move"),
            (
                "<p>Before</p><pre><code class=\"language-rust\">fn hidden() {}</code></pre><p>after</p>",
                "Before after",
            ),
            (
                "<nav class=\"toc\"><ol><li><a href=\"#a\">Contents</a></li></ol></nav><h2 id=\"a\">Heading</h2>",
                "Heading",
            ),
            ("<p>Inline <code>code</code> stays</p>", "Inline code stays"),
            ("<script>var x = 1;</script><p>Shown</p>", "Shown"),
            // Escaped text stays escaped: Pagefind's excerpts are HTML.
            ("<p>AT&amp;T &lt;b&gt;</p>", "AT&amp;T &lt;b&gt;"),
            ("<p>通义千问（Tongyi）</p>", "通义千问（Tongyi）"),
            (
                "<div><div>nested</div></div><pre>a<pre>b</pre>c</pre>tail",
                "nested tail",
            ),
        ];
        for (html, text) in cases {
            assert_eq!(body_text(html), text, "{html}");
        }
    }

    #[test]
    fn filter_names_are_singular() {
        for (taxonomy, name) in [
            ("companies", "company"),
            ("regulations", "regulation"),
            ("tags", "tag"),
            ("people", "people"),
        ] {
            assert_eq!(filter_name(taxonomy), name);
        }
    }
}
