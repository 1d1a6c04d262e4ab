//! The editor's commands end to end: `digest init`, `digest new`, `digest check` (and `--fix`),
//! and how diagnostics are printed.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::{DIGEST, Output, Run, Site, assert_same_tree, run_digest, snapshot};

/// `digest <args>` run in `cwd`.
fn digest(cwd: &Path, args: &[&str]) -> Run {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    run_digest(cwd, &args)
}

#[track_caller]
fn ok(run: Run) -> Run {
    assert_eq!(run.code, Some(0), "expected success\n{run}");
    run
}

/// Today in a time zone, before and after a run (a run may straddle midnight).
fn today_in(tz: &str) -> String {
    let tz = jiff::tz::TimeZone::get(tz).unwrap();
    jiff::ZonedDateTime::now()
        .with_time_zone(tz)
        .date()
        .to_string()
}

/// The front matter of an article file (`+++` TOML) as a table.
#[track_caller]
fn front_matter(path: &Path) -> toml::Table {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let inner = text
        .strip_prefix("+++\n")
        .and_then(|rest| rest.split_once("\n+++\n"))
        .map(|(front, _)| front)
        .unwrap_or_else(|| panic!("no +++ front matter in {text}"));
    inner
        .parse()
        .unwrap_or_else(|e| panic!("front matter is not TOML: {e}\n{text}"))
}

fn strings(table: &toml::Table, key: &str) -> Vec<String> {
    table[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key} is not a list"))
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// digest init
// ---------------------------------------------------------------------------------------------

#[test]
fn init_new_build_gives_a_working_site() {
    // The "done when", as a newcomer would type it.
    let tmp = Site::empty();
    let run = ok(digest(tmp.tmp(), &["init", "mysite"]));
    for line in [
        "site.toml",
        "Next:",
        "cd mysite",
        "digest new",
        "digest build",
    ] {
        assert!(
            run.stdout.contains(line),
            "init should print {line:?}\n{run}"
        );
    }
    let site = tmp.tmp().join("mysite");
    let run = ok(digest(
        &site,
        &["new", "First story", "--company", "Alibaba", "--publish"],
    ));
    let path = format!("content/articles/{}-first-story.md", today_in("UTC"));
    assert_eq!(run.stdout.trim(), path, "new prints the path alone\n{run}");
    assert!(site.join(&path).is_file());
    assert!(
        run.stderr.trim().is_empty(),
        "Alibaba is a known company: nothing to say\n{run}"
    );

    digest(&site, &["build"]).success();
    let out = Output::new(&site.join("public"), "https://example.com");
    let page = out.page(&out.url("articles/first-story/"));
    assert_eq!(page.h1(), "First story");
    let company = out.page(&out.url("companies/alibaba/"));
    let titles = company.article_titles();
    assert!(
        titles.contains(&"First story".to_string()),
        "the company page lists the new article: {titles:?}"
    );
    out.assert_exists(&out.url(&format!("articles/{}/", "welcome-to-your-digest")));

    // A new site has nothing to check (the article `new` wrote is unfinished by design).
    fs::remove_file(site.join(&path)).unwrap();
    let run = ok(digest(&site, &["check", "--strict"]));
    assert!(run.stdout.contains("no problems found"), "{run}");
}

#[test]
fn init_writes_every_option_and_notes_on_overriding() {
    let tmp = Site::empty();
    ok(digest(tmp.tmp(), &["init", "new-site"]));
    let site = tmp.tmp().join("new-site");
    let text = fs::read_to_string(site.join("site.toml")).unwrap();
    let config: toml::Table = text.parse().unwrap();
    for key in [
        "title",
        "description",
        "base_url",
        "language",
        "output_dir",
        "edition",
        "per_page",
        "taxonomies",
        "timezone",
        "relative_urls",
        "markdown",
        "feeds",
        "entities",
        "extra",
    ] {
        assert!(config.contains_key(key), "site.toml lacks {key}");
    }
    for (table, keys) in [
        (
            "markdown",
            &["smart_punctuation", "highlight", "unsafe_html"][..],
        ),
        ("feeds", &["atom", "rss", "json", "limit"]),
        (
            "entities",
            &["auto_file", "link_mentions", "scan", "matrix"],
        ),
    ] {
        for key in keys {
            assert!(
                config[table].as_table().unwrap().contains_key(*key),
                "site.toml lacks {table}.{key}"
            );
        }
    }
    let comments = text.lines().filter(|l| l.contains('#')).count();
    assert!(comments > 20, "every option is commented:\n{text}");

    // templates/ and static/ hold only a hidden note, which the build ignores.
    for (dir, mentions) in [("templates", "article.html"), ("static", "style.css")] {
        let names: Vec<String> = fs::read_dir(site.join(dir))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, [".gitkeep"], "{dir}/");
        let note = fs::read_to_string(site.join(dir).join(".gitkeep")).unwrap();
        assert!(
            note.contains("override") || note.contains("replaces"),
            "{note}"
        );
        assert!(note.contains(mentions), "{note}");
    }
    let readme = fs::read_to_string(site.join("README.md")).unwrap();
    for name in [
        "base.html",
        "article.html",
        "term.html",
        "style.css",
        "highlight.css",
    ] {
        assert!(readme.contains(name), "README.md lists the built-in {name}");
    }

    // One example article and one profile, both read by the build.
    let article = site.join(format!(
        "content/articles/{}-welcome-to-your-digest.md",
        today_in("UTC")
    ));
    let front = front_matter(&article);
    assert_eq!(strings(&front, "companies"), ["Alibaba"]);
    assert!(site.join("content/companies/alibaba.md").is_file());
    let run = ok(digest(&site, &["build"]));
    assert!(run.stdout.contains("2 terms"), "{run}");
    let out = Output::new(&site.join("public"), "https://example.com");
    out.assert_missing(&out.url(".gitkeep"));
    out.assert_missing(&out.url("README.md"));
}

