//! End-to-end tests of entities (issue 5): term profiles and their aliases in any script,
//! conflicts between profiles, mentions found in articles' text (versus what an article is
//! filed under), `[entities] auto_file`, `link_mentions` and `matrix`, and the briefing on term
//! pages (timeline, coverage chart, related terms).
//!
//! Fixtures: `tests/fixtures/entities-*/`. Each test builds one of them with the real binary and
//! reads the output back with an HTML, XML or JSON parser. Variants of a fixture's `site.toml`
//! are written into the test's temporary copy, never into the fixture.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;

use common::{Output, Page, Site, child_text, children, parse_xml, text_of};
use scraper::ElementRef;
use serde_json::Value;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn set<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> BTreeSet<String> {
    items.into_iter().map(|s| s.as_ref().to_string()).collect()
}

/// A copy of fixture `name` whose site.toml is `edit`ed first.
fn fixture_with(name: &str, edit: impl FnOnce(String) -> String) -> Site {
    let site = Site::fixture(name);
    let text = fs::read_to_string(site.path("site.toml")).unwrap();
    site.write("site.toml", &edit(text));
    site
}

/// The names of the folders directly under `dir` of the output (empty when `dir` is missing).
fn subfolders(out: &Output, dir: &str) -> BTreeSet<String> {
    let Ok(entries) = fs::read_dir(out.dir.join(dir)) else {
        return BTreeSet::new();
    };
    entries
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

/// The `<section>` of `<main>` whose heading reads `heading` ("Also mentioned in", "Timeline" …).
fn section<'a>(page: &'a Page, heading: &str) -> Option<ElementRef<'a>> {
    let h2 = common::selector("h2");
    page.select("main section")
        .into_iter()
        .find(|s| s.select(&h2).next().is_some_and(|h| text_of(h) == heading))
}

/// `(text, href)` of the links inside `el`.
fn links_in(el: ElementRef<'_>) -> Vec<(String, String)> {
    el.select(&common::selector("a[href]"))
        .map(|a| (text_of(a), a.value().attr("href").unwrap().to_string()))
        .collect()
}

/// Titles of the articles a term page lists under "Also mentioned in" (empty without the section).
fn mentioned_in(page: &Page) -> BTreeSet<String> {
    section(page, "Also mentioned in")
        .map(|s| set(links_in(s).into_iter().map(|(t, _)| t)))
        .unwrap_or_default()
}

/// The links of an article page's "Also mentions:" line, or None without one.
fn also_mentions(page: &Page) -> Option<Vec<(String, String)>> {
    let found: Vec<ElementRef<'_>> = page
        .select("main p")
        .into_iter()
        .filter(|p| text_of(*p).starts_with("Also mentions"))
        .collect();
    assert!(
        found.len() <= 1,
        "{}: several \"Also mentions\" lines",
        page.url
    );
    found.first().map(|p| links_in(*p))
}

/// The page's one schema.org JSON-LD block, parsed.
#[track_caller]
fn jsonld(page: &Page) -> Value {
    let scripts = page.select(r#"script[type="application/ld+json"]"#);
    assert_eq!(scripts.len(), 1, "{}: expected one JSON-LD block", page.url);
    let text: String = scripts[0].text().collect();
    serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{}: JSON-LD is not JSON: {e}\n{text}", page.url))
}

/// `(@type, name, url)` of each thing in a JSON-LD list (`about`, `mentions`); empty when absent.
fn things(data: &Value, key: &str) -> Vec<(String, String, String)> {
    let Some(list) = data.get(key) else {
        return Vec::new();
    };
    let list = list
        .as_array()
        .unwrap_or_else(|| panic!("JSON-LD {key} is not a list: {list}"));
    list.iter()
        .map(|t| {
            let field = |f: &str| t.get(f).and_then(Value::as_str).unwrap_or("").to_string();
            (field("@type"), field("name"), field("url"))
        })
        .collect()
}

/// The raw HTML inside the first `<a …>` that starts with `open` (an HTML parser would mend a
/// link nested in a link, so nesting is checked on the text as written).
#[track_caller]
fn raw_link_inner<'a>(html: &'a str, open: &str) -> &'a str {
    let start = html
        .find(open)
        .unwrap_or_else(|| panic!("no {open:?} in the page"))
        + open.len();
    let rest = &html[start..];
    let open_end = rest.find('>').expect("the tag closes") + 1;
    let rest = &rest[open_end..];
    &rest[..rest.find("</a>").expect("the link closes")]
}

