//! Real sites' URLs: `[permalinks]` patterns, dates and page bundles in file names, `aliases`
//! with their redirect pages and `_redirects`, the site's own front-matter keys, and a site
//! without `base_url`.

mod common;

use common::{Site, selector};

const WEEKLY: &str = "title = \"Weekly\"\nbase_url = \"https://example.com/news\"\n";

/// A weekly digest whose issues share one title, dated by their file names only.
fn weekly(pattern: Option<&str>) -> Site {
    let site = Site::empty();
    let mut toml = WEEKLY.to_string();
    if let Some(pattern) = pattern {
        toml.push_str(&format!("[permalinks]\narticles = {pattern:?}\n"));
    }
    site.write("site.toml", &toml);
    for day in ["2013-06-07", "2013-06-15", "2013-06-22"] {
        site.write(
            &format!("content/articles/{day}-this-week-in-rust.md"),
            &format!("+++\ntitle = \"This Week in Rust\"\n+++\nIssue of {day}.\n"),
        );
    }
    site
}

#[test]
fn recurring_titles_live_at_dated_urls_everywhere_the_site_links_them() {
    let site = weekly(Some("/blog/:year/:month/:day/:slug/"));
    let out = site.build_ok(&[]);
    for day in ["2013/06/07", "2013/06/15", "2013/06/22"] {
        let url = format!("blog/{day}/this-week-in-rust/");
        let page = out.page(&url);
        assert_eq!(
            page.attr("link[rel=canonical]", "href"),
            out.permalink(&url),
            "{url}"
        );
        assert!(
            page.text("article")
                .contains(&format!("Issue of {}", day.replace('/', "-")))
        );
        let jsonld: serde_json::Value =
            serde_json::from_str(&page.text("script[type=\"application/ld+json\"]")).unwrap();
        assert_eq!(jsonld["url"], out.permalink(&url));
    }
    out.assert_missing("articles/this-week-in-rust/");
    // Home, feeds and sitemap point at the dated pages, and every link of the site resolves.
    let crawl = out.crawl(&["", "404.html"]);
    assert!(crawl.broken.is_empty(), "{:#?}", crawl.broken);
    assert!(
        crawl
            .reached_urls
            .contains(&out.url("blog/2013/06/15/this-week-in-rust/"))
    );
    let feed: serde_json::Value = serde_json::from_str(&out.read("feed.json")).unwrap();
    assert_eq!(
        feed["items"][0]["url"],
        out.permalink("blog/2013/06/22/this-week-in-rust/")
    );
    let sitemap = out.read("sitemap.xml");
    let xml = roxmltree::Document::parse(&sitemap).unwrap();
    let locs: Vec<&str> = xml
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert!(locs.contains(&out.permalink("blog/2013/06/07/this-week-in-rust/").as_str()));

    // --relative: the same pages, linked page-relatively from disk.
    let relative = Site::empty();
    common::copy_dir(&site.root, &relative.root);
    relative.build(&["--relative"]).success();
    let html = std::fs::read_to_string(relative.out.join("index.html")).unwrap();
    assert!(
        html.contains("blog/2013/06/22/this-week-in-rust/index.html"),
        "the home page links the dated page relatively"
    );
}

#[test]
fn recurring_titles_under_the_default_pattern_are_an_error_with_a_pattern_that_separates_them() {
    let site = weekly(None);
    let run = site.build(&[]);
    assert_eq!(run.code, Some(1), "{run}");
    let error = run.block("error: content/articles/2013-06-15-this-week-in-rust.md");
    assert!(
        error.line.contains("/articles/this-week-in-rust/"),
        "{}",
        error.line
    );
    assert!(
        error.line.contains("2013-06-07-this-week-in-rust.md"),
        "{}",
        error.line
    );
    assert!(
        error
            .hints
            .iter()
            .any(|h| h.contains("/:year/:month/:day/:slug/")),
        "{:?}",
        error.hints
    );
    // Nothing was written.
    assert!(!site.out.exists());
}

