//! Feeds, sitemaps and feed discovery, read back with real parsers (roxmltree for XML, serde_json
//! for JSON Feed, scraper for HTML) and checked against what each format requires:
//!
//! - Atom 1.0 (RFC 4287): feed `id`, `title`, `updated`, `link rel="self"`; every entry `id`,
//!   `title`, `updated`, a link, an author (its own or the feed's); dates in RFC 3339.
//! - RSS 2.0: channel `title`, `link`, `description`; every item `title`, `link`, `guid`,
//!   `pubDate` (RFC 2822), `description`.
//! - JSON Feed 1.1: `version`, `title`, `items`; every item `id`, `url`, `title`, `content_html`,
//!   `date_published` (RFC 3339).
//! - Google News sitemap: the `news:` namespace with publication name and language, date, title.
//!
//! The example site is built with `--base-url https://example.com/news/`, so every URL must carry
//! `/news/`. The `feeds-hostile` fixture names everything with markup and breakouts
//! (`<script>`, `"><img onerror>`, `]]>`, `</script>`, `&`): feeds must still parse and carry the
//! text verbatim, and pages must stay free of any script but the JSON-LD one.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::{Output, Site, parse_xml, selector, text_of};
use roxmltree::Node;
use serde_json::Value;

const BASE: &str = "https://example.com/news/";
const ORIGIN: &str = "https://example.com";
const ATOM_NS: &str = "http://www.w3.org/2005/Atom";
const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const NEWS_NS: &str = "http://www.google.com/schemas/sitemap-news/0.9";
const JSON_FEED_VERSION: &str = "https://jsonfeed.org/version/1.1";
/// `feeds.limit` of the example's site.toml.
const FEED_LIMIT: usize = 50;

/// The example site built under a sub-path; the `Site` keeps the temporary folder alive.
fn build_example() -> (Site, Output) {
    let site = Site::example();
    site.build(&["--base-url", BASE]).success();
    let out = Output::new(&site.out, BASE);
    assert_eq!(out.base_path, "/news/");
    (site, out)
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// Every file of the output called `name` (`atom.xml` …), as `(url, text)` with url a path from
/// the host root (`/news/companies/alibaba/atom.xml`).
fn feeds_named(out: &Output, name: &str) -> Vec<(String, String)> {
    let found: Vec<(String, String)> = out
        .files()
        .into_iter()
        .filter(|f| f.file_name().is_some_and(|n| n == name))
        .map(|f| {
            let url = out.url_of_file(&f);
            let text = std::fs::read_to_string(out.dir.join(&f)).unwrap();
            (url, text)
        })
        .collect();
    assert!(!found.is_empty(), "no {name} in the output");
    found
}

/// `/news/x/` → `https://example.com/news/x/`.
fn absolute(url: &str) -> String {
    format!("{ORIGIN}{url}")
}

/// `https://example.com/news/x/` → `/news/x/`.
fn path_of(permalink: &str) -> String {
    permalink
        .strip_prefix(ORIGIN)
        .unwrap_or_else(|| panic!("{permalink:?} is not on {ORIGIN}"))
        .to_string()
}

/// An RFC 3339 date-time (`2023-09-18T00:00:00+00:00`, `…Z`, optional fraction).
#[track_caller]
fn rfc3339(what: &str, s: &str) -> jiff::Timestamp {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| r.clone().all(|i| b.get(i).is_some_and(u8::is_ascii_digit));
    let offset_ok = s.ends_with('Z') || {
        let o = &b[b.len().saturating_sub(6)..];
        o.len() == 6 && (o[0] == b'+' || o[0] == b'-') && o[3] == b':'
    };
    let shape = b.len() >= 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19)
        && offset_ok;
    assert!(shape, "{what}: {s:?} is not an RFC 3339 date-time");
    s.parse()
        .unwrap_or_else(|e| panic!("{what}: {s:?} is not an RFC 3339 date-time: {e}"))
}

/// An RFC 2822 date-time (`Mon, 18 Sep 2023 00:00:00 +0000`), weekday checked.
#[track_caller]
fn rfc2822(what: &str, s: &str) -> jiff::Timestamp {
    jiff::fmt::rfc2822::parse(s)
        .unwrap_or_else(|e| panic!("{what}: {s:?} is not an RFC 2822 date-time: {e}"))
        .timestamp()
}

/// The one child element `name` in the Atom namespace.
#[track_caller]
fn atom_child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Node<'a, 'i> {
    let found: Vec<_> = node
        .children()
        .filter(|n| n.has_tag_name((ATOM_NS, name)))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one atom:{name} in <{}>",
        node.tag_name().name()
    );
    found[0]
}

fn atom_children<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Vec<Node<'a, 'i>> {
    node.children()
        .filter(|n| n.has_tag_name((ATOM_NS, name)))
        .collect()
}

/// The text of an element (empty when it has none).
fn text(node: Node<'_, '_>) -> String {
    node.text().unwrap_or("").to_string()
}

/// The one child element `name` without a namespace (RSS; `atom:link` sits beside `<link>`).
#[track_caller]
fn rss_text(node: Node<'_, '_>, name: &str) -> String {
    let found = rss_children(node, name);
    assert_eq!(
        found.len(),
        1,
        "expected one <{name}> in <{}>",
        node.tag_name().name()
    );
    text(found[0])
}

fn rss_children<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Vec<Node<'a, 'i>> {
    node.children()
        .filter(|n| {
            n.is_element() && n.tag_name().namespace().is_none() && n.tag_name().name() == name
        })
        .collect()
}

