//! A small end-to-end harness for `digest`: copy a fixture site into a temporary folder, run the
//! real binary on it, and read the output back with an HTML parser (scraper) or an XML parser
//! (roxmltree).
//!
//! Every test file does `mod common;` and uses only part of this module, hence the allow below.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use scraper::{ElementRef, Html, Selector};
use tempfile::TempDir;

/// The binary under test, built by Cargo for integration tests.
pub const DIGEST: &str = env!("CARGO_BIN_EXE_digest");

/// The repository root, which is itself the example site.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/fixtures/`.
pub fn fixtures_dir() -> PathBuf {
    repo_root().join("tests").join("fixtures")
}

// ---------------------------------------------------------------------------------------------
// Sites and runs
// ---------------------------------------------------------------------------------------------

/// A site to build, and a fresh output folder for it, both inside one temporary folder that is
/// deleted when the `Site` is dropped.
pub struct Site {
    tmp: TempDir,
    /// The site root (holds site.toml).
    pub root: PathBuf,
    /// Where `build()` writes (`--output`); does not exist until the first build.
    pub out: PathBuf,
}

impl Site {
    /// A copy of `tests/fixtures/<name>/`.
    #[track_caller]
    pub fn fixture(name: &str) -> Site {
        let src = fixtures_dir().join(name);
        assert!(src.is_dir(), "no fixture at {}", src.display());
        let site = Site::empty();
        copy_dir(&src, &site.root);
        site
    }

    /// An empty site root (write its files with [`Site::write`]).
    pub fn empty() -> Site {
        let tmp = tempfile::Builder::new()
            .prefix("digest-test-")
            .tempdir()
            .expect("create a temporary folder");
        let root = tmp.path().join("site");
        fs::create_dir_all(&root).expect("create site folder");
        let out = tmp.path().join("out");
        Site { tmp, root, out }
    }

    /// The repository's own example site, read in place (never written to: the output goes
    /// to a temporary folder).
    pub fn example() -> Site {
        let mut site = Site::empty();
        site.root = repo_root();
        site
    }

    /// The temporary folder that holds the site root and the output.
    pub fn tmp(&self) -> &Path {
        self.tmp.path()
    }

    /// A path inside the site root.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// Writes a file inside the site root, creating its folders.
    #[track_caller]
    pub fn write(&self, rel: &str, text: &str) {
        assert!(
            self.root.starts_with(self.tmp.path()),
            "refusing to write into the repository"
        );
        let path = self.root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }

    /// Removes a file inside the site root.
    #[track_caller]
    pub fn remove(&self, rel: &str) {
        assert!(
            self.root.starts_with(self.tmp.path()),
            "refusing to delete from the repository"
        );
        let path = self.root.join(rel);
        fs::remove_file(&path).unwrap_or_else(|e| panic!("remove {}: {e}", path.display()));
    }

    /// Moves a file of the site root to `to` (also relative to the site root).
    #[track_caller]
    pub fn rename(&self, from: &str, to: &str) {
        assert!(
            self.root.starts_with(self.tmp.path()),
            "refusing to move files of the repository"
        );
        let to = self.root.join(to);
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::rename(self.root.join(from), &to).unwrap_or_else(|e| panic!("rename {from}: {e}"));
    }

    /// `digest build --root ROOT --output OUT <args>`, run from the site root.
    pub fn build(&self, args: &[&str]) -> Run {
        let mut all: Vec<String> = vec![
            "build".into(),
            "--root".into(),
            self.root.display().to_string(),
            "--output".into(),
            self.out.display().to_string(),
        ];
        all.extend(args.iter().map(|a| a.to_string()));
        run_digest(&self.root, &all)
    }

    /// `digest <args>` exactly as given, run from the site root.
    pub fn run(&self, args: &[&str]) -> Run {
        let all: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        run_digest(&self.root, &all)
    }

    /// `build()` that must succeed; returns the output, read with site.toml's `base_url`.
    #[track_caller]
    pub fn build_ok(&self, args: &[&str]) -> Output {
        self.build(args).success();
        self.output()
    }

    /// `build()` that must succeed; returns the run (for its stdout/stderr) and the output.
    #[track_caller]
    pub fn build_run(&self, args: &[&str]) -> (Run, Output) {
        let run = self.build(args);
        run.success();
        (run, self.output())
    }

