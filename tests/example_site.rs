//! End-to-end tests on the repository's own example site (the repository root): it is built into
//! a temporary folder and read back as a reader and a crawler would.

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use common::{Output, Site, child_text, children, parse_xml};

/// Builds the example site into a fresh temporary folder.
fn build_example() -> (Site, Output) {
    let (site, _run, out) = build_example_run();
    (site, out)
}

fn build_example_run() -> (Site, common::Run, Output) {
    let site = Site::example();
    let (run, out) = site.build_run(&[]);
    assert_eq!(
        out.base_path, "/digest/",
        "site.toml's base_url should carry the /digest path"
    );
    (site, run, out)
}

/// Article pages of the output, as URLs (`/digest/articles/<slug>/`).
fn article_urls(out: &Output) -> BTreeSet<String> {
    out.html_files()
        .into_iter()
        .filter(|f| f.starts_with("articles"))
        .map(|f| out.url_of_file(&f))
        .collect()
}

#[test]
fn every_url_of_the_design_table_exists() {
    let (_site, run, out) = build_example_run();
    for path in [
        "",
        "page/2/",
        "articles/alibaba-tongyi-qianwen/",
        "editions/",
        "editions/2023-w37/",
        "companies/",
        "regulations/",
        "tags/",
        "companies/alibaba/",
        "companies/alibaba/atom.xml",
        "companies/alibaba/rss.xml",
        "companies/alibaba/feed.json",
        "regulations/china-genai-measures/",
        // The one term of the example with more than per_page (5) articles.
        "regulations/china-genai-measures/page/2/",
        "atom.xml",
        "rss.xml",
        "feed.json",
        "sitemap.xml",
        "robots.txt",
        "404.html",
        "style.css",
        "highlight.css",
        "favicon.svg",
        ".digest-output",
    ] {
        out.assert_exists(&out.url(path));
    }
    // The draft of the example site is not published.
    out.assert_missing(&out.url("articles/chatgpt-can-see-hear-and-speak/"));
    // Summary line: `Built N pages (A articles, T terms, E editions) into OUT in X ms`.
    let html_pages = out.html_files().len();
    let articles = article_urls(&out).len();
    assert!(
        articles >= 10,
        "expected the 10+ example articles, found {articles}"
    );
    let summary = run.stdout.trim();
    assert!(
        summary.starts_with(&format!("Built {html_pages} pages ({articles} articles, ")),
        "summary should count {html_pages} HTML pages and {articles} articles: {summary}"
    );
}

#[test]
fn every_internal_link_resolves_and_every_page_is_reachable_from_home() {
    let (_site, out) = build_example();
    // 404.html is served by the host for unknown URLs, never linked; its links must work too.
    let crawl = out.crawl(&[&out.url(""), &out.url("404.html")]);
    assert!(
        crawl.broken.is_empty(),
        "{} broken link(s):\n  {}",
        crawl.broken.len(),
        crawl.broken.join("\n  ")
    );
    assert!(
        crawl.links_checked > 500,
        "suspiciously few links: {}",
        crawl.links_checked
    );

    let from_home = out.crawl(&[&out.url("")]);
    let unreached: Vec<PathBuf> = out
        .html_files()
        .into_iter()
        // Each language has its 404 page (404.html, zh/404.html), linked from nowhere.
        .filter(|f| !f.ends_with("404.html"))
        .map(|f| out.dir.join(f))
        .filter(|f| !from_home.reached.contains(f))
        .collect();
    assert!(
        unreached.is_empty(),
        "pages not reachable from the home page: {unreached:#?}"
    );
    for asset in [
        "style.css",
        "highlight.css",
        "favicon.svg",
        "atom.xml",
        "rss.xml",
        "feed.json",
    ] {
        assert!(
            from_home.assets.contains(&out.dir.join(asset)),
            "the home page does not link {asset}"
        );
    }
}