/// An Atom `<entry>`'s alternate link.
#[track_caller]
fn atom_alternate(entry: Node<'_, '_>) -> String {
    let links: Vec<String> = atom_children(entry, "link")
        .into_iter()
        .filter(|l| l.attribute("rel").unwrap_or("alternate") == "alternate")
        .filter_map(|l| l.attribute("href").map(str::to_string))
        .collect();
    assert_eq!(links.len(), 1, "expected one alternate link per entry");
    links.into_iter().next().unwrap()
}

/// A string field of a JSON object.
#[track_caller]
fn json_str<'a>(value: &'a Value, key: &str, what: &str) -> &'a str {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("{what}: no string {key:?}"))
}

/// The article pages of the output, as paths (`/news/articles/x/`).
fn article_urls(out: &Output) -> BTreeSet<String> {
    out.html_files()
        .into_iter()
        .filter(|f| f.starts_with("articles"))
        .map(|f| out.url_of_file(&f))
        .collect()
}

/// The articles a listing shows (cards), following its pagination (`.pagination a[rel=next]`;
/// an edition's `rel=next` is the next edition, not a page of it); paths from the host root.
fn listed_articles(out: &Output, first: &str) -> Vec<String> {
    let mut urls = Vec::new();
    let mut next = Some(first.to_string());
    while let Some(url) = next {
        let page = out.page(&url);
        urls.extend(page.attrs("main article .card-title a[href]", "href"));
        next = page
            .attrs(".pagination a[rel~=\"next\"]", "href")
            .into_iter()
            .next();
    }
    urls
}