    /// The output folder, its URLs read with site.toml's `base_url`.
    pub fn output(&self) -> Output {
        Output::new(&self.out, &self.base_url())
    }

    /// `base_url` of the site's site.toml.
    #[track_caller]
    pub fn base_url(&self) -> String {
        let text = fs::read_to_string(self.root.join("site.toml")).expect("read site.toml");
        let value: toml::Table = text.parse().expect("site.toml is TOML");
        value
            .get("base_url")
            .and_then(|v| v.as_str())
            .expect("site.toml has base_url")
            .to_string()
    }
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// One run of the binary.
pub struct Run {
    pub args: Vec<String>,
    /// The exit code (`None` when killed by a signal).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    /// The `error:`/`warning:`/`note:` blocks of stderr, in order.
    pub diagnostics: Vec<Diagnostic>,
}

pub fn run_digest(cwd: &Path, args: &[String]) -> Run {
    let output = Command::new(DIGEST)
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("RUST_LOG")
        .output()
        .expect("run the digest binary");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    Run {
        args: args.to_vec(),
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        diagnostics: parse_diagnostics(&stderr),
        stderr,
    }
}

/// Whether a line of stderr starts a diagnostic block.
fn is_diagnostic_header(line: &str) -> bool {
    ["error: ", "warning: ", "note: "]
        .iter()
        .any(|p| line.starts_with(p))
}

/// Whether a line continues the block above it: indented (` --> `, `  |`, `  = hint:`), or a
/// quoted source line (`12 | …`).
fn continues_diagnostic(line: &str) -> bool {
    line.starts_with(' ')
        || line.split_once(" |").is_some_and(|(number, _)| {
            !number.is_empty() && number.chars().all(|c| c.is_ascii_digit())
        })
}

/// Splits stderr into diagnostic blocks as `digest` prints them, like a compiler:
///
/// ```text
/// warning: unknown front-matter key `tgas`
///  --> content/2023-04-01-typo.md:4:1
///   |
/// 4 | tgas = ["Typos"]
///   | ^^^^
///   = hint: did you mean `tags`?
/// ```
pub fn parse_diagnostics(stderr: &str) -> Vec<Diagnostic> {
    let lines: Vec<&str> = stderr.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let header = lines[i];
        i += 1;
        if !is_diagnostic_header(header) {
            continue;
        }
        let mut location = None;
        let mut hints = Vec::new();
        let mut source = Vec::new();
        while i < lines.len() && continues_diagnostic(lines[i]) {
            let line = lines[i];
            let trimmed = line.trim_start();
            if let Some(at) = trimmed.strip_prefix("--> ") {
                location = Some(at.to_string());
            } else if let Some(hint) = trimmed.strip_prefix("= ") {
                hints.push(hint.to_string());
            } else if trimmed.starts_with('|') || !line.starts_with(' ') {
                source.push(line.to_string());
            } else {
                hints.push(trimmed.to_string());
            }
            i += 1;
        }
        let (severity, message) = header.split_once(": ").unwrap_or((header, ""));
        let line = match &location {
            Some(at) => format!("{severity}: {at}: {message}"),
            None => header.to_string(),
        };
        out.push(Diagnostic {
            line,
            severity: severity.to_string(),
            message: message.to_string(),
            at: location.clone(),
            hints,
            source,
        });
    }
    out
}

impl fmt::Display for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "digest {}\nexit code: {:?}\n--- stdout ---\n{}--- stderr ---\n{}",
            self.args.join(" "),
            self.code,
            self.stdout,
            self.stderr
        )
    }
}

impl Run {
    /// Exit code 0 and (unless `-q`) the one-line summary on stdout: `Built N pages (…)`, or
    /// `Nothing changed …` when the site had not changed since the last build.
    #[track_caller]
    pub fn success(&self) -> &Run {
        assert_eq!(self.code, Some(0), "expected success\n{self}");
        let quiet = self.args.iter().any(|a| a == "-q" || a == "--quiet");
        if !quiet {
            let lines: Vec<&str> = self.stdout.lines().collect();
            let built = |l: &str| l.starts_with("Built ") && l.contains(" pages (");
            assert!(
                lines.len() == 1 && (built(lines[0]) || lines[0].starts_with("Nothing changed")),
                "expected one `Built N pages (…) into OUT in X ms` line on stdout\n{self}"
            );
        }
        self
    }

