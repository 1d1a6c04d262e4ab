//! Hardening: broken input, hostile input and misuse never lose data, never escape the output
//! folder, never inject script into a page, and never crash or hang the build.
//!
//! 1. Bad input: every kind of broken file is an error naming its file and line, all reported by
//!    one build; odd but valid files (BOM, CRLF, `.markdown`, deep folders, symlink loops, huge
//!    articles, thousands of terms) build.
//! 2. Output safety: folders that overlap the site are refused before anything is touched; a
//!    build killed at random moments leaves the old or the new output, whole.
//! 3. No injection: payloads in every front-matter field, profile and site.toml come out inert
//!    in HTML and verbatim in JSON-LD and feeds; script URLs are errors.
//! 4. Resource bounds: templates that recurse forever stop with an error. The slow bounds
//!    (100,000 files, a 50 MB article) are `#[ignore]`d here and run by `scripts/stress.sh`.
//!
//! Sites are written from the tests into temporary folders; the injection site is the fixture
//! `tests/fixtures/hardening-injection/`.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use common::{DIGEST, Output, Run, Site, children, parse_diagnostics, parse_xml};
use serde_json::Value;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const SITE_TOML: &str = r#"title = "Hardening"
base_url = "https://example.com/"
taxonomies = ["companies", "regulations", "tags"]
"#;

/// A site with [`SITE_TOML`] and nothing else.
fn new_site() -> Site {
    let site = Site::empty();
    site.write("site.toml", SITE_TOML);
    site
}

/// A valid article file: TOML front matter with a title and a date, and a body.
fn article(title: &str, date: &str) -> String {
    format!("+++\ntitle = {title:?}\ndate = {date}\n+++\nThe body of {title}.\n")
}

/// Writes raw bytes (not necessarily UTF-8) inside the site root.
fn write_bytes(site: &Site, rel: &str, bytes: &[u8]) {
    let path = site.path(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, bytes).unwrap();
}

/// Reads a child's pipe to the end on its own thread, so a chatty child never blocks on a full pipe.
fn drain(pipe: Option<impl Read + Send + 'static>) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

fn digest_command(cwd: &Path, args: &[String]) -> Command {
    let mut command = Command::new(DIGEST);
    command
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// `digest <args>` from `cwd`, killed (and the test failed) if it runs longer than `timeout`:
/// for inputs that could make a careless walker or renderer loop forever.
#[track_caller]
fn run_with_timeout(cwd: &Path, args: &[String], timeout: Duration) -> Run {
    let mut child = digest_command(cwd, args).spawn().expect("run digest");
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "digest {} did not finish in {timeout:?}: it hangs",
                args.join(" ")
            );
        }
        thread::sleep(Duration::from_millis(20));
    };
    let stderr = stderr.join().unwrap();
    Run {
        args: args.to_vec(),
        code: status.code(),
        stdout: stdout.join().unwrap(),
        diagnostics: parse_diagnostics(&stderr),
        stderr,
    }
}

/// `digest build --root ROOT --output OUT <extra>` as a list of arguments.
fn build_args(site: &Site, extra: &[&str]) -> Vec<String> {
    let mut args = vec![
        "build".to_string(),
        "--root".into(),
        site.root.display().to_string(),
        "--output".into(),
        site.out.display().to_string(),
    ];
    args.extend(extra.iter().map(|a| a.to_string()));
    args
}

/// One entry of a folder tree, symlinks recorded as links (never followed).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    Dir,
    File(Vec<u8>),
    Link(PathBuf),
}

/// Every entry under `dir` by relative path, with file bytes and link targets.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Entry> {
    fn walk(root: &Path, dir: &Path, map: &mut BTreeMap<PathBuf, Entry>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(root).unwrap().to_path_buf();
            let meta = fs::symlink_metadata(&path).unwrap();
            if meta.file_type().is_symlink() {
                map.insert(rel, Entry::Link(fs::read_link(&path).unwrap()));
            } else if meta.is_dir() {
                map.insert(rel, Entry::Dir);
                walk(root, &path, map);
            } else {
                map.insert(rel, Entry::File(fs::read(&path).unwrap()));
            }
        }
    }
    let mut map = BTreeMap::new();
    walk(dir, dir, &mut map);
    map
}

/// Two trees are equal; the message lists what differs.
#[track_caller]
fn assert_same(before: &BTreeMap<PathBuf, Entry>, after: &BTreeMap<PathBuf, Entry>, what: &str) {
    if before == after {
        return;
    }
    let mut diffs = Vec::new();
    for (path, entry) in before {
        match after.get(path) {
            None => diffs.push(format!("removed: {}", path.display())),
            Some(e) if e != entry => diffs.push(format!("changed: {}", path.display())),
            _ => {}
        }
    }
    for path in after.keys().filter(|p| !before.contains_key(*p)) {
        diffs.push(format!("added: {}", path.display()));
    }
    panic!("{what} changed:\n  {}", diffs.join("\n  "));
}

/// The names of the entries directly in `dir`.
fn names_in(dir: &Path) -> BTreeSet<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

/// The slugs of the article pages in the output (`articles/<slug>/`).
fn article_slugs(out: &Output) -> BTreeSet<String> {
    names_in(&out.dir.join("articles"))
}

// ---------------------------------------------------------------------------------------------
// 1. Bad input
// ---------------------------------------------------------------------------------------------

/// One broken file and the error it must produce: where, what, and whether a hint says how to mend it.
struct Broken {
    file: &'static str,
    text: &'static [u8],
    /// `(line, column)` in the file, the opening fence being line 1.
    at: (u32, u32),
    /// A part of the message.
    message: &'static str,
    /// A part of the `= hint:` line, when the error must carry one.
    hint: Option<&'static str>,
}

const fn broken(
    file: &'static str,
    text: &'static [u8],
    at: (u32, u32),
    message: &'static str,
    hint: Option<&'static str>,
) -> Broken {
    Broken {
        file,
        text,
        at,
        message,
        hint,
    }
}

