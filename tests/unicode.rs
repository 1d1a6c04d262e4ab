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
    let site = site(&[("2024-01-02-list", "title = \"List\"\ndate = 2024-01-02", body)]);
    let (code, stderr) = build(&site, &[], &[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(mentioned_in(&output(&site), "alibaba"), ["List"]);
}

/// A panic forced while `stage` handles `x.md` fails the build with exit 1 and a message naming
/// the file, and leaves the previous output as it was.
fn assert_contained(stage: &str) {
    let site = site(&[
        ("2024-01-02-x", "title = \"X\"\ndate = 2024-01-02", "Text.\n"),
        ("2024-01-03-y", "title = \"Y\"\ndate = 2024-01-03", "More.\n"),
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
    assert!(!stderr.contains("panicked at"), "the panic stays quiet: {stderr}");
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