#[test]
fn init_refuses_a_folder_with_files_unless_forced_and_never_overwrites() {
    let tmp = Site::empty();
    let dir = tmp.tmp().join("mine");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("site.toml"), "title = \"Mine\"\n").unwrap();
    fs::write(dir.join("notes.txt"), "my notes\n").unwrap();
    let before = snapshot(&dir);

    let run = digest(tmp.tmp(), &["init", "mine"]);
    assert_eq!(run.code, Some(1), "{run}");
    run.stderr_has("not empty").stderr_has("--force");
    assert_same_tree(&before, &snapshot(&dir), "the folder init refused");

    let run = ok(digest(tmp.tmp(), &["init", "mine", "--force"]));
    assert!(
        run.stdout
            .lines()
            .any(|l| l.contains("site.toml") && l.contains("kept")),
        "the existing site.toml is reported as kept\n{run}"
    );
    assert_eq!(
        fs::read_to_string(dir.join("site.toml")).unwrap(),
        "title = \"Mine\"\n"
    );
    assert_eq!(
        fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "my notes\n"
    );
    assert!(dir.join("content/companies/alibaba.md").is_file());
    assert!(dir.join("templates/.gitkeep").is_file());

    // Again with --force: everything is there, nothing changes.
    let before = snapshot(&dir);
    let run = ok(digest(&dir, &["init", "--force"]));
    assert!(run.stdout.contains("Nothing to add"), "{run}");
    assert_same_tree(
        &before,
        &snapshot(&dir),
        "a site init --force found complete",
    );
}

#[test]
fn init_accepts_a_folder_with_only_hidden_files() {
    let tmp = Site::empty();
    let dir = tmp.tmp().join("repo");
    fs::create_dir_all(dir.join(".git")).unwrap();
    ok(digest(&dir, &["init"]));
    assert!(dir.join("site.toml").is_file());
    assert!(dir.join(".git").is_dir());
}

// ---------------------------------------------------------------------------------------------
// digest new
// ---------------------------------------------------------------------------------------------