/// Every kind of broken content file, with the exact error each must give.
const BROKEN: &[Broken] = &[
    broken(
        "content/unterminated.md",
        b"+++\ntitle = \"Never closed\"\ndate = 2023-01-01\n\nThe body.\n",
        (1, 1),
        "front matter opened with `+++` is never closed",
        Some("add a line `+++`"),
    ),
    broken(
        "content/unterminated-yaml.md",
        b"---\ntitle: Never closed\n",
        (1, 1),
        "front matter opened with `---` is never closed",
        Some("add a line `---`"),
    ),
    broken(
        "content/toml-syntax.md",
        b"+++\ntitle = \"Bad TOML\"\ndate = 2023-01-01\nx = = 1\n+++\nBody.\n",
        (4, 5),
        "invalid TOML",
        Some("TOML"),
    ),
    broken(
        "content/toml-syntax-late.md",
        b"+++\ntitle = \"Bad TOML\"\ndate = 2023-01-01\ntags = [\"a\",\n  \"b\"\n  \"c\"]\n+++\nBody.\n",
        (6, 3),
        "invalid TOML",
        Some("TOML"),
    ),
    broken(
        "content/yaml-syntax.md",
        b"---\ntitle: Bad YAML\ndate: 2023-01-01\n\ttags: [a]\n---\nBody.\n",
        (4, 1),
        "invalid YAML",
        Some("YAML"),
    ),
    broken(
        "content/yaml-duplicate.md",
        b"---\ntitle: One\ndate: 2023-01-01\ntitle: Two\n---\nBody.\n",
        (4, 1),
        "invalid YAML: duplicate entry with key \"title\"",
        Some("YAML"),
    ),
    broken(
        "content/yaml-list.md",
        b"---\n- a\n- b\n---\nBody.\n",
        (2, 1),
        "YAML front matter must be a mapping",
        None,
    ),
    broken(
        "content/no-title.md",
        b"+++\ndate = 2023-01-01\n+++\nBody.\n",
        (1, 1),
        "missing `title`",
        Some("title = \"…\""),
    ),
    broken(
        "content/no-title-yaml.md",
        b"---\ndate: 2023-01-01\n---\nBody.\n",
        (1, 1),
        "missing `title`",
        Some("title: \"…\""),
    ),
    broken(
        "content/empty-title.md",
        b"+++\ntitle = \" \"\ndate = 2023-01-01\n+++\nBody.\n",
        (2, 1),
        "`title` is empty",
        Some("headline"),
    ),
    broken(
        "content/no-date.md",
        b"+++\ntitle = \"No date\"\n+++\nBody.\n",
        (1, 1),
        "missing `date`",
        Some("date = YYYY-MM-DD"),
    ),
    // A `date` inside a table is not the article's date: the article must not vanish silently.
    broken(
        "content/date-in-extra.md",
        b"+++\ntitle = \"Date in extra\"\n[extra]\ndate = \"2023-01-01\"\n+++\nBody.\n",
        (1, 1),
        "missing `date`",
        Some("date = YYYY-MM-DD"),
    ),
    broken(
        "content/date-month-13.md",
        b"+++\ntitle = \"D\"\ndate = \"2023-13-45\"\n+++\nBody.\n",
        (3, 1),
        "`date` is not a valid date: \"2023-13-45\"",
        Some("YYYY-MM-DD"),
    ),
    broken(
        "content/date-yesterday.md",
        b"+++\ntitle = \"D\"\ndate = \"yesterday\"\n+++\nBody.\n",
        (3, 1),
        "`date` is not a valid date: \"yesterday\"",
        Some("YYYY-MM-DD"),
    ),
    broken(
        "content/date-short-day.md",
        b"+++\ntitle = \"D\"\ndate = \"2020-12-2\"\n+++\nBody.\n",
        (3, 1),
        "`date` is not a valid date: \"2020-12-2\"",
        Some("YYYY-MM-DD"),
    ),
    broken(
        "content/date-month-13-bare.md",
        b"+++\ntitle = \"D\"\ndate = 2023-13-45\n+++\nBody.\n",
        (3, 8),
        "invalid TOML: invalid date",
        Some("TOML"),
    ),
    broken(
        "content/date-yesterday-bare.md",
        b"+++\ntitle = \"D\"\ndate = yesterday\n+++\nBody.\n",
        (3, 8),
        "invalid TOML",
        Some("TOML"),
    ),
    broken(
        "content/date-short-day-bare.md",
        b"+++\ntitle = \"D\"\ndate = 2020-12-2\n+++\nBody.\n",
        (3, 8),
        "invalid TOML: invalid date",
        Some("TOML"),
    ),
    broken(
        "content/date-yaml.md",
        b"---\ntitle: D\ndate: 2020-12-2\n---\nBody.\n",
        (3, 1),
        "`date` is not a valid date: \"2020-12-2\"",
        Some("date: YYYY-MM-DD"),
    ),
    broken(
        "content/draft-string.md",
        b"+++\ntitle = \"D\"\ndate = 2023-01-01\ndraft = \"no\"\n+++\nBody.\n",
        (4, 1),
        "`draft` must be true or false, found the string \"no\"",
        Some("write `draft = false` without quotes"),
    ),
    broken(
        "content/draft-string-yaml.md",
        b"---\ntitle: D\ndate: 2023-01-01\ndraft: \"no\"\n---\nBody.\n",
        (4, 1),
        "`draft` must be true or false, found the string \"no\"",
        Some("write `draft: false` without quotes"),
    ),
    broken(
        "content/authors-number.md",
        b"+++\ntitle = \"D\"\ndate = 2023-01-01\nauthors = [\"A\", 1]\n+++\nBody.\n",
        (4, 1),
        "`authors` must be a list of strings, found the number 1",
        None,
    ),
    broken(
        "content/empty.md",
        b"",
        (1, 1),
        "missing front matter",
        Some("start the file with a line `+++`"),
    ),
    broken(
        "content/latin-1.md",
        b"+++\ntitle = \"Caf\xe9\"\ndate = 2023-01-01\n+++\nBody.\n",
        (2, 13),
        "the file is not valid UTF-8 text",
        Some("UTF-8"),
    ),
    broken(
        "content/terms-without-letters.md",
        "+++\ntitle = \"T\"\ndate = 2023-01-01\ncompanies = [\"!!!\", \"—\"]\n+++\nBody.\n"
            .as_bytes(),
        (4, 1),
        "term name \"!!!\" has no letters or digits",
        Some("name the term with words"),
    ),
    // The same file's second error (the file is written from its first entry).
    broken(
        "content/terms-without-letters.md",
        b"",
        (4, 1),
        "term name \"—\" has no letters or digits",
        Some("name the term with words"),
    ),
    broken(
        "content/slug-empty.md",
        b"+++\ntitle = \"S\"\ndate = 2023-01-01\nslug = \"\"\n+++\nBody.\n",
        (4, 1),
        "slug \"\" is not a single URL segment",
        Some("slug = "),
    ),
    broken(
        "content/slug-parent.md",
        b"+++\ntitle = \"S\"\ndate = 2023-01-01\nslug = \"../../x\"\n+++\nBody.\n",
        (4, 1),
        "slug \"../../x\" is not a single URL segment",
        Some("slug = \"x\""),
    ),
    broken(
        "content/slug-absolute.md",
        b"+++\ntitle = \"S\"\ndate = 2023-01-01\nslug = \"/etc/x\"\n+++\nBody.\n",
        (4, 1),
        "slug \"/etc/x\" is not a single URL segment",
        Some("slug = \"etc-x\""),
    ),
    broken(
        "content/lang-attribute.md",
        b"+++\ntitle = \"L\"\ndate = 2023-01-01\nlang = 'en\"><script>alert(1)</script>'\n+++\nBody.\n",
        (4, 1),
        "`lang` is not a language tag",
        Some("BCP 47"),
    ),
];

#[test]
fn every_kind_of_broken_file_is_an_error_at_its_line_and_one_build_reports_them_all() {
    let site = new_site();
    site.write("content/good.md", &article("A good article", "2023-01-01"));
    let mut written = BTreeSet::new();
    for b in BROKEN {
        if written.insert(b.file) {
            write_bytes(&site, b.file, b.text);
        }
    }
    let run = site.build(&[]);
    run.failure();
    assert!(run.stdout.is_empty(), "nothing on stdout\n{run}");

    for b in BROKEN {
        let prefix = format!("error: {}:{}:{}: ", b.file, b.at.0, b.at.1);
        let found = run
            .blocks(&prefix)
            .into_iter()
            .find(|d| d.message.contains(b.message))
            .unwrap_or_else(|| panic!("expected `{prefix}…{}…`\n{run}", b.message));
        if let Some(hint) = b.hint {
            assert!(
                found
                    .hints
                    .iter()
                    .any(|h| h.starts_with("hint: ") && h.contains(hint)),
                "{}: expected a hint with {hint:?}: {:?}",
                b.file,
                found.hints
            );
        }
    }

    // Exactly these files have errors, each error once; the good file is not named.
    let files: BTreeSet<&str> = BROKEN.iter().map(|b| b.file).collect();
    let errors: Vec<_> = run
        .diagnostics
        .iter()
        .filter(|d| d.severity == "error" && d.at.is_some())
        .collect();
    let named: BTreeSet<String> = errors.iter().map(|d| d.location().0).collect();
    assert_eq!(
        named,
        files.iter().map(|f| f.to_string()).collect(),
        "files named by errors\n{run}"
    );
    assert_eq!(errors.len(), BROKEN.len(), "one error per problem\n{run}");
    assert!(!run.stderr.contains("good.md"), "{run}");
    let last = run.stderr.lines().last().unwrap_or("");
    assert_eq!(
        last,
        format!(
            "error: build failed with {} error(s) in {} file(s); the previous output was left as it was",
            BROKEN.len(),
            files.len()
        )
    );
    assert!(!site.out.exists(), "a failed build writes no output");
}

