//! A site in two languages: the example site has `[languages.zh]` and Chinese translations
//! (`x.zh.md`). Its pages link to each other by hreflang, each language keeps its own feeds and
//! term pages, and translations are checked by `digest check`.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{Output, Site, child_text, children, parse_xml};

fn build_example() -> (Site, Output) {
    let site = Site::example();
    let out = site.build_ok(&[]);
    (site, out)
}

/// A copy of the example site, to edit.
fn example_copy() -> Site {
    let site = Site::empty();
    for part in ["site.toml", "content", "templates", "static"] {
        let from = common::repo_root().join(part);
        if from.is_dir() {
            common::copy_dir(&from, &site.root.join(part));
        } else if from.is_file() {
            std::fs::copy(&from, site.root.join(part)).unwrap();
        }
    }
    site
}

/// Every HTML page but redirects, as URLs.
fn pages(out: &Output) -> Vec<String> {
    out.html_files()
        .into_iter()
        .map(|f| out.url_of_file(&f))
        .filter(|url| {
            let page = out.read(url);
            !page.contains("http-equiv=\"refresh\"")
        })
        .collect()
}

/// A page's hreflang alternates: hreflang → URL.
fn alternates(out: &Output, url: &str) -> BTreeMap<String, String> {
    let page = out.page(url);
    page.select("link[rel=alternate][hreflang]")
        .into_iter()
        .map(|e| {
            let v = e.value();
            (
                v.attr("hreflang").unwrap_or_default().to_string(),
                v.attr("href").unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn alternates_are_reciprocal_and_exist_and_every_page_has_a_language() {
    let (_site, out) = build_example();
    let all = pages(&out);
    assert!(all.iter().any(|u| u.starts_with("/digest/zh/")), "{all:?}");
    let mut translated = 0;
    for url in &all {
        let page = out.page(url);
        let lang = page.attr("html", "lang");
        let expected = if url.starts_with("/digest/zh/") {
            "zh-Hans"
        } else {
            "en"
        };
        assert_eq!(lang, expected, "{url}");
        let own = alternates(&out, url);
        if url.ends_with("404.html") {
            continue;
        }
        assert_eq!(
            own.get(expected).map(String::as_str),
            Some(out.permalink(&url[out.base_path.len()..]).as_str()),
            "{url} must list itself among its alternates: {own:?}"
        );
        if own.len() > 1 {
            translated += 1;
            assert!(own.contains_key("x-default"), "{url}: {own:?}");
        }
        for (hreflang, href) in &own {
            out.assert_exists(href);
            if hreflang == "x-default" {
                continue;
            }
            let back = alternates(&out, href);
            assert_eq!(
                back, own,
                "{url} and {href} must list the same alternates, each other included"
            );
        }
        // The switcher leads somewhere that exists, in the other language.
        let switch = page.attrs(".language-switcher a", "href");
        assert_eq!(switch.len(), 1, "{url}: {switch:?}");
        out.assert_exists(&switch[0]);
        assert_ne!(
            switch[0].starts_with("/digest/zh/"),
            url.starts_with("/digest/zh/"),
            "{url}: the switcher leads to the other language, not {}",
            switch[0]
        );
    }
    assert!(
        translated >= 20,
        "only {translated} pages have a translation"
    );
}

#[test]
fn untranslated_pages_switch_to_the_other_home_and_say_so() {
    let (_site, out) = build_example();
    let page = out.page(&out.url("articles/openai-chatgpt-enterprise/"));
    let link = page.select(".language-switcher a")[0];
    assert_eq!(link.value().attr("href"), Some("/digest/zh/"));
    assert!(
        common::text_of(link).contains("暂无译文"),
        "{}",
        common::text_of(link)
    );
    // Itself and x-default only: no Chinese page to point at.
    let own = alternates(&out, &out.url("articles/openai-chatgpt-enterprise/"));
    assert_eq!(own.keys().collect::<Vec<_>>(), ["en", "x-default"]);

    let page = out.page(&out.url("zh/articles/alibaba-tongyi-qianwen/"));
    let link = page.select(".language-switcher a")[0];
    assert_eq!(
        link.value().attr("href"),
        Some("/digest/articles/alibaba-tongyi-qianwen/")
    );
    assert_eq!(
        page.attr("meta[property=\"og:locale\"]", "content"),
        "zh_CN"
    );
    assert_eq!(
        page.attr("meta[property=\"og:locale:alternate\"]", "content"),
        "en"
    );
    // Static files are shared from the root.
    assert_eq!(
        page.attr("link[rel=stylesheet][href$=\"style.css\"]", "href"),
        "/digest/style.css"
    );
}

#[test]
fn feeds_of_a_language_carry_only_that_language() {
    let (_site, out) = build_example();
    for (prefix, chinese) in [("", false), ("zh/", true)] {
        for feed in ["atom.xml", "companies/alibaba/atom.xml"] {
            let text = out.read(&out.url(&format!("{prefix}{feed}")));
            let doc = parse_xml(feed, &text);
            let entries = children(doc.root_element(), "entry");
            assert!(!entries.is_empty(), "{prefix}{feed} is empty");
            for entry in entries {
                let title = child_text(entry, "title");
                let is_chinese = title
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
                assert_eq!(is_chinese, chinese, "{prefix}{feed}: {title}");
            }
        }
        let json: serde_json::Value =
            serde_json::from_str(&out.read(&out.url(&format!("{prefix}feed.json")))).unwrap();
        for item in json["items"].as_array().unwrap() {
            let url = item["url"].as_str().unwrap();
            assert_eq!(url.contains("/digest/zh/"), chinese, "{url}");
        }
        let rss = out.read(&out.url(&format!("{prefix}rss.xml")));
        assert_eq!(rss.contains("/digest/zh/articles/"), chinese);
    }
}

#[test]
fn term_pages_list_the_stories_of_their_language() {
    let (_site, out) = build_example();
    let english = out.page(&out.url("companies/alibaba/"));
    let chinese = out.page(&out.url("zh/companies/alibaba/"));
    assert_eq!(chinese.h1(), "阿里巴巴");
    assert_eq!(english.h1(), "Alibaba");
    let stories = |page: &common::Page| -> BTreeSet<String> {
        page.attrs(".card-title a", "href").into_iter().collect()
    };
    let zh = stories(&chinese);
    assert!(
        zh.contains("/digest/zh/articles/alibaba-tongyi-qianwen/"),
        "{zh:?}"
    );
    assert!(zh.iter().all(|u| u.starts_with("/digest/zh/")), "{zh:?}");
    let en = stories(&english);
    assert!(en.contains("/digest/articles/alibaba-tongyi-qianwen/"));
    assert!(en.contains("/digest/articles/alibaba-open-sources-qwen-7b/"));
    assert!(en.iter().all(|u| !u.starts_with("/digest/zh/")), "{en:?}");
    // The measures: 《…》 in Chinese, their four translated stories there.
    let measures = out.page(&out.url("zh/regulations/china-genai-measures/"));
    assert_eq!(measures.h1(), "《生成式人工智能服务管理暂行办法》");
    assert_eq!(stories(&measures).len(), 4, "{:?}", stories(&measures));
    // The Chinese home is a front page of its own.
    let home = out.page(&out.url("zh/"));
    assert_eq!(home.h1(), "科技政策文摘");
    assert_eq!(stories(&home).len(), 4);
    assert!(home.text(".site-nav").contains("首页"));
}

#[test]
fn sitemap_lists_alternates() {
    let (_site, out) = build_example();
    let text = out.read(&out.url("sitemap.xml"));
    let doc = parse_xml("sitemap.xml", &text);
    let urls = children(doc.root_element(), "url");
    let zh_article = out.permalink("zh/articles/alibaba-tongyi-qianwen/");
    let entry = urls
        .iter()
        .find(|u| child_text(**u, "loc") == zh_article)
        .expect("the Chinese article is in the sitemap");
    let links: BTreeSet<(String, String)> = entry
        .children()
        .filter(|c| c.tag_name().name() == "link")
        .map(|c| {
            (
                c.attribute("hreflang").unwrap_or_default().to_string(),
                c.attribute("href").unwrap_or_default().to_string(),
            )
        })
        .collect();
    let en = out.permalink("articles/alibaba-tongyi-qianwen/");
    assert!(links.contains(&("en".into(), en.clone())), "{links:?}");
    assert!(links.contains(&("zh-Hans".into(), zh_article.clone())));
    assert!(links.contains(&("x-default".into(), en)));
}

#[test]
fn mentions_are_found_by_any_of_a_terms_names() {
    let site = example_copy();
    // A Chinese story that names Tencent only in its text, in Chinese.
    site.write(
        "content/articles/2023-09-20-note.zh.md",
        "+++\ntitle = \"短讯\"\ndate = 2023-09-20\ncompanies = [\"百度\"]\n+++\n腾讯也在开发自己的模型。\n",
    );
    let out = site.build_ok(&[]);
    let tencent = out.page(&out.url("zh/companies/tencent/"));
    let mentioned = tencent.attrs("#mentioned ~ * a, #mentioned + * a", "href");
    assert!(
        mentioned.iter().any(|u| u.ends_with("/zh/articles/note/")),
        "{mentioned:?}"
    );
    // Filed by its Chinese name, the story is on Baidu's Chinese page, and nowhere in English.
    let baidu = out.page(&out.url("zh/companies/baidu/"));
    assert!(
        baidu
            .attrs(".card-title a", "href")
            .iter()
            .any(|u| u.ends_with("/zh/articles/note/"))
    );
    out.assert_missing(&out.url("articles/note/"));
}

#[test]
fn new_with_lang_writes_the_translation_beside_the_original() {
    let site = example_copy();
    let run = site.run(&["new", "--lang", "zh", "alibaba-open-sources-qwen-7b"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let written = "content/articles/2023-08-03-alibaba-open-sources-qwen-7b.zh.md";
    assert_eq!(run.stdout.trim(), written);
    let text = std::fs::read_to_string(site.path(written)).unwrap();
    assert!(text.contains("date = 2023-08-03"), "{text}");
    assert!(text.contains("draft = true"), "{text}");
    assert!(text.contains("name = \"Digest staff\""), "{text}");
    // Once published it files itself under the original's terms.
    std::fs::write(
        site.path(written),
        text.replace("draft = true", "draft = false"),
    )
    .unwrap();
    let out = site.build_ok(&[]);
    let alibaba = out.page(&out.url("zh/companies/alibaba/"));
    assert!(
        alibaba
            .attrs(".card-title a", "href")
            .iter()
            .any(|u| u.ends_with("/zh/articles/alibaba-open-sources-qwen-7b/"))
    );
    // A language the site does not have is refused.
    site.run(&["new", "--lang", "fr", "alibaba-open-sources-qwen-7b"])
        .failure()
        .stderr_has("[languages.fr]");
}

#[test]
fn check_reports_missing_originals_and_stale_translations() {
    let site = example_copy();
    site.remove("content/articles/2023-08-31-baidu-ernie-bot-opens-to-public.md");
    let tencent = "content/articles/2023-09-07-tencent-unveils-hunyuan.md";
    let text = std::fs::read_to_string(site.path(tencent)).unwrap();
    site.write(
        tencent,
        &text.replace(
            "date = 2023-09-07\n",
            "date = 2023-09-07\nupdated = 2023-09-10\n",
        ),
    );
    let run = site.run(&["check"]);
    let missing =
        run.block("warning: content/articles/2023-08-31-baidu-ernie-bot-opens-to-public.zh.md:");
    assert!(
        missing.message.contains("a `zh` translation of"),
        "{missing:?}"
    );
    missing.has_hint();
    let stale = run.block("warning: content/articles/2023-09-07-tencent-unveils-hunyuan.zh.md:");
    assert!(
        stale.message.contains("was updated 2023-09-10"),
        "{stale:?}"
    );
    let json = site.run(&["check", "--format", "json"]);
    assert!(json.stdout.contains("stale-translation"), "{}", json.stdout);
    assert!(json.stdout.contains("missing-original"), "{}", json.stdout);
}

#[test]
fn a_long_chinese_first_paragraph_is_cut_by_characters_in_the_description() {
    let site = example_copy();
    let paragraph = "监管".repeat(100);
    site.write(
        "content/articles/2023-09-21-long.zh.md",
        &format!("+++\ntitle = \"长文\"\ndate = 2023-09-21\n+++\n{paragraph}\n"),
    );
    let out = site.build_ok(&[]);
    let page = out.page(&out.url("zh/articles/long/"));
    let description = page.attr("meta[name=description]", "content");
    assert_eq!(description, format!("{}…", "监管".repeat(60)));
}

/// Every relative `href`/`src` of a page's HTML, resolved from the file's folder.
fn relative_targets(file: &std::path::Path, html: &str) -> Vec<(String, std::path::PathBuf)> {
    let page = scraper::Html::parse_document(html);
    let dir = file.parent().unwrap();
    let mut found = Vec::new();
    for attr in ["href", "src"] {
        let selector = common::selector(&format!("[{attr}]"));
        for element in page.select(&selector) {
            let value = element.value().attr(attr).unwrap_or_default();
            let leaves = value.contains("://")
                || value.starts_with('/')
                || value.starts_with('#')
                || value.starts_with("mailto:")
                || value.starts_with("data:");
            if leaves || value.is_empty() {
                continue;
            }
            let path = value.split(['#', '?']).next().unwrap_or_default();
            found.push((value.to_string(), dir.join(common::percent_decode(path))));
        }
    }
    found
}

#[test]
fn a_relative_build_links_chinese_pages_to_files_that_exist() {
    let site = Site::example();
    site.build(&["--relative"]).success();
    let zh = site.out.join("zh");
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&zh).into_iter().flatten() {
        let file = entry.path();
        let name = file.file_name().unwrap_or_default().to_string_lossy();
        // Editions' emails are messages, with absolute links for mail clients.
        if !name.ends_with(".html") || name == "email.html" {
            continue;
        }
        let html = std::fs::read_to_string(file).unwrap();
        let page = scraper::Html::parse_document(&html);
        let sheets: Vec<&str> = page
            .select(&common::selector("link[rel=stylesheet]"))
            .filter_map(|l| l.value().attr("href"))
            .collect();
        assert!(!sheets.is_empty(), "{}", file.display());
        for sheet in sheets {
            assert!(
                !sheet.starts_with('/'),
                "{}: {sheet} is not relative",
                file.display()
            );
        }
        for (value, target) in relative_targets(file, &html) {
            assert!(
                target.is_file(),
                "{}: {value} leads to {}, which does not exist",
                file.display(),
                target.display()
            );
            checked += 1;
        }
    }
    assert!(checked > 500, "only {checked} links checked");
    // A Chinese page reaches the English one, and the English one the Chinese.
    let article = site
        .out
        .join("zh/articles/alibaba-tongyi-qianwen/index.html");
    let html = std::fs::read_to_string(&article).unwrap();
    let page = scraper::Html::parse_document(&html);
    let switch: Vec<&str> = page
        .select(&common::selector(".language-switcher a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(
        switch,
        ["../../../articles/alibaba-tongyi-qianwen/index.html"]
    );
}

#[test]
fn aliases_of_translations_redirect_like_the_default_languages() {
    let site = example_copy();
    let path = "content/articles/2023-09-15-alibaba-tongyi-qianwen.zh.md";
    let text = std::fs::read_to_string(site.path(path)).unwrap();
    let with_aliases = text.replacen(
        "date = 2023-09-15\n",
        "date = 2023-09-15\naliases = [\"/zh/2023/09/15/tongyi.html\", \"/old-zh/tongyi/\"]\n",
        1,
    );
    site.write(path, &with_aliases);
    let out = site.build_ok(&[]);
    let target = out.permalink("zh/articles/alibaba-tongyi-qianwen/");
    for old in ["zh/2023/09/15/tongyi.html", "old-zh/tongyi/"] {
        let page = out.page(&out.url(old));
        assert_eq!(page.attr("link[rel=canonical]", "href"), target, "{old}");
        let refresh = page.attr("meta[http-equiv=refresh]", "content");
        assert_eq!(refresh, format!("0; url={target}"));
        assert_eq!(
            page.attr("a", "href"),
            out.url("zh/articles/alibaba-tongyi-qianwen/")
        );
        // In the translation's language.
        assert_eq!(page.attr("html", "lang"), "zh-Hans", "{old}");
    }
    let redirects = out.read(&out.url("_redirects"));
    for line in [
        "/digest/zh/2023/09/15/tongyi.html /digest/zh/articles/alibaba-tongyi-qianwen/ 301",
        "/digest/old-zh/tongyi/ /digest/zh/articles/alibaba-tongyi-qianwen/ 301",
    ] {
        assert!(
            redirects.lines().any(|l| l == line),
            "{line} in\n{redirects}"
        );
    }

    // An alias may not take a page of either language, nor an alias of the other.
    for (aliases, message) in [
        (
            "[\"/zh/articles/tencent-unveils-hunyuan/\"]",
            "alias /zh/articles/tencent-unveils-hunyuan/ is the URL of content/articles/2023-09-07-tencent-unveils-hunyuan.zh.md",
        ),
        (
            "[\"/articles/tencent-unveils-hunyuan/\"]",
            "alias /articles/tencent-unveils-hunyuan/ is the URL of content/articles/2023-09-07-tencent-unveils-hunyuan.md",
        ),
        (
            "[\"/zh/companies/\"]",
            "alias /zh/companies/ is a page the site writes itself",
        ),
    ] {
        site.write(
            path,
            &text.replacen(
                "date = 2023-09-15\n",
                &format!("date = 2023-09-15\naliases = {aliases}\n"),
                1,
            ),
        );
        let run = site.build(&[]);
        run.failure();
        let error = run.block(&format!("error: {path}:"));
        assert_eq!(error.message, message, "{run}");
    }
}

#[test]
fn check_looks_at_translations_as_it_looks_at_articles() {
    let site = example_copy();
    let enterprise = "content/articles/2023-08-28-openai-chatgpt-enterprise.zh.md";
    site.write(
        enterprise,
        concat!(
            "+++\ntitle = \"OpenAI 推出 ChatGPT 企业版\"\ndate = 2023-08-28\nsummary = \"\"\n",
            "companies = [\"Open AI\"]\nimage = \"/favicon.svg\"\n",
            "[source]\nname = \"报道\"\nurl = \"https://example.org/chatgpt-enterprise?utm_source=feed\"\n",
            "+++\n腾讯也在关注。见[旧文](/zh/articles/nope/)与[另一篇](nope.zh.md)。\n",
        ),
    );
    // Two Chinese stories from one source; an English one shares it with its translation.
    let dma = "content/articles/2023-09-06-eu-dma-gatekeepers.zh.md";
    site.write(
        dma,
        concat!(
            "+++\ntitle = \"欧盟认定六家守门人\"\ndate = 2023-09-06\n",
            "[source]\nname = \"报道\"\nurl = \"https://example.org/chatgpt-enterprise\"\n",
            "+++\n正文。\n",
        ),
    );
    let run = site.run(&["check", "--format", "json"]);
    let problems: Vec<serde_json::Value> =
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout));
    let codes = |file: &str| -> BTreeSet<String> {
        problems
            .iter()
            .filter(|p| p["file"] == file)
            .map(|p| p["code"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    let found = codes(enterprise);
    for code in [
        "unfinished",
        "missing-alt",
        "tracking-parameter",
        "term-spelling",
        "unfiled-mention",
        "broken-link",
    ] {
        assert!(found.contains(code), "{code} of {enterprise}: {found:?}");
    }
    // Both broken links: the one to no page, the one to no article.
    let broken = problems
        .iter()
        .filter(|p| p["file"] == enterprise && p["code"] == "broken-link")
        .count();
    assert_eq!(broken, 2, "{problems:#?}");
    assert!(codes(dma).contains("duplicate-source"), "{problems:#?}");
    // A translation shares its original's source, and shows its image: neither is a problem.
    assert!(
        !codes("content/articles/2023-08-28-openai-chatgpt-enterprise.md")
            .contains("duplicate-source")
    );
    assert!(
        problems
            .iter()
            .filter(|p| p["code"] == "missing-alt")
            .all(|p| p["file"] == enterprise),
        "{problems:#?}"
    );
}

/// The literal words of the English string table: each value cut at its `{placeholders}`,
/// the pieces of four characters or more that say something (no date formats), and that the
/// Chinese table does not use as well (`Atom`).
fn english_theme_words() -> Vec<String> {
    let table = |path: &str| -> toml::Table {
        std::fs::read_to_string(common::repo_root().join(path))
            .unwrap()
            .parse()
            .unwrap()
    };
    let (en, zh) = (table("i18n/en.toml"), table("i18n/zh.toml"));
    let chinese: Vec<&str> = zh.values().filter_map(|v| v.as_str()).collect();
    let mut words = BTreeSet::new();
    for value in en.values().filter_map(|v| v.as_str()) {
        if value.contains('%') {
            continue;
        }
        let mut rest = value;
        while !rest.is_empty() {
            let (piece, after) = match rest.find('{') {
                Some(open) => {
                    let close = rest[open..].find('}').map_or(rest.len(), |c| open + c + 1);
                    (&rest[..open], &rest[close..])
                }
                None => (rest, ""),
            };
            let piece = piece.trim().trim_end_matches([':', ',', '.']);
            if piece.chars().count() >= 4
                && piece.chars().any(|c| c.is_ascii_alphabetic())
                && !chinese.iter().any(|z| z.contains(piece))
            {
                words.insert(piece.to_string());
            }
            rest = after;
        }
    }
    words.into_iter().collect()
}

/// What a reader of a page sees or hears: its text (no scripts, no language switcher, which
/// speaks the other language on purpose) and its labels, titles, alt texts and descriptions.
fn readable(html: &str) -> Vec<String> {
    let page = scraper::Html::parse_document(html);
    let mut found = Vec::new();
    for node in page.root_element().descendants() {
        let inside = |names: &[&str], class: &str| {
            node.ancestors().any(|a| {
                a.value()
                    .as_element()
                    .is_some_and(|e| names.contains(&e.name()) || e.classes().any(|c| c == class))
            })
        };
        if let Some(text) = node.value().as_text() {
            if inside(&["noscript"], "") {
                // Parsed as raw text (scripting on): its words, without the markup.
                found.push(
                    scraper::Html::parse_fragment(text)
                        .root_element()
                        .text()
                        .collect(),
                );
            } else if !inside(&["script", "style"], "language-switcher") && !text.trim().is_empty()
            {
                found.push(text.trim().to_string());
            }
        } else if let Some(element) = node.value().as_element() {
            if inside(&[], "language-switcher") {
                continue;
            }
            for attr in ["title", "aria-label", "alt", "placeholder", "content"] {
                if let Some(value) = element.attr(attr)
                    && (attr != "content" || element.name() == "meta")
                    && !value.contains("://")
                {
                    found.push(value.to_string());
                }
            }
        }
    }
    found
}

#[test]
fn chinese_pages_and_feeds_say_nothing_in_the_themes_english() {
    let (_site, out) = build_example();
    let words = english_theme_words();
    assert!(words.iter().any(|w| w == "Previous edition"), "{words:?}");
    let zh = out.dir.join("zh");
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&zh).into_iter().flatten() {
        let file = entry.path();
        let name = file.file_name().unwrap_or_default().to_string_lossy();
        let text = match file.extension().and_then(|e| e.to_str()) {
            // Pages, and the editions' emails (both parts) too.
            Some("html") => readable(&std::fs::read_to_string(file).unwrap()),
            // The plain-text part without its list of links (URLs carry English words).
            Some("txt") => std::fs::read_to_string(file)
                .unwrap()
                .lines()
                .filter(|line| !line.starts_with('['))
                .map(|line| line.split(" [").next().unwrap_or(line).to_string())
                .collect(),
            // What feed readers show: titles, descriptions, summaries (an editions feed's
            // content may be the editions' emails, which are not the theme's).
            Some("xml") => {
                let feed = std::fs::read_to_string(file).unwrap();
                let doc = parse_xml(&name, &feed);
                doc.descendants()
                    .filter(|n| {
                        ["title", "subtitle", "summary", "description", "name"]
                            .contains(&n.tag_name().name())
                    })
                    .filter_map(|n| n.text().map(str::to_string))
                    .collect()
            }
            Some("json") => {
                let feed: serde_json::Value =
                    serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
                let mut said = vec![feed["title"].to_string(), feed["description"].to_string()];
                for item in feed["items"].as_array().into_iter().flatten() {
                    said.push(item["title"].to_string());
                    said.push(item["summary"].to_string());
                }
                said
            }
            _ => continue,
        };
        checked += 1;
        for piece in &text {
            for word in &words {
                assert!(
                    !piece.contains(word.as_str()),
                    "{}: {word:?} in {piece:?}",
                    file.display()
                );
            }
        }
    }
    assert!(checked > 60, "only {checked} files");
    // The profile's translation: its summary, status and timeline in Chinese.
    let measures = out.page(&out.url("zh/regulations/china-genai-measures/"));
    let profile = measures.texts(".profile dd");
    assert!(
        profile.contains(&"中国".to_string()) && profile.contains(&"施行中".to_string()),
        "{profile:?}"
    );
    assert!(measures.text(".lede").starts_with("中国针对"));
    assert!(measures.text(".timeline").contains("正式施行"));
    assert!(measures.text(".term-description").contains("《暂行办法》"));
    // The English page keeps the English profile.
    let english = out.page(&out.url("regulations/china-genai-measures/"));
    assert!(english.text(".lede").starts_with("China's rules"));
    assert!(english.text(".timeline").contains("Takes effect"));
    // The footer from [languages.zh.extra], the chart in Chinese.
    let alibaba = out.page(&out.url("zh/companies/alibaba/"));
    assert!(alibaba.text(".footer-extra").starts_with("科技政策文摘是"));
    assert_eq!(
        alibaba.attr(".coverage-chart", "aria-label"),
        "阿里巴巴：2023年9月至2023年9月，1 篇报道"
    );
    let home = out.page(&out.url(""));
    assert!(
        home.text(".footer-extra")
            .starts_with("Tech Policy Digest is")
    );
}

#[test]
fn a_sites_own_strings_and_profile_translations_reach_every_page() {
    let site = example_copy();
    site.write(
        "i18n/zh.toml",
        "edition_week = \"第 {number} 周（{year}）\"\ntaxonomy_tags = \"话题\"\nmatrix_lede = \"矩阵说明。\"\n",
    );
    // A translation may name the term, and give its own aliases.
    site.write(
        "content/companies/openai.zh.md",
        "+++\nname = \"开放人工智能\"\naliases = [\"OpenAI 公司\"]\nsummary = \"美国人工智能公司。\"\n+++\n",
    );
    site.write(
        "content/companies/nobody.zh.md",
        "+++\nsummary = \"无人。\"\n+++\n",
    );
    let run = site.build(&[]);
    run.success();
    let missing = run.block("warning: content/companies/nobody.zh.md:");
    assert!(
        missing
            .message
            .contains("translation of the profile content/companies/nobody.md"),
        "{missing:?}"
    );
    let out = site.output();
    let edition = out.page(&out.url("zh/editions/2023-w37/"));
    assert_eq!(edition.h1(), "第 37 周（2023）");
    let feed = out.read(&out.url("zh/editions/atom.xml"));
    assert!(feed.contains("<title>第 37 周（2023）</title>"), "{feed}");
    assert!(out.page(&out.url("zh/")).text(".site-nav").contains("话题"));
    assert_eq!(out.page(&out.url("zh/matrix/")).text(".lede"), "矩阵说明。");
    let openai = out.page(&out.url("zh/companies/openai/"));
    assert_eq!(openai.h1(), "开放人工智能");
    assert_eq!(openai.text(".lede"), "美国人工智能公司。");
    // Its description is the original's: the translation gives none.
    assert!(openai.text(".term-description").contains("ChatGPT"));
    // The English page keeps the English name and lists the Chinese ones as other names.
    let english = out.page(&out.url("companies/openai/"));
    assert_eq!(english.h1(), "OpenAI");
    assert!(english.text(".aliases").contains("开放人工智能"));
    assert!(english.text(".aliases").contains("OpenAI 公司"));
    // Nothing of the English site changed its words.
    assert_eq!(
        out.page(&out.url("editions/2023-w37/")).h1(),
        "Week 37, 2023"
    );
    // A string table is an input of the build like content: edited alone, it is rebuilt.
    site.write("i18n/zh.toml", "matrix_lede = \"新的说明。\"\n");
    let out = site.build_ok(&[]);
    assert_eq!(out.page(&out.url("zh/matrix/")).text(".lede"), "新的说明。");
}