    /// Exit code 1.
    #[track_caller]
    pub fn failure(&self) -> &Run {
        assert_eq!(self.code, Some(1), "expected exit code 1\n{self}");
        self
    }

    /// stderr contains `needle`.
    #[track_caller]
    pub fn stderr_has(&self, needle: &str) -> &Run {
        assert!(
            self.stderr.contains(needle),
            "expected {needle:?} on stderr\n{self}"
        );
        self
    }

    /// The lines of stderr that start with `prefix` (e.g. `"error: "`, `"warning: "`), each
    /// diagnostic block standing for one line in the form `severity: path:line:col: message`
    /// (see [`Diagnostic::line`]).
    pub fn stderr_lines(&self, prefix: &str) -> Vec<&str> {
        let lines: Vec<&str> = self.stderr.lines().collect();
        let mut blocks = self.diagnostics.iter();
        let mut out = Vec::new();
        let mut i = 0;
        while i < lines.len() {
            let line = lines[i];
            i += 1;
            if is_diagnostic_header(line) {
                while i < lines.len() && continues_diagnostic(lines[i]) {
                    i += 1;
                }
                if let Some(block) = blocks.next() {
                    out.push(block.line.as_str());
                }
            } else {
                out.push(line);
            }
        }
        out.retain(|l| l.starts_with(prefix));
        out
    }

    /// The diagnostic whose one-line form starts with `prefix`, e.g. `"error: content/a.md:"`.
    #[track_caller]
    pub fn block(&self, prefix: &str) -> Diagnostic {
        match self.diagnostics.iter().find(|d| d.line.starts_with(prefix)) {
            Some(d) => d.clone(),
            None => panic!("no diagnostic starts with {prefix:?}\n{self}"),
        }
    }

    /// Every diagnostic whose one-line form starts with `prefix`.
    pub fn blocks(&self, prefix: &str) -> Vec<&Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.line.starts_with(prefix))
            .collect()
    }
}

/// One `error:`/`warning:` block of stderr.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// The block in one line: `error: content/x.md:4:11: message` (the header line itself
    /// when the block has no ` --> ` location).
    pub line: String,
    /// `error`, `warning` or `note`.
    pub severity: String,
    pub message: String,
    /// `content/x.md:4:11`, from the ` --> ` line.
    pub at: Option<String>,
    /// The `= hint: …` lines without their `= ` (`hint: …`), and any indented line that
    /// continues them, trimmed.
    pub hints: Vec<String>,
    /// The quoted source lines and the caret line under them, as printed.
    pub source: Vec<String>,
}

impl Diagnostic {
    /// `path:line:col` of the block, from its ` --> ` line.
    #[track_caller]
    pub fn location(&self) -> (String, u32, u32) {
        let rest = match &self.at {
            Some(at) => format!("{at}:"),
            None => self
                .line
                .split_once(": ")
                .map(|(_, r)| r)
                .unwrap_or("")
                .to_string(),
        };
        let mut parts = rest.splitn(4, ':');
        let (Some(path), Some(line), Some(col)) = (parts.next(), parts.next(), parts.next()) else {
            panic!("no path:line:col in {:?}", self.line);
        };
        let line = line
            .parse()
            .unwrap_or_else(|_| panic!("bad line number in {:?}", self.line));
        let col = col
            .parse()
            .unwrap_or_else(|_| panic!("bad column in {:?}", self.line));
        (path.to_string(), line, col)
    }

    #[track_caller]
    pub fn has_hint(&self) -> &Diagnostic {
        assert!(
            self.hints
                .iter()
                .any(|h| h.starts_with("hint: ") && h.len() > "hint: ".len()),
            "expected a `hint:` line under {:?}, got {:?}",
            self.line,
            self.hints
        );
        self
    }
}

// ---------------------------------------------------------------------------------------------
// Output folders
// ---------------------------------------------------------------------------------------------

