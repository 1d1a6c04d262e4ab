//! Terms end to end: names that only look alike stay apart in the build, in `digest check` (and
//! `--fix`) and in `digest new`, because all of them use one merge key; and `possible-typo`.

mod common;

use std::fs;

use common::{Run, Site};

const SITE_TOML: &str = r#"title = "Terms"
base_url = "https://example.com"
taxonomies = ["companies", "regulations", "tags"]
"#;

/// An article dated `date` with the given tags and companies.
fn article(title: &str, date: &str, tags: &[&str], companies: &[&str]) -> String {
    let list = |names: &[&str]| {
        names
            .iter()
            .map(|n| format!("{n:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "+++\ntitle = {title:?}\ndate = {date}\nsummary = \"About {title}.\"\ntags = [{}]\ncompanies = [{}]\n+++\nThe story of {title}.\n",
        list(tags),
        list(companies)
    )
}

/// The site of issue 19: one article each on C++, C# and C.
fn languages_site() -> Site {
    let site = Site::empty();
    site.write("site.toml", SITE_TOML);
    site.write(
        "content/articles/2024-05-01-cpp.md",
        &article("Cpp news", "2024-05-01", &["C++"], &[]),
    );
    site.write(
        "content/articles/2024-05-02-csharp.md",
        &article("Csharp news", "2024-05-02", &["C#"], &[]),
    );
    site.write(
        "content/articles/2024-05-03-c.md",
        &article("C news", "2024-05-03", &["C"], &[]),
    );
    site
}

#[track_caller]
fn ok(run: Run) -> Run {
    assert_eq!(run.code, Some(0), "expected success\n{run}");
    run
}

#[test]
fn cpp_csharp_and_c_are_three_terms_with_their_own_pages_and_chips() {
    let site = languages_site();
    let out = site.build_ok(&[]);
    for (slug, name) in [("c-plus-plus", "C++"), ("c-sharp", "C#"), ("c", "C")] {
        let page = out.page(&out.url(&format!("tags/{slug}/")));
        assert_eq!(page.h1(), name, "tags/{slug}/");
        assert_eq!(
            page.article_titles().len(),
            1,
            "tags/{slug}/ lists one article"
        );
    }
    for (article, name, slug) in [
        ("cpp", "C++", "c-plus-plus"),
        ("csharp", "C#", "c-sharp"),
        ("c", "C", "c"),
    ] {
        let page = out.page(&out.url(&format!("articles/{article}/")));
        let chips: Vec<(String, String)> = page
            .main_links()
            .into_iter()
            .filter(|(_, href)| href.starts_with("/tags/") && href != "/tags/")
            .collect();
        assert_eq!(
            chips,
            [(name.to_string(), out.url(&format!("tags/{slug}/")))],
            "the chips of {article}"
        );
    }
    // The home page's cards carry the same chips.
    let home = out.page(&out.url(""));
    let chips = home.texts(".card .chip");
    for name in ["C++", "C#", "C"] {
        assert_eq!(
            chips.iter().filter(|c| c.as_str() == name).count(),
            1,
            "{chips:?}"
        );
    }
}

#[test]
fn check_and_fix_leave_cpp_csharp_and_c_apart() {
    let site = languages_site();
    let read = || -> Vec<String> {
        ["2024-05-01-cpp", "2024-05-02-csharp", "2024-05-03-c"]
            .iter()
            .map(|a| fs::read_to_string(site.path(&format!("content/articles/{a}.md"))).unwrap())
            .collect()
    };
    let before = read();
    let run = ok(site.run(&["check"]));
    assert!(
        !run.stderr.contains("term-spelling") && !run.stderr.contains("spelled differently"),
        "{run}"
    );
    let run = ok(site.run(&["check", "--fix"]));
    assert!(!run.stdout.contains('→'), "--fix changed nothing\n{run}");
    assert_eq!(before, read(), "check --fix left every file as it was");
}

#[test]
fn spellings_that_differ_by_case_spaces_and_hyphens_are_still_one_term() {
    let site = Site::empty();
    site.write("site.toml", SITE_TOML);
    for (i, name) in ["OpenAI", "OpenAI", "Open AI", "open-ai"]
        .iter()
        .enumerate()
    {
        site.write(
            &format!("content/articles/2024-05-0{}-a{i}.md", i + 1),
            &article(
                &format!("Story {i}"),
                &format!("2024-05-0{}", i + 1),
                &[],
                &[name],
            ),
        );
    }
    let out = site.build_ok(&[]);
    let page = out.page(&out.url("companies/openai/"));
    assert_eq!(page.h1(), "OpenAI");
    assert_eq!(page.article_titles().len(), 4);

    let run = ok(site.run(&["check", "--fix"]));
    assert!(run.stdout.contains("\"Open AI\" → \"OpenAI\""), "{run}");
    assert!(run.stdout.contains("\"open-ai\" → \"OpenAI\""), "{run}");
    let fixed = fs::read_to_string(site.path("content/articles/2024-05-04-a3.md")).unwrap();
    assert!(fixed.contains("companies = [\"OpenAI\"]"), "{fixed}");
}

#[test]
fn new_writes_the_term_it_was_given() {
    let site = languages_site();
    let run = ok(site.run(&[
        "new",
        "Csharp 13 ships",
        "--tag",
        "C#",
        "--date",
        "2024-05-04",
    ]));
    let path = run.stdout.trim();
    let text = fs::read_to_string(site.path(path)).unwrap();
    assert!(text.contains("tags = [\"C#\"]"), "{text}");
    let run = ok(site.run(&["new", "Cpp 26", "--tag", "c++", "--date", "2024-05-04"]));
    let text = fs::read_to_string(site.path(run.stdout.trim())).unwrap();
    assert!(
        text.contains("tags = [\"C++\"]"),
        "c++ is written as the site writes it\n{text}"
    );
}