#[test]
fn new_writes_complete_front_matter_and_matches_names_to_the_site() {
    let site = Site::fixture("check-mistakes");
    let run = ok(site.run(&[
        "new",
        "Baidu and OpenAI: \"a race\"",
        "--company",
        "百度",
        "--company",
        "open ai",
        "--company",
        "OpenAl",
        "--company",
        "Zhipu",
        "--regulation",
        "EU AI Act",
        "--tag",
        "AI",
        "--tag",
        "Chatbots",
        "--date",
        "2023-09-15",
        "--source-url",
        "https://example.org/race?utm_source=feed&id=3",
        "--draft",
    ]));
    let path = "content/articles/2023-09-15-baidu-and-openai-a-race.md";
    assert_eq!(run.stdout.trim(), path, "{run}");
    let front = front_matter(&site.path(path));
    assert_eq!(
        front["title"].as_str(),
        Some("Baidu and OpenAI: \"a race\"")
    );
    assert_eq!(front["date"].to_string(), "2023-09-15");
    assert_eq!(front["authors"].as_array().map(Vec::len), Some(0));
    assert_eq!(front["summary"].as_str(), Some(""));
    assert_eq!(front["draft"].as_bool(), Some(true));
    assert_eq!(
        strings(&front, "companies"),
        ["百度", "OpenAI", "OpenAl", "Zhipu"],
        "an alias as given, a variant spelled as the site does, unknown names as given"
    );
    assert_eq!(strings(&front, "regulations"), ["EU AI Act"]);
    assert_eq!(strings(&front, "tags"), ["AI", "Chatbots"]);
    assert_eq!(
        front["source"]["url"].as_str(),
        Some("https://example.org/race?id=3"),
        "tracking parameters are left out"
    );

    let notes = |prefix: &str| -> Vec<String> {
        run.stderr
            .lines()
            .filter(|l| l.starts_with(prefix))
            .map(str::to_string)
            .collect()
    };
    let info = notes("note: ").join("\n");
    assert!(info.contains("\"百度\" files under Baidu"), "{run}");
    assert!(info.contains("\"open ai\" is written \"OpenAI\""), "{run}");
    assert!(info.contains("utm_source"), "{run}");
    // A likely typo is a warning, with the closest names; a new name is only noted.
    let warnings = notes("warning: ");
    assert_eq!(warnings.len(), 1, "{run}");
    assert!(
        warnings[0].contains("\"OpenAl\"") && warnings[0].contains("did you mean OpenAI?"),
        "{run}"
    );
    assert!(
        info.contains("\"Zhipu\" is a new company in this site\n"),
        "{run}"
    );
    assert!(info.contains("\"EU AI Act\" is a new regulation"), "{run}");
    assert!(info.contains("\"Chatbots\" is a new tag"), "{run}");

    // The site still builds with it (as a draft), and the article reads back as written.
    site.build(&["--drafts"]).success();
}

#[test]
fn new_refuses_to_overwrite_an_article() {
    let site = Site::fixture("check-mistakes");
    let args = ["new", "Once", "--date", "2023-06-01"];
    ok(site.run(&args));
    let path = site.path("content/articles/2023-06-01-once.md");
    fs::write(
        &path,
        "+++\ntitle = \"Edited\"\ndate = 2023-06-01\n+++\nMine.\n",
    )
    .unwrap();
    let run = site.run(&args);
    assert_eq!(run.code, Some(1), "{run}");
    run.stderr_has("already exists");
    assert!(run.stdout.is_empty(), "{run}");
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        "+++\ntitle = \"Edited\"\ndate = 2023-06-01\n+++\nMine.\n"
    );
}

#[test]
fn new_dates_today_in_the_site_time_zone() {
    let site = Site::fixture("minimal");
    let toml = fs::read_to_string(site.path("site.toml")).unwrap();
    // Kiribati's Line Islands are 14 hours ahead of UTC: their "today" is often UTC's tomorrow.
    site.write(
        "site.toml",
        &format!("{toml}\ntimezone = \"Pacific/Kiritimati\"\n"),
    );
    let before = today_in("Pacific/Kiritimati");
    let run = ok(site.run(&["new", "Late news"]));
    let after = today_in("Pacific/Kiritimati");
    let written = run.stdout.trim().to_string();
    assert!(
        written == format!("content/articles/{before}-late-news.md")
            || written == format!("content/articles/{after}-late-news.md"),
        "{run}"
    );
    let front = front_matter(&site.path(&written));
    assert!(
        [before, after].contains(&front["date"].to_string()),
        "{front:?}"
    );
    assert_eq!(front["draft"].as_bool(), Some(true));
}

