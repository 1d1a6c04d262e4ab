//! Links that stay inside the site, checked against what a build wrote: a link is good when the
//! file it leads to is in the output (a page, a static file, an alias's redirect page) and, with
//! a `#fragment`, that page has an element with that id. Checking the written output rather
//! than a model of it means a link is judged exactly as a reader's browser would follow it.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use pulldown_cmark::{Event, Options, Parser, Tag};
use rayon::prelude::*;

use crate::content::Article;
use crate::error::{Code, Diagnostic};
use crate::library::Library;

/// Every link and image destination of a Markdown body, with the byte range where it is written
/// (or, when it is not written as is, e.g. with escapes, the range of the whole link).
pub(crate) fn body_links(body: &str) -> Vec<(Range<usize>, String)> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut used: Vec<Range<usize>> = Vec::new();
    let mut out = Vec::new();
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        let (Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. })) =
            event
        else {
            continue;
        };
        let dest = dest_url.to_string();
        if dest.is_empty() {
            continue;
        }
        let unused = |start: usize| !used.iter().any(|r| r.start == start);
        // Inline links hold their URL; reference links point at a definition elsewhere.
        let within = body[range.clone()]
            .rmatch_indices(dest.as_str())
            .map(|(i, _)| range.start + i)
            .find(|&i| unused(i));
        let anywhere = || {
            body.match_indices(dest.as_str())
                .map(|(i, _)| i)
                .find(|&i| unused(i))
        };
        let span = match within.or_else(anywhere) {
            Some(start) => start..start + dest.len(),
            None => range,
        };
        used.push(span.clone());
        out.push((span, dest));
    }
    out
}

/// A link of an article's body, positioned in the article's file.
#[derive(Debug, Clone)]
pub struct BodyLink {
    pub url: String,
    pub line: usize,
    pub col: usize,
}

/// The links of each article's body (`sources[i]` is `articles[i]`'s Markdown), taken before
/// the render stage consumes the sources.
pub fn collect(articles: &[Article], sources: &[String]) -> Vec<Vec<BodyLink>> {
    articles
        .par_iter()
        .zip(sources.par_iter())
        .map(|(article, body)| {
            body_links(body)
                .into_iter()
                .map(|(range, url)| {
                    let (line, col) = crate::text::line_col(body, range.start);
                    BodyLink {
                        url,
                        line: line + article.body_line - 1,
                        col,
                    }
                })
                .collect()
        })
        .collect()
}

/// The articles of each other language, with their URLs from the site's root (`zh/articles/x/`,
/// as [`broken`] resolves links from them), and the links of their bodies, which translations
/// keep in the library.
pub fn collect_translations(library: &Library) -> Vec<(Vec<Article>, Vec<Vec<BodyLink>>)> {
    library
        .translations
        .iter()
        .map(|translation| {
            let articles = &translation.library.articles;
            let sources: Vec<String> = articles.iter().map(|a| a.body.clone()).collect();
            let links = collect(articles, &sources);
            let articles = articles
                .iter()
                .map(|a| Article {
                    url: format!("{}/{}", translation.key, a.url),
                    body: String::new(),
                    ..a.clone()
                })
                .collect();
            (articles, links)
        })
        .collect()
}

/// Each link of `links[i]` (of `articles[i]`) that points inside the site and leads to nothing
/// in `output`, the folder a build wrote, as a `broken-link` warning at the link.
pub fn broken(output: &Path, articles: &[Article], links: &[Vec<BodyLink>]) -> Vec<Diagnostic> {
    let pages: HashMap<&Path, &str> = articles
        .iter()
        .map(|a| (a.path.as_path(), a.url.as_str()))
        .collect();
    let ids = IdCache::default();
    let mut found: Vec<Diagnostic> = articles
        .par_iter()
        .zip(links.par_iter())
        .flat_map_iter(|(article, links)| {
            let from = Page {
                article,
                pages: &pages,
                output,
                ids: &ids,
            };
            links.iter().filter_map(move |link| {
                from.problem(&link.url).map(|(message, hint)| {
                    Diagnostic::warning(Code::BrokenLink, &article.path, message)
                        .at(link.line, link.col)
                        .with_hint(hint)
                })
            })
        })
        .collect();
    found.sort_by(|a, b| (&a.path, a.line, a.col).cmp(&(&b.path, b.line, b.col)));
    found
}

/// The ids of the HTML files links point into, each file read once.
#[derive(Default)]
struct IdCache {
    files: Mutex<HashMap<PathBuf, std::sync::Arc<HashSet<String>>>>,
}

impl IdCache {
    fn of(&self, file: &Path) -> std::sync::Arc<HashSet<String>> {
        if let Some(ids) = self
            .files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(file)
        {
            return ids.clone();
        }
        let ids = std::sync::Arc::new(
            crate::fs::read_to_string(file)
                .map(|html| element_ids(&html))
                .unwrap_or_default(),
        );
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(file.to_path_buf(), ids.clone());
        ids
    }
}

/// `id="…"` and `<a name="…">` targets of a page digest wrote (its attributes are always
/// double-quoted, their values escaped).
fn element_ids(html: &str) -> HashSet<String> {
    let mut ids = HashSet::new();
    for marker in [" id=\"", " name=\""] {
        for (at, _) in html.match_indices(marker) {
            let value = &html[at + marker.len()..];
            if let Some(end) = value.find('"') {
                ids.insert(unescape_attribute(&value[..end]));
            }
        }
    }
    ids
}

