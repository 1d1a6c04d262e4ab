//! End-to-end tests of `digest build` on the small sites under `tests/fixtures/<case>/`.
//! Each test copies its fixture into a temporary folder, runs the real binary and reads the
//! output back with an HTML or XML parser.

mod common;

use std::collections::BTreeSet;
use std::fs;

use common::{Output, Site, assert_same_tree, child_text, children, parse_xml, snapshot};

/// The names of the folders directly under `dir` of the output (e.g. `editions/`).
fn subfolders(out: &Output, dir: &str) -> BTreeSet<String> {
    fs::read_dir(out.dir.join(dir))
        .unwrap_or_else(|e| panic!("read {dir} of the output: {e}"))
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// Lowercase ASCII letters, digits and single hyphens, nothing else.
fn is_ascii_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--")
}

/// `(name, href)` of the term links of a taxonomy index page (links into `/<taxonomy>/<slug>/`).
fn term_links(out: &Output, taxonomy: &str) -> Vec<(String, String)> {
    let prefix = out.url(&format!("{taxonomy}/"));
    out.page(&prefix)
        .main_links()
        .into_iter()
        .filter(|(_, h)| h.starts_with(&prefix) && h.len() > prefix.len())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Terms
// ---------------------------------------------------------------------------------------------

#[test]
fn spellings_of_one_name_are_one_term_shown_by_the_most_used_spelling() {
    // "Open AI" (oldest), "OpenAI" ×2, "openai" (newest): only the count can pick "OpenAI".
    let site = Site::fixture("terms");
    let out = site.build_ok(&[]);

    let companies = term_links(&out, "companies");
    let openai: Vec<_> = companies
        .iter()
        .filter(|(_, h)| h.contains("open"))
        .collect();
    assert_eq!(
        openai,
        [&("OpenAI".to_string(), out.url("companies/openai/"))],
        "one OpenAI term on /companies/: {companies:?}"
    );
    out.assert_missing(&out.url("companies/open-ai/"));

    let page = out.page(&out.url("companies/openai/"));
    assert_eq!(page.h1(), "OpenAI");
    assert_eq!(
        page.article_titles(),
        [
            "Fourth: openai, Alibaba and 腾讯",
            "Third: OpenAI and 阿里巴巴",
            "Second: OpenAI",
            "First: Open AI and Alibaba Group",
        ]
    );
    // Every article names the term by the display name and links the one page.
    for slug in ["first", "second", "third", "fourth"] {
        let article = out.page(&out.url(&format!("articles/{slug}/")));
        let links: Vec<_> = article
            .main_links()
            .into_iter()
            .filter(|(_, h)| h.starts_with(&out.url("companies/open")))
            .collect();
        assert_eq!(
            links,
            [("OpenAI".to_string(), out.url("companies/openai/"))],
            "{slug}"
        );
    }

    // Tags "AI", "ai", "A.I." merge too ("AI" is used twice).
    let tags = term_links(&out, "tags");
    assert_eq!(tags, [("AI".to_string(), out.url("tags/ai/"))]);
    assert_eq!(out.page(&out.url("tags/ai/")).article_titles().len(), 4);
}

#[test]
fn a_profile_claims_its_aliases_and_gives_the_term_its_name() {
    let site = Site::fixture("terms");
    let out = site.build_ok(&[]);
    let page = out.page(&out.url("companies/alibaba/"));
    // Shown by the profile's name though "Alibaba" itself is used only once.
    assert_eq!(page.h1(), "Alibaba");
    assert_eq!(
        page.article_titles(),
        [
            "Fourth: openai, Alibaba and 腾讯", // "Alibaba"
            "Third: OpenAI and 阿里巴巴",       // "阿里巴巴"
            "First: Open AI and Alibaba Group", // "Alibaba Group"
        ]
    );
    assert!(
        page.text("main")
            .contains("The Alibaba profile description.")
    );
    assert!(
        page.attrs("main a", "href")
            .contains(&"https://www.alibabagroup.com".to_string())
    );
    let alibaba: Vec<_> = term_links(&out, "companies")
        .into_iter()
        .filter(|(_, h)| h.contains("alibaba"))
        .collect();
    assert_eq!(
        alibaba,
        [("Alibaba".to_string(), out.url("companies/alibaba/"))]
    );
    for other in ["alibaba-group", "a-li-ba-ba"] {
        out.assert_missing(&out.url(&format!("companies/{other}/")));
    }
    // The article that names the alias links the profile's term, by the profile's name.
    let first = out.page(&out.url("articles/first/"));
    assert!(
        first
            .main_links()
            .contains(&("Alibaba".to_string(), out.url("companies/alibaba/"))),
        "{:?}",
        first.main_links()
    );
}

#[test]
fn non_latin_names_get_ascii_slugs() {
    let site = Site::fixture("terms");
    let out = site.build_ok(&[]);
    // A company named only in Chinese, without a profile.
    let tencent: Vec<_> = term_links(&out, "companies")
        .into_iter()
        .filter(|(name, _)| name == "腾讯")
        .collect();
    assert_eq!(tencent.len(), 1, "{:?}", term_links(&out, "companies"));
    let href = &tencent[0].1;
    let slug = href
        .trim_start_matches(&out.url("companies/"))
        .trim_end_matches('/');
    assert!(
        is_ascii_slug(slug),
        "slug of 腾讯 should be lowercase ASCII, got {href:?}"
    );
    let page = out.page(href);
    assert_eq!(page.h1(), "腾讯");
    assert_eq!(
        page.article_titles(),
        ["阿里巴巴发布模型", "Fourth: openai, Alibaba and 腾讯"]
    );

    // An article whose file name is Chinese.
    let home = out.page(&out.url(""));
    let (_, href) = home
        .article_links()
        .into_iter()
        .find(|(title, _)| title == "阿里巴巴发布模型")
        .expect("the Chinese article is on the home page");
    let slug = href
        .trim_start_matches(&out.url("articles/"))
        .trim_end_matches('/');
    assert!(
        is_ascii_slug(slug),
        "slug of 阿里巴巴发布模型.md should be lowercase ASCII: {href:?}"
    );
    assert_eq!(out.page(&href).h1(), "阿里巴巴发布模型");
}

// ---------------------------------------------------------------------------------------------
// Pagination
// ---------------------------------------------------------------------------------------------

/// Pages of a paginated list: their article titles, and their prev/next links.
#[track_caller]
fn check_pages(out: &Output, first: &str, expected: &[&[&str]]) {
    let url_of = |n: usize| {
        if n == 1 {
            out.url(first)
        } else {
            out.url(&format!("{first}page/{n}/"))
        }
    };
    for (i, titles) in expected.iter().enumerate() {
        let n = i + 1;
        let page = out.page(&url_of(n));
        assert_eq!(page.article_titles(), *titles, "titles on {}", url_of(n));
        let prev = (n > 1).then(|| url_of(n - 1));
        let next = (n < expected.len()).then(|| url_of(n + 1));
        assert_eq!(page.rel_link("prev"), prev, "rel=prev on {}", url_of(n));
        assert_eq!(page.rel_link("next"), next, "rel=next on {}", url_of(n));
    }
    out.assert_missing(&url_of(expected.len() + 1));
}

#[test]
fn five_articles_two_per_page_make_three_pages() {
    let site = Site::fixture("pagination");
    let out = site.build_ok(&[]);
    let pages: &[&[&str]] = &[
        &["Story 5", "Story 4"],
        &["Story 3", "Story 2"],
        &["Story 1"],
    ];
    check_pages(&out, "", pages);
    check_pages(&out, "tags/everything/", pages);
}

#[test]
fn four_articles_two_per_page_make_exactly_two_pages() {
    let site = Site::fixture("pagination");
    site.remove("content/2022-05-01-story-1.md");
    let out = site.build_ok(&[]);
    let pages: &[&[&str]] = &[&["Story 5", "Story 4"], &["Story 3", "Story 2"]];
    check_pages(&out, "", pages);
    check_pages(&out, "tags/everything/", pages);
    // Nothing links to a page that does not exist.
    let crawl = out.crawl(&[&out.url("")]);
    assert!(crawl.broken.is_empty(), "{:#?}", crawl.broken);
}

#[test]
fn one_page_of_articles_has_no_pagination() {
    let site = Site::fixture("pagination");
    site.remove("content/2022-05-01-story-1.md");
    site.remove("content/2022-05-02-story-2.md");
    site.remove("content/2022-05-03-story-3.md");
    let out = site.build_ok(&[]);
    check_pages(&out, "", &[&["Story 5", "Story 4"]]);
    check_pages(&out, "tags/everything/", &[&["Story 5", "Story 4"]]);
}

// ---------------------------------------------------------------------------------------------
// Editions
// ---------------------------------------------------------------------------------------------

#[test]
fn weekly_editions_follow_iso_weeks_across_a_year_boundary() {
    // 2020-12-31 (Thu) and 2021-01-03 (Sun) are in ISO week 53 of 2020; ISO week 1 of 2021
    // starts on Monday 4 January.
    let site = Site::fixture("editions-year");
    let out = site.build_ok(&[]);
    assert_eq!(subfolders(&out, "editions"), set(&["2020-w53", "2021-w01"]));

    let w53 = out.page(&out.url("editions/2020-w53/"));
    assert_eq!(w53.h1(), "Week 53, 2020");
    assert_eq!(
        w53.article_titles(),
        ["First Sunday of 2021 story", "New Year's Eve story"]
    );
    let dates = w53.attrs("main time", "datetime");
    assert!(
        dates.contains(&"2020-12-28".to_string()) && dates.contains(&"2021-01-03".to_string()),
        "week 53 of 2020 runs from 28 December to 3 January: {dates:?}"
    );
    assert_eq!(w53.rel_link("prev"), None);
    assert_eq!(w53.rel_link("next"), Some(out.url("editions/2021-w01/")));

    let w01 = out.page(&out.url("editions/2021-w01/"));
    assert_eq!(w01.h1(), "Week 1, 2021");
    assert_eq!(w01.article_titles(), ["First Monday of 2021 story"]);
    assert_eq!(w01.rel_link("prev"), Some(out.url("editions/2020-w53/")));
    assert_eq!(w01.rel_link("next"), None);

    // The archive, newest first.
    let archive = out.page(&out.url("editions/"));
    let links: Vec<_> = archive
        .main_links()
        .into_iter()
        .filter(|(_, h)| h.starts_with(&out.url("editions/20")))
        .collect();
    assert_eq!(
        links,
        [
            ("Week 1, 2021".to_string(), out.url("editions/2021-w01/")),
            ("Week 53, 2020".to_string(), out.url("editions/2020-w53/")),
        ]
    );
    // Each article links its edition.
    for (slug, edition) in [
        ("new-years-eve", "2020-w53"),
        ("first-sunday", "2020-w53"),
        ("first-monday", "2021-w01"),
    ] {
        let page = out.page(&out.url(&format!("articles/{slug}/")));
        let href = out.url(&format!("editions/{edition}/"));
        assert!(
            page.attrs("main a", "href").contains(&href),
            "{slug} should link {href}"
        );
    }
}

#[test]
fn monthly_editions_group_articles_by_calendar_month() {
    let site = Site::fixture("monthly");
    let out = site.build_ok(&[]);
    assert_eq!(subfolders(&out, "editions"), set(&["2023-08", "2023-09"]));
    let aug = out.page(&out.url("editions/2023-08/"));
    assert_eq!(aug.h1(), "August 2023");
    assert_eq!(aug.article_titles(), ["End of August story"]);
    assert_eq!(aug.rel_link("next"), Some(out.url("editions/2023-09/")));
    let sep = out.page(&out.url("editions/2023-09/"));
    assert_eq!(sep.h1(), "September 2023");
    assert_eq!(
        sep.article_titles(),
        ["End of September story", "Start of September story"]
    );
    assert_eq!(sep.rel_link("prev"), Some(out.url("editions/2023-08/")));
    let archive: Vec<String> = out
        .page(&out.url("editions/"))
        .attrs("main a", "href")
        .into_iter()
        .filter(|h| h.starts_with(&out.url("editions/20")))
        .collect();
    assert_eq!(
        archive,
        [out.url("editions/2023-09/"), out.url("editions/2023-08/")]
    );
}

// ---------------------------------------------------------------------------------------------
// Drafts and future-dated articles
// ---------------------------------------------------------------------------------------------

#[test]
fn drafts_and_future_articles_are_left_out_unless_asked_for() {
    let published = ("published", "Published story", "tags/public/");
    let draft = ("unfinished", "Unfinished draft", "tags/secret-draft/");
    let future = (
        "from-the-future",
        "Story from the future",
        "tags/time-travel/",
    );
    let cases: [(&[&str], Vec<_>); 4] = [
        (&[], vec![published]),
        (&["--drafts"], vec![draft, published]),
        (&["--future"], vec![future, published]),
        (&["--drafts", "--future"], vec![future, draft, published]),
    ];
    for (flags, visible) in cases {
        let site = Site::fixture("drafts");
        let out = site.build_ok(flags);
        let titles: Vec<&str> = visible.iter().map(|(_, t, _)| *t).collect();
        assert_eq!(
            out.page(&out.url("")).article_titles(),
            titles,
            "home page with {flags:?}"
        );
        for article in [published, draft, future] {
            let (slug, title, tag) = article;
            let url = out.url(&format!("articles/{slug}/"));
            let permalink = out.permalink(&format!("articles/{slug}/"));
            let shown = visible.contains(&article);
            assert_eq!(out.exists(&url), shown, "{url} with {flags:?}");
            assert_eq!(out.exists(&out.url(tag)), shown, "{tag} with {flags:?}");
            let atom = out.read(&out.url("atom.xml"));
            let doc = parse_xml("atom.xml", &atom);
            let in_atom = children(doc.root_element(), "entry")
                .into_iter()
                .any(|e| child_text(e, "title") == title);
            assert_eq!(in_atom, shown, "{title} in atom.xml with {flags:?}");
            let json = out.read(&out.url("feed.json"));
            assert_eq!(
                json.contains(&permalink),
                shown,
                "{title} in feed.json with {flags:?}"
            );
            let sitemap = out.read(&out.url("sitemap.xml"));
            assert_eq!(
                sitemap.contains(&permalink),
                shown,
                "{title} in sitemap.xml with {flags:?}"
            );
        }
        let future_edition = out.exists(&out.url("editions/2999-w01/"));
        assert_eq!(
            future_edition,
            flags.contains(&"--future"),
            "2999-w01 with {flags:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Templates
// ---------------------------------------------------------------------------------------------

#[test]
fn a_site_template_overrides_the_built_in_one_and_extends_base() {
    let site = Site::fixture("templates");
    let out = site.build_ok(&[]);
    let page = out.page(&out.url("articles/custom/"));
    // The site's article.html …
    assert_eq!(
        page.text("#custom-article-template"),
        "Hand-made article pages"
    );
    assert_eq!(page.text("#custom-byline"), "Published 2023-06-01");
    assert_eq!(page.h1(), "Rendered by the site's own template");
    assert!(page.text("main").contains("The body of the article."));
    // … extends the built-in base.html: head, navigation, stylesheet and footer are there.
    assert_eq!(
        page.title(),
        "Rendered by the site's own template · Custom templates"
    );
    assert_eq!(page.attr("html", "lang"), "en");
    assert_eq!(
        page.attr("head link[rel=canonical]", "href"),
        out.permalink("articles/custom/")
    );
    assert!(
        page.attrs("link[rel=stylesheet]", "href")
            .contains(&out.url("style.css"))
    );
    assert!(page.attrs("header a", "href").contains(&out.url("")));
    assert!(page.count("footer") == 1, "base.html's footer is missing");
    // Other pages still use the built-in templates.
    let home = out.page(&out.url(""));
    assert_eq!(home.count("#custom-article-template"), 0);
    assert_eq!(
        home.article_titles(),
        ["Rendered by the site's own template"]
    );
    let crawl = out.crawl(&[&out.url("")]);
    assert!(crawl.broken.is_empty(), "{:#?}", crawl.broken);
}

// ---------------------------------------------------------------------------------------------
// Minimal sites and YAML
// ---------------------------------------------------------------------------------------------

#[test]
fn a_site_with_only_site_toml_and_content_builds_a_complete_site() {
    let site = Site::fixture("minimal");
    assert!(!site.path("templates").exists() && !site.path("static").exists());
    let out = site.build_ok(&[]);
    for path in [
        "",
        "articles/hello/",
        "editions/",
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
    for asset in ["style.css", "highlight.css"] {
        let css = out.read(&out.url(asset));
        assert!(css.len() > 200 && css.contains('{'), "{asset} looks empty");
    }
    let home = out.page(&out.url(""));
    assert_eq!(home.h1(), "Minimal site");
    assert_eq!(home.article_titles(), ["Hello, world"]);
    let crawl = out.crawl(&[&out.url(""), &out.url("404.html")]);
    assert!(crawl.broken.is_empty(), "{:#?}", crawl.broken);
    let all: BTreeSet<_> = out
        .html_files()
        .into_iter()
        .filter(|f| f.to_str() != Some("404.html"))
        .map(|f| out.dir.join(f))
        .collect();
    let from_home = out.crawl(&[&out.url("")]).reached;
    assert_eq!(
        all.difference(&from_home).collect::<Vec<_>>(),
        Vec::<&std::path::PathBuf>::new()
    );
}

#[test]
fn yaml_front_matter_is_read_like_toml() {
    let site = Site::fixture("yaml");
    let out = site.build_ok(&[]);
    let page = out.page(&out.url("articles/yaml-article/"));
    assert_eq!(page.h1(), "Front matter in YAML");
    let main = page.text("main");
    assert!(
        main.contains("Ada Lovelace") && main.contains("Grace Hopper"),
        "{main}"
    );
    assert!(main.contains("The body follows the closing"), "{main}");
    assert!(
        page.attrs("main time", "datetime")
            .iter()
            .any(|d| d.starts_with("2023-07-02")),
        "date 2023-07-02 not shown"
    );
    let links = page.main_links();
    for expected in [
        ("Example News", "https://news.example.org/yaml".to_string()),
        ("Example Corp", out.url("companies/example-corp/")),
        ("YAML", out.url("tags/yaml/")),
        ("Testing", out.url("tags/testing/")),
    ] {
        assert!(
            links.contains(&(expected.0.to_string(), expected.1.clone())),
            "no link {expected:?} in {links:#?}"
        );
    }
    let home = out.page(&out.url(""));
    assert!(home.text("main").contains("A summary written in YAML."));
}

#[test]
fn hidden_and_editor_files_are_not_articles() {
    let site = Site::fixture("minimal");
    for name in [
        "#draft.md#",
        "draft.md~",
        ".draft.md.swp",
        ".hidden.md",
        "notes.txt",
    ] {
        site.write(
            &format!("content/{name}"),
            &format!("+++\ntitle = \"Ghost {name}\"\ndate = 2023-01-01\n+++\nBoo.\n"),
        );
    }
    let out = site.build_ok(&[]);
    assert_eq!(out.page(&out.url("")).article_titles(), ["Hello, world"]);
    assert_eq!(subfolders(&out, "articles"), set(&["hello"]));
}

#[test]
fn summary_is_the_field_else_the_text_before_more_else_the_first_paragraph() {
    let site = Site::fixture("minimal");
    site.write(
        "content/2023-07-03-field.md",
        "+++\ntitle = \"Field\"\ndate = 2023-07-03\nsummary = \"From the field.\"\n+++\nBody one.\n\nBody two.\n",
    );
    site.write(
        "content/2023-07-04-marker.md",
        "+++\ntitle = \"Marker\"\ndate = 2023-07-04\n+++\nTeaser one.\n\nTeaser two.\n\n<!-- more -->\n\nAfter the marker.\n",
    );
    site.write(
        "content/2023-07-05-first.md",
        "+++\ntitle = \"First paragraph\"\ndate = 2023-07-05\n+++\nOnly the *first* paragraph.\n\nNot the second.\n",
    );
    let out = site.build_ok(&[]);
    let atom = out.read(&out.url("atom.xml"));
    let doc = parse_xml("atom.xml", &atom);
    let summaries: Vec<(String, String)> = children(doc.root_element(), "entry")
        .into_iter()
        .map(|e| {
            (
                child_text(e, "title"),
                common::normalize(&child_text(e, "summary")),
            )
        })
        .collect();
    let summary = |title: &str| {
        summaries
            .iter()
            .find(|(t, _)| t == title)
            .map(|(_, s)| s.clone())
            .unwrap()
    };
    assert_eq!(summary("Field"), "From the field.");
    assert_eq!(summary("Marker"), "Teaser one. Teaser two.");
    assert_eq!(summary("First paragraph"), "Only the first paragraph.");
    // The home page shows the same summaries.
    let home = out.page(&out.url("")).text("main");
    assert!(
        home.contains("Teaser two.") && !home.contains("After the marker."),
        "{home}"
    );
    assert!(!home.contains("Not the second."), "{home}");
}

#[test]
fn unsafe_html_false_escapes_raw_html_in_articles() {
    let site = Site::fixture("minimal");
    let toml = fs::read_to_string(site.path("site.toml")).unwrap();
    site.write(
        "site.toml",
        &format!("{toml}\n[markdown]\nunsafe_html = false\n"),
    );
    site.write(
        "content/2023-07-03-raw.md",
        "+++\ntitle = \"Raw HTML\"\ndate = 2023-07-03\n+++\nText with <span id=\"raw-span\">raw</span> HTML.\n\n<div id=\"raw-div\">block</div>\n",
    );
    let out = site.build_ok(&[]);
    let page = out.page(&out.url("articles/raw/"));
    assert!(
        !page.has_id("raw-span") && !page.has_id("raw-div"),
        "raw HTML was passed through"
    );
    let main = page.text("main");
    assert!(main.contains(r#"<span id="raw-span">raw</span>"#), "{main}");
}

#[test]
fn repeated_headings_get_unique_ids_and_the_toc_links_them() {
    let site = Site::fixture("minimal");
    site.write(
        "content/2023-07-03-headings.md",
        "+++\ntitle = \"Repeated headings\"\ndate = 2023-07-03\n+++\nIntro.\n\n## Notes\n\nOne.\n\n## Notes\n\nTwo.\n\n### Notes\n\nThree.\n",
    );
    let out = site.build_ok(&[]);
    let page = out.page(&out.url("articles/headings/"));
    let ids: Vec<String> = page
        .select("main h2[id], main h3[id], main h4[id], main h5[id]")
        .into_iter()
        .filter(|h| common::text_of(*h) == "Notes")
        .map(|h| h.value().attr("id").unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert_eq!(
        ids.iter().collect::<BTreeSet<_>>().len(),
        3,
        "ids repeat: {ids:?}"
    );
    let toc: Vec<String> = page
        .attrs("main a[href^=\"#\"]", "href")
        .into_iter()
        .map(|h| h[1..].to_string())
        .collect();
    for id in &ids {
        assert!(
            toc.contains(id),
            "no table-of-contents link to #{id}: {toc:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Errors and warnings
// ---------------------------------------------------------------------------------------------

const BAD_TOML: &str = "content/articles/2023-04-02-bad-toml.md";
const NO_TITLE: &str = "content/articles/2023-04-03-no-title.md";

#[test]
fn every_bad_file_is_reported_and_the_previous_output_is_left_untouched() {
    let site = Site::fixture("errors");
    // First a good build, without the two bad files.
    site.rename(BAD_TOML, "aside/bad-toml.md");
    site.rename(NO_TITLE, "aside/no-title.md");
    let out = site.build_ok(&[]);
    out.assert_exists(&out.url("articles/good/"));
    let before = out.snapshot();
    assert!(before.len() > 10);

    // Then the bad files come back.
    site.rename("aside/bad-toml.md", BAD_TOML);
    site.rename("aside/no-title.md", NO_TITLE);
    let run = site.build(&[]);
    run.failure();
    assert!(
        run.stdout.trim().is_empty(),
        "nothing on stdout on failure\n{run}"
    );

    // The TOML syntax error is on line 4 (the opening `+++` is line 1).
    let bad = run.block(&format!("error: {BAD_TOML}:"));
    let (path, line, col) = bad.location();
    assert_eq!((path.as_str(), line), (BAD_TOML, 4), "{bad:?}");
    assert!(col >= 1);
    bad.has_hint();
    // The missing title is reported in its own file.
    let missing = run.block(&format!("error: {NO_TITLE}:"));
    let (path, line, _) = missing.location();
    assert_eq!(path, NO_TITLE);
    assert!(line >= 1, "{missing:?}");
    assert!(missing.line.contains("title"), "{missing:?}");
    missing.has_hint();
    // Only those two, then the total.
    let errors = run.stderr_lines("error: ");
    assert_eq!(errors.len(), 3, "two errors and the final line\n{run}");
    let last = run.stderr.lines().last().unwrap();
    assert!(
        last.starts_with("error: build failed with 2 error(s) in 2 file(s)"),
        "final line: {last:?}\n{run}"
    );
    assert!(
        !run.stderr.contains("2023-04-01-good.md"),
        "the good file is not an error\n{run}"
    );

    // The previous output is byte-for-byte unchanged, and nothing is left beside it.
    assert_same_tree(
        &before,
        &out.snapshot(),
        "the output of the last good build",
    );
    let beside: BTreeSet<String> = fs::read_dir(site.tmp())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        beside,
        set(&["out", "site"]),
        "temporary folders left beside the output"
    );
}

#[test]
fn a_failed_first_build_writes_no_output() {
    let site = Site::fixture("errors");
    site.build(&[]).failure();
    assert!(
        !site.out.exists(),
        "a failed build should not create the output folder"
    );
}

#[test]
fn two_articles_with_one_slug_is_an_error_naming_both_files() {
    let site = Site::fixture("duplicate-slug");
    let run = site.build(&[]);
    run.failure();
    let errors = run.stderr_lines("error: ");
    let slug_error = errors
        .iter()
        .find(|l| l.contains("launch") && !l.starts_with("error: build failed"))
        .unwrap_or_else(|| panic!("no duplicate-slug error\n{run}"));
    for file in [
        "content/news/2023-04-01-launch.md",
        "content/archive/launch-recap.md",
    ] {
        assert!(
            slug_error.contains(file),
            "{slug_error:?} should name {file}"
        );
    }
    run.block(slug_error).has_hint();
    assert!(!site.out.exists());
}

#[test]
fn two_profiles_claiming_one_alias_is_an_error_naming_both_files() {
    let site = Site::fixture("alias-conflict");
    let run = site.build(&[]);
    run.failure();
    let errors = run.stderr_lines("error: ");
    let conflict = errors
        .iter()
        .find(|l| l.contains("Alibaba Group"))
        .unwrap_or_else(|| panic!("no error about \"Alibaba Group\"\n{run}"));
    for file in [
        "content/companies/alibaba.md",
        "content/companies/alibaba-cloud.md",
    ] {
        assert!(conflict.contains(file), "{conflict:?} should name {file}");
    }
    run.block(conflict).has_hint();
}

#[test]
fn unknown_front_matter_key_is_a_warning_with_a_suggestion() {
    let site = Site::fixture("warnings");
    let (run, out) = site.build_run(&[]);
    let warning = run.block("warning: content/2023-04-01-typo.md:");
    let (_, line, _) = warning.location();
    assert_eq!(line, 4, "`tgas` is on line 4: {warning:?}");
    assert!(warning.line.contains("tgas"), "{warning:?}");
    assert!(
        warning
            .hints
            .iter()
            .any(|h| h.contains("did you mean") && h.contains("tags")),
        "expected a did-you-mean `tags` hint: {warning:?}"
    );
    assert!(run.stderr_lines("error").is_empty(), "warnings only\n{run}");
    out.assert_exists(&out.url("articles/typo/"));
}

#[test]
fn unknown_code_language_is_a_warning_and_the_code_is_escaped() {
    let site = Site::fixture("warnings");
    let (run, out) = site.build_run(&[]);
    let warning = run.block("warning: content/2023-04-02-code.md:");
    let (_, line, _) = warning.location();
    assert_eq!(line, 7, "the ```klingon fence is on line 7: {warning:?}");
    assert!(warning.line.contains("klingon"), "{warning:?}");
    warning.has_hint();

    let page = out.page(&out.url("articles/code/"));
    let blocks = page.select("main pre");
    assert_eq!(blocks.len(), 2);
    let klingon = &blocks[0];
    assert_eq!(
        common::text_of(*klingon),
        r#"<script>alert("qapla'")</script> & <b>bold</b>"#,
        "the code is shown as written"
    );
    assert_eq!(
        page.count("main script"),
        0,
        "the code's <script> became an element"
    );
    assert_eq!(
        page.count("main pre b"),
        0,
        "the code's <b> became an element"
    );
    // A known language is highlighted (wrapped in spans), its text intact.
    let rust = &blocks[1];
    assert!(
        rust.select(&common::selector("span")).count() > 1,
        "rust is not highlighted"
    );
    assert_eq!(common::text_of(*rust), r#"fn main() { println!("hi"); }"#);
}

// ---------------------------------------------------------------------------------------------
// The output folder
// ---------------------------------------------------------------------------------------------

#[test]
fn an_output_folder_that_is_or_holds_the_site_is_refused() {
    let site = Site::fixture("templates");
    fs::create_dir_all(site.path("static")).unwrap();
    site.write("static/robots-extra.txt", "static file\n");
    let root = fs::canonicalize(&site.root).unwrap();
    let before = snapshot(site.tmp());
    for (output, mentions) in [
        (".", root.display().to_string()),
        ("..", root.parent().unwrap().display().to_string()),
        ("content", "content".to_string()),
        ("content/articles", "content".to_string()),
        ("templates", "templates".to_string()),
        ("static", "static".to_string()),
    ] {
        let run = site.run(&["build", "--output", output]);
        run.failure();
        let message = run.stderr_lines("error: ").join("\n");
        assert!(
            message.contains(&mentions),
            "--output {output}: should mention {mentions}\n{run}"
        );
        assert_same_tree(
            &before,
            &snapshot(site.tmp()),
            &format!("the site after --output {output}"),
        );
    }
}

#[test]
fn a_foreign_non_empty_output_folder_is_refused_unless_forced() {
    let site = Site::fixture("minimal");
    fs::create_dir_all(site.out.join("photos")).unwrap();
    fs::write(site.out.join("notes.txt"), "my notes\n").unwrap();
    fs::write(
        site.out.join("photos/cat.jpg"),
        b"\xff\xd8not really a jpeg",
    )
    .unwrap();
    let before = snapshot(&site.out);

    let run = site.build(&[]);
    run.failure();
    let out_path = fs::canonicalize(&site.out).unwrap();
    assert!(
        run.stderr.contains(&site.out.display().to_string())
            || run.stderr.contains(&out_path.display().to_string()),
        "the message should name the folder\n{run}"
    );
    assert!(
        run.stderr.contains("--force"),
        "the message should mention --force\n{run}"
    );
    assert_same_tree(&before, &snapshot(&site.out), "the foreign folder");

    let out = site.build_ok(&["--force"]);
    out.assert_exists(&out.url(".digest-output"));
    assert_eq!(out.page(&out.url("")).article_titles(), ["Hello, world"]);
}

#[test]
fn an_existing_empty_folder_is_used() {
    let site = Site::fixture("minimal");
    fs::create_dir_all(&site.out).unwrap();
    let out = site.build_ok(&[]);
    out.assert_exists(&out.url("articles/hello/"));
}

#[test]
fn a_rebuild_replaces_the_previous_output_whole() {
    let site = Site::fixture("pagination");
    let out = site.build_ok(&[]);
    out.assert_exists(&out.url("page/3/"));
    fs::write(out.dir.join("stale.txt"), "left over\n").unwrap();
    site.remove("content/2022-05-01-story-1.md");
    site.build_ok(&[]);
    out.assert_missing(&out.url("articles/story-1/"));
    out.assert_missing(&out.url("page/3/"));
    out.assert_missing(&out.url("stale.txt"));
    out.assert_exists(&out.url(".digest-output"));
}

#[test]
fn timings_report_every_stage_and_the_costliest_templates() {
    let site = Site::fixture("pagination");
    let run = site.build(&["--timings"]);
    run.success();
    let stderr = &run.stderr;
    let stages = stderr
        .split("stage timings:\n")
        .nth(1)
        .and_then(|rest| rest.split("slowest templates").next())
        .unwrap_or_else(|| panic!("no stage timings in\n{stderr}"));
    let names: Vec<&str> = stages
        .lines()
        .map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            assert!(
                fields.len() == 3 && fields[1].parse::<f64>().is_ok() && fields[2] == "ms",
                "not `stage N ms`: {line:?}"
            );
            fields[0]
        })
        .collect();
    for stage in [
        "fingerprint",
        "read",
        "index",
        "setup",
        "articles",
        "home",
        "editions",
        "taxonomies",
        "feeds",
        "cache",
        "static",
        "swap",
    ] {
        assert!(names.contains(&stage), "{stage} missing from {names:?}");
    }
    let templates = stderr
        .split("slowest templates (time summed over all threads):\n")
        .nth(1)
        .unwrap_or_else(|| panic!("no template timings in\n{stderr}"));
    let article = templates
        .lines()
        .find(|line| line.trim_start().starts_with("article.html "))
        .unwrap_or_else(|| panic!("article.html not listed:\n{templates}"));
    let articles = fs::read_dir(site.path("content")).unwrap().count();
    assert!(
        article.contains(&format!("over {articles:>6} renders")),
        "one render per article ({articles}): {article}"
    );
    assert!(templates.lines().count() <= 10, "{templates}");

    // With nothing to do, only the fingerprint was taken.
    let again = site.build(&["--timings"]);
    again.success();
    assert!(
        again.stdout.starts_with("Nothing changed"),
        "{}",
        again.stdout
    );
    assert!(again.stderr.contains("fingerprint"), "{}", again.stderr);
    assert!(!again.stderr.contains("articles"), "{}", again.stderr);
}

#[test]
fn an_unchanged_site_is_not_rebuilt_and_any_change_is() {
    let site = Site::fixture("pagination");
    site.build(&[]).success();
    let marker = fs::read_to_string(site.out.join(".digest-output")).unwrap();
    assert!(marker.contains("fingerprint: "), "{marker}");

    let again = site.build(&[]);
    again.success();
    assert!(
        again.stdout.starts_with("Nothing changed"),
        "{}",
        again.stdout
    );

    // Any edit, option or --no-cache means a real build.
    site.write(
        "content/2022-05-01-story-1.md",
        "+++\ntitle = \"Story one, retitled\"\ndate = 2022-05-01\n+++\nBody.\n",
    );
    let edited = site.build(&[]);
    edited.success();
    assert!(edited.stdout.starts_with("Built "), "{}", edited.stdout);
    assert!(
        site.output()
            .read(&site.output().url("articles/story-1/"))
            .contains("Story one, retitled")
    );
    assert!(
        site.build(&["--drafts"])
            .success()
            .stdout
            .starts_with("Built ")
    );
    assert!(
        site.build(&["--drafts"])
            .success()
            .stdout
            .starts_with("Nothing changed")
    );
    assert!(
        site.build(&["--drafts", "--no-cache"])
            .success()
            .stdout
            .starts_with("Built ")
    );
}

#[test]
fn highlighted_code_is_cached_under_the_site_and_the_cache_can_be_deleted() {
    let site = Site::fixture("minimal");
    site.write(
        "content/code.md",
        "+++\ntitle = \"Code\"\ndate = 2023-01-01\n+++\n```rust\nfn main() {}\n```\n",
    );
    let code_block = |out: Output| {
        let page = out.read(&out.url("articles/code/"));
        let start = page.find("<pre").unwrap();
        let end = page.find("</pre>").unwrap();
        page[start..end].to_string()
    };
    let first = code_block(site.build_ok(&[]));
    assert!(first.contains("class=\"hl-"), "{first}");
    let cache = site.path(".digest-cache/highlight.bin");
    assert!(cache.is_file());
    site.write(
        "content/other.md",
        "+++\ntitle = \"Other\"\ndate = 2023-01-02\n+++\nText.\n",
    );
    assert_eq!(first, code_block(site.build_ok(&[])));
    fs::remove_dir_all(site.path(".digest-cache")).unwrap();
    site.write(
        "content/other.md",
        "+++\ntitle = \"Other 2\"\ndate = 2023-01-02\n+++\nText.\n",
    );
    assert_eq!(first, code_block(site.build_ok(&[])));
}

// ---------------------------------------------------------------------------------------------
// base_url
// ---------------------------------------------------------------------------------------------

#[test]
fn base_url_flag_puts_every_link_under_its_path() {
    let site = Site::fixture("terms");
    site.build(&["--base-url", "https://example.org/news/"])
        .success();
    let out = Output::new(&site.out, "https://example.org/news");
    assert_eq!(out.base_path, "/news/");

    // Every internal link starts with /news/ (the crawler reports any other path as broken),
    // and every page is reached.
    let crawl = out.crawl(&[&out.url(""), &out.url("404.html")]);
    assert!(crawl.broken.is_empty(), "{:#?}", crawl.broken);
    let from_home = out.crawl(&[&out.url("")]);
    assert_eq!(
        from_home.reached.len(),
        out.html_files().len() - 1,
        "all pages but 404.html"
    );

    let mut problems = Vec::new();
    for file in out.html_files() {
        let url = out.url_of_file(&file);
        let page = out.page(&url);
        for href in page.attrs("a[href], link[href]", "href") {
            let internal = href.starts_with('/') || href.starts_with("https://example.org");
            let path = href.strip_prefix("https://example.org").unwrap_or(&href);
            if internal && (!path.starts_with("/news/") || path.contains("//")) {
                problems.push(format!("{url}: {href}"));
            }
            if href.starts_with("https://example.com") {
                problems.push(format!("{url}: {href} uses site.toml's base_url"));
            }
        }
        let canonical = page.attr("head link[rel=canonical]", "href");
        if canonical != out.permalink(&url["/news/".len()..]) {
            problems.push(format!("{url}: canonical {canonical}"));
        }
    }
    assert!(
        problems.is_empty(),
        "links outside /news/:\n{}",
        problems.join("\n")
    );

    let atom = out.read(&out.url("atom.xml"));
    let doc = parse_xml("atom.xml", &atom);
    for entry in children(doc.root_element(), "entry") {
        let id = child_text(entry, "id");
        assert!(id.starts_with("https://example.org/news/articles/"), "{id}");
    }
    let sitemap = out.read(&out.url("sitemap.xml"));
    let doc = parse_xml("sitemap.xml", &sitemap);
    for url in children(doc.root_element(), "url") {
        let loc = child_text(url, "loc");
        assert!(
            loc.starts_with("https://example.org/news/") && out.exists(&loc),
            "{loc}"
        );
    }
}