#[test]
fn new_refuses_what_it_cannot_write() {
    let site = Site::fixture("minimal");
    for (args, says) in [
        (&["new", "X", "--date", "2023-02-30"][..], "not a date"),
        (&["new", "!!!"], "file name"),
        (&["new", "X", "--source-url", "javascript:alert(1)"], "http"),
    ] {
        let run = site.run(args);
        assert_eq!(run.code, Some(1), "{run}");
        run.stderr_has(says);
    }
    // A taxonomy the site does not have.
    site.write(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://example.com\"\ntaxonomies = [\"tags\"]\n",
    );
    let run = site.run(&["new", "X", "--company", "Alibaba"]);
    assert_eq!(run.code, Some(1), "{run}");
    run.stderr_has("no `companies` taxonomy");
    assert!(
        !site.path("content/articles").exists() || {
            fs::read_dir(site.path("content/articles"))
                .unwrap()
                .all(|e| !e.unwrap().file_name().to_string_lossy().ends_with("-x.md"))
        }
    );
}

#[test]
fn new_gives_a_taken_slug_its_date() {
    let site = Site::fixture("check-mistakes");
    let run = ok(site.run(&["new", "OpenAI one", "--date", "2023-07-01"]));
    let front = front_matter(&site.path(run.stdout.trim()));
    assert_eq!(front["slug"].as_str(), Some("openai-one-2023-07-01"));
    run.stderr_has("2023-05-01-openai-one.md");
    // Both articles build, each at its own address.
    site.build(&[]).success();
}

// ---------------------------------------------------------------------------------------------
// digest check
// ---------------------------------------------------------------------------------------------

const ONE: &str = "content/articles/2023-05-01-openai-one.md";
const TWO: &str = "content/articles/2023-05-02-openai-two.md";
const SPELLING: &str = "content/articles/2023-05-03-open-ai-spelling.md";
const LINKS: &str = "content/articles/2023-05-04-typo-and-links.md";
const UNFILED: &str = "content/articles/2023-05-05-unfiled.md";
const YAML: &str = "content/articles/2023-05-06-yaml.md";
const BAIDU: &str = "content/companies/baidu.md";

/// Every mistake seeded in tests/fixtures/check-mistakes: code, file, line, column, and words
/// of the message.
const SEEDED: &[(&str, &str, u32, u32, &[&str])] = &[
    ("unknown-key", "site.toml", 3, 1, &["per_pag"]),
    (
        "tracking-parameter",
        ONE,
        8,
        7,
        &["utm_source", "utm_medium"],
    ),
    ("duplicate-source", TWO, 8, 7, &[ONE]),
    (
        "term-spelling",
        SPELLING,
        4,
        14,
        &["\"Open AI\"", "\"OpenAI\"", "4 files"],
    ),
    ("unknown-key", LINKS, 4, 1, &["tgas"]),
    ("tracking-parameter", LINKS, 7, 25, &["utm_campaign"]),
    ("broken-link", LINKS, 9, 58, &["2023-01-01-missing.md"]),
    (
        "unfiled-mention",
        UNFILED,
        4,
        1,
        &["Baidu (line 9)", "companies"],
    ),
    ("term-spelling", YAML, 4, 13, &["\"openai\"", "\"OpenAI\""]),
    ("tracking-parameter", YAML, 9, 8, &["gclid"]),
    ("tracking-parameter", BAIDU, 4, 11, &["utm_source"]),
];

#[test]
fn check_reports_each_seeded_mistake_at_its_line() {
    let site = Site::fixture("check-mistakes");
    let run = ok(site.run(&["check"]));
    for &(code, file, line, col, words) in SEEDED {
        let found = run
            .blocks("warning: ")
            .into_iter()
            .find(|d| d.location() == (file.to_string(), line, col))
            .unwrap_or_else(|| panic!("no warning at {file}:{line}:{col} ({code})\n{run}"));
        for word in words {
            assert!(
                found.message.contains(word),
                "{code} at {file}:{line} should mention {word}: {found:?}"
            );
        }
        found.has_hint();
        // The offending line is quoted, with a caret under the column.
        let text = fs::read_to_string(site.path(file)).unwrap();
        let quoted = text.lines().nth(line as usize - 1).unwrap();
        let at = found
            .source
            .iter()
            .position(|l| !l.starts_with(' '))
            .unwrap_or_else(|| panic!("no quoted line: {found:?}"));
        assert_eq!(found.source[at], format!("{line} | {quoted}"), "{found:?}");
        let caret = found.source.get(at + 1).cloned().unwrap_or_default();
        let at = caret.find('^').unwrap_or(0) - caret.find('|').unwrap() - 2;
        assert_eq!(at, col as usize - 1, "caret under column {col}: {found:?}");
    }
    assert_eq!(
        run.blocks("warning: ").len(),
        SEEDED.len(),
        "nothing but the seeded mistakes\n{run}"
    );
    assert!(run.blocks("error: ").is_empty(), "{run}");
    let summary = run.stdout.trim();
    assert_eq!(
        summary,
        format!(
            "Checked 6 articles and 1 profile: {} warnings (6 fixable with --fix)",
            SEEDED.len()
        )
    );
}

