//! Search: the Pagefind index under /pagefind/, the /search/ page, the header's search form on
//! every page, `[search] enabled = false`, the records the index is made from, and the index
//! of a failed build never replacing the last good one. The browser side (typing queries,
//! filters, Chinese) is checked in headless Chromium by scripts/ci-web.sh.

mod common;

use std::path::Path;

use common::{Site, assert_same_tree, snapshot};
use digest::render::search::{self, Record};
use digest::serve::site::{LiveSite, ServeOptions};

/// A small site: two companies (one with a Chinese alias), a regulation, three stories.
fn small_site() -> Site {
    let site = Site::empty();
    site.write(
        "site.toml",
        "title = \"Small\"\nbase_url = \"https://example.com/news\"\nlanguage = \"en\"\n\
         [search]\nenabled = true\n",
    );
    site.write(
        "content/companies/alibaba.md",
        "+++\nname = \"Alibaba\"\naliases = [\"Alibaba Group\", \"阿里巴巴\"]\n+++\nA company.\n",
    );
    site.write(
        "content/articles/2023-09-15-tongyi.md",
        "+++\ntitle = \"Alibaba opens Tongyi Qianwen\"\ndate = 2023-09-15\n\
         companies = [\"Alibaba\"]\nregulations = [\"China GenAI Measures\"]\ntags = [\"AI\"]\n+++\n\
         Alibaba opened Tongyi Qianwen (通义千问) to the public.\n\n\
         ```rust\nfn secret_code_word() {}\n```\n\nThe model is large.\n",
    );
    site.write(
        "content/articles/2024-01-10-baidu.md",
        "+++\ntitle = \"Baidu updates Ernie\"\ndate = 2024-01-10\nlang = \"zh\"\n\
         companies = [\"Baidu\"]\n+++\n百度发布了文心一言的新版本。\n",
    );
    site.write(
        "content/articles/2024-02-01-quiet.md",
        "+++\ntitle = \"A quiet week\"\ndate = 2024-02-01\n+++\nNothing happened.\n",
    );
    site
}

/// The records of a site, made as a build makes them.
fn records_of(root: &Path) -> Vec<Record> {
    let (config, _) = digest::load_config(root, None).unwrap();
    let (library, _) =
        digest::load_site(root, &config, false, false, &mut digest::Timings::default()).unwrap();
    let links = digest::urls::Urls::new(&config.base_url, config.base_path());
    let texts: Vec<String> = library
        .articles
        .iter()
        .map(|a| {
            let html = rough_html(&a.body);
            search::body_text(&html)
        })
        .collect();
    search::records(&config, &library, &links, &texts)
}

/// The test needs only the text of the bodies: the records of a real build come from the
/// rendered bodies, which the end-to-end tests below check through the index.
fn rough_html(markdown: &str) -> String {
    let mut html = String::new();
    let mut in_code = false;
    for line in markdown.lines() {
        if line.starts_with("```") {
            html.push_str(if in_code {
                "</code></pre>"
            } else {
                "<pre><code>"
            });
            in_code = !in_code;
            continue;
        }
        html.push_str(&digest::text::escape_html(line));
        html.push('\n');
    }
    html
}

fn record<'r>(records: &'r [Record], title: &str) -> &'r Record {
    records
        .iter()
        .find(|r| r.meta["title"] == title)
        .unwrap_or_else(|| panic!("no record titled {title}"))
}

#[test]
fn records_carry_every_name_of_a_company_its_filters_and_the_date_to_sort_by() {
    let site = small_site();
    let records = records_of(&site.root);
    assert_eq!(records.len(), 3);
    let tongyi = record(&records, "Alibaba opens Tongyi Qianwen");
    assert_eq!(tongyi.url, "/news/articles/tongyi/");
    assert!(tongyi.content.contains("通义千问"), "{}", tongyi.content);
    // The profile's aliases are part of the story's record: 阿里巴巴 finds it.
    let names = &tongyi.meta[search::NAMES_META];
    for name in [
        "Alibaba",
        "阿里巴巴",
        "Alibaba Group",
        "China GenAI Measures",
        "AI",
    ] {
        assert!(names.contains(name), "{name} in {names}");
    }
    assert!(
        !tongyi.content.contains("secret_code_word"),
        "code blocks are not searched: {}",
        tongyi.content
    );
    assert_eq!(tongyi.filters["company"], ["Alibaba"]);
    assert_eq!(tongyi.filters["regulation"], ["China GenAI Measures"]);
    assert_eq!(tongyi.filters["tag"], ["AI"]);
    assert_eq!(tongyi.filters["year"], ["2023"]);
    assert_eq!(tongyi.filters["edition"].len(), 1);
    assert_eq!(tongyi.meta["date"], "2023-09-15");
    assert_eq!(tongyi.meta["companies"], "Alibaba");
    assert_eq!(tongyi.language, "en");
    // A story written in Chinese (`lang = "zh"`) in an English site is in the site's part of
    // the index, which its search page loads; a part of its own would hide it.
    let baidu = record(&records, "Baidu updates Ernie");
    assert_eq!(baidu.language, "en");
    assert_eq!(baidu.filters["year"], ["2024"]);
    assert!(baidu.content.contains("文心一言"));
    // Newer stories sort after older ones by their date key.
    let key = |r: &Record| r.sort["date"].parse::<i64>().unwrap();
    assert!(key(baidu) > key(tongyi));
    let quiet = record(&records, "A quiet week");
    assert!(!quiet.filters.contains_key("company"));
}