#[test]
fn every_page_has_lang_title_one_h1_description_and_canonical() {
    let (_site, out) = build_example();
    let mut problems = Vec::new();
    for file in out.html_files() {
        let url = out.url_of_file(&file);
        let page = out.page(&url);
        let h1 = page.texts("h1");
        if h1.len() != 1 || h1[0].is_empty() {
            problems.push(format!("{url}: expected one non-empty <h1>, found {h1:?}"));
        }
        let titles = page.texts("head > title");
        if titles.len() != 1 || titles[0].is_empty() {
            problems.push(format!(
                "{url}: expected one non-empty <title>, found {titles:?}"
            ));
        }
        let lang = page.attrs("html", "lang");
        if lang.len() != 1 || lang[0].is_empty() {
            problems.push(format!("{url}: <html lang> missing: {lang:?}"));
        }
        let canonical = page.attrs("head link[rel=canonical]", "href");
        let expected = out.permalink(&url[out.base_path.len()..]);
        if canonical != [expected.clone()] {
            problems.push(format!(
                "{url}: canonical {canonical:?}, expected [{expected:?}]"
            ));
        }
        let description = page.attrs("head meta[name=description]", "content");
        if description.len() != 1 || description[0].trim().is_empty() {
            problems.push(format!("{url}: meta description {description:?}"));
        }
        for property in ["og:title", "og:url", "og:type"] {
            if page
                .attrs(&format!("head meta[property=\"{property}\"]"), "content")
                .len()
                != 1
            {
                problems.push(format!("{url}: no {property}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // The page title names the page before the site.
    let article = out.page(&out.url("articles/alibaba-tongyi-qianwen/"));
    assert_eq!(
        article.title(),
        "Alibaba launches its ChatGPT-like AI model for public use · Tech Policy Digest"
    );
    assert_eq!(out.page(&out.url("")).title(), "Tech Policy Digest");
}

#[test]
fn article_pages_carry_news_article_json_ld() {
    let (_site, out) = build_example();
    for url in article_urls(&out) {
        let page = out.page(&url);
        let scripts = page.select("script[type=\"application/ld+json\"]");
        assert_eq!(scripts.len(), 1, "{url}: expected one JSON-LD block");
        let json: String = scripts[0].text().collect();
        let value: serde_json::Value = serde_json::from_str(&json)
            .unwrap_or_else(|e| panic!("{url}: JSON-LD does not parse: {e}\n{json}"));
        assert_eq!(value["@type"], "NewsArticle", "{url}: {value}");
        assert_eq!(
            value["headline"].as_str(),
            Some(page.h1().as_str()),
            "{url}: {value}"
        );
    }
}

#[test]
fn alibaba_article_links_to_each_of_its_companies_regulations_and_tags() {
    let (_site, out) = build_example();
    let url = out.url("articles/alibaba-tongyi-qianwen/");
    let page = out.page(&url);
    assert_eq!(
        page.h1(),
        "Alibaba launches its ChatGPT-like AI model for public use"
    );
    let links = page.main_links();
    let expected = [
        ("Alibaba", "companies/alibaba/"),
        ("OpenAI", "companies/openai/"),
        ("Baidu", "companies/baidu/"),
        ("Tencent", "companies/tencent/"),
        ("TikTok", "companies/tiktok/"),
        ("ByteDance", "companies/bytedance/"),
        (
            "China Interim Measures for the Management of Generative AI Services",
            "regulations/china-genai-measures/",
        ),
        ("AI", "tags/ai/"),
        ("LLM", "tags/llm/"),
        ("China", "tags/china/"),
    ];
    for (name, path) in expected {
        let href = out.url(path);
        assert!(
            links.iter().any(|(text, h)| text == name && h == &href),
            "{url} has no link {name:?} → {href}; links in <main>: {links:#?}"
        );
        // The link lands on that term's page.
        let term = out.page(&href);
        assert_eq!(term.h1(), name, "{href}");
        assert!(
            term.article_links().iter().any(|(_, h)| h == &url),
            "{href} does not list the Alibaba article"
        );
    }
    // Its source is shown (the example article names Cointelegraph, without a URL).
    assert!(
        page.text("main").contains("Cointelegraph"),
        "{url} does not show its source"
    );
}

#[test]
fn alibaba_company_page_lists_articles_filed_under_every_alias() {
    let (_site, out) = build_example();
    let page = out.page(&out.url("companies/alibaba/"));
    assert_eq!(page.h1(), "Alibaba");
    // Newest first: filed as "阿里巴巴" (2023-09-18), "Alibaba" (2023-09-15),
    // "Alibaba Group" (2023-08-03).
    let listed: Vec<String> = page.article_links().into_iter().map(|(_, h)| h).collect();
    let expected: Vec<String> = [
        "articles/a-month-under-chinas-ai-rules/",
        "articles/alibaba-tongyi-qianwen/",
        "articles/alibaba-open-sources-qwen-7b/",
    ]
    .iter()
    .map(|p| out.url(p))
    .collect();
    assert_eq!(listed, expected);
    // The titles shown are the articles' own titles.
    for (title, href) in page.article_links() {
        assert_eq!(title, out.page(&href).h1(), "{href}");
    }
    // The profile: its description and website.
    let main = page.text("main");
    assert!(
        main.contains("best known for its e-commerce marketplaces"),
        "{main}"
    );
    assert!(
        page.attrs("main a[href]", "href")
            .contains(&"https://www.alibabagroup.com".to_string()),
        "the profile's website is not linked"
    );
    // No separate pages for the aliases.
    for alias in ["alibaba-group", "a-li-ba-ba", "alibaba-cloud"] {
        out.assert_missing(&out.url(&format!("companies/{alias}/")));
    }
    // The companies index lists Alibaba once, with its 3 stories.
    let index = out.page(&out.url("companies/"));
    let alibaba: Vec<_> = index
        .main_links()
        .into_iter()
        .filter(|(_, h)| h == &out.url("companies/alibaba/"))
        .collect();
    assert_eq!(alibaba.len(), 1, "{alibaba:?}");
    assert_eq!(alibaba[0].0, "Alibaba");
    let item = index
        .texts("main li")
        .into_iter()
        .find(|t| t.starts_with("Alibaba "))
        .unwrap();
    assert!(item.contains("3 stories"), "{item}");
}

#[test]
fn feeds_parse_and_point_at_the_articles() {
    let (_site, out) = build_example();
    let articles = article_urls(&out);
    let permalinks: BTreeSet<String> = articles
        .iter()
        .map(|u| out.permalink(&u[out.base_path.len()..]))
        .collect();

    // Atom
    let text = out.read(&out.url("atom.xml"));
    let doc = parse_xml("atom.xml", &text);
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().name(), "feed");
    assert_eq!(
        feed.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    assert_eq!(child_text(feed, "title"), "Tech Policy Digest");
    let entries = children(feed, "entry");
    let mut atom_links = BTreeSet::new();
    let mut published = Vec::new();
    for entry in &entries {
        let link = children(*entry, "link")
            .into_iter()
            .find(|l| l.attribute("rel").unwrap_or("alternate") == "alternate")
            .and_then(|l| l.attribute("href"))
            .expect("entry has an alternate link")
            .to_string();
        let title = child_text(*entry, "title");
        let page = out.page(&link);
        assert_eq!(title, page.h1(), "atom entry title for {link}");
        published.push(child_text(*entry, "published"));
        atom_links.insert(link);
    }
    assert_eq!(
        atom_links, permalinks,
        "atom.xml should carry every article (limit is 50)"
    );
    let mut sorted = published.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(published, sorted, "atom entries newest first");

    // RSS
    let text = out.read(&out.url("rss.xml"));
    let doc = parse_xml("rss.xml", &text);
    let rss = doc.root_element();
    assert_eq!(rss.tag_name().name(), "rss");
    assert_eq!(rss.attribute("version"), Some("2.0"));
    let channel = children(rss, "channel")[0];
    let rss_links: BTreeSet<String> = children(channel, "item")
        .into_iter()
        .map(|i| child_text(i, "link"))
        .collect();
    assert_eq!(rss_links, permalinks, "rss.xml should carry every article");

    // JSON Feed
    let text = out.read(&out.url("feed.json"));
    let json: serde_json::Value = serde_json::from_str(&text).expect("feed.json is JSON");
    assert_eq!(json["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(json["feed_url"], out.permalink("feed.json"));
    let items = json["items"].as_array().expect("items");
    let json_links: BTreeSet<String> = items
        .iter()
        .map(|i| i["url"].as_str().expect("item url").to_string())
        .collect();
    assert_eq!(
        json_links, permalinks,
        "feed.json should carry every article"
    );
    for item in items {
        assert!(
            item["id"].is_string() && item["title"].is_string(),
            "{item}"
        );
    }

    // A term's own feeds: only its articles.
    let expected: BTreeSet<String> = [
        "articles/a-month-under-chinas-ai-rules/",
        "articles/alibaba-tongyi-qianwen/",
        "articles/alibaba-open-sources-qwen-7b/",
    ]
    .iter()
    .map(|p| out.permalink(p))
    .collect();
    let text = out.read(&out.url("companies/alibaba/atom.xml"));
    let doc = parse_xml("companies/alibaba/atom.xml", &text);
    let links: BTreeSet<String> = children(doc.root_element(), "entry")
        .into_iter()
        .filter_map(|e| {
            children(e, "link")
                .into_iter()
                .find(|l| l.attribute("rel").unwrap_or("alternate") == "alternate")
                .and_then(|l| l.attribute("href").map(str::to_string))
        })
        .collect();
    assert_eq!(links, expected, "companies/alibaba/atom.xml");
    let text = out.read(&out.url("companies/alibaba/rss.xml"));
    parse_xml("companies/alibaba/rss.xml", &text);
    let text = out.read(&out.url("companies/alibaba/feed.json"));
    let json: serde_json::Value = serde_json::from_str(&text).expect("term feed.json is JSON");
    assert_eq!(json["items"].as_array().map(Vec::len), Some(3));
}

#[test]
fn feed_html_content_is_escaped_text_not_markup() {
    let (_site, out) = build_example();
    let text = out.read(&out.url("atom.xml"));
    let doc = parse_xml("atom.xml", &text);
    for entry in children(doc.root_element(), "entry") {
        for content in children(entry, "content") {
            assert_eq!(content.attribute("type"), Some("html"));
            let elements: Vec<&str> = content
                .children()
                .filter(|n| n.is_element())
                .map(|n| n.tag_name().name())
                .collect();
            assert!(
                elements.is_empty(),
                "atom <content type=\"html\"> must hold escaped HTML, found child elements {elements:?}"
            );
            assert!(
                content.text().unwrap_or("").contains("<p>"),
                "content should be HTML text"
            );
        }
    }
    let text = out.read(&out.url("rss.xml"));
    let doc = parse_xml("rss.xml", &text);
    let channel = children(doc.root_element(), "channel")[0];
    for item in children(channel, "item") {
        for encoded in children(item, "encoded") {
            let elements = encoded.children().filter(|n| n.is_element()).count();
            assert_eq!(
                elements, 0,
                "rss <content:encoded> must hold escaped HTML or CDATA"
            );
        }
    }
}

#[test]
fn sitemap_lists_every_page_and_only_existing_ones() {
    let (_site, out) = build_example();
    let text = out.read(&out.url("sitemap.xml"));
    let doc = parse_xml("sitemap.xml", &text);
    let locs: BTreeSet<String> = children(doc.root_element(), "url")
        .into_iter()
        .map(|u| child_text(u, "loc"))
        .collect();
    for loc in &locs {
        assert!(
            out.exists(loc),
            "sitemap lists {loc}, which is not in the output"
        );
    }
    for file in out.html_files() {
        // The search pages are `noindex`: a search engine has nothing to find there.
        if file.ends_with("404.html") || file.ends_with("search/index.html") {
            continue;
        }
        let url = out.url_of_file(&file);
        let permalink = out.permalink(&url[out.base_path.len()..]);
        assert!(
            locs.contains(&permalink),
            "sitemap.xml does not list {permalink}"
        );
    }
    let robots = out.read(&out.url("robots.txt"));
    assert!(
        robots.contains(&format!("Sitemap: {}", out.permalink("sitemap.xml"))),
        "{robots}"
    );
}