#[test]
fn check_suggests_the_line_to_add_for_an_unfiled_mention() {
    let site = Site::fixture("check-mistakes");
    let run = site.run(&["check"]);
    let found = run.block(&format!("warning: {UNFILED}:4:1:"));
    assert!(
        found
            .hints
            .iter()
            .any(|h| h.contains("companies = [\"OpenAI\", \"Baidu\"]")),
        "{found:?}"
    );

    // Without the key, the line to add, pointing at the closing fence.
    site.write(
        "content/articles/2023-05-08-no-companies.md",
        "+++\ntitle = \"Search\"\ndate = 2023-05-08\n+++\nBaidu updated its search.\n",
    );
    let run = site.run(&["check"]);
    let found = run.block("warning: content/articles/2023-05-08-no-companies.md:4:1:");
    assert!(found.message.contains("Baidu (line 5)"), "{found:?}");
    assert_eq!(
        found.hints,
        ["hint: add the line `companies = [\"Baidu\"]` to the front matter"]
    );
}

#[test]
fn check_format_json_lists_every_problem_with_a_code() {
    let site = Site::fixture("check-mistakes");
    let run = ok(site.run(&["check", "--format", "json"]));
    assert!(run.stderr.trim().is_empty(), "{run}");
    let problems: Vec<serde_json::Value> = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("stdout is not a JSON array: {e}\n{run}"));
    assert_eq!(problems.len(), SEEDED.len(), "{run}");
    for problem in &problems {
        for (field, is_type) in [
            (
                "file",
                serde_json::Value::is_string as fn(&serde_json::Value) -> bool,
            ),
            ("line", serde_json::Value::is_u64),
            ("column", serde_json::Value::is_u64),
            ("severity", serde_json::Value::is_string),
            ("code", serde_json::Value::is_string),
            ("message", serde_json::Value::is_string),
        ] {
            assert!(is_type(&problem[field]), "{field} in {problem}");
        }
        assert!(
            problem["suggestion"].is_string() || problem["suggestion"].is_null(),
            "{problem}"
        );
        assert_eq!(problem["severity"], "warning");
    }
    for &(code, file, line, col, _) in SEEDED {
        assert!(
            problems.iter().any(|p| p["code"] == code
                && p["file"] == file
                && p["line"] == line
                && p["column"] == col),
            "no {code} at {file}:{line}:{col} in {}",
            run.stdout
        );
    }
    let suggestion = |code: &str, file: &str| {
        problems
            .iter()
            .find(|p| p["code"] == code && p["file"] == file)
            .map(|p| p["suggestion"].clone())
            .unwrap()
    };
    assert_eq!(suggestion("term-spelling", SPELLING), "OpenAI");
    assert_eq!(suggestion("unknown-key", "site.toml"), "per_page");
    assert_eq!(
        suggestion("tracking-parameter", ONE),
        "https://news.example.org/openai-model?id=7"
    );
    assert_eq!(
        suggestion("unfiled-mention", UNFILED),
        "companies = [\"OpenAI\", \"Baidu\"]"
    );
}

#[test]
fn check_writes_nothing() {
    let site = Site::fixture("check-mistakes");
    let before = snapshot(site.tmp());
    ok(site.run(&["check"]));
    ok(site.run(&["check", "--format", "json"]));
    assert_same_tree(
        &before,
        &snapshot(site.tmp()),
        "the site after digest check",
    );
}