#[test]
fn the_example_site_has_an_index_a_search_page_and_a_search_box_on_every_page() {
    let site = Site::example();
    let out = site.build_ok(&[]);
    for file in [
        "pagefind/pagefind.js",
        "pagefind/pagefind-entry.json",
        "pagefind/wasm.en.pagefind",
        "search.js",
        "search/index.html",
    ] {
        assert!(site.out.join(file).is_file(), "no {file}");
    }
    // Pagefind's own UI and its web worker are not shipped: the page has its own small script,
    // which runs Pagefind on the main thread.
    assert!(!site.out.join("pagefind/pagefind-ui.js").exists());
    assert!(!site.out.join("pagefind/pagefind-worker.js").exists());
    let entry: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(site.out.join("pagefind/pagefind-entry.json")).unwrap(),
    )
    .unwrap();
    let articles = std::fs::read_dir(site.out.join("articles"))
        .unwrap()
        .count();
    assert_eq!(entry["languages"]["en"]["page_count"], articles);
    // One index for both languages, which Pagefind splits: the Chinese part holds the
    // translations, and the Chinese search page (in Chinese) loads the same index.
    let translations = std::fs::read_dir(site.out.join("zh/articles"))
        .unwrap()
        .count();
    assert_eq!(entry["languages"]["zh"]["page_count"], translations);
    let zh_search = out.page(&out.url("zh/search/"));
    assert_eq!(zh_search.attr("html", "lang"), "zh-Hans");
    assert_eq!(
        zh_search.attr("#search", "data-index"),
        out.url("pagefind/")
    );
    assert_eq!(zh_search.h1(), "搜索");
    assert!(
        zh_search
            .attr("#search", "data-say-many")
            .contains("篇报道")
    );
    let fragments = std::fs::read_dir(site.out.join("pagefind/fragment"))
        .unwrap()
        .count();
    assert_eq!(fragments, articles + translations, "one fragment per story");

    let search_url = out.url("search/");
    for file in out.html_files() {
        let url = out.url_of_file(&file);
        let page = out.page(&url);
        if page.count("meta[http-equiv=refresh]") > 0 {
            continue;
        }
        // Each language's pages lead to its own search page.
        let own_search = if url.starts_with(&out.url("zh/")) {
            out.url("zh/search/")
        } else {
            search_url.clone()
        };
        assert_eq!(
            page.attr("header form[role=search]", "action"),
            own_search,
            "{url}"
        );
        assert_eq!(page.attr("header form[role=search]", "method"), "get");
        assert_eq!(
            page.attr("header form[role=search] input[type=search]", "name"),
            "q"
        );
        // The field has a name a screen reader announces.
        let id = page.attr("header form[role=search] input", "id");
        assert_eq!(page.count(&format!("header label[for={id}]")), 1, "{url}");
    }

    let page = out.page(&search_url);
    assert_eq!(page.h1(), "Search");
    assert_eq!(page.attr("main form[role=search]", "action"), search_url);
    assert_eq!(
        page.attr("main form[role=search] input#search-query", "name"),
        "q"
    );
    assert_eq!(page.count("label[for=search-query]"), 1);
    assert_eq!(
        page.attrs("details[data-filter]", "data-filter"),
        ["company", "regulation", "tag", "edition", "year"]
    );
    // The checkboxes come from the site's data, with each value's count of stories.
    assert_eq!(
        page.attrs("details[data-filter=year] input", "value"),
        ["2023"]
    );
    let alibaba = page.text("details[data-filter=company] label:has(input[value=Alibaba])");
    assert_eq!(alibaba, "Alibaba (3)");
    assert_eq!(page.count("details[data-filter] fieldset > legend"), 5);
    assert_eq!(page.attr("#search", "data-index"), out.url("pagefind/"));
    assert_eq!(page.attr("#search-status", "role"), "status");
    assert_eq!(page.attr("script[defer]", "src"), out.url("search.js"));
    // Without JavaScript the page says so and links the editions and the term indexes.
    let html = out.read(&search_url);
    let noscript = html
        .split("<noscript>")
        .nth(1)
        .and_then(|rest| rest.split("</noscript>").next())
        .expect("a noscript message");
    assert!(noscript.contains("Search needs JavaScript"), "{noscript}");
    for linked in ["editions/", "companies/", "regulations/", "tags/"] {
        assert!(
            noscript.contains(&format!("href=\"{}\"", out.url(linked))),
            "{noscript}"
        );
    }
    // The example's Alibaba story names the model in Chinese, as a reporter would.
    let tongyi = out.read(&out.url("articles/alibaba-tongyi-qianwen/"));
    assert!(tongyi.contains("Tongyi Qianwen (通义千问)"));
}