/// A built output folder and the base URL its links were written for.
pub struct Output {
    pub dir: PathBuf,
    /// `https://example.com/digest` (no trailing slash).
    pub base_url: String,
    /// `/digest/` (always starts and ends with `/`; `/` for a site at the host root).
    pub base_path: String,
}

impl Output {
    pub fn new(dir: &Path, base_url: &str) -> Output {
        let base_url = base_url.trim_end_matches('/').to_string();
        let after_scheme = base_url
            .split_once("://")
            .map(|(_, r)| r)
            .unwrap_or(&base_url);
        let path = after_scheme
            .find('/')
            .map(|i| &after_scheme[i..])
            .unwrap_or("");
        let base_path = format!("{}/", path.trim_end_matches('/'));
        Output {
            dir: dir.to_path_buf(),
            base_url,
            base_path,
        }
    }

    /// The URL path of a site path: `url("companies/")` → `/digest/companies/`.
    pub fn url(&self, site_path: &str) -> String {
        format!("{}{}", self.base_path, site_path.trim_start_matches('/'))
    }

    /// The absolute URL of a site path: `permalink("companies/")` → `https://…/digest/companies/`.
    pub fn permalink(&self, site_path: &str) -> String {
        format!("{}/{}", self.base_url, site_path.trim_start_matches('/'))
    }

    /// The file that serves `url`: a path under `base_path` (`/digest/x/`), an absolute URL under
    /// `base_url`, or a site path without a leading slash (`x/`, as tests write them).
    /// Query and fragment are ignored; `x/` is `x/index.html`. `None` for other hosts or paths
    /// outside `base_path`.
    pub fn file_for(&self, url: &str) -> Option<PathBuf> {
        let url = url.split(['#', '?']).next().unwrap_or("");
        let path = if let Some(rest) = url.strip_prefix(&self.base_url) {
            if !(rest.is_empty() || rest.starts_with('/')) {
                return None;
            }
            format!("/{}", rest.trim_start_matches('/'))
        } else if url.contains("://") || url.starts_with("//") {
            return None;
        } else if url.starts_with('/') {
            let rest = url.strip_prefix(self.base_path.as_str()).or_else(|| {
                // "/digest" without its trailing slash is the home page too.
                (format!("{url}/") == self.base_path).then_some("")
            })?;
            format!("/{rest}")
        } else {
            // A bare site path as written in tests: "companies/alibaba/".
            format!("/{url}")
        };
        let path = percent_decode(&path);
        let mut file = self.dir.clone();
        for part in path.split('/').filter(|p| !p.is_empty()) {
            if part == ".." || part == "." {
                return None;
            }
            file.push(part);
        }
        if path.ends_with('/') {
            file.push("index.html");
        }
        Some(file)
    }

    /// The site path of a file of the output: `companies/index.html` → `/digest/companies/`.
    pub fn url_of_file(&self, rel: &Path) -> String {
        let rel = rel.to_string_lossy().replace('\\', "/");
        let rel = match rel.strip_suffix("index.html") {
            Some(dir) => dir.to_string(),
            None => rel,
        };
        self.url(&rel)
    }

    /// Whether the output has a file for `url` (see [`Output::file_for`]).
    pub fn exists(&self, url: &str) -> bool {
        self.file_for(url).is_some_and(|f| f.is_file())
    }

    #[track_caller]
    pub fn assert_exists(&self, url: &str) {
        let file = self.file_for(url);
        assert!(
            file.as_ref().is_some_and(|f| f.is_file()),
            "{url} is missing from the output (looked for {file:?})"
        );
    }

    #[track_caller]
    pub fn assert_missing(&self, url: &str) {
        let file = self.file_for(url);
        assert!(
            !file.as_ref().is_some_and(|f| f.exists()),
            "{url} should not be in the output, but {file:?} exists"
        );
    }

    /// The text of the file behind `url`.
    #[track_caller]
    pub fn read(&self, url: &str) -> String {
        let file = self
            .file_for(url)
            .unwrap_or_else(|| panic!("{url} is not a URL of this site ({})", self.base_url));
        fs::read_to_string(&file)
            .unwrap_or_else(|e| panic!("{url}: cannot read {}: {e}", file.display()))
    }

    /// The parsed HTML page behind `url`.
    #[track_caller]
    pub fn page(&self, url: &str) -> Page {
        Page {
            url: url.to_string(),
            html: Html::parse_document(&self.read(url)),
        }
    }