#[test]
fn check_exit_codes_errors_warnings_and_strict() {
    // Warnings only: 0, and 1 with --strict.
    let site = Site::fixture("check-mistakes");
    assert_eq!(site.run(&["check"]).code, Some(0));
    assert_eq!(site.run(&["check", "--strict"]).code, Some(1));
    assert_eq!(
        site.run(&["check", "-q"]).stdout,
        "",
        "-q prints no summary"
    );

    // Errors: 1, reported at their lines, with the error's code in JSON.
    let site = Site::fixture("errors");
    let run = site.run(&["check"]);
    assert_eq!(run.code, Some(1), "{run}");
    let bad = run.block("error: content/articles/2023-04-02-bad-toml.md:");
    assert_eq!(bad.location().1, 4);
    bad.has_hint();
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.code, Some(1), "{run}");
    let problems: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p["code"] == "parse-error" && p["severity"] == "error" && p["line"] == 4),
        "{}",
        run.stdout
    );
    assert!(
        problems
            .iter()
            .any(|p| p["code"] == "missing-field" && p["severity"] == "error"),
        "{}",
        run.stdout
    );

    // A site without site.toml is an error too.
    let empty = Site::empty();
    let run = empty.run(&["check"]);
    assert_eq!(run.code, Some(1), "{run}");
    run.stderr_has("no site.toml");

    // Nothing wrong: 0, even with --strict.
    let site = Site::fixture("minimal");
    let run = site.run(&["check", "--strict"]);
    assert_eq!(run.code, Some(0), "{run}");
}

#[test]
fn check_fix_rewrites_only_what_is_safe_and_reports_each_change() {
    let site = Site::fixture("check-mistakes");
    let before = snapshot(&site.root);
    let run = ok(site.run(&["check", "--fix"]));

    let fixed: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("fixed: "))
        .collect();
    for expected in [
        format!("fixed: {ONE}:8:7: removed tracking parameters utm_source, utm_medium"),
        format!("fixed: {SPELLING}:4:14: \"Open AI\" → \"OpenAI\""),
        format!("fixed: {LINKS}:7:25: removed tracking parameters utm_campaign"),
        format!("fixed: {YAML}:4:13: \"openai\" → \"OpenAI\""),
        format!("fixed: {YAML}:9:8: removed tracking parameters gclid"),
        format!("fixed: {BAIDU}:4:11: removed tracking parameters utm_source"),
    ] {
        assert!(
            fixed.contains(&expected.as_str()),
            "missing {expected:?}\n{run}"
        );
    }
    assert_eq!(fixed.len(), 6, "{run}");

    // Each file is the original with exactly those strings replaced.
    let original = |rel: &str| String::from_utf8(before[Path::new(rel)].clone().unwrap()).unwrap();
    for (file, from, to) in [
        (
            ONE,
            "\"https://news.example.org/openai-model?utm_source=twitter&id=7&utm_medium=social\"",
            "\"https://news.example.org/openai-model?id=7\"",
        ),
        (
            SPELLING,
            "[\"Open AI\", 'Baidu']   # a comment that stays",
            "[\"OpenAI\", 'Baidu']   # a comment that stays",
        ),
        (
            LINKS,
            "(https://example.org/post?utm_campaign=launch&ref=home)",
            "(https://example.org/post?ref=home)",
        ),
        (
            BAIDU,
            "\"https://www.baidu.com/?utm_source=digest\"",
            "\"https://www.baidu.com/\"",
        ),
    ] {
        let expected = original(file).replacen(from, to, 1);
        assert_ne!(expected, original(file), "{from} is in {file}");
        assert_eq!(
            fs::read_to_string(site.path(file)).unwrap(),
            expected,
            "{file}"
        );
    }
    let yaml =
        original(YAML)
            .replacen("[openai]", "[OpenAI]", 1)
            .replacen("story?gclid=xyz", "story", 1);
    assert_eq!(fs::read_to_string(site.path(YAML)).unwrap(), yaml);
    // The rest is left as it was, byte for byte.
    let after = snapshot(&site.root);
    let changed: Vec<_> = before
        .keys()
        .filter(|p| before[*p] != after[*p])
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    assert_eq!(changed.len(), 5, "{changed:?}");

    // What --fix cannot mend is still reported; a second run has nothing to fix.
    let remaining: Vec<(String, u32)> = run
        .blocks("warning: ")
        .iter()
        .map(|d| {
            let (file, line, _) = d.location();
            (file, line)
        })
        .collect();
    assert_eq!(
        remaining,
        [
            (TWO.to_string(), 8),
            (LINKS.to_string(), 4),
            (LINKS.to_string(), 9),
            (UNFILED.to_string(), 4),
            ("site.toml".to_string(), 3),
        ],
        "{run}"
    );
    assert!(run.stdout.contains("5 warnings"), "{run}");
    let again = ok(site.run(&["check", "--fix"]));
    assert!(!again.stdout.contains("fixed: "), "{again}");
    assert_same_tree(
        &after,
        &snapshot(&site.root),
        "the site after a second --fix",
    );
}

