//! End-to-end tests of issue 12 item 1 (no input makes digest panic; a panic in one file is an
//! error naming it), issue 14 item 4 (mentions found in every prose pulldown-cmark sees) and the
//! link rules of issue 12 item 9 and issue 19 item 2. Commands run from inside the site folder
//! with relative paths, as users type them.

mod common;

use std::path::Path;
use std::process::Command;

use common::{DIGEST, Output, Site, text_of};

const SITE_TOML: &str = r#"title = "Unicode"
base_url = "https://example.com/digest"
language = "en"
taxonomies = ["companies", "tags"]

[entities]
scan = ["companies"]
"#;

/// A site with an Alibaba profile and `articles`: (file stem, front matter lines, body).
fn site(articles: &[(&str, &str, &str)]) -> Site {
    let site = Site::empty();
    site.write("site.toml", SITE_TOML);
    site.write(
        "content/companies/alibaba.md",
        "+++\nname = \"Alibaba\"\naliases = [\"阿里巴巴\", \"Ant Group\"]\n+++\nChinese e-commerce company.\n",
    );
    for (stem, front, body) in articles {
        site.write(
            &format!("content/articles/{stem}.md"),
            &format!("+++\n{front}\n+++\n{body}"),
        );
    }
    site
}

/// `digest build --output ../out <args>` from inside the site folder, with `env` set.
fn build(site: &Site, args: &[&str], env: &[(&str, &str)]) -> (Option<i32>, String) {
    let mut command = Command::new(DIGEST);
    command
        .args(["build", "--output", "../out"])
        .args(args)
        .current_dir(&site.root)
        .env("NO_COLOR", "1")
        .env_remove("DIGEST_FORCE_PANIC");
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().expect("run digest");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn output(site: &Site) -> Output {
    Output::new(&site.tmp().join("out"), "https://example.com/digest")
}

/// Titles listed under the term page's "Also mentioned in" section.
fn mentioned_in(out: &Output, term: &str) -> Vec<String> {
    let page = out.page(&out.url(&format!("companies/{term}/")));
    let h2 = common::selector("h2");
    let a = common::selector("a");
    page.select("main section")
        .into_iter()
        .filter(|s| {
            s.select(&h2)
                .next()
                .is_some_and(|h| text_of(h) == "Also mentioned in")
        })
        .flat_map(|s| s.select(&a).map(text_of).collect::<Vec<_>>())
        .collect()
}

#[test]
fn a_no_break_space_next_to_a_company_name_builds_and_files_the_mention() {
    // The crash of issue 12: U+00A0 before "Alibaba" made the URL check slice inside it.
    let site = site(&[
        (
            "2024-01-02-nbsp",
            "title = \"Markets\"\ndate = 2024-01-02",
            "Shares of\u{a0}Alibaba rose,\u{3000}Ant Group\u{2028}too.\n",
        ),
        (
            "2024-01-03-cjk",
            "title = \"CJK\"\ndate = 2024-01-03",
            "今天\u{3000}阿里巴巴发布了模型。👩\u{200d}💻 e\u{301} שלום\n",
        ),
    ]);
    let (code, stderr) = build(&site, &[], &[]);
    assert_eq!(code, Some(0), "{stderr}");
    let mut titles = mentioned_in(&output(&site), "alibaba");
    titles.sort();
    assert_eq!(titles, ["CJK", "Markets"]);
}

#[test]
fn an_indented_paragraph_inside_a_list_item_is_prose() {
    // Four spaces after a blank line inside a list item continue the item: pulldown-cmark reads
    // a paragraph, not code, and so does mention detection now.
    let body = "- First point\n\n    Alibaba said so in a second paragraph.\n";
    let site = site(&[(
        "2024-01-02-list",
        "title = \"List\"\ndate = 2024-01-02",
        body,
    )]);
    let (code, stderr) = build(&site, &[], &[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(mentioned_in(&output(&site), "alibaba"), ["List"]);
}

/// A panic forced while `stage` handles `x.md` fails the build with exit 1 and a message naming
/// the file, and leaves the previous output as it was.
fn assert_contained(stage: &str) {
    let site = site(&[
        (
            "2024-01-02-x",
            "title = \"X\"\ndate = 2024-01-02",
            "Text.\n",
        ),
        (
            "2024-01-03-y",
            "title = \"Y\"\ndate = 2024-01-03",
            "More.\n",
        ),
    ]);
    let (code, stderr) = build(&site, &[], &[]);
    assert_eq!(code, Some(0), "{stderr}");
    let out_dir = site.tmp().join("out");
    let before = common::snapshot(&out_dir);

    site.write(
        "content/articles/2024-01-03-y.md",
        "+++\ntitle = \"Y2\"\ndate = 2024-01-03\n+++\nChanged.\n",
    );
    let spec = format!("{stage}:2024-01-02-x.md");
    let (code, stderr) = build(&site, &[], &[("DIGEST_FORCE_PANIC", &spec)]);
    assert_eq!(code, Some(1), "{stderr}");
    let expected = format!(
        "internal error while reading {}: forced by DIGEST_FORCE_PANIC={spec}; please report it",
        Path::new("content/articles/2024-01-02-x.md").display()
    );
    assert!(stderr.contains(&expected), "{stderr}");
    assert!(
        !stderr.contains("panicked at"),
        "the panic stays quiet: {stderr}"
    );
    assert!(!stderr.contains("RUST_BACKTRACE"), "{stderr}");
    common::assert_same_tree(&before, &common::snapshot(&out_dir), "a failed build");
}

#[test]
fn a_panic_while_reading_a_file_is_an_error_naming_it() {
    assert_contained("read");
}

#[test]
fn a_panic_while_rendering_a_body_is_an_error_naming_it() {
    assert_contained("render");
}

#[test]
fn body_links_go_under_the_base_path_are_encoded_and_relative_builds_rewrite_every_url() {
    let body = concat!(
        "![chart](/images/x.png) [AI](/tags/ai/) [odd](<https://e.com/a^b c|d%20é>)\n\n",
        "<img src=/images/u.png srcset=\"/images/a.png 1x, /images/b.png 2x\" alt=\"a\">\n",
        "<video poster=\"/images/v.jpg\" src=\"/media/v.mp4\"></video>\n",
        "<svg><a href=\"/tags/ai/\"><text>t</text></a><use xlink:href=\"/icons.svg#i\"/></svg>\n",
    );
    let site = site(&[(
        "2024-01-02-links",
        "title = \"Links\"\ndate = 2024-01-02\ntags = [\"AI\"]",
        body,
    )]);
    let toml = std::fs::read_to_string(site.path("site.toml")).unwrap();
    site.write(
        "site.toml",
        &format!("{toml}\n[markdown]\nunsafe_html = true\n"),
    );

    // A plain build: root-relative URLs of the body carry the base path; URLs are encoded.
    let (code, stderr) = build(&site, &[], &[]);
    assert_eq!(code, Some(0), "{stderr}");
    let out = output(&site);
    let page = out.page(&out.url("articles/links/"));
    assert_eq!(
        page.attr("main article img[alt=chart]", "src"),
        "/digest/images/x.png"
    );
    let hrefs = page.attrs("main article a", "href");
    assert!(hrefs.contains(&"/digest/tags/ai/".to_string()), "{hrefs:?}");
    assert!(
        hrefs.contains(&"https://e.com/a%5Eb%20c%7Cd%20%C3%A9".to_string()),
        "{hrefs:?}"
    );
    // Raw HTML is the author's: written as is.
    assert_eq!(page.attr("main article img[alt=a]", "src"), "/images/u.png");

    // A relative build: every URL attribute of the page, however written, is page-relative.
    site.write(
        "content/articles/2024-01-02-links.md",
        &format!(
            "+++\ntitle = \"Links\"\ndate = 2024-01-02\ntags = [\"AI\"]\n+++\n{}",
            body.replace("=\"/", "=\"/digest/")
                .replace("=/", "=/digest/")
                .replace(", /", ", /digest/")
        ),
    );
    let (code, stderr) = build(&site, &["--relative"], &[]);
    assert_eq!(code, Some(0), "{stderr}");
    let html = std::fs::read_to_string(site.tmp().join("out/articles/links/index.html")).unwrap();
    let page = scraper::Html::parse_document(&html);
    let attr = |css: &str, name: &str| -> String {
        page.select(&common::selector(css))
            .next()
            .and_then(|e| e.value().attr(name))
            .unwrap_or_else(|| panic!("no {css} [{name}] in {html}"))
            .to_string()
    };
    assert_eq!(attr("img[alt=chart]", "src"), "../../images/x.png");
    assert_eq!(attr("img[alt=a]", "src"), "../../images/u.png");
    assert_eq!(
        attr("img[alt=a]", "srcset"),
        "../../images/a.png 1x, ../../images/b.png 2x"
    );
    assert_eq!(attr("video", "poster"), "../../images/v.jpg");
    assert_eq!(attr("video", "src"), "../../media/v.mp4");
    assert_eq!(attr("svg a", "href"), "../../tags/ai/index.html");
    assert!(html.contains(r#"xlink:href="../../icons.svg#i""#), "{html}");
    // No link of the page is left pointing at the host root.
    for element in page.select(&common::selector("[href], [src]")) {
        for name in ["href", "src"] {
            if let Some(value) = element.value().attr(name) {
                assert!(
                    !value.starts_with("/digest"),
                    "{name}={value} left absolute"
                );
            }
        }
    }
}

/// Property tests over arbitrary Unicode: every text scanner accepts any input and keeps its
/// promise. Strings are built from pieces that break byte-indexing code (multi-byte spaces,
/// combining marks, ZWJ sequences, right-to-left text, emoji, CJK without spaces), names of the
/// lexicon, Markdown and HTML syntax, and arbitrary characters.
mod properties {
    use digest::check::tracking;
    use digest::content::front_matter::Format;
    use digest::content::highlight::HighlightCache;
    use digest::content::markdown::{self, Hooks, MarkdownOptions};
    use digest::content::slug;
    use digest::content::spans;
    use digest::library::mentions::{self, Lexicon};
    use digest::render::relative;
    use digest::text;
    use proptest::prelude::*;

    const HARD: &[&str] = &[
        "\u{a0}",
        "\u{3000}",
        "\u{2028}",
        "\u{2029}",
        "\u{200b}",
        "\u{200d}",
        "\u{301}",
        "\u{feff}",
        "e\u{301}",
        "👩\u{200d}💻",
        "🇨🇳",
        "שלום",
        "مرحبا",
        "\u{202e}",
        "阿里巴巴",
        "今天发布了模型",
        "ソニー",
        "삼성",
        "ß",
        "İ",
        " ",
        "\n",
        "\n\n",
        "\t",
        "    ",
        "-",
        "_",
        "'",
        "’",
        "`",
        "```\n",
        "*",
        "#",
        "[",
        "](",
        ")",
        "<",
        ">",
        "&",
        "\"",
        "%",
        "%2",
        "%zz",
        "https://",
        "www.",
        "@",
        "/",
        "?",
        "=",
        "#x",
        "<a href=\"/x\">",
        "</a>",
    ];
    const NAMES: &[&str] = &[
        "Alibaba",
        "Open AI",
        "阿里巴巴",
        "AT&T",
        "Yahoo!",
        "JD.com",
        "Société Générale",
        "Cafe\u{301} Inc",
        "Meta",
        "AI",
    ];

    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            3 => proptest::sample::select(HARD).prop_map(str::to_string),
            2 => proptest::sample::select(NAMES).prop_map(str::to_string),
            2 => "[a-zA-Z0-9]{1,8}",
            2 => any::<char>().prop_map(String::from),
        ]
    }

    fn unicode_text() -> impl Strategy<Value = String> {
        proptest::collection::vec(piece(), 0..48).prop_map(|pieces| pieces.concat())
    }

    fn lexicon() -> Lexicon {
        Lexicon::new(
            NAMES
                .iter()
                .enumerate()
                .map(|(i, n)| (n.to_string(), (0, i))),
        )
    }

    fn render(body: &str) -> markdown::Rendered {
        let cache = HighlightCache::default();
        let hooks = Hooks {
            resolve_link: &|_| None,
            highlighter: &cache,
            mention_links: None,
            base_path: "/digest",
        };
        let options = MarkdownOptions {
            smart_punctuation: true,
            highlight: false,
            unsafe_html: false,
        };
        markdown::render(body, options, hooks)
    }

    fn decode_html(text: &str) -> String {
        text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    }

    proptest! {
        // 256 cases each by default; PROPTEST_CASES=100000 for a long run.
        #![proptest_config(ProptestConfig::default())]

        /// A mention found is a real occurrence of a spelling of its term, on character
        /// boundaries, in order and without overlap.
        #[test]
        fn mentions_are_real_occurrences(text in unicode_text()) {
            let lexicon = lexicon();
            let mut last = 0;
            for m in lexicon.find(&text) {
                prop_assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
                prop_assert!(m.start >= last);
                last = m.end;
                prop_assert!(text[m.start..m.end].eq_ignore_ascii_case(NAMES[m.term.1]));
            }
            let _ = mentions::scan(&lexicon, &text, &text);
        }

        /// A name between any two whitespace characters is found, whatever is around it.
        #[test]
        fn a_name_between_spaces_is_found(
            before in unicode_text(),
            after in unicode_text(),
            space in proptest::sample::select(&[" ", "\u{a0}", "\u{3000}", "\u{2028}", "\t"][..]),
        ) {
            let before = before.replace(['/', '@', '.'], " ");
            let text = format!("{before}{space}Alibaba{space}{after}");
            let found = lexicon().find(&text);
            prop_assert!(found.iter().any(|m| m.term == (0, 0)), "{:?}", text);
        }

        /// Prose ranges are sorted, disjoint ranges of the body on character boundaries; the
        /// renderer's ids and word counts hold on any text.
        #[test]
        fn prose_and_rendering_accept_any_text(body in unicode_text()) {
            let parts = markdown::prose_parts(&body);
            let mut last = 0;
            for part in &parts {
                prop_assert!(part.start >= last && body.get(part.clone()).is_some());
                last = part.end;
            }
            let out = render(&body);
            for entry in &out.toc {
                prop_assert!(entry.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
            }
            prop_assert_eq!(out.summary_text.trim(), out.summary_text.as_str());
        }

        /// Words of two texts joined by a space add up.
        #[test]
        fn word_counts_add_up(a in unicode_text(), b in unicode_text()) {
            let joined = format!("{a} {b}");
            prop_assert_eq!(
                markdown::count_words(&joined),
                markdown::count_words(&a) + markdown::count_words(&b)
            );
        }

        /// A slug is lowercase ASCII words joined by single hyphens, and slugifying it again
        /// changes nothing.
        #[test]
        fn slugs_are_ascii_words(text in unicode_text()) {
            let s = slug::slugify(&text);
            prop_assert!(s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
            prop_assert!(!s.starts_with('-') && !s.ends_with('-') && !s.contains("--"));
            prop_assert_eq!(slug::slugify(&s), s.clone());
            let _ = slug::slug_from_file_stem(&text);
            let _ = slug::term_key(&text);
        }

        /// HTML escaping round-trips and leaves no markup character; XML escaping parses back
        /// to the text less what XML cannot carry.
        #[test]
        fn escaping_round_trips(text in unicode_text()) {
            let html = text::escape_html(&text);
            prop_assert!(!html.contains(['<', '>', '"', '\'']));
            prop_assert_eq!(decode_html(&html), text.clone());
            let xml = text::escape_xml(&text);
            let doc = format!("<a t=\"{xml}\">{xml}</a>");
            let parsed = roxmltree::Document::parse(&doc);
            prop_assert!(parsed.is_ok(), "{:?}", doc);
        }

        /// Positions: the line is one more than the newlines before the offset.
        #[test]
        fn line_col_counts(text in unicode_text(), at in 0usize..400) {
            let at = (0..=at.min(text.len())).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
            let (line, col) = text::line_col(&text, at);
            prop_assert_eq!(line, text[..at].matches('\n').count() + 1);
            prop_assert!(col >= 1);
        }

        /// A TOML or YAML literal written by `check --fix` reads back as its value, at the span
        /// the scanner reports.
        #[test]
        fn fix_spans_read_back(value in unicode_text()) {
            let literal = spans::literal(Format::Toml, spans::Style::Double, &value);
            let file = format!("+++\ntitle = {literal}\ncompanies = [{literal}, \"x\"]\n+++\nbody\n");
            let located = spans::Located::new(&file);
            prop_assert!(located.is_some());
            if let Some(located) = located {
                let title = located.entry("title").map(|e| e.strings.clone()).unwrap_or_default();
                prop_assert_eq!(title.len(), 1);
                prop_assert_eq!(&title[0].value, &value);
                prop_assert_eq!(&file[title[0].range.clone()], literal.as_str());
            }
            let yaml = spans::literal(Format::Yaml, spans::Style::Double, &value);
            let _ = spans::Located::new(&format!("---\ntitle: {yaml}\ntags: [{yaml}]\n---\n"));
        }

        /// Stripping tracking parameters removes exactly them and keeps the rest as written.
        #[test]
        fn tracking_parameters_are_removed(path in unicode_text(), value in unicode_text()) {
            let clean = |s: &str| s.replace(['?', '#', '&', '='], "");
            let (path, value) = (clean(&path), clean(&value));
            let url = format!("https://e.com/{path}?a={value}&utm_source={value}#{value}");
            let stripped = tracking::strip(&url);
            prop_assert_eq!(
                stripped,
                Some((format!("https://e.com/{path}?a={value}#{value}"), vec!["utm_source".to_string()]))
            );
        }

        /// `--relative` never panics, and leaves a page without URL attributes as it was.
        #[test]
        fn relative_rewriting_accepts_any_page(text in unicode_text()) {
            let out = relative::rewrite(&text, "articles/x/index.html", "/digest");
            let lower = text.to_ascii_lowercase();
            if !["href", "src", "poster", "action", "cite", "data"].iter().any(|n| lower.contains(n)) {
                prop_assert_eq!(out.ok(), Some(text.clone()));
            }
        }

        /// URL encoding: ASCII only, every `%` an escape, idempotent, and it decodes to what the
        /// input decodes to.
        #[test]
        fn urls_are_encoded_once(url in unicode_text()) {
            let encoded = markdown::encode_url(&url).into_owned();
            prop_assert!(encoded.is_ascii());
            let unsafe_byte = |b: u8| b.is_ascii_control() || b" \"<>\\^`{|}".contains(&b);
            prop_assert!(!encoded.bytes().any(unsafe_byte));
            let bytes = encoded.as_bytes();
            for (i, b) in bytes.iter().enumerate() {
                if *b == b'%' {
                    prop_assert!(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit) && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit));
                }
            }
            prop_assert_eq!(markdown::encode_url(&encoded).into_owned(), encoded.clone());
            prop_assert_eq!(
                percent_encoding::percent_decode_str(&encoded).decode_utf8_lossy(),
                percent_encoding::percent_decode_str(&url).decode_utf8_lossy()
            );
        }
    }
}