#[test]
fn odd_but_valid_files_build() {
    let site = new_site();
    // A byte-order mark, in TOML and in YAML.
    site.write(
        "content/bom.md",
        "\u{feff}+++\ntitle = \"With a BOM\"\ndate = 2023-01-02\n+++\nBody.\n",
    );
    site.write(
        "content/bom-yaml.md",
        "\u{feff}---\ntitle: YAML with a BOM\ndate: 2023-01-03\n---\nBody.\n",
    );
    // CRLF line ends; a single string where a list is expected; a warning on line 8.
    site.write(
        "content/crlf.md",
        "+++\r\ntitle = \"CRLF\"\r\ndate = 2023-01-04\r\ntags = \"AI\"\r\n+++\r\nFirst paragraph.\r\n\r\n```klingon\r\nqapla'\r\n```\r\n",
    );
    site.write(
        "content/notes.markdown",
        &article("A .markdown file", "2023-01-05"),
    );
    let deep: String = (1..=40).map(|i| format!("level-{i}/")).collect();
    site.write(
        &format!("content/{deep}deep.md"),
        &article("Forty folders down", "2023-01-06"),
    );
    // A folder named like an article, holding no article.
    site.write("content/x.md/readme.txt", "not an article\n");
    // Symlink loops: to an ancestor and to the folder itself, beside a real article.
    site.write(
        "content/loop/a/real.md",
        &article("Beside the loops", "2023-01-07"),
    );
    std::os::unix::fs::symlink("..", site.path("content/loop/a/back")).unwrap();
    std::os::unix::fs::symlink(".", site.path("content/loop/here")).unwrap();
    // A link to itself, a dangling link, a named pipe and an endless device: none is read.
    std::os::unix::fs::symlink("self.md", site.path("content/self.md")).unwrap();
    std::os::unix::fs::symlink("/nonexistent/x.md", site.path("content/dangling.md")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", site.path("content/zero.md")).unwrap();
    let fifo = std::ffi::CString::new(
        site.path("content/fifo.md")
            .into_os_string()
            .into_encoded_bytes(),
    )
    .unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);

    let run = run_with_timeout(&site.root, &build_args(&site, &[]), Duration::from_secs(60));
    run.success();
    let out = site.output();
    assert_eq!(
        article_slugs(&out),
        BTreeSet::from(["bom", "bom-yaml", "crlf", "deep", "notes", "real"].map(String::from)),
        "{run}"
    );
    for (slug, title) in [
        ("bom", "With a BOM"),
        ("bom-yaml", "YAML with a BOM"),
        ("crlf", "CRLF"),
        ("notes", "A .markdown file"),
        ("deep", "Forty folders down"),
        ("real", "Beside the loops"),
    ] {
        let page = out.page(&out.url(&format!("articles/{slug}/")));
        assert_eq!(page.h1(), title, "{slug}");
    }
    let crlf = out.page(&out.url("articles/crlf/"));
    assert_eq!(crlf.texts(".prose p"), ["First paragraph."]);
    let code: String = crlf.select(".prose pre")[0].text().collect();
    assert_eq!(code, "qapla'\n");
    assert!(
        !out.read(&out.url("articles/crlf/")).contains('\r'),
        "no carriage return reaches the page"
    );
    // "AI" was a string, read as a one-item list.
    assert_eq!(out.page(&out.url("tags/ai/")).article_titles(), ["CRLF"]);

    // Warnings name the loops and the unknown language at its line in the CRLF file.
    let loops: BTreeSet<String> = run
        .diagnostics
        .iter()
        .filter(|d| d.message == "symbolic link loop; skipped")
        .map(|d| d.at.clone().unwrap_or_default())
        .collect();
    assert_eq!(
        loops,
        BTreeSet::from(["content/loop/a/back", "content/loop/here"].map(String::from)),
        "{run}"
    );
    for file in ["content/self.md", "content/dangling.md"] {
        let d = run.block(&format!("warning: {file}: cannot read"));
        assert!(d.message.contains(file), "{d:?}");
    }
    assert!(
        run.diagnostics.iter().all(|d| d.severity == "warning"),
        "{run}"
    );
    let klingon = run.block("warning: content/crlf.md:8:1: unknown code language `klingon`");
    klingon.has_hint();
}

#[test]
fn a_5_mb_article_builds() {
    let site = new_site();
    let paragraph = "The regulator said *on Tuesday* that [the rules](https://example.org/) apply to `every` model.\n\n";
    let mut body = String::with_capacity(5_300_000);
    let mut sections = 0;
    while body.len() < 5 * 1024 * 1024 {
        sections += 1;
        body.push_str(&format!("## Section {sections}\n\n"));
        for _ in 0..40 {
            body.push_str(paragraph);
        }
    }
    site.write(
        "content/big.md",
        &format!("+++\ntitle = \"Five megabytes\"\ndate = 2023-01-01\n+++\n{body}"),
    );
    site.write("content/small.md", &article("Small", "2023-01-02"));
    let run = site.build(&[]);
    run.success();
    let out = site.output();
    let page = out.read(&out.url("articles/big/"));
    assert!(page.len() > 5 * 1024 * 1024, "{} bytes", page.len());
    assert!(page.contains(&format!("Section {sections}</h2>")));
    out.assert_exists(&out.url("articles/small/"));
}

#[test]
fn an_article_with_2000_companies_gets_2000_term_pages() {
    let site = Site::empty();
    // Term feeds are off and the card lists no terms: with the built-in card and feeds, every
    // one of the 2,000 term pages and 6,000 term feeds lists all 2,000 names (860 MB of output,
    // 30 s in a debug build). The ignored test below and scripts/stress.sh build that case.
    site.write(
        "site.toml",
        "title = \"Many\"\nbase_url = \"https://example.com/\"\ntaxonomies = [{ name = \"companies\", feed = false }]\n",
    );
    site.write(
        "templates/partials/card.html",
        "<article class=\"card\"><h2><a href=\"{{ article.url }}\">{{ article.title }}</a></h2></article>\n",
    );
    let names: Vec<String> = (0..2000).map(|i| format!("\"Company {i}\"")).collect();
    site.write(
        "content/many.md",
        &format!(
            "+++\ntitle = \"Two thousand companies\"\ndate = 2023-01-01\ncompanies = [{}]\n+++\nBody.\n",
            names.join(", ")
        ),
    );
    let run = site.build(&[]);
    run.success();
    assert!(run.stdout.contains("2000 terms"), "{run}");
    let out = site.output();
    let terms: BTreeSet<String> = names_in(&out.dir.join("companies"))
        .into_iter()
        .filter(|n| n != "index.html")
        .collect();
    assert_eq!(terms.len(), 2000);
    for i in [0, 999, 1999] {
        let page = out.page(&out.url(&format!("companies/company-{i}/")));
        assert_eq!(page.h1(), format!("Company {i}"));
        assert_eq!(page.article_titles(), ["Two thousand companies"]);
    }
}

#[test]
fn hostile_slugs_write_nothing_anywhere() {
    let site = new_site();
    site.write("content/good.md", &article("Good", "2023-01-01"));
    let out = site.build_ok(&[]);
    let good = tree(&out.dir);
    for (file, slug) in [
        ("content/empty.md", ""),
        ("content/up.md", "../../x"),
        ("content/up-index.md", "../../index.html"),
        ("content/etc.md", "/etc/x"),
        ("content/dot.md", ".."),
        ("content/backslash.md", "..\\\\x"),
    ] {
        site.write(
            file,
            &format!("+++\ntitle = \"T\"\ndate = 2023-01-02\nslug = \"{slug}\"\n+++\nBody.\n"),
        );
    }
    let before = tree(site.tmp());
    let etc_x = Path::new("/etc/x").exists();
    let beside_tmp = site.tmp().parent().unwrap().join("x").exists();
    let run = site.build(&["--no-cache"]);
    run.failure();
    for file in [
        "content/empty.md",
        "content/up.md",
        "content/up-index.md",
        "content/etc.md",
        "content/dot.md",
        "content/backslash.md",
    ] {
        let d = run.block(&format!("error: {file}:4:1: slug "));
        assert!(d.message.ends_with("is not a single URL segment"), "{d:?}");
    }
    assert_same(
        &before,
        &tree(site.tmp()),
        "the site, its output and what is beside them",
    );
    assert_same(&good, &tree(&out.dir), "the previous output");
    assert_eq!(Path::new("/etc/x").exists(), etc_x);
    assert_eq!(site.tmp().parent().unwrap().join("x").exists(), beside_tmp);
}

// ---------------------------------------------------------------------------------------------
// 2. Output safety
// ---------------------------------------------------------------------------------------------

/// A site with files in content/, templates/ and static/, and symlinks beside it to each.
fn site_with_every_folder() -> Site {
    let site = new_site();
    site.write("content/a.md", &article("A", "2023-01-01"));
    site.write(
        "templates/article.html",
        "{% extends \"base.html\" %}{% block content %}<h1>{{ article.title }}</h1>{% endblock content %}\n",
    );
    site.write("static/extra.txt", "static\n");
    site.write("static/sub/more.txt", "more\n");
    let tmp = site.tmp();
    for (link, target) in [
        ("link-to-site", site.root.clone()),
        ("link-to-content", site.path("content")),
        ("link-to-templates", site.path("templates")),
        ("link-to-static", site.path("static")),
        ("link-to-parent", tmp.to_path_buf()),
    ] {
        std::os::unix::fs::symlink(target, tmp.join(link)).unwrap();
    }
    site
}

