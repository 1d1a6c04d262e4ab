//! The editor's everyday path (issue 19): what `digest new` writes, what `digest check` warns
//! about, and values a build refuses. Every command runs from inside the site folder.

mod common;

use std::fs;

use common::{Output, Run, Site};

const SITE_TOML: &str = r#"title = "Editor"
base_url = "https://example.com"
taxonomies = ["companies", "regulations", "tags"]
"#;

fn site() -> Site {
    let site = Site::empty();
    site.write("site.toml", SITE_TOML);
    site
}

#[track_caller]
fn ok(run: Run) -> Run {
    assert_eq!(run.code, Some(0), "expected success\n{run}");
    run
}

#[track_caller]
fn fails(run: Run) -> Run {
    assert_eq!(run.code, Some(1), "expected exit code 1\n{run}");
    run
}

/// `digest check --format json`, parsed.
#[track_caller]
fn check_json(site: &Site) -> Vec<serde_json::Value> {
    let run = site.run(&["check", "--format", "json"]);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}\n{run}"))
}

fn with_code<'a>(problems: &'a [serde_json::Value], code: &str) -> Vec<&'a serde_json::Value> {
    problems.iter().filter(|p| p["code"] == code).collect()
}

fn article(date: &str, title: &str, companies: &str, body: &str) -> String {
    format!(
        "+++\ntitle = {title:?}\ndate = {date}\nsummary = \"S.\"\ncompanies = [{companies}]\n+++\n{body}\n"
    )
}

// ---------------------------------------------------------------------------------------------
// possible-typo
// ---------------------------------------------------------------------------------------------

/// Three articles on Tencent, one on "Tencnet".
fn tencent_site() -> Site {
    let site = site();
    for day in 1..=3 {
        site.write(
            &format!("content/articles/2024-05-0{day}-t{day}.md"),
            &article(
                &format!("2024-05-0{day}"),
                &format!("Tencent story {day}"),
                "\"Tencent\"",
                "Games.",
            ),
        );
    }
    site.write(
        "content/articles/2024-05-04-typo.md",
        &article(
            "2024-05-04",
            "Typo story",
            "\"Tencnet\"",
            "Tencent said on Monday that it would open its model.",
        ),
    );
    site
}

#[test]
fn check_reports_a_rare_name_close_to_an_established_one() {
    let site = tencent_site();
    let problems = check_json(&site);
    let typos = with_code(&problems, "possible-typo");
    assert_eq!(typos.len(), 1, "{problems:#?}");
    let typo = typos[0];
    assert_eq!(typo["file"], "content/articles/2024-05-04-typo.md");
    assert_eq!(typo["line"], 5);
    assert_eq!(typo["suggestion"], "Tencent");
    let message = typo["message"].as_str().unwrap();
    assert!(
        message.contains("\"Tencnet\" (1 article)") && message.contains("\"Tencent\" (3 articles)"),
        "{message}"
    );
    // `new` says the same about the same name.
    let run = ok(site.run(&[
        "new",
        "More",
        "--company",
        "Tencnet",
        "--date",
        "2024-05-05",
    ]));
    assert!(run.stderr.contains("did you mean Tencent?"), "{run}");
}

#[test]
fn the_unfiled_mention_hint_corrects_a_misspelling_instead_of_copying_it() {
    let site = tencent_site();
    let problems = check_json(&site);
    let unfiled = with_code(&problems, "unfiled-mention");
    assert_eq!(unfiled.len(), 1, "{problems:#?}");
    assert_eq!(unfiled[0]["suggestion"], "companies = [\"Tencent\"]");
    assert!(
        !unfiled[0]["hint"].as_str().unwrap().contains("Tencnet"),
        "{:#?}",
        unfiled[0]
    );
}

#[test]
fn distinct_short_names_are_not_typos() {
    let site = site();
    for day in 1..=3 {
        site.write(
            &format!("content/articles/2024-05-0{day}-m{day}.md"),
            &article(
                &format!("2024-05-0{day}"),
                &format!("M{day}"),
                "\"Meta\"",
                "X.",
            ),
        );
    }
    site.write(
        "content/articles/2024-05-04-x.md",
        &article("2024-05-04", "X", "\"Meta2\", \"Mets\"", "X."),
    );
    let problems = check_json(&site);
    assert!(
        with_code(&problems, "possible-typo").is_empty(),
        "{problems:#?}"
    );
}

// ---------------------------------------------------------------------------------------------
// A fresh article is not published by accident
// ---------------------------------------------------------------------------------------------