/// Entry titles of an Atom feed of the output.
fn feed_titles(out: &Output, url: &str) -> Vec<String> {
    let text = out.read(url);
    let doc = parse_xml(url, &text);
    children(doc.root_element(), "entry")
        .into_iter()
        .map(|e| child_text(e, "title"))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Profiles and aliases
// ---------------------------------------------------------------------------------------------

#[test]
fn articles_filed_under_any_alias_in_any_script_land_on_the_profiles_term() {
    let site = Site::fixture("entities-aliases");
    let out = site.build_ok(&[]);

    // One page per profile, none for the aliases.
    assert_eq!(
        subfolders(&out, "companies"),
        set(["alibaba", "telefonica"]),
        "term pages under companies/"
    );
    let index = out.page(&out.url("companies/"));
    let term_links: BTreeSet<(String, String)> = index
        .main_links()
        .into_iter()
        .filter(|(_, h)| h.starts_with(&out.url("companies/")) && h != &out.url("companies/"))
        .collect();
    assert_eq!(
        term_links,
        BTreeSet::from([
            ("Alibaba".to_string(), out.url("companies/alibaba/")),
            ("Telefónica".to_string(), out.url("companies/telefonica/")),
        ])
    );

    let alibaba = out.page(&out.url("companies/alibaba/"));
    assert_eq!(alibaba.h1(), "Alibaba");
    assert_eq!(
        alibaba.article_titles(),
        [
            "Filed as alibaba group",
            "Filed as Alibaba",
            "Filed as Alibaba Cloud",
            "Filed as 阿里巴巴",
            "Filed as Alibaba Group",
        ],
        "every spelling is filed under the profile, newest first"
    );
    let aka = alibaba
        .texts("main p")
        .into_iter()
        .find(|t| t.starts_with("Also known as"))
        .expect("the Alibaba page lists its aliases");
    for alias in ["Alibaba Group", "阿里巴巴", "Alibaba Cloud"] {
        assert!(aka.contains(alias), "{aka:?} should list {alias:?}");
    }
    assert!(
        alibaba
            .text("main")
            .contains("The Alibaba profile description.")
    );
    let feed = feed_titles(&out, &out.url("companies/alibaba/atom.xml"));
    assert_eq!(feed.len(), 5, "Alibaba's feed: {feed:?}");

    // Each article links the profile's term by the profile's name and is `about` it.
    for (slug, spelling) in [
        ("group", "Alibaba Group"),
        ("chinese", "阿里巴巴"),
        ("cloud", "Alibaba Cloud"),
        ("lowercase", "alibaba group"),
    ] {
        let page = out.page(&out.url(&format!("articles/{slug}/")));
        assert!(
            page.main_links()
                .contains(&("Alibaba".to_string(), out.url("companies/alibaba/"))),
            "the article filed as {spelling:?} should link Alibaba: {:?}",
            page.main_links()
        );
        assert_eq!(
            things(&jsonld(&page), "about"),
            [(
                "Organization".to_string(),
                "Alibaba".to_string(),
                out.permalink("companies/alibaba/")
            )],
            "JSON-LD about of the article filed as {spelling:?}"
        );
    }

    // A Japanese alias and an accented name (with and without its accent) are one term.
    let telefonica = out.page(&out.url("companies/telefonica/"));
    assert_eq!(telefonica.h1(), "Telefónica");
    assert_eq!(
        telefonica.article_titles(),
        [
            "Filed as Telefonica",
            "Filed as Telefónica",
            "Filed as テレフォニカ"
        ]
    );
    let aka = telefonica
        .texts("main p")
        .into_iter()
        .find(|t| t.starts_with("Also known as"))
        .expect("the Telefónica page lists its alias");
    assert!(aka.contains("テレフォニカ"), "{aka:?}");
}

#[test]
fn a_katakana_alias_and_an_accented_name_are_found_in_text() {
    let site = Site::fixture("entities-aliases");
    let out = site.build_ok(&[]);
    let telefonica = out.page(&out.url("companies/telefonica/"));
    assert_eq!(
        mentioned_in(&telefonica),
        set(["日本の記事", "A bid in Madrid"]),
        "\"昨日テレフォニカが…\" and \"Analysts said Telefónica…\" both name Telefónica"
    );
    for slug in ["japanese-mention", "accented-mention"] {
        let page = out.page(&out.url(&format!("articles/{slug}/")));
        assert_eq!(
            also_mentions(&page),
            Some(vec![(
                "Telefónica".to_string(),
                out.url("companies/telefonica/")
            )]),
            "{slug}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Conflicts
// ---------------------------------------------------------------------------------------------

/// The build fails with one error about `name` that names both files, and is located at the
/// line of one of them that claims `name`.
#[track_caller]
fn assert_conflict(fixture: &str, name: &str, files: [&str; 2]) {
    let site = Site::fixture(fixture);
    let run = site.build(&[]);
    run.failure();
    let errors: Vec<&str> = run
        .stderr_lines("error: ")
        .into_iter()
        .filter(|l| l.contains(&format!("{name:?}")))
        .collect();
    assert_eq!(errors.len(), 1, "expected one error about {name:?}\n{run}");
    let line = errors[0];
    for file in files {
        assert!(line.contains(file), "{line:?} should name {file}\n{run}");
    }
    let block = run.block(line);
    block.has_hint();
    let (path, line_no, col) = block.location();
    assert!(
        files.contains(&path.as_str()),
        "the error should be located in one of {files:?}: {line:?}"
    );
    assert!(line_no >= 1 && col >= 1, "{line:?}");
    let source = fs::read_to_string(site.path(&path)).unwrap();
    let located = source.lines().nth(line_no as usize - 1).unwrap_or("");
    assert!(
        located.contains(name),
        "{path}:{line_no} should be the line that claims {name:?}, but it is {located:?}"
    );
    assert!(!site.out.exists(), "a failed build writes no output\n{run}");
}

#[test]
fn two_profiles_claiming_one_alias_is_an_error_naming_both_files() {
    assert_conflict(
        "entities-conflict-alias",
        "阿里巴巴",
        [
            "content/companies/alibaba.md",
            "content/companies/ant-group.md",
        ],
    );
}

#[test]
fn an_alias_equal_to_another_profiles_name_is_an_error_naming_both_files() {
    assert_conflict(
        "entities-conflict-name",
        "Tencent",
        [
            "content/companies/tencent.md",
            "content/companies/wechat.md",
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// Mentions versus about, auto_file
// ---------------------------------------------------------------------------------------------

#[test]
fn a_company_named_but_not_filed_is_a_mention_not_a_subject() {
    let site = Site::fixture("entities-mentions");
    let out = site.build_ok(&[]);
    let baidu_url = out.url("companies/baidu/");

    // The article page: "Also mentions" Baidu; JSON-LD about Tencent, mentions Baidu.
    let article = out.page(&out.url("articles/tencent-hunyuan/"));
    assert_eq!(
        also_mentions(&article),
        Some(vec![("Baidu".to_string(), baidu_url.clone())])
    );
    let data = jsonld(&article);
    assert_eq!(
        things(&data, "about"),
        [(
            "Organization".to_string(),
            "Tencent".to_string(),
            out.permalink("companies/tencent/")
        )]
    );
    assert_eq!(
        things(&data, "mentions"),
        [(
            "Organization".to_string(),
            "Baidu".to_string(),
            out.permalink("companies/baidu/")
        )]
    );
    // The article's header shows only what it is filed under.
    let header_terms: Vec<String> = article
        .select("main article header a[href]")
        .into_iter()
        .filter(|a| {
            let href = a.value().attr("href").unwrap();
            href.starts_with(&out.url("companies/")) && href != out.url("companies/")
        })
        .map(text_of)
        .collect();
    assert_eq!(
        header_terms,
        ["Tencent"],
        "the article is filed under Tencent only"
    );

    // Baidu's page: under "Also mentioned in", not among its stories, not in its feed.
    let baidu = out.page(&baidu_url);
    assert!(
        mentioned_in(&baidu).contains("Tencent unveils Hunyuan"),
        "{:?}",
        mentioned_in(&baidu)
    );
    let mention_link = section(&baidu, "Also mentioned in")
        .map(links_in)
        .unwrap_or_default()
        .into_iter()
        .find(|(t, _)| t == "Tencent unveils Hunyuan");
    assert_eq!(
        mention_link.map(|(_, h)| h),
        Some(out.url("articles/tencent-hunyuan/"))
    );
    assert_eq!(baidu.article_titles(), ["Ernie Bot opens to the public"]);
    assert_eq!(
        feed_titles(&out, &out.url("companies/baidu/atom.xml")),
        ["Ernie Bot opens to the public"]
    );

    // Tencent's page lists it as a story and not as a mention.
    let tencent = out.page(&out.url("companies/tencent/"));
    assert_eq!(tencent.article_titles(), ["Tencent unveils Hunyuan"]);
    assert!(mentioned_in(&tencent).is_empty());

    // A name in the title counts too.
    assert!(mentioned_in(&baidu).contains("Why Baidu shares fell"));
    // An article naming nothing has no "Also mentions" and no JSON-LD mentions.
    let plain = out.page(&out.url("articles/baidu-ernie/"));
    assert_eq!(also_mentions(&plain), None);
    assert!(jsonld(&plain).get("mentions").is_none());
}

#[test]
fn also_mentions_is_shown_on_a_site_without_editions() {
    let site = fixture_with("entities-mentions", |t| format!("edition = \"none\"\n{t}"));
    let out = site.build_ok(&[]);
    let article = out.page(&out.url("articles/tencent-hunyuan/"));
    assert_eq!(
        things(&jsonld(&article), "mentions").len(),
        1,
        "the JSON-LD still has the mention"
    );
    assert_eq!(
        also_mentions(&article),
        Some(vec![("Baidu".to_string(), out.url("companies/baidu/"))])
    );
}

#[test]
fn auto_file_files_mentioned_terms_as_if_in_the_front_matter() {
    let site = fixture_with("entities-mentions", |t| format!("{t}auto_file = true\n"));
    let out = site.build_ok(&[]);
    let baidu_url = out.url("companies/baidu/");

    let baidu = out.page(&baidu_url);
    assert_eq!(
        set(baidu.article_titles()),
        set([
            "Ernie Bot opens to the public",
            "Tencent unveils Hunyuan",
            "新模型",
            "Why Baidu shares fell",
        ]),
        "filed by front matter, by a mention in the body, in Chinese, and in the title"
    );
    assert!(
        section(&baidu, "Also mentioned in").is_none(),
        "nothing is left as a mention"
    );
    let feed = feed_titles(&out, &out.url("companies/baidu/atom.xml"));
    assert!(
        feed.contains(&"Tencent unveils Hunyuan".to_string()),
        "{feed:?}"
    );

    let article = out.page(&out.url("articles/tencent-hunyuan/"));
    assert_eq!(also_mentions(&article), None);
    let data = jsonld(&article);
    assert_eq!(
        set(things(&data, "about")
            .into_iter()
            .map(|(ty, name, _)| format!("{ty} {name}"))),
        set(["Organization Tencent", "Organization Baidu"])
    );
    assert!(data.get("mentions").is_none(), "{data}");
    let header_links: Vec<(String, String)> = article
        .select("main article header")
        .into_iter()
        .flat_map(links_in)
        .collect();
    assert!(
        header_links.contains(&("Baidu".to_string(), baidu_url.clone())),
        "the article's header lists Baidu among its companies: {header_links:?}"
    );
    // Names in code or URLs are still not mentions, so not filed either (checked by the exact
    // card list above); the other companies get the articles that name them.
    let tiktok = out.page(&out.url("companies/tiktok/"));
    assert_eq!(tiktok.article_titles(), ["Creators complain"]);
}

// ---------------------------------------------------------------------------------------------
// Matching rules
// ---------------------------------------------------------------------------------------------

#[test]
fn names_inside_code_or_urls_are_not_mentions() {
    let site = Site::fixture("entities-mentions");
    let out = site.build_ok(&[]);
    let cases = [
        ("fenced-code", "Baidu(\"key\")", "A code sample"),
        ("indented-code", "Baidu(\"key\")", "Another code sample"),
        ("inline-code", "Baidu.search()", "An inline sample"),
        (
            "bare-urls",
            "https://news.example.com/Baidu/ernie",
            "Links worth reading",
        ),
        ("link-targets", "https://example.com/Baidu", "More links"),
    ];
    let baidu = mentioned_in(&out.page(&out.url("companies/baidu/")));
    let tiktok = mentioned_in(&out.page(&out.url("companies/tiktok/")));
    for (slug, shown, title) in cases {
        let page = out.page(&out.url(&format!("articles/{slug}/")));
        // The name really is on the page, only not in prose.
        assert!(
            page.text("main .prose").contains(shown),
            "{slug}: {shown:?} should be in the body"
        );
        assert_eq!(also_mentions(&page), None, "{slug}");
        let data = jsonld(&page);
        assert!(data.get("mentions").is_none(), "{slug}: {data}");
        assert!(!baidu.contains(title), "{slug} listed as naming Baidu");
        assert!(!tiktok.contains(title), "{slug} listed as naming TikTok");
    }
}

#[test]
fn short_single_words_match_as_written_and_compound_names_in_any_case() {
    let site = Site::fixture("entities-mentions");
    let out = site.build_ok(&[]);

    // The tag "AI" (tags are scanned in this fixture): "AI" is, "Ai Weiwei" is not.
    let ai = out.page(&out.url("tags/ai/"));
    assert_eq!(ai.article_titles(), ["A story filed under the tag"]);
    assert_eq!(mentioned_in(&ai), set(["Regulators draft rules"]));
    let rules = out.page(&out.url("articles/ai-rules/"));
    assert_eq!(
        also_mentions(&rules),
        Some(vec![("AI".to_string(), out.url("tags/ai/"))])
    );
    assert_eq!(
        things(&jsonld(&rules), "mentions")
            .into_iter()
            .map(|(_, name, _)| name)
            .collect::<Vec<_>>(),
        ["AI"]
    );
    let weiwei = out.page(&out.url("articles/ai-weiwei/"));
    assert_eq!(also_mentions(&weiwei), None);
    assert!(jsonld(&weiwei).get("mentions").is_none());

    // "Meta" is a mention, "meta-analysis" is not.
    let meta = out.page(&out.url("companies/meta/"));
    assert_eq!(mentioned_in(&meta), set(["A new open model"]));
    assert_eq!(
        also_mentions(&out.page(&out.url("articles/meta-analysis/"))),
        None
    );

    // "OpenAI" (alias "Open AI") matches "openai" and "OPEN AI"; "TikTok" matches "Tiktok".
    let openai = out.page(&out.url("companies/openai/"));
    assert_eq!(
        mentioned_in(&openai),
        set(["Developers and the API", "An interview"])
    );
    let tiktok = out.page(&out.url("companies/tiktok/"));
    assert_eq!(mentioned_in(&tiktok), set(["Creators complain"]));
    assert_eq!(
        also_mentions(&out.page(&out.url("articles/tiktok/"))),
        Some(vec![("TikTok".to_string(), out.url("companies/tiktok/"))])
    );
}

#[test]
fn tags_are_not_scanned_unless_entities_scan_names_them() {
    // Without the [entities] table, scan is companies and regulations only.
    let site = fixture_with("entities-mentions", |t| {
        t.replace(r#"scan = ["companies", "regulations", "tags"]"#, "")
    });
    let out = site.build_ok(&[]);
    assert!(mentioned_in(&out.page(&out.url("tags/ai/"))).is_empty());
    assert_eq!(
        also_mentions(&out.page(&out.url("articles/ai-rules/"))),
        None
    );
    // Companies still are.
    assert!(
        mentioned_in(&out.page(&out.url("companies/baidu/"))).contains("Tencent unveils Hunyuan")
    );
}

#[test]
fn a_chinese_alias_is_found_inside_a_sentence_without_spaces() {
    let site = Site::fixture("entities-mentions");
    let out = site.build_ok(&[]);
    // "今天百度发布了新模型。" names Baidu by its alias 百度.
    let baidu = out.page(&out.url("companies/baidu/"));
    assert_eq!(
        mentioned_in(&baidu),
        set(["Tencent unveils Hunyuan", "新模型", "Why Baidu shares fell"]),
        "exactly the articles whose prose names Baidu"
    );
    let article = out.page(&out.url("articles/cjk-sentence/"));
    assert_eq!(
        also_mentions(&article),
        Some(vec![("Baidu".to_string(), out.url("companies/baidu/"))])
    );
    assert_eq!(
        things(&jsonld(&article), "mentions"),
        [(
            "Organization".to_string(),
            "Baidu".to_string(),
            out.permalink("companies/baidu/")
        )]
    );
}

// ---------------------------------------------------------------------------------------------
// The company × regulation matrix
// ---------------------------------------------------------------------------------------------

/// Slug of a term URL `…/<taxonomy>/<slug>/`.
fn slug_of(out: &Output, taxonomy: &str, href: &str) -> String {
    href.strip_prefix(&out.url(&format!("{taxonomy}/")))
        .and_then(|s| s.strip_suffix('/'))
        .unwrap_or_else(|| panic!("{href:?} is not a {taxonomy} term URL"))
        .to_string()
}

/// Whether the page's header navigation links `url`.
fn nav_links_to(page: &Page, url: &str) -> bool {
    page.attrs("header nav a", "href").iter().any(|h| h == url)
}

#[test]
fn the_matrix_holds_exactly_the_pairs_that_occur() {
    let site = Site::fixture("entities-briefing");
    let out = site.build_ok(&[]);
    let matrix_url = out.url("matrix/");
    let page = out.page(&matrix_url);

    let columns: Vec<String> = page
        .attrs("main table thead th a", "href")
        .iter()
        .map(|h| slug_of(&out, "regulations", h))
        .collect();
    assert_eq!(
        set(&columns),
        set(["china-genai-measures", "eu-ai-act"]),
        "columns"
    );

    // (company, regulation) → (count shown, href) for every cell of the table.
    let mut cells: BTreeMap<(String, String), Option<(String, String)>> = BTreeMap::new();
    let th = common::selector("th a");
    let td = common::selector("td");
    let a = common::selector("a");
    for row in page.select("main table tbody tr") {
        let head = row
            .select(&th)
            .next()
            .expect("a row heading links its company");
        let company = slug_of(&out, "companies", head.value().attr("href").unwrap());
        let tds: Vec<ElementRef<'_>> = row.select(&td).collect();
        assert_eq!(
            tds.len(),
            columns.len(),
            "one cell per column in {company}'s row"
        );
        for (cell, column) in tds.into_iter().zip(&columns) {
            let link = cell.select(&a).next();
            let value = link.map(|l| (text_of(l), l.value().attr("href").unwrap().to_string()));
            if value.is_none() {
                assert_eq!(text_of(cell), "", "an empty cell of {company} × {column}");
            }
            cells.insert((company.clone(), column.clone()), value);
        }
    }

    let a1 = "Three groups prepare filings";
    let a2 = "Two launches on the first day";
    let b1 = "A third launch on the first day";
    let b2 = "A European question";
    let a4 = "A deal in Brussels";
    let china = "china-genai-measures";
    let eu = "eu-ai-act";
    // Newest first. Huawei is about no regulation: no row.
    let expected: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::from([
        (("alibaba", china), vec![a2, a1]),
        (("alibaba", eu), vec![a4]),
        (("baidu", china), vec![a2, a1]),
        (("baidu", eu), vec![]),
        (("tencent", china), vec![b1, a1]),
        (("tencent", eu), vec![]),
        (("bytedance", china), vec![]),
        (("bytedance", eu), vec![a4, b2]),
    ]);
    assert_eq!(
        cells.keys().cloned().collect::<BTreeSet<_>>(),
        expected
            .keys()
            .map(|(r, c)| (r.to_string(), c.to_string()))
            .collect::<BTreeSet<_>>(),
        "rows × columns of the table"
    );

    for ((company, regulation), articles) in &expected {
        let cell = &cells[&(company.to_string(), regulation.to_string())];
        let cell_url = out.url(&format!("matrix/{company}/{regulation}/"));
        if articles.is_empty() {
            assert_eq!(
                cell, &None,
                "{company} × {regulation} should be an empty cell"
            );
            out.assert_missing(&cell_url);
            assert!(
                !out.dir
                    .join(format!("matrix/{company}/{regulation}"))
                    .exists(),
                "no folder for {company} × {regulation}, a pair that never occurs"
            );
            continue;
        }
        assert_eq!(
            cell.as_ref(),
            Some(&(articles.len().to_string(), cell_url.clone())),
            "{company} × {regulation}"
        );
        let cell_page = out.page(&cell_url);
        assert_eq!(
            &cell_page.article_titles(),
            articles,
            "the page of {company} × {regulation}"
        );
    }

    // Only real pairs are generated: the folders under matrix/ are exactly those pairs.
    let mut generated = BTreeSet::new();
    for company in subfolders(&out, "matrix") {
        for regulation in subfolders(&out, &format!("matrix/{company}")) {
            generated.insert((company.clone(), regulation));
        }
    }
    let occurring: BTreeSet<(String, String)> = expected
        .iter()
        .filter(|(_, a)| !a.is_empty())
        .map(|((r, c), _)| (r.to_string(), c.to_string()))
        .collect();
    assert_eq!(generated, occurring);

    assert!(nav_links_to(&out.page(&out.url("")), &matrix_url));
}

#[test]
fn an_empty_matrix_setting_means_no_matrix_page_and_no_nav_link() {
    let site = fixture_with("entities-briefing", |t| {
        format!("{t}\n[entities]\nmatrix = []\n")
    });
    let out = site.build_ok(&[]);
    assert!(!out.dir.join("matrix").exists(), "no matrix/ folder");
    let matrix_url = out.url("matrix/");
    for url in [
        out.url(""),
        out.url("companies/alibaba/"),
        out.url("articles/a1/"),
    ] {
        let page = out.page(&url);
        assert!(!nav_links_to(&page, &matrix_url), "{url} links the matrix");
        assert!(
            !page.texts("header nav a").iter().any(|t| t == "Matrix"),
            "{url} has a Matrix link"
        );
    }
    assert!(!out.read(&out.url("sitemap.xml")).contains("/matrix/"));
}

// ---------------------------------------------------------------------------------------------
// Term pages as briefings
// ---------------------------------------------------------------------------------------------

#[test]
fn a_regulation_timeline_merges_profile_events_and_articles_oldest_first() {
    let site = Site::fixture("entities-briefing");
    let out = site.build_ok(&[]);
    let page = out.page(&out.url("regulations/china-genai-measures/"));
    let timeline = section(&page, "Timeline").expect("a Timeline section");

    // (date, text, link) of each entry; profile events have no link.
    let time = common::selector("time");
    let a = common::selector("a");
    let entries: Vec<(String, String, Option<String>)> = timeline
        .select(&common::selector("li"))
        .map(|li| {
            let date = li
                .select(&time)
                .next()
                .and_then(|t| t.value().attr("datetime"))
                .expect("each entry has a <time datetime>")
                .to_string();
            // The entry's text is what follows its date.
            let shown_date = li.select(&time).next().map(text_of).unwrap_or_default();
            let text = text_of(li)
                .strip_prefix(&shown_date)
                .unwrap_or_else(|| panic!("the entry should start with its date: {li:?}"))
                .trim()
                .to_string();
            let link = li.select(&a).next();
            let href = link.map(|l| l.value().attr("href").unwrap().to_string());
            (date, text, href)
        })
        .collect();

    let event = |date: &str, text: &str| (date.to_string(), text.to_string(), None);
    let story = |date: &str, text: &str, slug: &str| {
        (
            date.to_string(),
            text.to_string(),
            Some(out.url(&format!("articles/{slug}/"))),
        )
    };
    assert_eq!(entries.len(), 6, "{entries:#?}");
    assert_eq!(
        entries[..3],
        [
            event(
                "2023-07-13",
                "Published by the Cyberspace Administration of China"
            ),
            story("2023-07-20", "Three groups prepare filings", "a1"),
            event("2023-08-15", "Takes effect"),
        ],
        "{entries:#?}"
    );
    // The profile's event comes before the two articles of the same day (in either order).
    assert_eq!(
        entries[3..5].iter().cloned().collect::<BTreeSet<_>>(),
        BTreeSet::from([
            story("2023-08-15", "Two launches on the first day", "a2"),
            story("2023-08-15", "A third launch on the first day", "b1"),
        ])
    );
    assert_eq!(entries[5], event("2023-12-01", "First review due"));
}

#[test]
fn related_terms_rank_the_companies_and_regulations_a_company_shares_most_articles_with() {
    let site = Site::fixture("entities-briefing");
    let out = site.build_ok(&[]);
    let page = out.page(&out.url("companies/alibaba/"));
    let related = section(&page, "Most covered with").expect("a \"Most covered with\" section");

    // dt (taxonomy title) → [(name, count, href)] in page order.
    let mut groups: BTreeMap<String, Vec<(String, usize, String)>> = BTreeMap::new();
    let dt = common::selector("dt");
    let a = common::selector("dd a");
    for group in related.select(&common::selector("dl > div")) {
        let title = text_of(group.select(&dt).next().expect("a <dt>"));
        let items = group
            .select(&a)
            .map(|link| {
                // The count is the text right after the link: "Baidu 3, Tencent 2".
                let after: String = link
                    .next_sibling()
                    .and_then(|n| n.value().as_text().map(|t| t.to_string()))
                    .unwrap_or_default();
                let count: usize = after
                    .trim()
                    .trim_end_matches(',')
                    .trim()
                    .parse()
                    .unwrap_or_else(|_| panic!("no count after {:?}: {after:?}", text_of(link)));
                (
                    text_of(link),
                    count,
                    link.value().attr("href").unwrap().to_string(),
                )
            })
            .collect();
        groups.insert(title, items);
    }
    let item = |name: &str, count: usize, path: &str| (name.to_string(), count, out.url(path));
    assert_eq!(
        groups.get("Companies"),
        Some(&vec![
            item("Baidu", 3, "companies/baidu/"),
            item("Tencent", 2, "companies/tencent/"),
            item("ByteDance", 1, "companies/bytedance/"),
        ]),
        "{groups:#?}"
    );
    assert_eq!(
        groups.get("Regulations"),
        Some(&vec![
            item(
                "China Interim Measures for the Management of Generative AI Services",
                2,
                "regulations/china-genai-measures/"
            ),
            item("EU AI Act", 1, "regulations/eu-ai-act/"),
        ]),
        "{groups:#?}"
    );
    assert!(
        !groups
            .values()
            .flatten()
            .any(|(name, _, _)| name == "Alibaba"),
        "a term is not related to itself"
    );
}

#[test]
fn the_coverage_chart_is_an_accessible_inline_svg_with_a_bar_per_month() {
    let site = Site::fixture("entities-briefing");
    let out = site.build_ok(&[]);
    // Alibaba: July 1, August 2, September 0, October 1.
    let page = out.page(&out.url("companies/alibaba/"));
    let svgs = page.select("main svg");
    assert_eq!(svgs.len(), 1, "one inline <svg> chart");
    let svg = svgs[0];
    assert_eq!(svg.value().attr("role"), Some("img"));
    let label = svg.value().attr("aria-label").unwrap_or("");
    assert!(label.contains("Alibaba"), "aria-label {label:?}");
    let heights: Vec<f64> = svg
        .select(&common::selector("rect"))
        .map(|r| {
            r.value()
                .attr("height")
                .and_then(|h| h.parse().ok())
                .expect("each bar has a numeric height")
        })
        .collect();
    assert_eq!(
        heights.len(),
        4,
        "July to October, both included: {heights:?}"
    );
    assert_eq!(heights[2], 0.0, "September has no article: {heights:?}");
    assert!(heights[0] > 0.0 && heights[3] > 0.0, "{heights:?}");
    assert_eq!(heights[0], heights[3], "one article each: {heights:?}");
    assert!(heights[1] > heights[0], "August has the most: {heights:?}");
    // No JavaScript on the page (JSON-LD is data, not script).
    assert!(
        page.select("script")
            .iter()
            .all(|s| s.value().attr("type") == Some("application/ld+json")),
        "the chart needs no script"
    );
}

// ---------------------------------------------------------------------------------------------
// Links in text
// ---------------------------------------------------------------------------------------------

#[test]
fn link_mentions_links_the_first_mention_of_each_term_outside_links_headings_and_code() {
    let site = Site::fixture("entities-links");
    let out = site.build_ok(&[]);
    let page = out.page(&out.url("articles/linked/"));
    let baidu = out.url("companies/baidu/");
    let tencent = out.url("companies/tencent/");

    let prose_links = page
        .select("main .prose")
        .into_iter()
        .flat_map(links_in)
        .collect::<Vec<_>>();
    let to_term: Vec<&(String, String)> = prose_links
        .iter()
        .filter(|(_, h)| h == &baidu || h == &tencent)
        .collect();
    assert_eq!(
        to_term,
        [
            &("Baidu".to_string(), baidu.clone()),
            &("Tencent".to_string(), tencent.clone())
        ],
        "one link per term (the alias 百度 later on is the same term): {prose_links:?}"
    );
    // The links sit on the first mention in plain prose, not on a later one.
    let paragraph_of = |url: &str| -> String {
        page.select("main .prose p")
            .into_iter()
            .find(|p| links_in(*p).iter().any(|(_, h)| h == url))
            .map(text_of)
            .unwrap_or_else(|| panic!("no paragraph links {url}"))
    };
    assert!(paragraph_of(&baidu).starts_with("Baidu launched Ernie Bot"));
    assert!(paragraph_of(&tencent).starts_with("Tencent answered a week later"));

    // Never inside an existing link, a heading, code, or a URL.
    let raw = out.read(&out.url("articles/linked/"));
    let inner = raw_link_inner(&raw, "<a href=\"https://example.org/press\"");
    assert!(
        !inner.contains("<a"),
        "a link inside the existing link: {inner:?}"
    );
    assert_eq!(
        page.attrs("main .prose a", "href")
            .iter()
            .filter(|h| h.as_str() == "https://example.org/press")
            .count(),
        1,
        "the existing link is kept as it was"
    );
    for css in [
        "main .prose h2 a",
        "main .prose h3 a",
        "main .prose h4 a",
        "main .prose code a",
        "main .prose pre a",
    ] {
        let hrefs = page.attrs(css, "href");
        assert!(
            !hrefs.iter().any(|h| h == &baidu || h == &tencent),
            "{css}: {hrefs:?}"
        );
    }
    assert!(
        page.text("main .prose")
            .contains("https://news.example.com/Baidu/ernie"),
        "the URL is left whole"
    );
}

#[test]
fn without_link_mentions_article_bodies_link_no_terms() {
    let site = fixture_with("entities-links", |t| t.replace("link_mentions = true", ""));
    let out = site.build_ok(&[]);
    let page = out.page(&out.url("articles/linked/"));
    let hrefs = page.attrs("main .prose a", "href");
    assert_eq!(hrefs, ["https://example.org/press"]);
}

#[test]
fn link_mentions_never_links_inside_a_raw_html_link() {
    let site = Site::fixture("entities-links");
    site.write(
        "content/articles/2023-06-02-raw-html.md",
        "+++\ntitle = \"Raw HTML\"\ndate = 2023-06-02\n+++\n\
         Read <a href=\"https://example.org/x\">what Baidu said</a> today.\n\n\
         Then Baidu spoke again.\n",
    );
    let out = site.build_ok(&[]);
    let raw = out.read(&out.url("articles/raw-html/"));
    let inner = raw_link_inner(&raw, "<a href=\"https://example.org/x\"");
    assert!(
        !inner.contains("<a"),
        "a link inside the raw HTML link: {inner:?}"
    );
    let page = out.page(&out.url("articles/raw-html/"));
    let baidu = out.url("companies/baidu/");
    let linked: Vec<String> = page
        .select("main .prose p")
        .into_iter()
        .filter(|p| links_in(*p).iter().any(|(_, h)| h == &baidu))
        .map(text_of)
        .collect();
    assert_eq!(linked, ["Then Baidu spoke again."]);
}