    /// Every file of the output, relative to it.
    pub fn files(&self) -> BTreeSet<PathBuf> {
        let mut files = BTreeSet::new();
        collect_files(&self.dir, &self.dir, &mut files);
        files
    }

    /// Every `.html` page of the output, relative to it. The editions' `email.html` files are
    /// messages, not pages of the site (no canonical, no feeds, not in the sitemap): tests/email.rs
    /// reads them.
    pub fn html_files(&self) -> BTreeSet<PathBuf> {
        self.files()
            .into_iter()
            .filter(|f| f.extension().is_some_and(|e| e == "html"))
            .filter(|f| !(f.to_string_lossy().contains("editions/") && f.ends_with("email.html")))
            .collect()
    }

    /// Follows every internal `<a href>`, `<link href>`, `<img src>`, `<script src>` and
    /// `<source src>` from the pages at `starts`, recursively through HTML pages.
    pub fn crawl(&self, starts: &[&str]) -> Crawl {
        let mut crawl = Crawl::default();
        let mut queue: VecDeque<PathBuf> = VecDeque::new();
        let mut ids: BTreeMap<PathBuf, BTreeSet<String>> = BTreeMap::new();
        // (from page, href, target file, fragment)
        let mut fragment_links: Vec<(String, String, PathBuf, String)> = Vec::new();

        for start in starts {
            match self.file_for(start) {
                Some(f) if f.is_file() => {
                    if crawl.reached.insert(f.clone()) {
                        queue.push_back(f);
                    }
                }
                _ => crawl
                    .broken
                    .push(format!("start page {start} does not exist")),
            }
        }
        let sel =
            // form[action]: the header's search form is how readers reach /search/.
            Selector::parse("a[href], link[href], img[src], script[src], source[src], form[action]")
                .unwrap();
        while let Some(file) = queue.pop_front() {
            let from = self.url_of_file(file.strip_prefix(&self.dir).unwrap());
            let html = Html::parse_document(&fs::read_to_string(&file).unwrap());
            ids.insert(file.clone(), element_ids(&html));
            for el in html.select(&sel) {
                let attr = if el.value().attr("href").is_some() {
                    "href"
                } else if el.value().attr("action").is_some() {
                    "action"
                } else {
                    "src"
                };
                let href = el.value().attr(attr).unwrap().trim().to_string();
                let tag = el.value().name();
                crawl.links_checked += 1;
                if href.is_empty() {
                    crawl.broken.push(format!("{from}: empty {tag} {attr}"));
                    continue;
                }
                let (without_fragment, fragment) = match href.split_once('#') {
                    Some((a, b)) => (a.to_string(), Some(percent_decode(b))),
                    None => (href.clone(), None),
                };
                if without_fragment.is_empty() {
                    // "#id" in the same page.
                    fragment_links.push((
                        from.clone(),
                        href.clone(),
                        file.clone(),
                        fragment.unwrap(),
                    ));
                    continue;
                }
                let internal = href.starts_with(&self.base_url)
                    || (href.starts_with('/') && !href.starts_with("//"));
                if !internal {
                    let has_scheme = href
                        .split_once(':')
                        .is_some_and(|(s, _)| !s.is_empty() && !s.contains('/'));
                    if !has_scheme && !href.starts_with("//") {
                        crawl.broken.push(format!(
                            "{from}: relative {tag} {attr}={href:?} (links must be absolute paths)"
                        ));
                    } else {
                        crawl.external.insert(href);
                    }
                    continue;
                }
                let Some(target) = self.file_for(&without_fragment) else {
                    crawl.broken.push(format!(
                        "{from}: {tag} {attr}={href:?} is outside the base path {}",
                        self.base_path
                    ));
                    continue;
                };
                if !target.is_file() {
                    crawl.broken.push(format!(
                        "{from}: {tag} {attr}={href:?} → {} does not exist",
                        target.strip_prefix(&self.dir).unwrap_or(&target).display()
                    ));
                    continue;
                }
                let is_html = target.extension().is_some_and(|e| e == "html");
                if is_html && crawl.reached.insert(target.clone()) {
                    queue.push_back(target.clone());
                } else if !is_html {
                    crawl.assets.insert(target.clone());
                }
                if let Some(fragment) = fragment
                    && is_html
                    && !fragment.is_empty()
                {
                    fragment_links.push((from.clone(), href.clone(), target, fragment));
                }
            }
        }
        for (from, href, target, fragment) in fragment_links {
            let known = ids.get(&target).is_some_and(|ids| ids.contains(&fragment));
            if !known {
                crawl.broken.push(format!(
                    "{from}: {href:?} points to no element with id {fragment:?}"
                ));
            }
        }
        crawl.reached_urls = crawl
            .reached
            .iter()
            .map(|f| self.url_of_file(f.strip_prefix(&self.dir).unwrap()))
            .collect();
        crawl
    }