#[test]
fn permalinks_may_end_in_a_file_name_and_keep_the_file_name_as_written() {
    let site = Site::empty();
    site.write(
        "site.toml",
        &format!("{WEEKLY}[permalinks]\narticles = \"/:year/:month/:day/:filename.html\"\n"),
    );
    site.write(
        "content/2014-09-15-Rust-1.0.md",
        "+++\ntitle = \"Road to Rust 1.0\"\n+++\nPlans.\n",
    );
    site.write(
        "content/2015-05-15-Rust-1.0.md",
        "+++\ntitle = \"Announcing Rust 1.0\"\n+++\nShipped.\n",
    );
    let out = site.build_ok(&[]);
    let page = out.page("2015/05/15/2015-05-15-Rust-1.0.html");
    assert_eq!(page.text("h1"), "Announcing Rust 1.0");
    out.assert_exists("2014/09/15/2014-09-15-Rust-1.0.html");
    let crawl = out.crawl(&[""]);
    assert!(crawl.broken.is_empty(), "{:#?}", crawl.broken);
}

#[test]
fn a_page_bundle_takes_its_folder_name() {
    let site = Site::empty();
    site.write("site.toml", WEEKLY);
    site.write(
        "content/blog/2019/0524-slow-cooker/index.md",
        "+++\ntitle = \"Slow cooker\"\ndate = 2019-05-24\n+++\nLoad testing.\n",
    );
    let out = site.build_ok(&[]);
    out.assert_exists("articles/0524-slow-cooker/");
}

#[test]
fn a_bad_pattern_is_refused_with_the_tokens() {
    let site = Site::empty();
    site.write(
        "site.toml",
        &format!("{WEEKLY}[permalinks]\narticles = \"/:yaer/:slug/\"\n"),
    );
    let run = site.build(&[]);
    assert_eq!(run.code, Some(1), "{run}");
    let error = run.block("error: site.toml:4");
    assert!(error.line.contains(":yaer"), "{}", error.line);
    assert!(
        error.line.contains("did you mean `:year`?"),
        "{}",
        error.line
    );
}

/// A site moved from elsewhere: old URLs kept as aliases.
fn moved() -> Site {
    let site = Site::empty();
    site.write("site.toml", WEEKLY);
    site.write(
        "content/articles/2015-05-15-rust-1.0.md",
        "+++\ntitle = \"Announcing Rust 1.0\"\naliases = [\"/2015/05/15/Rust-1.0.html\", \"/old/rust/\", \"/older\"]\ntags = [\"Rust\"]\n+++\nShipped.\n",
    );
    site
}

#[test]
fn aliases_write_redirect_pages_and_a_redirects_file() {
    let site = moved();
    let out = site.build_ok(&[]);
    let target = out.permalink("articles/rust-1-0/");
    for old in ["2015/05/15/Rust-1.0.html", "old/rust/", "older/"] {
        let page = out.page(old);
        assert_eq!(page.attr("link[rel=canonical]", "href"), target, "{old}");
        assert_eq!(page.attr("meta[name=robots]", "content"), "noindex");
        let refresh = page.attr("meta[http-equiv=refresh]", "content");
        assert_eq!(refresh, format!("0; url={target}"));
        assert_eq!(page.attr("a", "href"), out.url("articles/rust-1-0/"));
        assert_eq!(page.count("script"), 0, "no JavaScript");
    }
    // Not in the sitemap, and listed in _redirects with the base path.
    let sitemap = out.read("sitemap.xml");
    assert!(!sitemap.contains("Rust-1.0.html") && !sitemap.contains("/old/"));
    let redirects = out.read("_redirects");
    for line in [
        "/news/2015/05/15/Rust-1.0.html /news/articles/rust-1-0/ 301",
        "/news/old/rust/ /news/articles/rust-1-0/ 301",
        "/news/older/ /news/articles/rust-1-0/ 301",
    ] {
        assert!(
            redirects.lines().any(|l| l == line),
            "{line} in\n{redirects}"
        );
    }
    // A site without aliases writes no _redirects.
    let plain = weekly(Some("/:year/:month/:day/:slug/"));
    plain.build_ok(&[]).assert_missing("_redirects");
}