#[test]
fn search_turned_off_writes_no_index_no_page_and_no_search_box() {
    let site = small_site();
    let toml = std::fs::read_to_string(site.path("site.toml")).unwrap();
    site.write(
        "site.toml",
        &toml.replace("[search]\nenabled = true", "[search]\nenabled = false"),
    );
    let run = site.run(&["build", "--output", "../out"]);
    run.success();
    assert!(!run.stderr.contains("unknown"), "{}", run.stderr);
    assert!(!site.out.join("pagefind").exists());
    assert!(!site.out.join("search").exists());
    assert!(!site.out.join("search.js").exists());
    let out = site.output();
    let home = out.page(&out.url(""));
    assert_eq!(home.count("form[role=search]"), 0);
}

#[test]
fn a_relative_build_points_the_search_box_at_the_page_on_disk() {
    let site = small_site();
    site.run(&["build", "--relative", "--output", "../out"])
        .success();
    let html = std::fs::read_to_string(site.out.join("articles/tongyi/index.html")).unwrap();
    assert!(
        html.contains("action=\"../../search/index.html\""),
        "{}",
        html.lines()
            .find(|l| l.contains("site-search"))
            .unwrap_or("")
    );
    let script = std::fs::read_to_string(site.out.join("search.js")).unwrap();
    assert!(
        script.contains("file:"),
        "the page says search is unavailable from disk"
    );
}

#[test]
fn a_failed_build_never_replaces_the_last_index() {
    let site = small_site();
    site.run(&["build", "--output", "../out"]).success();
    let before = snapshot(&site.out.join("pagefind"));
    assert!(!before.is_empty());
    site.write(
        "content/articles/2024-03-01-new.md",
        "+++\ntitle = \"A new story\"\ndate = 2024-03-01\n+++\nFresh text.\n",
    );
    site.write(
        "content/articles/2024-03-02-broken.md",
        "+++\ntitle = \"Broken\"\ndate = not a date\n+++\nText.\n",
    );
    site.run(&["build", "--output", "../out"]).failure();
    assert_same_tree(&before, &snapshot(&site.out.join("pagefind")), "the index");
    site.remove("content/articles/2024-03-02-broken.md");
    site.run(&["build", "--output", "../out"]).success();
    let entry = std::fs::read_to_string(site.out.join("pagefind/pagefind-entry.json")).unwrap();
    assert!(entry.contains("\"page_count\":4"), "{entry}");
}

#[test]
fn serve_builds_the_same_index_as_a_build_after_an_edit() {
    let site = small_site();
    site.run(&["build", "--output", "../out"]).success();
    let live = site.tmp().join("live");
    let options = ServeOptions {
        root: site.root.clone(),
        drafts: false,
        future: false,
        local_origin: None,
    };
    let mut served = LiveSite::open(options, &live).unwrap();
    served.rebuild(&[]).unwrap();
    served
        .search_update()
        .expect("a first index")
        .write()
        .unwrap();
    assert_same_tree(
        &snapshot(&site.out.join("pagefind")),
        &snapshot(&live.join("pagefind")),
        "the served index",
    );
    // Nothing changed: no index to build.
    served
        .rebuild(&[site.path("content/articles/2024-02-01-quiet.md")])
        .unwrap();
    assert!(served.search_update().is_none());
    site.write(
        "content/articles/2024-02-01-quiet.md",
        "+++\ntitle = \"A quiet week\"\ndate = 2024-02-01\n+++\nNothing happened in Shenzhen.\n",
    );
    served
        .rebuild(&[site.path("content/articles/2024-02-01-quiet.md")])
        .unwrap();
    served
        .search_update()
        .expect("the edit changes a record")
        .write()
        .unwrap();
    site.run(&["build", "--output", "../out"]).success();
    assert_same_tree(
        &snapshot(&site.out.join("pagefind")),
        &snapshot(&live.join("pagefind")),
        "the served index after an edit",
    );
}