#[test]
fn new_writes_a_draft_that_the_build_leaves_out_and_check_calls_unfinished() {
    let site = site();
    let run = ok(site.run(&["new", "Fresh story", "--date", "2024-05-01"]));
    let path = run.stdout.trim().to_string();
    assert_eq!(path, "content/articles/2024-05-01-fresh-story.md");
    let text = fs::read_to_string(site.path(&path)).unwrap();
    assert!(text.contains("draft = true\n"), "{text}");

    let out = site.build_ok(&[]);
    out.assert_missing(&out.url("articles/fresh-story/"));

    let problems = check_json(&site);
    let unfinished = with_code(&problems, "unfinished");
    assert_eq!(unfinished.len(), 2, "{problems:#?}");
    assert!(
        unfinished[0]["message"]
            .as_str()
            .unwrap()
            .contains("`summary` is empty")
    );
    assert!(
        unfinished[1]["message"]
            .as_str()
            .unwrap()
            .contains("Write the story here")
    );
    assert!(unfinished.iter().all(|p| p["severity"] == "warning"));
    ok(site.run(&["check"]));
    fails(site.run(&["check", "--strict"]));

    let run = ok(site.run(&["new", "Ready story", "--date", "2024-05-02", "--publish"]));
    let text = fs::read_to_string(site.path(run.stdout.trim())).unwrap();
    assert!(text.contains("draft = false\n"), "{text}");
}

// ---------------------------------------------------------------------------------------------
// Values that break the site
// ---------------------------------------------------------------------------------------------

const NO_SCHEME: &str = "+++\ntitle = \"S\"\ndate = 2024-05-01\n[source]\nname = \"Example\"\nurl = \"www.example.com/story\"\n+++\nBody.\n";

#[test]
fn a_source_url_without_scheme_is_refused_with_the_url_meant() {
    let site = site();
    let run = fails(site.run(&["new", "S", "--source-url", "www.example.com/story"]));
    run.stderr_has("did you mean https://www.example.com/story?");
    assert!(
        !site.path("content/articles").exists()
            || fs::read_dir(site.path("content/articles"))
                .unwrap()
                .next()
                .is_none()
    );

    site.write("content/articles/2024-05-01-s.md", NO_SCHEME);
    let run = fails(site.build(&[]));
    let error = run.block("error: ");
    assert_eq!(
        error.location(),
        ("content/articles/2024-05-01-s.md".to_string(), 6, 1),
        "{run}"
    );
    run.stderr_has("`source.url` has no scheme")
        .stderr_has("did you mean `https://www.example.com/story`?");

    let run = fails(site.run(&["check"]));
    run.stderr_has("did you mean `https://www.example.com/story`?");
    let problems = check_json(&site);
    let invalid = with_code(&problems, "invalid-url");
    assert_eq!(invalid.len(), 1, "{problems:#?}");
    assert_eq!(invalid[0]["suggestion"], "https://www.example.com/story");
}

#[test]
fn updated_before_date_is_refused_naming_the_file_and_both_values() {
    let site = site();
    site.write(
        "content/articles/2024-05-02-u.md",
        "+++\ntitle = \"U\"\ndate = 2024-05-02\nupdated = 2024-05-01T10:00:00Z\n+++\nBody.\n",
    );
    let run = fails(site.build(&[]));
    let error = run.block("error: ");
    assert_eq!(
        error.location(),
        ("content/articles/2024-05-02-u.md".to_string(), 4, 1),
        "{run}"
    );
    run.stderr_has("`updated` (2024-05-01 10:00) is earlier than `date` (2024-05-02)");
    fails(site.run(&["check"]));
    // The same day, or later, is fine.
    site.write(
        "content/articles/2024-05-02-u.md",
        "+++\ntitle = \"U\"\ndate = 2024-05-02\nupdated = 2024-05-02\n+++\nBody.\n",
    );
    site.build_ok(&[]);
}

// ---------------------------------------------------------------------------------------------
// Slugs people can read
// ---------------------------------------------------------------------------------------------

#[test]
fn a_japanese_title_is_named_by_date_and_hash_and_new_says_so() {
    let site = site();
    let run = ok(site.run(&[
        "new",
        "東京でソニーが新しいAIを発表",
        "--date",
        "2024-05-01",
        "--publish",
    ]));
    let path = run.stdout.trim().to_string();
    let name = path.strip_prefix("content/articles/").unwrap();
    assert!(
        name.starts_with("2024-05-01-") && name.len() == "2024-05-01-01234567.md".len(),
        "{path}"
    );
    assert!(!path.contains("dong-jing"), "{path}");
    run.stderr_has("does not transliterate");
    let slug = name.strip_suffix(".md").unwrap();
    let text = fs::read_to_string(site.path(&path)).unwrap();
    assert!(text.contains(&format!("slug = \"{slug}\"")), "{text}");
    let out = site.build_ok(&[]);
    let page = out.page(&out.url(&format!("articles/{slug}/")));
    assert_eq!(page.h1(), "東京でソニーが新しいAIを発表");

    // A file named in Japanese falls back the same way, and `-v` says so.
    site.write(
        "content/articles/2024-05-02-大阪のニュース.md",
        "+++\ntitle = \"大阪のニュース\"\ndate = 2024-05-02\n+++\nBody.\n",
    );
    let run = site.build(&["-v"]);
    run.success();
    assert!(
        run.stderr.contains("2024-05-02-大阪のニュース.md")
            && run.stderr.contains("does not transliterate"),
        "{run}"
    );
    let out = site.output();
    let pages: Vec<_> = out
        .files()
        .into_iter()
        .filter(|p| p.to_string_lossy().starts_with("articles/2024-05-02-"))
        .collect();
    assert_eq!(pages.len(), 1, "{pages:?}");
}