#[test]
fn output_folders_that_overlap_the_site_are_refused_before_anything_is_touched() {
    let site = site_with_every_folder();
    let tmp = site.tmp().to_path_buf();
    let before = tree(&tmp);
    let cases: Vec<(String, &str)> = vec![
        (".".into(), "site folder"),
        (site.root.display().to_string(), "site folder"),
        ("..".into(), "site folder"),
        ("../..".into(), "site folder"),
        ("content".into(), "content/"),
        ("content/articles".into(), "content/"),
        ("./content/../content".into(), "content/"),
        ("templates".into(), "templates/"),
        ("templates/out".into(), "templates/"),
        ("static".into(), "static/"),
        ("static/sub".into(), "static/"),
        (
            tmp.join("link-to-site").display().to_string(),
            "site folder",
        ),
        (
            tmp.join("link-to-parent").display().to_string(),
            "site folder",
        ),
        (
            tmp.join("link-to-content").display().to_string(),
            "content/",
        ),
        (
            tmp.join("link-to-templates").display().to_string(),
            "templates/",
        ),
        (tmp.join("link-to-static").display().to_string(), "static/"),
        (
            tmp.join("link-to-static/new").display().to_string(),
            "static/",
        ),
    ];
    for (output, what) in &cases {
        for force in [false, true] {
            let mut args = vec!["build", "--output", output.as_str(), "--no-cache"];
            if force {
                args.push("--force");
            }
            let run = site.run(&args);
            run.failure();
            let errors = run.stderr_lines("error: ");
            assert_eq!(errors.len(), 1, "one error\n{run}");
            let error = errors[0];
            assert!(
                error.contains("output folder") && error.contains(what),
                "--output {output}: the error should name the {what}\n{run}"
            );
            assert_same(
                &before,
                &tree(&tmp),
                &format!("the site and its surroundings after --output {output}"),
            );
        }
    }
}