/// An attribute value as written by Tera's and pulldown-cmark's escaping, back to text.
fn unescape_attribute(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    value
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2F;", "/")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The article a link is written in, with what resolving its links needs.
struct Page<'a> {
    article: &'a Article,
    pages: &'a HashMap<&'a Path, &'a str>,
    output: &'a Path,
    ids: &'a IdCache,
}

impl Page<'_> {
    /// What is wrong with `url`, as a message and a hint; `None` when it works or leaves the site.
    fn problem(&self, url: &str) -> Option<(String, String)> {
        if leaves_site(url) {
            return None;
        }
        let (before_fragment, fragment) = match url.split_once('#') {
            Some((path, fragment)) => (path, Some(fragment)),
            None => (url, None),
        };
        let path = before_fragment.split('?').next().unwrap_or(before_fragment);
        let path = crate::content::percent_decode(path);
        let site_path = if path.is_empty() {
            self.article.url.clone()
        } else if is_markdown(&path) {
            // Rendering the body reports a Markdown link that is no article; only its
            // fragment is left to check.
            let file = self
                .article
                .path
                .parent()
                .unwrap_or(Path::new(""))
                .join(&path);
            (*self.pages.get(normalize(&file)?.as_path())?).to_string()
        } else if let Some(from_root) = path.strip_prefix('/') {
            from_root.to_string()
        } else {
            let dir = match self.article.url.rfind('/') {
                Some(i) => &self.article.url[..=i],
                None => "",
            };
            match normalize(Path::new(&format!("{dir}{path}"))) {
                Some(joined) => {
                    let mut joined = joined.to_string_lossy().into_owned();
                    if path.ends_with('/') && !joined.is_empty() {
                        joined.push('/');
                    }
                    joined
                }
                None => {
                    return Some((
                        format!("link to `{url}` leads above the site's root"),
                        self.relative_hint(),
                    ));
                }
            }
        };
        let Some(file) = self.written_file(&site_path) else {
            return Some((
                format!("link to `{url}` leads nowhere: the build writes no /{site_path}"),
                if path.starts_with('/') || is_markdown(&path) {
                    "a path starting with `/` is from the site's root: pages, static/ files and aliases are there".to_string()
                } else {
                    self.relative_hint()
                },
            ));
        };
        let fragment = fragment.map(crate::content::percent_decode);
        match fragment {
            Some(fragment)
                if !fragment.is_empty()
                    && fragment != "top"
                    && file.extension().is_some_and(|e| e == "html")
                    && !self.ids.of(&file).contains(&fragment) =>
            {
                Some((
                    format!("link to `{url}`: /{site_path} has no element with id `{fragment}`"),
                    "a heading's id is its text in lowercase with hyphens (`## Key points` is #key-points); the page's table of contents lists them".to_string(),
                ))
            }
            _ => None,
        }
    }

    fn relative_hint(&self) -> String {
        format!(
            "a relative link is resolved from the page's address, /{}, not from the Markdown file's folder; start it with `/` to link from the site's root",
            self.article.url
        )
    }

    /// The output file `site_path` is served from, if the build wrote it. A folder is served
    /// by its index.html (`/x` is redirected to `/x/` by static hosts).
    fn written_file(&self, site_path: &str) -> Option<PathBuf> {
        let file = self.output.join(crate::output::page_file(site_path));
        if file.is_file() {
            return Some(file);
        }
        let index = self.output.join(site_path).join("index.html");
        index.is_file().then_some(index)
    }
}

/// Links with a scheme (`https:`, `mailto:`) or a host (`//cdn…`) leave the site.
fn leaves_site(url: &str) -> bool {
    if url.starts_with("//") {
        return true;
    }
    let scheme_end = url.find(':');
    let path_start = url.find(['/', '?', '#']).unwrap_or(url.len());
    match scheme_end {
        Some(end) if end < path_start => {
            let scheme = &url[..end];
            !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        _ => false,
    }
}

fn is_markdown(path: &str) -> bool {
    path.ends_with(".md") || path.ends_with(".markdown")
}

/// `a/b/../c` → `a/c`; `None` when `..` climbs above the start.
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir if !out.pop() => return None,
            Component::Normal(part) => out.push(part),
            _ => {}
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_links_point_at_their_urls() {
        let body = "See [a](https://e.com/?utm_source=x) and [b][ref].\n\n[ref]: https://f.org/?fbclid=1\n";
        let links = body_links(body);
        assert_eq!(links.len(), 2);
        for (range, url) in &links {
            assert_eq!(&body[range.clone()], url);
        }
        assert_eq!(links[1].1, "https://f.org/?fbclid=1");
    }

    #[test]
    fn links_with_a_scheme_or_host_leave_the_site() {
        assert!(leaves_site("https://example.com/x"));
        assert!(leaves_site("mailto:a@b.c"));
        assert!(leaves_site("//cdn.example.com/x.js"));
        assert!(!leaves_site("/tags/ai/"));
        assert!(!leaves_site("../images/a:b.png"));
        assert!(!leaves_site("#top"));
        assert!(!leaves_site("x.html?a=b:c"));
    }

    #[test]
    fn ids_are_read_from_both_attributes_and_unescaped() {
        let ids = element_ids(r#"<h2 id="key-points">K</h2><a name="old"></a><p id="a&amp;b">"#);
        assert!(ids.contains("key-points"));
        assert!(ids.contains("old"));
        assert!(ids.contains("a&b"));
    }

    #[test]
    fn climbing_above_the_root_is_no_path() {
        assert_eq!(normalize(Path::new("a/../b")), Some(PathBuf::from("b")));
        assert_eq!(normalize(Path::new("a/../../b")), None);
    }
}