#[test]
fn conflicting_aliases_are_errors_naming_the_files() {
    let cases = [
        (
            "[\"/articles/other/\"]",
            "alias /articles/other/ is the article's own URL",
        ),
        (
            "[\"/articles/rust-1-0/\"]",
            "alias /articles/rust-1-0/ is the URL of content/articles/2015-05-15-rust-1.0.md",
        ),
        ("[\"/old/rust/\"]", "alias /old/rust/ is also claimed by"),
        (
            "[\"/tags/\"]",
            "alias /tags/ is a page the site writes itself",
        ),
        // Written without its `/` (as Zola does), an alias is from the root all the same.
        ("[\"old/rust\"]", "alias /old/rust/ is also claimed by"),
        (
            "[\"https://e.com/x\"]",
            "is not a path from the site's root",
        ),
        ("[\"/a?b=1\"]", "has a query or fragment"),
    ];
    for (aliases, message) in cases {
        let site = moved();
        site.write(
            "content/articles/other.md",
            &format!(
                "+++\ntitle = \"Other\"\ndate = 2015-05-16\naliases = {aliases}\n+++\nOther.\n"
            ),
        );
        let run = site.build(&[]);
        assert_eq!(run.code, Some(1), "{aliases}: {run}");
        run.stderr_has(message);
        let error = run
            .diagnostics
            .iter()
            .find(|d| d.line.contains(message))
            .unwrap_or_else(|| panic!("{message}\n{run}"));
        assert!(
            error.line.starts_with("error: content/articles/"),
            "{}",
            error.line
        );
    }
}

#[test]
fn extra_keys_are_kept_for_templates_without_a_warning() {
    let site = Site::empty();
    site.write(
        "site.toml",
        &format!("{WEEKLY}[front_matter]\nextra_keys = [\"layout\", \"category\"]\n"),
    );
    site.write(
        "content/a.md",
        "---\ntitle: A\ndate: 2023-01-01\nlayout: post\ncategory: news\ncolour: red\n---\nBody.\n",
    );
    site.write(
        "templates/article.html",
        "{% extends \"base.html\" %}{% block content %}<p id=\"layout\">{{ article.extra.layout }}/{{ article.extra.category }}</p>{% endblock content %}",
    );
    let (run, out) = site.build_run(&[]);
    let warnings = run.stderr_lines("warning: ");
    assert_eq!(
        warnings.len(),
        1,
        "only the undeclared key warns: {warnings:?}"
    );
    assert!(warnings[0].contains("`colour`"), "{warnings:?}");
    assert_eq!(out.page("articles/a/").text("#layout"), "post/news");
}

#[test]
fn a_build_without_base_url_is_an_error_naming_the_line_to_add() {
    let site = Site::empty();
    site.write("site.toml", "title = \"No address\"\n");
    site.write(
        "content/a.md",
        "+++\ntitle = \"A\"\ndate = 2023-01-01\n+++\nBody.\n",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, Some(1), "{run}");
    let error = run.block("error: site.toml");
    assert!(
        error.line.contains("`base_url` is missing"),
        "{}",
        error.line
    );
    assert!(
        error
            .hints
            .iter()
            .any(|h| h.contains("base_url = \"https://")),
        "{:?}",
        error.hints
    );
    // --base-url is enough.
    site.build(&["--base-url", "https://example.org/"])
        .success();
    let home = std::fs::read_to_string(site.out.join("index.html")).unwrap();
    let html = scraper::Html::parse_document(&home);
    let canonical = html
        .select(&selector("link[rel=canonical]"))
        .next()
        .and_then(|e| e.value().attr("href"))
        .unwrap_or_default()
        .to_string();
    assert_eq!(canonical, "https://example.org/");
}