#[test]
fn a_file_or_a_foreign_folder_as_output_is_refused_and_force_replaces_only_the_folder() {
    let site = new_site();
    site.write("content/a.md", &article("A", "2023-01-01"));
    let tmp = site.tmp().to_path_buf();

    // A file: refused even with --force.
    fs::write(tmp.join("notes.txt"), "my notes\n").unwrap();
    let before = tree(&tmp);
    for force in [&[][..], &["--force"][..]] {
        let mut args = vec!["build", "--output"];
        let target = tmp.join("notes.txt").display().to_string();
        args.push(&target);
        args.extend_from_slice(force);
        let run = site.run(&args);
        run.failure();
        run.stderr_has("is not a folder");
        assert_same(&before, &tree(&tmp), "the site after --output notes.txt");
    }

    // Folders digest did not write: with files, with only hidden files, with a folder named
    // like the marker, and through a symlink. Each is refused without --force.
    fs::create_dir_all(tmp.join("photos/2023")).unwrap();
    fs::write(tmp.join("photos/2023/cat.jpg"), b"\xff\xd8cat").unwrap();
    fs::create_dir_all(tmp.join("repo/.git")).unwrap();
    fs::write(tmp.join("repo/.git/HEAD"), "ref: refs/heads/main\n").unwrap();
    fs::create_dir_all(tmp.join("fake/.digest-output")).unwrap();
    fs::write(tmp.join("fake/page.html"), "mine\n").unwrap();
    std::os::unix::fs::symlink(tmp.join("photos"), tmp.join("link-to-photos")).unwrap();
    // The foreign folder links to another folder: --force must not delete through the link.
    fs::create_dir_all(tmp.join("precious")).unwrap();
    fs::write(tmp.join("precious/thesis.tex"), "months of work\n").unwrap();
    std::os::unix::fs::symlink(tmp.join("precious"), tmp.join("photos/2023/precious")).unwrap();
    std::os::unix::fs::symlink(tmp.join("precious"), tmp.join("photos/precious")).unwrap();
    let before = tree(&tmp);
    for folder in ["photos", "repo", "fake", "link-to-photos"] {
        let target = tmp.join(folder).display().to_string();
        let run = site.run(&["build", "--output", &target]);
        run.failure();
        run.stderr_has(".digest-output").stderr_has("--force");
        assert_same(
            &before,
            &tree(&tmp),
            &format!("the site after --output {folder}"),
        );
    }

    // --force through the symlink replaces the folder it points to, and only that.
    let target = tmp.join("link-to-photos").display().to_string();
    site.run(&["build", "--output", &target, "--force"])
        .success();
    assert!(
        fs::symlink_metadata(tmp.join("link-to-photos"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(tmp.join("photos/.digest-output").is_file());
    assert!(tmp.join("photos/articles/a/index.html").is_file());
    assert!(!tmp.join("photos/2023").exists());
    let outside = |tree: BTreeMap<PathBuf, Entry>| -> BTreeMap<PathBuf, Entry> {
        tree.into_iter()
            .filter(|(p, _)| !p.starts_with("photos"))
            .collect()
    };
    assert_same(
        &outside(before),
        &outside(tree(&tmp)),
        "everything but the forced output folder",
    );
}

#[test]
fn a_symlink_named_like_the_staging_folder_is_removed_not_followed() {
    let site = new_site();
    site.write("content/a.md", &article("A", "2023-01-01"));
    let elsewhere = site.tmp().join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    fs::write(elsewhere.join("index.html"), "someone else's page\n").unwrap();
    let before = tree(&elsewhere);
    for what in ["staging", "old"] {
        std::os::unix::fs::symlink(&elsewhere, site.tmp().join(format!(".out.digest-{what}")))
            .unwrap();
    }
    let out = site.build_ok(&[]);
    out.assert_exists(&out.url("articles/a/"));
    assert_same(
        &before,
        &tree(&elsewhere),
        "the folder the links pointed to",
    );
    assert_eq!(
        names_in(site.tmp()),
        BTreeSet::from(["elsewhere", "out", "site"].map(String::from))
    );
}

#[test]
fn nothing_from_outside_the_site_is_published_through_static() {
    let site = new_site();
    site.write("content/a.md", &article("A", "2023-01-01"));
    site.write("static/style-extra.css", "body {}\n");
    site.write("static/.git/config", "[core]\n");
    site.write(
        "static/.well-known/security.txt",
        "Contact: mailto:x@example.com\n",
    );
    let secret = site.tmp().join("secret");
    fs::create_dir_all(&secret).unwrap();
    fs::write(secret.join("id_rsa"), "PRIVATE KEY\n").unwrap();
    std::os::unix::fs::symlink(&secret, site.path("static/keys")).unwrap();
    std::os::unix::fs::symlink(secret.join("id_rsa"), site.path("static/id_rsa")).unwrap();
    let (run, out) = site.build_run(&[]);
    out.assert_exists(&out.url("style-extra.css"));
    out.assert_exists(&out.url(".well-known/security.txt"));
    for missing in ["keys/id_rsa", "id_rsa", ".git/config"] {
        out.assert_missing(&out.url(missing));
    }
    for link in ["static/keys/id_rsa", "static/id_rsa"] {
        assert!(
            run.stderr
                .lines()
                .any(|l| l.contains(link) && l.contains("outside the site")),
            "a warning names {link}\n{run}"
        );
    }
    let published = out.files();
    assert!(
        published
            .iter()
            .all(|f| !fs::read(out.dir.join(f)).unwrap().starts_with(b"PRIVATE")),
        "{published:?}"
    );
}

/// A small deterministic generator for kill delays (no rand crate here); the seed is printed
/// so a failing run can be repeated with `DIGEST_KILL_SEED`.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// `.out.digest-staging` and `.out.digest-old` beside the output.
fn leftovers(site: &Site) -> Vec<String> {
    names_in(site.tmp())
        .into_iter()
        .filter(|n| n.starts_with(".out.digest-"))
        .collect()
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_old_or_the_new_output_whole() {
    const ARTICLES: usize = 200;
    const KILLS: usize = 15;
    let site = Site::empty();
    site.write(
        "site.toml",
        "title = \"Kill\"\nbase_url = \"https://example.com/\"\ntaxonomies = [\"companies\", \"tags\"]\n",
    );
    let companies = ["Alibaba", "Baidu", "Tencent", "OpenAI", "ByteDance", "Meta"];
    let write_article = |i: usize, title: &str| {
        site.write(
            &format!("content/{:04}-{i:03}.md", 2000 + i % 24),
            &format!(
                "+++\ntitle = {title:?}\ndate = {}-{:02}-{:02}\ncompanies = [{:?}, {:?}]\ntags = [\"T{}\"]\n+++\nStory {i}.\n\nA second paragraph.\n",
                2000 + i % 24,
                1 + i % 12,
                1 + i % 28,
                companies[i % 6],
                companies[(i + 1) % 6],
                i % 15
            ),
        )
    };
    for i in 0..ARTICLES {
        write_article(i, &format!("Story {i}"));
    }
    let args = build_args(&site, &["--no-cache", "-q"]);
    let started = Instant::now();
    site.build(&["--no-cache", "-q"]).success();
    // How long a build takes here and now; updated after every rebuild below.
    let mut full = started.elapsed();
    let mut current = tree(&site.out);
    assert!(current.len() > 2 * ARTICLES);

    let seed = std::env::var("DIGEST_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    eprintln!("kill test: DIGEST_KILL_SEED={seed}, a full build takes {full:?}");
    let mut rng = XorShift(seed);
    let mut outcomes = BTreeMap::<&str, usize>::new();
    for kill in 0..KILLS {
        write_article(kill * 7 % ARTICLES, &format!("Story edited {kill}"));
        // Even kills land in the first 300 ms (reading and writing pages); odd ones around the
        // end of the build (the last pages, the swap, the removal of the previous build).
        let full_ms = full.as_millis() as u64;
        let delay = if kill % 2 == 0 {
            rng.next() % 300
        } else {
            full_ms * 6 / 10 + rng.next() % (full_ms * 7 / 10 + 1)
        };
        let mut child: Child = digest_command(&site.root, &args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        thread::sleep(Duration::from_millis(delay));
        let _ = child.kill(); // SIGKILL; an error means it had already exited
        let status = child.wait().unwrap();
        let killed = tree(&site.out);
        let strays = leftovers(&site);
        assert!(
            strays.len() <= 1,
            "kill {kill} after {delay} ms: several temporary folders: {strays:?}"
        );

        // The next build cleans up and gives the new output.
        let started = Instant::now();
        site.build(&["--no-cache", "-q"]).success();
        full = started.elapsed();
        let new = tree(&site.out);
        assert_ne!(new, current, "the edit changes the output");
        assert!(
            leftovers(&site).is_empty(),
            "kill {kill}: a successful build leaves no temporary folder: {:?}",
            leftovers(&site)
        );
        let outcome = if killed == current {
            "old"
        } else if killed == new {
            "new"
        } else {
            assert_same(
                &current,
                &killed,
                &format!(
                    "kill {kill} after {delay} ms (exit {status:?}): the output is neither the old build nor the new one"
                ),
            );
            unreachable!()
        };
        *outcomes.entry(outcome).or_default() += 1;
        if !strays.is_empty() {
            *outcomes.entry("with a leftover folder").or_default() += 1;
        }
        current = new;
    }
    eprintln!("kill test outcomes: {outcomes:?}");
}

// ---------------------------------------------------------------------------------------------
// 3. No injection
// ---------------------------------------------------------------------------------------------

const SITE_TITLE: &str =
    r#"<script>alert(1)</script> "><img src=x onerror=alert(1)> ]]> {{ site.title }}"#;
const SITE_DESCRIPTION: &str =
    r#"</script><script>alert(1)</script> {% raw %} ]]> "><img src=x onerror=alert(1)>"#;
const TITLE: &str =
    r#"<script>alert(1)</script> "><img src=x onerror=alert(1)> {{ site.title }} {% raw %}"#;
const AUTHORS: [&str; 3] = [
    "</script><script>alert(1)</script>",
    "x' onmouseover='alert(1)",
    "{{ site.title }} ]]>",
];
const SUMMARY: &str = r#""><img src=x onerror=alert(1)> ]]> {{ site.title }} {% raw %} </script><script>alert(1)</script>"#;
/// The article's companies as shown: the alias is filed under the profile's name.
const COMPANIES: [&str; 3] = [
    r#""><img src=x onerror=alert(1)> Evil {{ site.title }}"#,
    "</script><script>alert(1)</script> Corp",
    "{{ site.title }} Inc",
];
const REGULATION: &str = "]]> Rule {% raw %}";
const TAGS: [&str; 2] = ["{% raw %}", "x ]]> y"];
const SOURCE_NAME: &str = "</script><script>alert(1)</script> {{ site.title }}";
const SOURCE_URL: &str = r#"https://example.org/story?q="><script>alert(1)</script>&x=]]>"#;
const WEBSITE: &str = r#"https://example.org/?q="><script>alert(1)</script>"#;
const PROFILE_SUMMARY: &str = "</script><script>alert(1)</script> ]]> {% raw %}";
const ALIAS: &str = "<script>alert(1)</script> Evil";
const JURISDICTION: &str = "<script>alert(1)</script>";
const STATUS: &str = r#""><img src=x onerror=alert(1)>"#;
const EVENT: &str = "</script><script>alert(1)</script> ]]> {{ site.title }}";

/// Every string of a JSON value, recursively.
fn json_strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| json_strings(v, out)),
        Value::Object(map) => map.values().for_each(|v| json_strings(v, out)),
        _ => {}
    }
}

#[test]
fn hostile_values_are_inert_on_every_page() {
    let site = Site::fixture("hardening-injection");
    let out = site.build_ok(&[]);
    let url_attrs = [
        "href",
        "src",
        "action",
        "formaction",
        "srcset",
        "poster",
        "data",
        "xlink:href",
    ];
    let mut pages = 0;
    let mut json_ld = 0;
    for file in out.html_files() {
        pages += 1;
        let url = out.url_of_file(&file);
        let page = out.page(&url);
        for el in page.select("*") {
            let name = el.value().name();
            assert!(
                !["iframe", "object", "embed", "base"].contains(&name),
                "{url}: a <{name}> element"
            );
            // The only forms are digest's search forms, which lead to its search page.
            if name == "form" {
                assert_eq!(el.value().attr("role"), Some("search"), "{url}");
                assert_eq!(
                    el.value().attr("action"),
                    Some(out.url("search/").as_str()),
                    "{url}: a <form> that is not digest's search form"
                );
            }
            for (attr, value) in el.value().attrs() {
                assert!(
                    !attr.to_ascii_lowercase().starts_with("on"),
                    "{url}: <{name} {attr}={value:?}> is an event handler"
                );
                if url_attrs.contains(&attr) {
                    let scheme: String = value
                        .chars()
                        .filter(|c| !c.is_whitespace() && !c.is_control())
                        .collect::<String>()
                        .to_ascii_lowercase();
                    for bad in ["javascript:", "vbscript:", "data:"] {
                        assert!(!scheme.starts_with(bad), "{url}: <{name} {attr}={value:?}>");
                    }
                }
            }
            if name == "img" {
                assert_ne!(
                    el.value().attr("src"),
                    Some("x"),
                    "{url}: an <img> came out of a value"
                );
            }
        }
        // No script but JSON-LD (the live-reload script belongs to `digest serve` only).
        for script in page.select("script") {
            // The search page's own script, the one script digest ships.
            if script.value().attr("src") == Some(out.url("search.js").as_str()) {
                continue;
            }
            assert_eq!(
                script.value().attr("type"),
                Some("application/ld+json"),
                "{url}: {}",
                script.html()
            );
            assert!(script.value().attr("src").is_none(), "{url}");
            let raw: String = script.text().collect();
            let json: Value = serde_json::from_str(&raw)
                .unwrap_or_else(|e| panic!("{url}: JSON-LD does not parse: {e}\n{raw}"));
            json_ld += 1;
            // Values round-trip exactly: nothing HTML-escaped inside JSON.
            let mut strings = Vec::new();
            json_strings(&json, &mut strings);
            for s in &strings {
                assert!(
                    !s.contains("&lt;") && !s.contains("&amp;") && !s.contains("&quot;"),
                    "{url}: JSON-LD holds an escaped value: {s:?}"
                );
            }
            if json["headline"] == TITLE {
                let names = |key: &str| -> Vec<String> {
                    json[key]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|a| a["name"].as_str().unwrap().to_string())
                        .collect()
                };
                assert_eq!(names("author"), AUTHORS);
                let about = names("about");
                for name in COMPANIES.iter().chain([&REGULATION]) {
                    assert!(
                        about.iter().any(|a| a == name),
                        "{url}: about {about:?} lacks {name:?}"
                    );
                }
                assert_eq!(json["description"], SUMMARY);
                assert_eq!(json["publisher"]["name"], SITE_TITLE);
                assert!(
                    strings.iter().any(|s| s == JURISDICTION),
                    "{url}: {strings:?}"
                );
            }
        }
        // The site's name and description, verbatim, on every page.
        assert_eq!(page.text(".site-title"), SITE_TITLE, "{url}");
    }
    assert!(pages > 15, "{pages} pages");
    assert_eq!(json_ld, 2, "one JSON-LD block per article");

    // Front matter is printed as written, never evaluated as a template.
    let article = out.page(&out.url("articles/hostile/"));
    assert_eq!(article.h1(), TITLE);
    assert!(article.title().starts_with(TITLE), "{}", article.title());
    assert_eq!(
        article.attr("meta[name=\"description\"]", "content"),
        SUMMARY
    );
    assert_eq!(
        article.attr("meta[property=\"og:title\"]", "content"),
        TITLE
    );
    let main = article.text("main");
    for author in AUTHORS {
        assert!(main.contains(author), "byline lacks {author:?}: {main}");
    }
    assert!(main.contains(SOURCE_NAME), "{main}");
    assert!(
        article
            .attrs("main a", "href")
            .contains(&SOURCE_URL.to_string()),
        "the source link is the URL as written: {:?}",
        article.attrs("main a", "href")
    );
    let image = article.attr("meta[property=\"og:image\"]", "content");
    assert_eq!(
        image,
        r#"https://example.com/news/img/"><img src=x onerror=alert(1)>.png"#
    );
    let chips = article.texts(".term-groups a.chip");
    let mut expected: Vec<&str> = COMPANIES.to_vec();
    expected.push(REGULATION);
    expected.extend(TAGS);
    assert_eq!(chips, expected);
    let home = out.page(&out.url(""));
    assert_eq!(
        home.attr("meta[name=\"description\"]", "content"),
        SITE_DESCRIPTION
    );
    assert!(home.article_titles().contains(&TITLE.to_string()));

    // Profiles: name, alias, website, summary; regulation fields and timeline.
    let evil = out.page(&out.url("companies/evil/"));
    assert_eq!(evil.h1(), COMPANIES[0]);
    let header = evil.text(".term-header");
    assert!(header.contains(ALIAS), "{header}");
    assert!(header.contains(PROFILE_SUMMARY), "{header}");
    assert!(evil.attrs("main a", "href").contains(&WEBSITE.to_string()));
    let rule = out.page(&out.url("regulations/rule/"));
    assert_eq!(rule.h1(), REGULATION);
    let main = rule.text("main");
    for value in [JURISDICTION, STATUS, EVENT] {
        assert!(main.contains(value), "{value:?} missing from {main}");
    }
    for (name, slug) in [
        (COMPANIES[1], "script-script-alert-1-script-corp"),
        (COMPANIES[2], "site-title-inc"),
    ] {
        assert_eq!(out.page(&out.url(&format!("companies/{slug}/"))).h1(), name);
    }
}

#[test]
fn hostile_values_come_out_of_every_feed_verbatim() {
    let site = Site::fixture("hardening-injection");
    let out = site.build_ok(&[]);
    let mut xml_files = 0;
    let mut json_files = 0;
    for file in out.files() {
        let name = file.to_string_lossy().into_owned();
        if name.ends_with(".xml") {
            xml_files += 1;
            let text = out.read(&name);
            let doc = parse_xml(&name, &text);
            // No feed element carries markup: the payloads are text.
            assert!(
                doc.descendants()
                    .all(|n| !n.is_element() || !["script", "img"].contains(&n.tag_name().name())),
                "{name}: an element came out of a value"
            );
        } else if name.ends_with(".json") {
            json_files += 1;
            serde_json::from_str::<Value>(&out.read(&name))
                .unwrap_or_else(|e| panic!("{name} is not JSON: {e}"));
        }
    }
    assert!(
        xml_files >= 20 && json_files >= 8,
        "{xml_files} XML, {json_files} JSON"
    );

    // Atom.
    let atom = out.read("atom.xml");
    let doc = parse_xml("atom.xml", &atom);
    let feed = doc.root_element();
    assert_eq!(common::child_text(feed, "title"), SITE_TITLE);
    let entry = children(feed, "entry")
        .into_iter()
        .find(|e| common::child_text(*e, "title") == TITLE)
        .expect("an Atom entry titled with the payload, verbatim");
    let authors: Vec<String> = children(entry, "author")
        .into_iter()
        .map(|a| common::child_text(a, "name"))
        .collect();
    assert_eq!(authors, AUTHORS);
    assert_eq!(common::child_text(entry, "summary"), SUMMARY);
    let categories: Vec<&str> = children(entry, "category")
        .into_iter()
        .map(|c| c.attribute("term").unwrap())
        .collect();
    for name in COMPANIES.iter().chain(TAGS.iter()).chain([&REGULATION]) {
        assert!(
            categories.contains(name),
            "Atom categories {categories:?} lack {name:?}"
        );
    }

    // RSS.
    let rss = out.read("rss.xml");
    let doc = parse_xml("rss.xml", &rss);
    let channel = children(doc.root_element(), "channel")[0];
    assert_eq!(common::child_text(channel, "title"), SITE_TITLE);
    assert_eq!(common::child_text(channel, "description"), SITE_DESCRIPTION);
    let item = children(channel, "item")
        .into_iter()
        .find(|i| common::child_text(*i, "title").contains("&lt;script&gt;"))
        .expect("an RSS item titled with the payload, HTML-escaped");
    // An item's title and description are HTML: what a reader shows is the HTML's text.
    let as_html = |xml_text: String| {
        scraper::Html::parse_fragment(&xml_text)
            .root_element()
            .text()
            .collect::<String>()
    };
    assert_eq!(as_html(common::child_text(item, "description")), SUMMARY);
    assert_eq!(as_html(common::child_text(item, "title")), TITLE);
    let creators: Vec<String> = children(item, "creator")
        .into_iter()
        .map(|c| c.text().unwrap_or("").to_string())
        .collect();
    assert_eq!(creators, AUTHORS);

    // JSON Feed.
    let json: Value = serde_json::from_str(&out.read("feed.json")).unwrap();
    assert_eq!(json["title"], SITE_TITLE);
    let item = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["title"] == TITLE)
        .expect("a JSON Feed item titled with the payload");
    assert_eq!(item["summary"], SUMMARY);
    let authors: Vec<&str> = item["authors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(authors, AUTHORS);
    let tags: Vec<&str> = item["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    for name in COMPANIES.iter().chain(TAGS.iter()) {
        assert!(tags.contains(name), "JSON Feed tags {tags:?} lack {name:?}");
    }

    // A term's channel description is text: what a reader decodes is the name, verbatim.
    let term_rss = out.read("companies/evil/rss.xml");
    let doc = parse_xml("companies/evil/rss.xml", &term_rss);
    let channel = children(doc.root_element(), "channel")[0];
    assert_eq!(
        common::child_text(channel, "description"),
        format!("Stories about {} in {SITE_TITLE}", COMPANIES[0])
    );

    // The profile's term feed is titled with its name, verbatim.
    let term = out.read("companies/evil/atom.xml");
    let doc = parse_xml("companies/evil/atom.xml", &term);
    let title = common::child_text(doc.root_element(), "title");
    assert!(title.starts_with(COMPANIES[0]), "{title}");
}

#[test]
fn control_characters_in_front_matter_leave_every_feed_well_formed() {
    let site = new_site();
    // TOML escapes are the only way to write them; XML 1.0 cannot carry them at all.
    site.write(
        "content/ctl.md",
        "+++\ntitle = \"Bell \\u0007 and \\uFFFE in a title\"\ndate = 2023-01-01\nauthors = [\"Nul \\u0000 author\"]\nsummary = \"Escape \\u001b summary\"\ncompanies = [\"Tab\\u0001 Co\"]\n[source]\nname = \"Src \\u0002\"\nurl = \"https://example.org/\"\n+++\nBody \u{1} with a control character.\n",
    );
    let out = site.build_ok(&[]);
    for file in out.files() {
        let name = file.to_string_lossy().into_owned();
        if name.ends_with(".xml") {
            parse_xml(&name, &out.read(&name));
        } else if name.ends_with(".json") {
            serde_json::from_str::<Value>(&out.read(&name))
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
    let doc_text = out.read("atom.xml");
    let doc = parse_xml("atom.xml", &doc_text);
    let entry = children(doc.root_element(), "entry")[0];
    assert_eq!(common::child_text(entry, "title"), "Bell  and  in a title");
    let page = out.page(&out.url("articles/ctl/"));
    assert_eq!(page.h1(), "Bell and in a title");
}

/// One article or profile with a script URL in one field, and where the error must point.
fn script_url_files() -> Vec<(String, String, u32, &'static str)> {
    let payloads = [
        ("js", "javascript:alert(1)"),
        ("js-upper", " JAVASCRIPT:alert(1)"),
        ("js-tab", "java\\tscript:alert(1)"),
        ("data", "data:text/html,<script>alert(1)</script>"),
        ("vbscript", "vbscript:msgbox(1)"),
    ];
    let mut files = Vec::new();
    for (id, url) in payloads {
        files.push((
            format!("content/articles/source-{id}.md"),
            format!("+++\ntitle = \"S\"\ndate = 2023-01-01\n[source]\nname = \"N\"\nurl = \"{url}\"\n+++\nBody.\n"),
            6,
            "`source.url` must be an http(s) or relative URL",
        ));
        files.push((
            format!("content/articles/image-{id}.md"),
            format!("+++\ntitle = \"I\"\ndate = 2023-01-01\nimage = \"{url}\"\n+++\nBody.\n"),
            4,
            "`image` must be an http(s) or relative URL",
        ));
        files.push((
            format!("content/companies/website-{id}.md"),
            format!("+++\nname = \"Web {id}\"\nwebsite = \"{url}\"\n+++\nProfile.\n"),
            3,
            "`website` must be an http(s) or relative URL",
        ));
    }
    files
}

#[test]
fn script_and_data_urls_in_front_matter_are_errors_naming_the_file() {
    let site = new_site();
    site.write("content/articles/good.md", &article("Good", "2023-01-01"));
    let files = script_url_files();
    for (file, text, _, _) in &files {
        site.write(file, text);
    }
    let run = site.build(&[]);
    run.failure();
    for (file, _, line, message) in &files {
        let d = run.block(&format!("error: {file}:{line}:1: "));
        assert!(d.message.starts_with(message), "{file}: {d:?}");
        d.has_hint();
    }
    let errors = run
        .diagnostics
        .iter()
        .filter(|d| d.severity == "error" && d.at.is_some())
        .count();
    assert_eq!(errors, files.len(), "{run}");
    assert!(!site.out.exists());
}

/// A body with raw HTML and script links in every form Markdown allows.
const HOSTILE_BODY: &str = r##"Raw <script>alert(1)</script> and <img src=x onerror=alert(1)> inline.

<div onclick="alert(1)">a block of raw HTML</div>

<script>alert(2)</script>

[a](javascript:alert(1)) [b]( JAVASCRIPT:alert(1)) [c](java&#115;cript:alert(1)) [d](&#x6A;avascript:alert(1))
<javascript:alert(1)> ![e](data:text/html,x) [f][ref] [g](vbscript:msgbox(1)) [h](<javascript:alert(1)>)
[i](https://example.org/"onmouseover="alert(1)) [j](https://example.org/ "t\" onmouseover=\"alert(1)")

# Heading {#x" onclick="alert(1)}

```"><script>alert(1)</script>
code
```

[ref]: javascript:alert(1)
"##;

/// The Markdown links of [`HOSTILE_BODY`] all lead nowhere, or where they said, inertly.
#[track_caller]
fn assert_links_are_inert(page: &common::Page) {
    let hrefs = page.attrs(".prose a", "href");
    assert_eq!(hrefs.len(), 10, "{hrefs:?}");
    for href in &hrefs[..8] {
        assert_eq!(href, "#", "{hrefs:?}");
    }
    assert_eq!(hrefs[8], "https://example.org/%22onmouseover=%22alert(1)");
    assert_eq!(hrefs[9], "https://example.org/");
    assert_eq!(
        page.attrs(".prose img", "src").last().map(String::as_str),
        Some("#")
    );
    assert_eq!(page.attr(".prose h2", "id"), "x\"");
    let code = page.select(".prose pre");
    assert_eq!(code.len(), 1);
    assert_eq!(
        code[0].value().attr("data-lang"),
        Some(r#""><script>alert(1)</script>"#)
    );
}

#[test]
fn raw_html_and_script_links_in_markdown_are_neutralised_with_unsafe_html_false() {
    let site = Site::empty();
    site.write(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://example.com/\"\n[markdown]\nunsafe_html = false\n",
    );
    site.write(
        "content/a.md",
        &format!("+++\ntitle = \"A\"\ndate = 2023-01-01\n+++\n{HOSTILE_BODY}"),
    );
    let out = site.build_ok(&[]);
    let page = out.page(&out.url("articles/a/"));
    assert_eq!(page.count("script:not([type=\"application/ld+json\"])"), 0);
    assert_eq!(page.count("[onclick], [onerror], [onmouseover]"), 0);
    assert_eq!(page.count(".prose div[onclick], .prose img[src=\"x\"]"), 0);
    let prose = page.text(".prose");
    for shown in [
        "Raw <script>alert(1)</script> and <img src=x onerror=alert(1)> inline.",
        "<div onclick=\"alert(1)\">a block of raw HTML</div>",
        "<script>alert(2)</script>",
    ] {
        assert!(prose.contains(shown), "{shown:?} is shown as text: {prose}");
    }
    assert_links_are_inert(&page);
    // The feeds carry the escaped body, and the home page card the escaped summary.
    let atom = out.read("atom.xml");
    let doc = parse_xml("atom.xml", &atom);
    let content = common::child_text(children(doc.root_element(), "entry")[0], "content");
    assert!(
        content.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{content}"
    );
    assert!(!content.contains("<script"), "{content}");
    let home = out.page(&out.url(""));
    assert_eq!(home.count("main script, main img[src=\"x\"]"), 0);
}

#[test]
fn by_default_raw_html_passes_through_but_script_links_do_not() {
    // `unsafe_html = true` is the default: the author is trusted with raw HTML (README, "Writing
    // a site"), yet `javascript:`, `vbscript:` and `data:` Markdown links still become `#`.
    let site = new_site();
    site.write(
        "content/a.md",
        &format!("+++\ntitle = \"A\"\ndate = 2023-01-01\n+++\n{HOSTILE_BODY}"),
    );
    let out = site.build_ok(&[]);
    let page = out.page(&out.url("articles/a/"));
    assert_eq!(
        page.count(".prose script"),
        2,
        "raw HTML is kept as written"
    );
    assert_eq!(page.count(".prose div[onclick]"), 1);
    assert_links_are_inert(&page);
}

// ---------------------------------------------------------------------------------------------
// 4. Resource bounds
// ---------------------------------------------------------------------------------------------

#[test]
fn templates_that_recurse_forever_stop_with_an_error_naming_the_template() {
    let base = |content: &str| {
        format!(
            "{{% extends \"base.html\" %}}{{% block content %}}{content}{{% endblock content %}}\n"
        )
    };
    // (what, templates, the error names one of these, and says one of these)
    type Case<'a> = (
        &'a str,
        Vec<(&'a str, String)>,
        &'a [&'a str],
        &'a [&'a str],
    );
    let cases: Vec<Case> = vec![
        (
            "an include of itself",
            vec![("article.html", "{% include \"article.html\" %}\n".into())],
            &["template templates/article.html: "],
            &["`{% include %}` loop: templates/article.html → templates/article.html"],
        ),
        (
            "two partials including each other",
            vec![
                ("article.html", base("{% include \"partials/a.html\" %}")),
                (
                    "partials/a.html",
                    "a {% include \"partials/b.html\" %}\n".into(),
                ),
                (
                    "partials/b.html",
                    "b {% include \"partials/a.html\" %}\n".into(),
                ),
            ],
            &[
                "template templates/partials/a.html: ",
                "template templates/partials/b.html: ",
            ],
            &[
                "templates/partials/a.html → templates/partials/b.html → templates/partials/a.html",
                "templates/partials/b.html → templates/partials/a.html → templates/partials/b.html",
            ],
        ),
        (
            "an extends of itself",
            vec![("article.html", "{% extends \"article.html\" %}\n".into())],
            &["template templates/article.html: "],
            &["`{% extends %}` loop: templates/article.html → templates/article.html"],
        ),
        (
            "two templates extending each other",
            vec![
                ("article.html", "{% extends \"layout.html\" %}\n".into()),
                ("layout.html", "{% extends \"article.html\" %}\n".into()),
            ],
            &[
                "template templates/article.html: ",
                "template templates/layout.html: ",
            ],
            &[
                "`{% extends %}` loop: templates/article.html → templates/layout.html → templates/article.html",
                "`{% extends %}` loop: templates/layout.html → templates/article.html → templates/layout.html",
            ],
        ),
        (
            "a component calling itself",
            vec![(
                "article.html",
                format!(
                    "{}{}",
                    "{% component boom(n: integer) %}[{{ <boom n={n + 1} /> }}]{% endcomponent boom %}",
                    base("{{ <boom n={1} /> }}")
                ),
            )],
            &["template templates/article.html: "],
            &["Maximum render recursion depth for components exceeded"],
        ),
        (
            "a component that includes its own call",
            vec![
                (
                    "article.html",
                    format!(
                        "{}{}",
                        "{% component echo(n: integer) %}{% include \"partials/echo.html\" %}{% endcomponent echo %}",
                        base("{{ <echo n={1} /> }}")
                    ),
                ),
                ("partials/echo.html", "{{ <echo n={n + 1} /> }}\n".into()),
            ],
            &["template templates/article.html: "],
            &["Maximum render recursion depth for components exceeded"],
        ),
    ];
    for (what, templates, names, says) in cases {
        let site = new_site();
        site.write("content/a.md", &article("A", "2023-01-01"));
        for (name, body) in &templates {
            site.write(&format!("templates/{name}"), body);
        }
        let run = run_with_timeout(&site.root, &build_args(&site, &[]), Duration::from_secs(60));
        assert_eq!(run.code, Some(1), "{what}: exit code 1, not a crash\n{run}");
        assert!(
            !run.stderr.contains("overflow") && !run.stderr.contains("panicked"),
            "{what}\n{run}"
        );
        let errors = run.stderr_lines("error: ");
        assert_eq!(errors.len(), 1, "{what}: one error\n{run}");
        assert!(
            names
                .iter()
                .any(|n| errors[0].starts_with(&format!("error: {n}"))),
            "{what}: names one of {names:?}\n{run}"
        );
        assert!(
            says.iter().any(|s| run.stderr.contains(s)),
            "{what}: says one of {says:?}\n{run}"
        );
        assert!(!site.out.exists(), "{what}: nothing written");
    }
}

/// Runs digest to the end and reports its peak resident memory (KiB, from `wait4`) and time.
// The child is reaped by `wait4` itself, which `Child::wait` cannot do while reading rusage.
#[allow(clippy::zombie_processes)]
fn run_measured(cwd: &Path, args: &[String]) -> (Run, u64, Duration) {
    let started = Instant::now();
    let mut child = digest_command(cwd, args).spawn().expect("run digest");
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the pid is our own child's, not yet waited for; both pointers are valid.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t, "wait4 failed");
    let elapsed = started.elapsed();
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    let stderr = stderr.join().unwrap();
    let run = Run {
        args: args.to_vec(),
        code,
        stdout: stdout.join().unwrap(),
        diagnostics: parse_diagnostics(&stderr),
        stderr,
    };
    (run, usage.ru_maxrss as u64, elapsed)
}

// The three tests below are slow (minutes in a debug build) and write hundreds of megabytes;
// run them with `cargo test --release --test hardening -- --ignored --nocapture`, or through
// `scripts/stress.sh`, which also measures each build with /usr/bin/time -v.

#[test]
#[ignore = "slow: 100,000 files; run by scripts/stress.sh"]
fn a_hundred_thousand_tiny_articles_build() {
    const N: usize = 100_000;
    let site = Site::empty();
    site.write(
        "site.toml",
        "title = \"Stress\"\nbase_url = \"https://example.com/\"\n",
    );
    for folder in 0..N / 1000 {
        let dir = site.path(&format!("content/{folder:03}"));
        fs::create_dir_all(&dir).unwrap();
        for i in folder * 1000..(folder + 1) * 1000 {
            let date = format!(
                "{}-{:02}-{:02}",
                2000 + i / 336 % 24,
                1 + i / 28 % 12,
                1 + i % 28
            );
            fs::write(
                dir.join(format!("a{i:06}.md")),
                format!("+++\ntitle = \"A{i}\"\ndate = {date}\n+++\nx\n"),
            )
            .unwrap();
        }
    }
    let (run, peak_kib, elapsed) = run_measured(&site.root, &build_args(&site, &["--no-cache"]));
    run.success();
    assert!(run.stdout.contains(&format!("{N} articles")), "{run}");
    eprintln!(
        "{N} tiny articles: {elapsed:.1?}, peak memory {} MiB",
        peak_kib / 1024
    );
    let out = site.output();
    out.assert_exists(&out.url("articles/a099999/"));
    out.assert_exists(&out.url("articles/a000000/"));
}

#[test]
#[ignore = "slow: a 50 MB article; run by scripts/stress.sh"]
fn a_50_mb_article_builds() {
    let site = Site::empty();
    site.write(
        "site.toml",
        "title = \"Stress\"\nbase_url = \"https://example.com/\"\n",
    );
    let paragraph = "The quick brown fox jumps over *the lazy dog*, and [a link](https://example.org/) with `code`.\n\n";
    let mut text = String::from("+++\ntitle = \"Fifty megabytes\"\ndate = 2023-01-01\n+++\n");
    let mut sections = 0;
    while text.len() < 50 * 1024 * 1024 {
        sections += 1;
        text.push_str(&format!("## Section {sections}\n\n"));
        for _ in 0..20 {
            text.push_str(paragraph);
        }
        text.push_str(&format!(
            "```rust\nfn main() {{ println!(\"{sections}\"); }}\n```\n\n"
        ));
    }
    site.write("content/huge.md", &text);
    let (run, peak_kib, elapsed) = run_measured(&site.root, &build_args(&site, &["--no-cache"]));
    run.success();
    eprintln!(
        "one {} MB article: {elapsed:.1?}, peak memory {} MiB",
        text.len() / 1024 / 1024,
        peak_kib / 1024
    );
    let out = site.output();
    let page = fs::metadata(out.dir.join("articles/huge/index.html")).unwrap();
    assert!(page.len() > 50 * 1024 * 1024);
}

#[test]
#[ignore = "slow: 2,000 term pages and 6,000 feeds of 2,000 names each; run by scripts/stress.sh"]
fn an_article_with_2000_companies_builds_with_the_built_in_theme_and_feeds() {
    let site = Site::empty();
    site.write(
        "site.toml",
        "title = \"Many\"\nbase_url = \"https://example.com/\"\ntaxonomies = [\"companies\"]\n",
    );
    let names: Vec<String> = (0..2000).map(|i| format!("\"Company {i}\"")).collect();
    site.write(
        "content/many.md",
        &format!(
            "+++\ntitle = \"Two thousand companies\"\ndate = 2023-01-01\ncompanies = [{}]\n+++\nBody.\n",
            names.join(", ")
        ),
    );
    let (run, peak_kib, elapsed) = run_measured(&site.root, &build_args(&site, &["--no-cache"]));
    run.success();
    let out = site.output();
    let bytes: u64 = out
        .files()
        .iter()
        .map(|f| fs::metadata(out.dir.join(f)).unwrap().len())
        .sum();
    eprintln!(
        "one article with 2,000 companies: {elapsed:.1?}, peak memory {} MiB, {} MiB written",
        peak_kib / 1024,
        bytes / 1024 / 1024
    );
    for i in [0, 1999] {
        out.assert_exists(&out.url(&format!("companies/company-{i}/atom.xml")));
    }
}