    /// Every file and folder of the output with its bytes (folders: `None`).
    pub fn snapshot(&self) -> Snapshot {
        snapshot(&self.dir)
    }
}

/// What a crawl found.
#[derive(Default, Debug)]
pub struct Crawl {
    /// HTML files reached (absolute paths).
    pub reached: BTreeSet<PathBuf>,
    /// The same, as URLs (`/digest/companies/`).
    pub reached_urls: BTreeSet<String>,
    /// Non-HTML files linked (stylesheets, feeds, icons …).
    pub assets: BTreeSet<PathBuf>,
    /// External URLs seen (not checked).
    pub external: BTreeSet<String>,
    /// One line per broken link.
    pub broken: Vec<String>,
    pub links_checked: usize,
}

fn collect_files(root: &Path, dir: &Path, files: &mut BTreeSet<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let entry = entry.unwrap();
        let path = entry.path();
        if entry.file_type().unwrap().is_dir() {
            collect_files(root, &path, files);
        } else {
            files.insert(path.strip_prefix(root).unwrap().to_path_buf());
        }
    }
}

/// Every file (with its bytes) and folder (`None`) under `dir`, by relative path.
pub type Snapshot = BTreeMap<PathBuf, Option<Vec<u8>>>;

pub fn snapshot(dir: &Path) -> Snapshot {
    fn walk(root: &Path, dir: &Path, map: &mut Snapshot) {
        for entry in fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            let rel = path.strip_prefix(root).unwrap().to_path_buf();
            if entry.file_type().unwrap().is_dir() {
                map.insert(rel, None);
                walk(root, &path, map);
            } else {
                map.insert(rel, Some(fs::read(&path).unwrap()));
            }
        }
    }
    let mut map = Snapshot::new();
    walk(dir, dir, &mut map);
    map
}

/// Two snapshots are equal; the message lists what differs.
#[track_caller]
pub fn assert_same_tree(before: &Snapshot, after: &Snapshot, what: &str) {
    if before == after {
        return;
    }
    let mut diffs = Vec::new();
    for (path, bytes) in before {
        match after.get(path) {
            None => diffs.push(format!("removed: {}", path.display())),
            Some(b) if b != bytes => diffs.push(format!("changed: {}", path.display())),
            _ => {}
        }
    }
    for path in after.keys().filter(|p| !before.contains_key(*p)) {
        diffs.push(format!("added: {}", path.display()));
    }
    panic!("{what} changed:\n  {}", diffs.join("\n  "));
}

/// `%XX` escapes decoded (UTF-8); anything malformed is kept as is.
pub fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

// ---------------------------------------------------------------------------------------------
// HTML pages
// ---------------------------------------------------------------------------------------------

/// A parsed HTML page.
pub struct Page {
    pub url: String,
    pub html: Html,
}

#[track_caller]
pub fn selector(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css:?}: {e:?}"))
}

/// The text of an element, whitespace collapsed.
pub fn text_of(el: ElementRef<'_>) -> String {
    normalize(&el.text().collect::<String>())
}