#[test]
fn check_fix_keeps_byte_order_marks_and_crlf_line_ends() {
    let site = Site::fixture("check-mistakes");
    let text = "\u{feff}+++\r\ntitle = \"Windows\"\r\ndate = 2023-05-07\r\ncompanies = [ \"Open AI\" ]\r\n+++\r\nSee [x](https://e.org/?fbclid=1).\r\n";
    site.write("content/articles/2023-05-07-windows.md", text);
    let run = ok(site.run(&["check", "--fix"]));
    assert!(
        run.stdout.contains(
            "fixed: content/articles/2023-05-07-windows.md:4:15: \"Open AI\" → \"OpenAI\""
        ),
        "{run}"
    );
    assert_eq!(
        fs::read_to_string(site.path("content/articles/2023-05-07-windows.md")).unwrap(),
        text.replace("\"Open AI\"", "\"OpenAI\"")
            .replace("?fbclid=1", "")
    );
}

// ---------------------------------------------------------------------------------------------
// How messages look
// ---------------------------------------------------------------------------------------------

#[test]
fn build_messages_quote_the_line_with_a_caret_and_a_hint() {
    let site = Site::fixture("warnings");
    let run = site.build(&[]);
    run.success();
    let expected = "warning: unknown front-matter key `tgas`\n \
                    --> content/2023-04-01-typo.md:4:1\n  \
                    |\n\
                    4 | tgas = [\"Typos\"]\n  \
                    | ^^^^\n  \
                    = hint: did you mean `tags`?\n";
    assert!(run.stderr.contains(expected), "{run}");
    assert!(
        !run.stderr.contains('\u{1b}'),
        "no colour when not a terminal\n{run}"
    );
}

#[test]
fn messages_are_coloured_when_asked() {
    let site = Site::fixture("warnings");
    let output = Command::new(DIGEST)
        .args(["check", "--root"])
        .arg(&site.root)
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("\u{1b}["), "{stderr}");
    assert!(stderr.contains("warning"), "{stderr}");
}