#[test]
fn long_titles_make_slugs_of_at_most_80_characters() {
    let site = site();
    let title = "Regulators weigh new rules ".repeat(18);
    assert!(title.len() > 480);
    let run = ok(site.run(&["new", &title, "--date", "2024-05-01", "--publish"]));
    let name = run
        .stdout
        .trim()
        .strip_prefix("content/articles/2024-05-01-")
        .unwrap()
        .to_string();
    let slug = name.strip_suffix(".md").unwrap();
    assert!(
        slug.len() <= 80 && slug.starts_with("regulators-weigh-new-rules"),
        "{slug}"
    );
    assert!(!slug.ends_with('-'));
    assert!(
        "regulators-weigh-new-rules-"
            .repeat(18)
            .starts_with(&format!("{slug}-")),
        "cut at a word: {slug}"
    );
    let out = site.build_ok(&[]);
    out.assert_exists(&out.url(&format!("articles/{slug}/")));
}

// ---------------------------------------------------------------------------------------------
// Smaller things
// ---------------------------------------------------------------------------------------------

#[test]
fn new_keeps_the_time_of_its_date() {
    let site = site();
    let run = ok(site.run(&["new", "Morning", "--date", "2024-05-01T09:30"]));
    let path = run.stdout.trim();
    assert_eq!(path, "content/articles/2024-05-01-morning.md");
    let text = fs::read_to_string(site.path(path)).unwrap();
    assert!(text.contains("date = 2024-05-01T09:30:00\n"), "{text}");
    let run = ok(site.run(&["new", "Evening", "--date", "2024-05-01T19:30:00+02:00"]));
    let text = fs::read_to_string(site.path(run.stdout.trim())).unwrap();
    assert!(
        text.contains("date = 2024-05-01T19:30:00+02:00\n"),
        "{text}"
    );
}