/// Term pages with feeds: `(taxonomy, term page path, term name)`.
fn terms_with_feeds(out: &Output) -> Vec<(String, String, String)> {
    feeds_named(out, "atom.xml")
        .into_iter()
        .map(|(url, _)| url.trim_end_matches("atom.xml").to_string())
        // The site's feeds and its editions' in every language (the example site has `zh`).
        .filter(|dir| {
            ![
                out.base_path.clone(),
                out.url("editions/"),
                out.url("zh/"),
                out.url("zh/editions/"),
            ]
            .contains(dir)
        })
        .map(|dir| {
            let taxonomy = dir
                .trim_start_matches(&out.base_path)
                .trim_start_matches("zh/")
                .split('/')
                .next()
                .unwrap()
                .to_string();
            let name = out.page(&dir).h1();
            (taxonomy, dir, name)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Atom
// ---------------------------------------------------------------------------------------------

/// Checks what RFC 4287 requires of a feed and its entries; returns the entries' alternate links.
#[track_caller]
fn check_atom(url: &str, xml: &str) -> Vec<String> {
    let doc = parse_xml(url, xml);
    let feed = doc.root_element();
    assert!(
        feed.has_tag_name((ATOM_NS, "feed")),
        "{url}: root is not atom:feed"
    );
    assert_eq!(
        text(atom_child(feed, "id")),
        absolute(url),
        "{url}: feed id"
    );
    assert!(
        !text(atom_child(feed, "title")).trim().is_empty(),
        "{url}: empty title"
    );
    rfc3339(
        &format!("{url} feed updated"),
        &text(atom_child(feed, "updated")),
    );
    let selfs: Vec<_> = atom_children(feed, "link")
        .into_iter()
        .filter(|l| l.attribute("rel") == Some("self"))
        .collect();
    assert_eq!(selfs.len(), 1, "{url}: one link rel=self");
    assert_eq!(
        selfs[0].attribute("href"),
        Some(absolute(url).as_str()),
        "{url}: rel=self"
    );
    assert!(
        atom_children(feed, "link")
            .iter()
            .any(|l| l.attribute("rel") == Some("alternate")
                && l.attribute("href").is_some_and(|h| h.starts_with(BASE))),
        "{url}: no alternate link to the page the feed follows"
    );
    let feed_author = atom_children(feed, "author")
        .iter()
        .any(|a| !text(atom_child(*a, "name")).trim().is_empty());

    let mut links = Vec::new();
    let mut ids = BTreeSet::new();
    for entry in atom_children(feed, "entry") {
        let id = text(atom_child(entry, "id"));
        let what = format!("{url} entry {id}");
        assert!(id.starts_with(BASE), "{what}: id is not a URL under {BASE}");
        assert!(ids.insert(id.clone()), "{what}: id repeated");
        assert!(
            !text(atom_child(entry, "title")).trim().is_empty(),
            "{what}: empty title"
        );
        let updated = rfc3339(
            &format!("{what} updated"),
            &text(atom_child(entry, "updated")),
        );
        if let Some(published) = atom_children(entry, "published").first() {
            let published = rfc3339(&format!("{what} published"), &text(*published));
            assert!(published <= updated, "{what}: published after updated");
        }
        let authors = atom_children(entry, "author");
        for author in &authors {
            assert!(
                !text(atom_child(*author, "name")).trim().is_empty(),
                "{what}: author without a name"
            );
        }
        assert!(
            !authors.is_empty() || feed_author,
            "{what}: no author in the entry or the feed"
        );
        let link = atom_alternate(entry);
        assert!(
            link.starts_with(BASE),
            "{what}: link {link} not under {BASE}"
        );
        assert!(
            !atom_children(entry, "content").is_empty()
                || !atom_children(entry, "summary").is_empty(),
            "{what}: neither content nor summary"
        );
        links.push(link);
    }
    links
}

#[test]
fn every_atom_feed_has_what_rfc_4287_requires() {
    let (_site, out) = build_example();
    let feeds = feeds_named(&out, "atom.xml");
    // The site, the editions and one per term.
    assert!(feeds.len() > 10, "only {} Atom feeds", feeds.len());
    for (url, xml) in &feeds {
        let links = check_atom(url, xml);
        assert!(!links.is_empty(), "{url}: no entries");
        for link in links {
            out.assert_exists(&path_of(&link));
        }
    }
}

#[test]
fn site_atom_feed_has_every_article_newest_first_with_summary_content_and_categories() {
    let (_site, out) = build_example();
    let xml = out.read("atom.xml");
    let doc = parse_xml("atom.xml", &xml);
    let entries = atom_children(doc.root_element(), "entry");
    let articles = article_urls(&out);
    assert_eq!(entries.len(), articles.len().min(FEED_LIMIT));
    let mut previous: Option<jiff::Timestamp> = None;
    for entry in entries {
        let link = atom_alternate(entry);
        let path = path_of(&link);
        assert!(articles.contains(&path), "{link} is not an article page");
        let published = rfc3339("published", &text(atom_child(entry, "published")));
        if let Some(previous) = previous {
            assert!(
                published <= previous,
                "{link}: entries are not newest first"
            );
        }
        previous = Some(published);
        let page = out.page(&path);
        assert_eq!(text(atom_child(entry, "title")), page.h1(), "{link}: title");
        assert!(!text(atom_child(entry, "summary")).trim().is_empty());
        let content = atom_child(entry, "content");
        assert_eq!(content.attribute("type"), Some("html"));
        assert!(
            text(content).contains("<p>"),
            "{link}: content is not the article's HTML"
        );
        // One category per company, regulation and tag: the chips of the article page.
        let categories: BTreeSet<String> = atom_children(entry, "category")
            .into_iter()
            .map(|c| c.attribute("term").unwrap_or("").to_string())
            .collect();
        let chips: BTreeSet<String> = page.texts(".term-groups a.chip").into_iter().collect();
        assert!(!chips.is_empty(), "{link}: the page shows no terms");
        assert_eq!(categories, chips, "{link}: categories");
        // The authors of the byline.
        let authors: Vec<String> = atom_children(entry, "author")
            .into_iter()
            .map(|a| text(atom_child(a, "name")))
            .collect();
        let byline = page.text(".byline .authors");
        for author in &authors {
            assert!(
                byline.contains(author.as_str()),
                "{link}: author {author} not in {byline:?}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// RSS
// ---------------------------------------------------------------------------------------------

/// Checks what RSS 2.0 requires; returns the items' links.
#[track_caller]
fn check_rss(url: &str, xml: &str) -> Vec<String> {
    let doc = parse_xml(url, xml);
    let rss = doc.root_element();
    assert_eq!(rss.tag_name().name(), "rss", "{url}: root");
    assert_eq!(rss.attribute("version"), Some("2.0"), "{url}: version");
    let channel = rss_children(rss, "channel");
    assert_eq!(channel.len(), 1, "{url}: one channel");
    let channel = channel[0];
    for name in ["title", "link", "description"] {
        assert!(
            !rss_text(channel, name).trim().is_empty(),
            "{url}: empty channel {name}"
        );
    }
    assert!(
        rss_text(channel, "link").starts_with(BASE),
        "{url}: channel link"
    );
    if !rss_children(channel, "lastBuildDate").is_empty() {
        rfc2822(
            &format!("{url} lastBuildDate"),
            &rss_text(channel, "lastBuildDate"),
        );
    }
    let selfs: Vec<_> = channel
        .children()
        .filter(|n| n.has_tag_name((ATOM_NS, "link")) && n.attribute("rel") == Some("self"))
        .collect();
    assert_eq!(selfs.len(), 1, "{url}: one atom:link rel=self");
    assert_eq!(selfs[0].attribute("href"), Some(absolute(url).as_str()));

    let mut links = Vec::new();
    for item in rss_children(channel, "item") {
        let link = rss_text(item, "link");
        let what = format!("{url} item {link}");
        assert!(link.starts_with(BASE), "{what}: link not under {BASE}");
        assert!(!rss_text(item, "title").trim().is_empty(), "{what}: title");
        let guid = rss_children(item, "guid");
        assert_eq!(guid.len(), 1, "{what}: one guid");
        if guid[0].attribute("isPermaLink") != Some("false") {
            assert_eq!(text(guid[0]), link, "{what}: a permalink guid is the link");
        }
        rfc2822(&format!("{what} pubDate"), &rss_text(item, "pubDate"));
        assert!(
            !rss_text(item, "description").trim().is_empty(),
            "{what}: description"
        );
        links.push(link);
    }
    links
}

#[test]
fn every_rss_feed_has_what_rss_2_requires() {
    let (_site, out) = build_example();
    let feeds = feeds_named(&out, "rss.xml");
    assert!(feeds.len() > 10, "only {} RSS feeds", feeds.len());
    for (url, xml) in &feeds {
        let links = check_rss(url, xml);
        assert!(!links.is_empty(), "{url}: no items");
        for link in links {
            out.assert_exists(&path_of(&link));
        }
    }
    // The site feed: the same articles as Atom, same order, same dates.
    let rss = out.read("rss.xml");
    let atom = out.read("atom.xml");
    let rss_doc = parse_xml("rss.xml", &rss);
    let atom_doc = parse_xml("atom.xml", &atom);
    let channel = rss_children(rss_doc.root_element(), "channel")[0];
    let items = rss_children(channel, "item");
    let entries = atom_children(atom_doc.root_element(), "entry");
    assert_eq!(items.len(), entries.len());
    for (item, entry) in items.iter().zip(&entries) {
        assert_eq!(rss_text(*item, "link"), atom_alternate(*entry));
        // RSS titles are HTML (readers take them so), Atom's are text.
        assert_eq!(
            html_text(&rss_text(*item, "title")),
            text(atom_child(*entry, "title"))
        );
        assert_eq!(
            rfc2822("pubDate", &rss_text(*item, "pubDate")),
            rfc3339("published", &text(atom_child(*entry, "published")))
        );
    }
}

// ---------------------------------------------------------------------------------------------
// JSON Feed
// ---------------------------------------------------------------------------------------------

/// Checks what JSON Feed 1.1 requires; returns the items' URLs.
#[track_caller]
fn check_json_feed(url: &str, text: &str) -> Vec<String> {
    let feed: Value =
        serde_json::from_str(text).unwrap_or_else(|e| panic!("{url} is not JSON: {e}"));
    assert_eq!(json_str(&feed, "version", url), JSON_FEED_VERSION);
    assert!(
        !json_str(&feed, "title", url).trim().is_empty(),
        "{url}: title"
    );
    assert_eq!(
        json_str(&feed, "feed_url", url),
        absolute(url),
        "{url}: feed_url"
    );
    assert!(
        json_str(&feed, "home_page_url", url).starts_with(BASE),
        "{url}: home_page_url"
    );
    let items = feed
        .get("items")
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("{url}: no items array"));
    let mut urls = Vec::new();
    let mut ids = BTreeSet::new();
    for item in items {
        let id = json_str(item, "id", url);
        let what = format!("{url} item {id}");
        assert!(ids.insert(id.to_string()), "{what}: id repeated");
        let item_url = json_str(item, "url", &what);
        assert!(item_url.starts_with(BASE), "{what}: url not under {BASE}");
        assert!(
            !json_str(item, "title", &what).trim().is_empty(),
            "{what}: title"
        );
        assert!(
            !json_str(item, "content_html", &what).trim().is_empty(),
            "{what}: content_html"
        );
        let published = rfc3339(
            &format!("{what} date_published"),
            json_str(item, "date_published", &what),
        );
        if let Some(modified) = item.get("date_modified") {
            let modified = rfc3339(
                &format!("{what} date_modified"),
                modified.as_str().expect("date_modified is a string"),
            );
            assert!(published <= modified, "{what}: modified before published");
        }
        if let Some(authors) = item.get("authors") {
            for author in authors.as_array().expect("authors is an array") {
                assert!(
                    !json_str(author, "name", &what).trim().is_empty(),
                    "{what}: author name"
                );
            }
        }
        if let Some(tags) = item.get("tags") {
            assert!(
                tags.as_array()
                    .expect("tags is an array")
                    .iter()
                    .all(Value::is_string),
                "{what}: tags are strings"
            );
        }
        urls.push(item_url.to_string());
    }
    urls
}

#[test]
fn every_json_feed_has_what_json_feed_1_1_requires() {
    let (_site, out) = build_example();
    let feeds = feeds_named(&out, "feed.json");
    assert!(feeds.len() > 10, "only {} JSON feeds", feeds.len());
    for (url, text) in &feeds {
        let urls = check_json_feed(url, text);
        assert!(!urls.is_empty(), "{url}: no items");
        for item_url in urls {
            out.assert_exists(&path_of(&item_url));
        }
    }
    // The site feed lists the articles of the Atom feed, in the same order.
    let json: Value = serde_json::from_str(&out.read("feed.json")).unwrap();
    let json_urls: Vec<&str> = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["url"].as_str().unwrap())
        .collect();
    let atom = out.read("atom.xml");
    let doc = parse_xml("atom.xml", &atom);
    let atom_urls: Vec<String> = atom_children(doc.root_element(), "entry")
        .into_iter()
        .map(atom_alternate)
        .collect();
    assert_eq!(json_urls, atom_urls);
}

// ---------------------------------------------------------------------------------------------
// Per-term and editions feeds
// ---------------------------------------------------------------------------------------------

#[test]
fn term_feeds_hold_exactly_that_terms_articles() {
    let (_site, out) = build_example();
    let terms = terms_with_feeds(&out);
    assert!(terms.len() >= 10, "only {} terms with feeds", terms.len());
    for (taxonomy, dir, name) in terms {
        let listed: BTreeSet<String> = listed_articles(&out, &dir).into_iter().collect();
        assert!(!listed.is_empty(), "{dir} lists no articles");
        let expected = listed.len().min(FEED_LIMIT);

        let atom_url = format!("{dir}atom.xml");
        let xml = out.read(&atom_url);
        let doc = parse_xml(&atom_url, &xml);
        let entries = atom_children(doc.root_element(), "entry");
        assert_eq!(entries.len(), expected, "{atom_url}: entries");
        for entry in entries {
            let link = path_of(&atom_alternate(entry));
            assert!(
                listed.contains(&link),
                "{atom_url}: {link} is not one of {name}'s articles"
            );
            assert!(
                atom_children(entry, "category")
                    .iter()
                    .any(|c| c.attribute("term") == Some(name.as_str())),
                "{atom_url}: {link} has no category {name:?}"
            );
        }

        let rss_url = format!("{dir}rss.xml");
        let xml = out.read(&rss_url);
        let doc = parse_xml(&rss_url, &xml);
        let channel = rss_children(doc.root_element(), "channel")[0];
        let items = rss_children(channel, "item");
        assert_eq!(items.len(), expected, "{rss_url}: items");
        for item in items {
            let link = path_of(&rss_text(item, "link"));
            assert!(
                listed.contains(&link),
                "{rss_url}: {link} is not one of {name}'s articles"
            );
            assert!(
                rss_children(item, "category").iter().any(|c| {
                    text(*c) == name && c.attribute("domain") == Some(taxonomy.as_str())
                }),
                "{rss_url}: {link} has no category {name:?} in domain {taxonomy}"
            );
        }

        let json_url = format!("{dir}feed.json");
        let json: Value = serde_json::from_str(&out.read(&json_url)).unwrap();
        let items = json["items"].as_array().unwrap();
        assert_eq!(items.len(), expected, "{json_url}: items");
        for item in items {
            let link = path_of(item["url"].as_str().unwrap());
            assert!(
                listed.contains(&link),
                "{json_url}: {link} is not one of {name}'s articles"
            );
            assert!(
                item["tags"]
                    .as_array()
                    .is_some_and(|t| t.iter().any(|t| t.as_str() == Some(name.as_str()))),
                "{json_url}: {link} is not tagged {name:?}"
            );
        }
    }
}

#[test]
fn editions_feed_has_one_entry_per_edition_listing_its_stories() {
    let (_site, out) = build_example();
    let editions: BTreeSet<String> = out
        .html_files()
        .into_iter()
        .filter(|f| f.starts_with("editions") && f.components().count() == 3)
        .map(|f| out.url_of_file(&f))
        .collect();
    assert!(editions.len() >= 5, "only {} editions", editions.len());
    let xml = out.read("editions/atom.xml");
    check_atom("/news/editions/atom.xml", &xml);
    let doc = parse_xml("editions/atom.xml", &xml);
    let entries = atom_children(doc.root_element(), "entry");
    assert_eq!(entries.len(), editions.len(), "one entry per edition");
    let linked: BTreeSet<String> = entries
        .iter()
        .map(|e| path_of(&atom_alternate(*e)))
        .collect();
    assert_eq!(linked, editions);
    for entry in entries {
        let edition = path_of(&atom_alternate(entry));
        let page = out.page(&edition);
        assert_eq!(
            text(atom_child(entry, "title")),
            page.h1(),
            "{edition}: title"
        );
        // Its content is the edition's email (what RSS-to-email services send): each story's
        // title (a heading) links to it, absolutely.
        let content = scraper::Html::parse_fragment(&text(atom_child(entry, "content")));
        let stories: BTreeSet<String> = content
            .select(&selector("h2 a[href]"))
            .map(|a| path_of(a.value().attr("href").unwrap()))
            .collect();
        let listed: BTreeSet<String> = listed_articles(&out, &edition).into_iter().collect();
        assert_eq!(
            stories, listed,
            "{edition}: stories in the feed and on the page"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Discovery
// ---------------------------------------------------------------------------------------------

#[test]
fn every_page_links_its_feeds_with_link_rel_alternate() {
    let (_site, out) = build_example();
    let site_feeds = [
        ("application/atom+xml", out.url("atom.xml")),
        ("application/rss+xml", out.url("rss.xml")),
        ("application/feed+json", out.url("feed.json")),
    ];
    let terms: BTreeMap<String, String> = terms_with_feeds(&out)
        .into_iter()
        .map(|(_, dir, name)| (dir, name))
        .collect();
    for file in out.html_files() {
        let url = out.url_of_file(&file);
        let page = out.page(&url);
        let alternates: BTreeSet<(String, String)> = page
            // Feeds; hreflang alternates are the page in other languages.
            .select("head link[rel~=\"alternate\"]:not([hreflang])")
            .into_iter()
            .map(|l| {
                let v = l.value();
                assert!(
                    v.attr("title").is_some_and(|t| !t.trim().is_empty()),
                    "{url}: feed link without a title"
                );
                (
                    v.attr("type").unwrap_or("").to_string(),
                    v.attr("href").unwrap_or("").to_string(),
                )
            })
            .collect();
        for (kind, href) in &alternates {
            out.assert_exists(href);
            let expected = if href.ends_with("atom.xml") {
                "application/atom+xml"
            } else if href.ends_with("rss.xml") {
                "application/rss+xml"
            } else {
                "application/feed+json"
            };
            assert_eq!(kind, expected, "{url}: type of {href}");
        }
        // Pages of another language link that language's site feeds.
        let language = if url.starts_with(&out.url("zh/")) {
            "zh/"
        } else {
            ""
        };
        for (kind, href) in &site_feeds {
            let href = href.replacen(&out.base_path, &out.url(language), 1);
            assert!(
                alternates.contains(&(kind.to_string(), href.clone())),
                "{url}: no <link rel=alternate> to {href}"
            );
        }
        // A term's pages (every page of its listing) also link the term's three feeds.
        if let Some((dir, _)) = terms.iter().find(|(dir, _)| url.starts_with(dir.as_str())) {
            for feed in ["atom.xml", "rss.xml", "feed.json"] {
                let href = format!("{dir}{feed}");
                assert!(
                    alternates.iter().any(|(_, h)| *h == href),
                    "{url}: no <link rel=alternate> to {href}"
                );
            }
        }
        if url.starts_with(&out.url("editions/")) {
            let href = out.url("editions/atom.xml");
            assert!(
                alternates.iter().any(|(_, h)| *h == href),
                "{url}: no <link rel=alternate> to {href}"
            );
        }
    }
}

#[test]
fn news_sitemap_uses_the_google_news_schema_for_the_last_two_days() {
    let (_site, out) = build_example();
    let xml = out.read("news-sitemap.xml");
    let doc = parse_xml("news-sitemap.xml", &xml);
    let urlset = doc.root_element();
    assert!(urlset.has_tag_name((SITEMAP_NS, "urlset")));
    assert_eq!(urlset.lookup_prefix(NEWS_NS), Some("news"), "news: prefix");
    let site_title = {
        let feed = out.read("feed.json");
        let json: Value = serde_json::from_str(&feed).unwrap();
        json["title"].as_str().unwrap().to_string()
    };

    // Articles and their dates, from the JSON Feed (it holds all of them: fewer than the limit).
    let json: Value = serde_json::from_str(&out.read("feed.json")).unwrap();
    let dates: BTreeMap<String, jiff::Timestamp> = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["url"].as_str().unwrap().to_string(),
                rfc3339("date_published", i["date_published"].as_str().unwrap()),
            )
        })
        .collect();
    assert_eq!(dates.len(), article_urls(&out).len());
    let newest = *dates.values().max().unwrap();
    let cutoff = newest - jiff::SignedDuration::from_hours(48);
    let expected: BTreeSet<&String> = dates
        .iter()
        .filter(|(_, d)| **d >= cutoff)
        .map(|(u, _)| u)
        .collect();

    let mut listed = BTreeSet::new();
    for url in urlset.children().filter(Node::is_element) {
        assert!(url.has_tag_name((SITEMAP_NS, "url")));
        let loc = text(
            url.children()
                .find(|n| n.has_tag_name((SITEMAP_NS, "loc")))
                .expect("loc"),
        );
        assert!(loc.starts_with(BASE), "{loc}: not under {BASE}");
        let news = url
            .children()
            .find(|n| n.has_tag_name((NEWS_NS, "news")))
            .unwrap_or_else(|| panic!("{loc}: no news:news"));
        let child = |node: Node<'_, '_>, name: &str| -> String {
            let found: Vec<_> = node
                .children()
                .filter(|n| n.has_tag_name((NEWS_NS, name)))
                .collect();
            assert_eq!(found.len(), 1, "{loc}: one news:{name}");
            text(found[0])
        };
        let publication = news
            .children()
            .find(|n| n.has_tag_name((NEWS_NS, "publication")))
            .unwrap_or_else(|| panic!("{loc}: no news:publication"));
        assert_eq!(child(publication, "name"), site_title);
        let language = child(publication, "language");
        assert!(
            (2..=3).contains(&language.len()) || language == "zh-cn" || language == "zh-tw",
            "{loc}: news:language {language:?} is not an ISO 639 code"
        );
        let date = rfc3339("news:publication_date", &child(news, "publication_date"));
        assert_eq!(Some(&date), dates.get(&loc), "{loc}: publication date");
        let title = child(news, "title");
        assert_eq!(title, out.page(&path_of(&loc)).h1(), "{loc}: news:title");
        listed.insert(loc);
    }
    assert_eq!(listed.iter().collect::<BTreeSet<_>>(), expected);
    assert!(!listed.is_empty());

    let robots = out.read("robots.txt");
    for sitemap in ["sitemap.xml", "news-sitemap.xml"] {
        assert!(
            robots
                .lines()
                .any(|l| l.trim() == format!("Sitemap: {BASE}{sitemap}")),
            "robots.txt does not name {sitemap}:\n{robots}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// base_url with a path
// ---------------------------------------------------------------------------------------------

/// A URL found in the output is on the site: a path from the host root under `/news/`, or an
/// absolute URL on example.com under `/news/`. External and relative URLs pass.
#[track_caller]
fn assert_under_base(where_: &str, value: &str) {
    let v = value.trim();
    if v.starts_with("//example.com") || v.starts_with("http://example.com") {
        panic!("{where_}: {v:?} is not {BASE}…");
    }
    if v.starts_with(ORIGIN) {
        assert!(
            v.starts_with(BASE) || v == BASE.trim_end_matches('/'),
            "{where_}: {v:?} does not carry /news/"
        );
    } else if v.starts_with('/') && !v.starts_with("//") {
        assert!(
            v.starts_with("/news/"),
            "{where_}: {v:?} does not carry /news/"
        );
    }
}

/// Every string inside a JSON value.
fn json_strings<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::String(s) => out.push(s),
        Value::Array(a) => a.iter().for_each(|v| json_strings(v, out)),
        Value::Object(o) => o.values().for_each(|v| json_strings(v, out)),
        _ => {}
    }
}

/// Links inside an HTML fragment (feed content).
fn html_urls(html: &str) -> Vec<String> {
    let fragment = scraper::Html::parse_fragment(html);
    let mut urls = Vec::new();
    for el in fragment.select(&selector("[href], [src]")) {
        for attr in ["href", "src"] {
            if let Some(v) = el.value().attr(attr) {
                urls.push(v.to_string());
            }
        }
    }
    urls
}

#[test]
fn a_base_url_with_a_path_is_carried_by_every_link_asset_feed_and_sitemap_entry() {
    let (_site, out) = build_example();
    let mut checked = 0usize;

    // HTML: every attribute that holds a URL, and the JSON-LD.
    for file in out.html_files() {
        let url = out.url_of_file(&file);
        let page = out.page(&url);
        for el in page.select("*") {
            for (name, value) in el.value().attrs() {
                let holds_url = matches!(name, "href" | "src" | "action" | "poster")
                    || (name == "content" && (value.starts_with("http") || value.starts_with('/')));
                if holds_url {
                    assert_under_base(&format!("{url} <{} {name}>", el.value().name()), value);
                    checked += 1;
                } else if name == "srcset" {
                    for part in value.split(',') {
                        let src = part.split_whitespace().next().unwrap_or("");
                        assert_under_base(&format!("{url} srcset"), src);
                    }
                }
            }
        }
        for script in page.select("script[type=\"application/ld+json\"]") {
            let json: Value = serde_json::from_str(&script.text().collect::<String>())
                .unwrap_or_else(|e| panic!("{url}: JSON-LD does not parse: {e}"));
            let mut strings = Vec::new();
            json_strings(&json, &mut strings);
            for s in strings {
                assert_under_base(&format!("{url} JSON-LD"), s);
            }
        }
        // Internal links of the page resolve.
        for href in page.attrs("a[href], link[href]", "href") {
            if href.starts_with('/') && !href.starts_with("//") {
                out.assert_exists(&href);
            }
        }
    }

    // XML feeds and sitemaps: every attribute and text, and the links inside entry content.
    let mut xml_files = Vec::new();
    for name in ["atom.xml", "rss.xml", "sitemap.xml", "news-sitemap.xml"] {
        xml_files.extend(feeds_named(&out, name));
    }
    let mut locs = 0usize;
    for (url, xml) in &xml_files {
        let doc = parse_xml(url, xml);
        for node in doc.descendants().filter(Node::is_element) {
            for attr in node.attributes() {
                assert_under_base(&format!("{url} @{}", attr.name()), attr.value());
            }
            let t = text(node);
            let name = node.tag_name().name();
            if matches!(name, "content" | "encoded" | "description" | "summary") {
                for link in html_urls(&t) {
                    assert_under_base(&format!("{url} <{name}> link"), &link);
                }
            } else {
                assert_under_base(&format!("{url} <{name}>"), &t);
            }
            if name == "loc" {
                assert!(t.starts_with(BASE), "{url}: loc {t}");
                let path = path_of(&t);
                out.assert_exists(&path);
                locs += 1;
            }
            checked += 1;
        }
    }
    // Every page but the two 404s (one per language) and the noindex search page.
    assert!(
        locs >= out.html_files().len() - 3,
        "sitemap lists too few pages ({locs})"
    );

    // JSON feeds: every string, and the links inside content_html.
    for (url, text) in feeds_named(&out, "feed.json") {
        let json: Value = serde_json::from_str(&text).unwrap();
        let mut strings = Vec::new();
        json_strings(&json, &mut strings);
        for s in strings {
            assert_under_base(&url, s);
            if s.contains('<') {
                for link in html_urls(s) {
                    assert_under_base(&format!("{url} content_html link"), &link);
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 1000, "only {checked} URLs checked");
}

// ---------------------------------------------------------------------------------------------
// Hostile names
// ---------------------------------------------------------------------------------------------

const HOSTILE_SITE: &str = r#"Hostile </script> & ]]> "Digest""#;
const HOSTILE_TITLE: &str =
    r#"<script>alert(1)</script> "><img src=x onerror=alert(1)> ]]> </script> & friends"#;
const HOSTILE_AUTHORS: [&str; 2] = [
    r#"</script><script>alert("author")</script>"#,
    r#"Tom & Jerry "><img src=x>"#,
];
const HOSTILE_COMPANIES: [&str; 2] = [r#""><img src=x onerror=alert(1)>"#, "</script> & Co"];
const HOSTILE_TAGS: [&str; 2] = ["]]> CDATA &", "<script>"];
const HOSTILE_SUMMARY: &str =
    r#"Summary "><img src=x onerror=alert(1)> with ]]> and </script> & <b>bold</b>"#;

fn hostile_names() -> Vec<&'static str> {
    HOSTILE_COMPANIES
        .iter()
        .chain(HOSTILE_TAGS.iter())
        .copied()
        .collect()
}

#[test]
fn hostile_titles_and_names_come_out_of_every_feed_verbatim() {
    let site = Site::fixture("feeds-hostile");
    let out = site.build_ok(&[]);
    assert_eq!(out.base_path, "/news/");

    // Atom: site, per-term and editions feeds all parse and pass the format checks.
    for (url, xml) in feeds_named(&out, "atom.xml") {
        check_atom(&url, &xml);
        let doc = parse_xml(&url, &xml);
        let feed = doc.root_element();
        assert!(
            text(atom_child(feed, "title")).contains(HOSTILE_SITE),
            "{url}: feed title"
        );
    }
    let xml = out.read("atom.xml");
    let doc = parse_xml("atom.xml", &xml);
    let entry = atom_children(doc.root_element(), "entry")
        .into_iter()
        .find(|e| text(atom_child(*e, "title")) == HOSTILE_TITLE)
        .expect("an Atom entry with the hostile title, verbatim");
    let authors: Vec<String> = atom_children(entry, "author")
        .into_iter()
        .map(|a| text(atom_child(a, "name")))
        .collect();
    assert_eq!(authors, HOSTILE_AUTHORS);
    let categories: Vec<String> = atom_children(entry, "category")
        .into_iter()
        .map(|c| c.attribute("term").unwrap().to_string())
        .collect();
    assert_eq!(categories, hostile_names());
    assert_eq!(text(atom_child(entry, "summary")), HOSTILE_SUMMARY);
    let content = text(atom_child(entry, "content"));
    assert!(
        content.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "raw HTML of the body is escaped (unsafe_html = false): {content}"
    );

    // RSS.
    for (url, xml) in feeds_named(&out, "rss.xml") {
        check_rss(&url, &xml);
    }
    let xml = out.read("rss.xml");
    let doc = parse_xml("rss.xml", &xml);
    let channel = rss_children(doc.root_element(), "channel")[0];
    assert_eq!(rss_text(channel, "title"), HOSTILE_SITE);
    let item = rss_children(channel, "item")
        .into_iter()
        .find(|i| html_text(&rss_text(*i, "title")) == HOSTILE_TITLE)
        .expect("an RSS item whose title reads as the hostile title, verbatim");
    let creators: Vec<String> = item
        .children()
        .filter(|n| n.is_element() && n.tag_name().name() == "creator")
        .map(text)
        .collect();
    assert_eq!(creators, HOSTILE_AUTHORS);
    let categories: Vec<String> = rss_children(item, "category")
        .into_iter()
        .map(text)
        .collect();
    assert_eq!(categories, hostile_names());
    // The description is HTML: escaped twice in the XML, the summary's text once read as HTML.
    assert_eq!(html_text(&rss_text(item, "description")), HOSTILE_SUMMARY);
    assert!(
        xml.contains("&amp;lt;b&amp;gt;bold") && !xml.contains("<b>bold"),
        "the summary's markup is text in the HTML"
    );

    // JSON Feed.
    for (url, text) in feeds_named(&out, "feed.json") {
        check_json_feed(&url, &text);
    }
    let json: Value = serde_json::from_str(&out.read("feed.json")).unwrap();
    assert_eq!(json["title"], HOSTILE_SITE);
    let item = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["title"] == HOSTILE_TITLE)
        .expect("a JSON Feed item with the hostile title, verbatim");
    let authors: Vec<&str> = item["authors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(authors, HOSTILE_AUTHORS);
    let tags: Vec<&str> = item["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert_eq!(tags, hostile_names());

    // The per-term feed of a hostile company holds its one article, not the plain one.
    let term_feed = out.read("companies/script-co/atom.xml");
    let doc = parse_xml("companies/script-co/atom.xml", &term_feed);
    let titles: Vec<String> = atom_children(doc.root_element(), "entry")
        .into_iter()
        .map(|e| text(atom_child(e, "title")))
        .collect();
    assert_eq!(titles, [HOSTILE_TITLE]);

    // Editions feed and sitemaps parse; the news sitemap carries the title verbatim.
    let editions = out.read("editions/atom.xml");
    let doc = parse_xml("editions/atom.xml", &editions);
    let listed = atom_children(doc.root_element(), "entry")
        .into_iter()
        .map(|e| scraper::Html::parse_fragment(&text(atom_child(e, "content"))))
        .any(|html| {
            html.select(&selector("a"))
                .any(|a| a.text().collect::<String>() == HOSTILE_TITLE)
        });
    assert!(
        listed,
        "the editions feed lists the hostile story by its exact title"
    );
    parse_xml("sitemap.xml", &out.read("sitemap.xml"));
    let news = out.read("news-sitemap.xml");
    let doc = parse_xml("news-sitemap.xml", &news);
    let titles: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name((NEWS_NS, "title")))
        .map(text)
        .collect();
    assert!(
        titles.iter().any(|t| t == HOSTILE_TITLE),
        "news:title: {titles:?}"
    );
    let names: BTreeSet<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name((NEWS_NS, "name")))
        .map(text)
        .collect();
    assert_eq!(names, BTreeSet::from([HOSTILE_SITE.to_string()]));
}

#[test]
fn hostile_titles_and_names_leave_no_script_but_json_ld_on_any_page() {
    let site = Site::fixture("feeds-hostile");
    let out = site.build_ok(&[]);
    let mut articles = 0;
    for file in out.html_files() {
        let url = out.url_of_file(&file);
        let page = out.page(&url);
        // Nothing became an element: no script but JSON-LD, no <img>, no event handler, no <b>.
        for el in page.select("*") {
            for (name, _) in el.value().attrs() {
                assert!(
                    !name.to_ascii_lowercase().starts_with("on"),
                    "{url}: <{} {name}> is an event handler",
                    el.value().name()
                );
            }
        }
        assert_eq!(page.count("img"), 0, "{url}: an <img> came out of a name");
        assert_eq!(page.count("b"), 0, "{url}: a <b> came out of a summary");
        let scripts = page.select("script");
        for script in &scripts {
            // The search page's own script, the one script digest ships.
            if script.value().attr("src") == Some(out.url("search.js").as_str()) {
                continue;
            }
            assert_eq!(
                script.value().attr("type"),
                Some("application/ld+json"),
                "{url}: a script that is not JSON-LD: {}",
                script.html()
            );
        }
        if !Path::new(&file).starts_with("articles") {
            continue;
        }
        articles += 1;
        assert_eq!(scripts.len(), 1, "{url}: one JSON-LD script");
        let raw: String = scripts[0].text().collect();
        assert!(
            !raw.to_ascii_lowercase().contains("</script"),
            "{url}: JSON-LD holds a closing script tag"
        );
        let json: Value = serde_json::from_str(&raw)
            .unwrap_or_else(|e| panic!("{url}: JSON-LD does not parse: {e}\n{raw}"));
        assert_eq!(json["@type"], "NewsArticle");
        let title = page.h1();
        assert_eq!(json["headline"], title.as_str(), "{url}: headline");
        if title == HOSTILE_TITLE {
            let authors: Vec<&str> = json["author"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["name"].as_str().unwrap())
                .collect();
            assert_eq!(authors, HOSTILE_AUTHORS);
            let about: Vec<&str> = json["about"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["name"].as_str().unwrap())
                .collect();
            assert_eq!(about, HOSTILE_COMPANIES);
            assert_eq!(json["publisher"]["name"], HOSTILE_SITE);
            assert_eq!(json["description"], HOSTILE_SUMMARY);
            // The page shows the same text, and its <title> starts with it.
            assert!(page.title().starts_with(HOSTILE_TITLE), "{url}: <title>");
            let chips: Vec<String> = page.texts(".term-groups a.chip");
            assert_eq!(chips, hostile_names());
            let meta = page.attr("meta[name=\"description\"]", "content");
            assert_eq!(meta, HOSTILE_SUMMARY);
        }
    }
    assert_eq!(articles, 2);
    // Every page of the fixture names the site verbatim in its header.
    let home = out.page(&out.url(""));
    assert_eq!(home.text(".site-title"), HOSTILE_SITE);
    assert!(
        home.select("main article .card-title a")
            .into_iter()
            .map(text_of)
            .any(|t| t == HOSTILE_TITLE)
    );
}

/// What a reader shows of an RSS title or description, which it takes as HTML.
fn html_text(html: &str) -> String {
    scraper::Html::parse_fragment(html)
        .root_element()
        .text()
        .collect()
}