#[test]
fn cli_help_lists_the_editor_commands() {
    let site = Site::empty();
    let run = ok(site.run(&["--help"]));
    for command in ["build", "check", "new", "init"] {
        assert!(
            run.stdout
                .lines()
                .any(|l| l.trim_start().starts_with(command)),
            "{command} in --help\n{run}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The site folder, however it is given
// ---------------------------------------------------------------------------------------------

/// A small site in `top/site`, and a sibling folder to type commands in.
fn site_beside_a_folder() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let top = dir.path().canonicalize().unwrap();
    let site = top.join("site");
    fs::create_dir_all(site.join("content/articles")).unwrap();
    fs::create_dir_all(top.join("elsewhere")).unwrap();
    fs::write(
        site.join("site.toml"),
        "title = \"Here\"\nbase_url = \"https://example.com\"\n",
    )
    .unwrap();
    fs::write(
        site.join("content/articles/2023-09-01-story.md"),
        "+++\ntitle = \"Story\"\ndate = 2023-09-01\n+++\nBody.\n",
    )
    .unwrap();
    (dir, top)
}

#[test]
fn build_check_and_new_take_the_root_and_output_relative_to_where_they_are_typed() {
    let (_dir, top) = site_beside_a_folder();
    let site = top.join("site");
    let elsewhere = top.join("elsewhere");
    // (folder typed in, --root, --output, where the site lands)
    let builds = [
        (site.clone(), None, None, site.join("public")),
        (
            site.join("content/articles"),
            None,
            None,
            site.join("public"),
        ),
        (site.clone(), Some("."), Some("out"), site.join("out")),
        (
            elsewhere.clone(),
            Some("../site"),
            Some("out"),
            elsewhere.join("out"),
        ),
        (
            top.clone(),
            Some("site/"),
            Some("site-out"),
            top.join("site-out"),
        ),
    ];
    for (cwd, root, output, lands) in builds {
        let mut args = vec!["build"];
        if let Some(root) = root {
            args.extend(["--root", root]);
        }
        if let Some(output) = output {
            args.extend(["--output", output]);
        }
        ok(digest(&cwd, &args));
        Output::new(&lands, "https://example.com").assert_exists("/articles/story/");
        fs::remove_dir_all(&lands).unwrap();
    }

    for (cwd, root) in [
        (&site, None),
        (&site.join("content"), None),
        (&elsewhere, Some("../site")),
    ] {
        let mut args = vec!["check"];
        if let Some(root) = root {
            args.extend(["--root", root]);
        }
        let run = ok(digest(cwd, &args));
        assert!(run.stdout.contains("Checked 1 article"), "{run}");
    }

    // `new` prints a path that opens from where it was typed.
    let run = ok(digest(
        &elsewhere,
        &["new", "From elsewhere", "--root", "../site"],
    ));
    let printed = run.stdout.trim();
    assert!(printed.starts_with("../site/content/articles/"), "{run}");
    assert!(elsewhere.join(printed).is_file(), "{run}");
    let run = ok(digest(
        &site.join("content/articles"),
        &["new", "From inside"],
    ));
    let printed = std::path::PathBuf::from(run.stdout.trim());
    assert!(printed.is_absolute() && printed.is_file(), "{run}");
    assert!(printed.starts_with(site.join("content/articles")), "{run}");
}

#[test]
fn a_root_that_does_not_exist_is_named() {
    let (_dir, top) = site_beside_a_folder();
    let run = digest(&top, &["build", "--root", "no-such-site"]);
    assert_eq!(run.code, Some(1), "{run}");
    run.stderr_has("no-such-site").stderr_has("does not exist");
}

#[test]
fn a_warning_repeated_in_many_files_is_shown_once_with_its_count() {
    let site = Site::empty();
    site.write(
        "site.toml",
        "title = \"Moved\"\nbase_url = \"https://example.com\"\n",
    );
    for n in 1..=6 {
        site.write(
            &format!("content/2023-01-0{n}-post-{n}.md"),
            "---\ntitle: Post\nlayout: post\ncategory: news\n---\nBody.\n",
        );
    }
    site.write(
        "content/2023-01-09-odd.md",
        "---\ntitle: Odd\ntgas: [x]\n---\nBody.\n",
    );
    let run = site.build(&[]);
    run.success();
    let warnings = run.stderr_lines("warning: ");
    assert_eq!(warnings.len(), 3, "{warnings:#?}");
    let find = |needle: &str| {
        run.diagnostics
            .iter()
            .find(|d| d.line.starts_with("warning: ") && d.line.contains(needle))
            .unwrap_or_else(|| panic!("no warning with {needle:?}\n{run}"))
    };
    let layout = find("unknown front-matter key `layout` in 6 files");
    let hint = layout.hints.join(" ");
    assert!(
        hint.contains("content/2023-01-01-post-1.md:3:1")
            && hint.contains("content/2023-01-03-post-3.md:3:1")
            && !hint.contains("post-4"),
        "the first three places: {hint}"
    );
    assert!(hint.contains("extra_keys"), "{hint}");
    find("unknown front-matter key `category` in 6 files");
    // The real one is not lost among them.
    find("unknown front-matter key `tgas`");

    // -v lists every one, and check --format json too.
    let verbose = site.build(&["-v", "--no-cache"]);
    assert_eq!(verbose.stderr_lines("warning: ").len(), 13, "{verbose}");
    let json = site.run(&["check", "--format", "json"]);
    let problems: Vec<serde_json::Value> = serde_json::from_str(&json.stdout).unwrap();
    let unknown = problems
        .iter()
        .filter(|p| p["code"] == "unknown-key")
        .count();
    assert_eq!(unknown, 13, "{json}");
}