#[test]
fn init_force_in_an_existing_site_adds_no_welcome_article() {
    let site = site();
    site.write(
        "content/articles/2024-05-01-mine.md",
        &article("2024-05-01", "Mine", "", "Mine."),
    );
    let run = ok(site.run(&["init", "--force"]));
    assert!(!run.stdout.contains("welcome"), "{run}");
    let articles: Vec<String> = fs::read_dir(site.path("content/articles"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(articles, ["2024-05-01-mine.md"]);
    let out: Output = site.build_ok(&[]);
    out.assert_missing(&out.url("articles/welcome-to-your-digest/"));
}

#[test]
fn a_link_to_a_draft_is_called_a_link_to_a_draft_and_a_typo_gets_the_file_meant() {
    let site = site();
    site.write(
        "content/articles/2024-05-01-a.md",
        "+++\ntitle = \"A\"\ndate = 2024-05-01\n+++\nSee [b](2024-05-02-b.md) and [c](2024-05-03-cc.md).\n",
    );
    site.write(
        "content/articles/2024-05-02-b.md",
        "+++\ntitle = \"B\"\ndate = 2024-05-02\ndraft = true\n+++\nB.\n",
    );
    site.write(
        "content/articles/2024-05-03-c.md",
        "+++\ntitle = \"C\"\ndate = 2024-05-03\n+++\nC.\n",
    );
    for run in [site.build(&[]), site.run(&["check"])] {
        let warnings = run.blocks("warning: ");
        assert_eq!(warnings.len(), 2, "{run}");
        let draft = warnings
            .iter()
            .find(|w| w.message.contains("2024-05-02-b.md"))
            .unwrap_or_else(|| panic!("{run}"));
        assert!(draft.message.contains("which is a draft"), "{run}");
        assert!(!draft.message.contains("not an article"), "{run}");
        let typo = warnings
            .iter()
            .find(|w| w.message.contains("2024-05-03-cc.md"))
            .unwrap_or_else(|| panic!("{run}"));
        assert_eq!(
            typo.hints,
            ["hint: did you mean `2024-05-03-c.md`?"],
            "{run}"
        );
    }
}

#[test]
fn verbose_builds_list_skipped_files_and_stages() {
    let site = site();
    site.write(
        "content/articles/2024-05-01-a.md",
        &article("2024-05-01", "A", "", "A."),
    );
    site.write(
        "content/articles/2024-05-02-draft.md",
        "+++\ntitle = \"D\"\ndate = 2024-05-02\ndraft = true\n+++\nD.\n",
    );
    site.write(
        "content/articles/2999-01-01-future.md",
        &article("2999-01-01", "F", "", "F."),
    );
    site.write("content/articles/notes.txt", "notes\n");
    site.write("content/articles/a.md~", "backup\n");
    let run = site.build(&["-v"]);
    run.success();
    for (file, why) in [
        ("content/articles/2024-05-02-draft.md", "a draft"),
        (
            "content/articles/2999-01-01-future.md",
            "dated in the future",
        ),
        ("content/articles/notes.txt", "not a Markdown file"),
        ("content/articles/a.md~", "hidden, or an editor's leftover"),
    ] {
        assert!(
            run.stderr
                .lines()
                .any(|l| l.contains(&format!("skipped {file}: {why}"))),
            "{file}\n{run}"
        );
    }
    assert!(run.stderr.contains("stage timings:"), "{run}");
    for stage in ["read", "articles", "feeds"] {
        assert!(
            run.stderr
                .lines()
                .any(|l| l.trim_start().starts_with(stage)),
            "{stage}\n{run}"
        );
    }
    // Without -v, none of it.
    let run = site.build(&["--no-cache"]);
    run.success();
    assert!(!run.stderr.contains("skipped"), "{run}");
}

#[test]
fn cards_label_the_byline_and_the_source() {
    let site = site();
    site.write(
        "content/articles/2024-05-01-same.md",
        "+++\ntitle = \"Same\"\ndate = 2024-05-01\nauthors = [\"Digest staff\"]\n[source]\nname = \"Digest staff\"\nurl = \"https://example.org/a\"\n+++\nS.\n",
    );
    site.write(
        "content/articles/2024-05-02-wire.md",
        "+++\ntitle = \"Wire\"\ndate = 2024-05-02\nauthors = [\"Digest staff\"]\n[source]\nname = \"Reuters\"\nurl = \"https://example.org/b\"\n+++\nS.\n",
    );
    let out = site.build_ok(&[]);
    let home = out.page(&out.url(""));
    let metas = home.texts(".card .meta");
    assert_eq!(metas.len(), 2, "{metas:?}");
    assert!(
        metas[0].ends_with("By Digest staff · via Reuters"),
        "{:?}",
        metas[0]
    );
    assert!(metas[1].ends_with("By Digest staff"), "{:?}", metas[1]);
    assert!(
        metas
            .iter()
            .all(|m| !m.contains("Digest staff · Digest staff"))
    );
}

#[test]
fn shell_and_console_fences_are_highlighted_without_a_warning() {
    let site = site();
    site.write(
        "content/articles/2024-05-01-a.md",
        "+++\ntitle = \"A\"\ndate = 2024-05-01\n+++\nRun:\n\n```shell\nls -la | grep x\n```\n\n```console\n$ digest build\n```\n",
    );
    let run = site.build(&[]);
    run.success();
    assert!(!run.stderr.contains("unknown code language"), "{run}");
    let out = site.output();
    let page = out.page(&out.url("articles/a/"));
    for lang in ["shell", "console"] {
        let spans = page.count(&format!("pre[data-lang=\"{lang}\"] span[class^=\"hl-\"]"));
        assert!(spans > 0, "{lang} is highlighted");
    }
}

#[test]
fn the_404_page_of_a_relative_build_finds_its_stylesheet_from_disk() {
    let site = site();
    site.write(
        "site.toml",
        "title = \"Editor\"\nbase_url = \"https://example.com/digest\"\n",
    );
    site.write(
        "content/articles/2024-05-01-a.md",
        &article("2024-05-01", "A", "", "A."),
    );
    site.build(&["--relative"]).success();
    let html = fs::read_to_string(site.out.join("404.html")).unwrap();
    let page = scraper::Html::parse_document(&html);
    let sel = scraper::Selector::parse("link[rel=stylesheet]").unwrap();
    let sheets: Vec<&str> = page
        .select(&sel)
        .filter_map(|l| l.value().attr("href"))
        .collect();
    assert!(!sheets.is_empty());
    for href in sheets {
        assert!(!href.starts_with('/'), "{href}");
        assert!(site.out.join(href).is_file(), "{href} next to 404.html");
    }
}