/// Whitespace runs collapsed to one space, trimmed.
pub fn normalize(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn element_ids(html: &Html) -> BTreeSet<String> {
    html.select(&selector("[id]"))
        .filter_map(|e| e.value().attr("id").map(str::to_string))
        .collect()
}

impl Page {
    pub fn select(&self, css: &str) -> Vec<ElementRef<'_>> {
        self.html.select(&selector(css)).collect()
    }

    pub fn count(&self, css: &str) -> usize {
        self.select(css).len()
    }

    /// Texts of the elements matching `css`, whitespace collapsed.
    pub fn texts(&self, css: &str) -> Vec<String> {
        self.select(css).into_iter().map(text_of).collect()
    }

    /// The text of the one element matching `css`.
    #[track_caller]
    pub fn text(&self, css: &str) -> String {
        let found = self.texts(css);
        assert_eq!(
            found.len(),
            1,
            "{}: expected one {css:?}, found {found:?}",
            self.url
        );
        found.into_iter().next().unwrap()
    }

    /// Values of `attr` on the elements matching `css` (elements without it are skipped).
    pub fn attrs(&self, css: &str, attr: &str) -> Vec<String> {
        self.select(css)
            .into_iter()
            .filter_map(|e| e.value().attr(attr).map(str::to_string))
            .collect()
    }

    /// The value of `attr` on the one element matching `css`.
    #[track_caller]
    pub fn attr(&self, css: &str, attr: &str) -> String {
        let found = self.attrs(css, attr);
        assert_eq!(
            found.len(),
            1,
            "{}: expected one {css:?} with {attr}, found {found:?}",
            self.url
        );
        found.into_iter().next().unwrap()
    }

    /// The page's one `<h1>`.
    #[track_caller]
    pub fn h1(&self) -> String {
        self.text("h1")
    }

    /// `<title>`.
    #[track_caller]
    pub fn title(&self) -> String {
        self.text("head > title")
    }

    /// `(text, href)` of every link in `<main>`.
    pub fn main_links(&self) -> Vec<(String, String)> {
        self.select("main a[href]")
            .into_iter()
            .map(|a| (text_of(a), a.value().attr("href").unwrap().to_string()))
            .collect()
    }

    /// `(title, href)` of the articles listed in `<main>` as cards, in page order: links to
    /// `…/articles/<slug>/`, each article once.
    pub fn article_links(&self) -> Vec<(String, String)> {
        let mut seen = BTreeSet::new();
        // The listed articles are cards: an <article> with a linked heading. Other links to
        // articles (timelines, "also mentioned in", previous/next) are not the list.
        self.select("main article h2 a[href], main article h3 a[href]")
            .into_iter()
            .map(|a| (text_of(a), a.value().attr("href").unwrap().to_string()))
            .filter(|(_, href)| href.contains("/articles/"))
            .filter(|(_, href)| seen.insert(href.clone()))
            .collect()
    }

    /// Titles of the articles listed in `<main>`, in page order.
    pub fn article_titles(&self) -> Vec<String> {
        self.article_links().into_iter().map(|(t, _)| t).collect()
    }

    /// The `href` of `<a rel="next">` / `<a rel="prev">` in `<main>`, if any.
    pub fn rel_link(&self, rel: &str) -> Option<String> {
        let found = self.attrs(&format!("main a[rel~=\"{rel}\"]"), "href");
        assert!(
            found.len() <= 1,
            "{}: several rel={rel} links: {found:?}",
            self.url
        );
        found.into_iter().next()
    }

    /// Whether an element has this id.
    pub fn has_id(&self, id: &str) -> bool {
        element_ids(&self.html).contains(id)
    }
}

// ---------------------------------------------------------------------------------------------
// XML
// ---------------------------------------------------------------------------------------------

/// Parses XML, failing the test with the parser's message.
#[track_caller]
pub fn parse_xml<'a>(what: &str, text: &'a str) -> roxmltree::Document<'a> {
    roxmltree::Document::parse(text)
        .unwrap_or_else(|e| panic!("{what} is not well-formed XML: {e}"))
}

/// Element children of `node` with local name `name`.
pub fn children<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Vec<roxmltree::Node<'a, 'i>> {
    node.children()
        .filter(|n| n.is_element() && n.tag_name().name() == name)
        .collect()
}

/// The text of the one child element `name` of `node`.
#[track_caller]
pub fn child_text(node: roxmltree::Node<'_, '_>, name: &str) -> String {
    let found = children(node, name);
    assert_eq!(
        found.len(),
        1,
        "expected one <{name}> in <{}>",
        node.tag_name().name()
    );
    found[0].text().unwrap_or("").to_string()
}
