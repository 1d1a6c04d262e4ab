//! `digest check`: every error and warning a build would report, and the editor's mistakes a
//! build lets through, without writing anything (unless `--fix`).
//!
//! What it adds to the build's own diagnostics, each with a stable [`Problem::code`]:
//!
//! | code | what |
//! |---|---|
//! | `term-spelling` | one term spelled two ways across articles ("Open AI" and "OpenAI") |
//! | `duplicate-source` | two articles with the same source URL |
//! | `tracking-parameter` | `utm_*`, `fbclid`, `gclid`… in a link or a source URL |
//! | `unfiled-mention` | a term the story names but is not filed under |
//! | `possible-typo` | a term used once or twice, a small edit away from an established one |
//! | `unfinished` | an empty `summary`, or a body still holding the placeholder of `digest new` |
//!
//! and the build's own: `unknown-key`, `parse-error`, `missing-field`, `invalid-value`,
//! `invalid-url`, `duplicate-url`, `alias-conflict`, `broken-link`, `unknown-language`,
//! `config-error`, `output-dir`, `template-error`, `io`. Every diagnostic carries its
//! [`crate::Code`] from where it is made.
//!
//! `--fix` rewrites what is safe to rewrite (tracking parameters, term spellings): strings in
//! TOML front matter through `toml_edit`, the rest by their exact bytes (see [`fix`]), so the
//! rest of every file stays as it was.

mod fix;
pub mod links;
pub mod tracking;

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::content::front_matter::Format;
use crate::content::slug::term_key;
use crate::content::spans::{self, Located};
use crate::content::{self, Article, LinkTargets, LoadOptions};
use crate::error::{Code, Diagnostic, Error, Result, Severity};
use crate::library::{Library, mentions};
use crate::text::line_col;
use crate::urls::Urls;

/// What `digest check` was asked to do.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub root: PathBuf,
    /// Rewrite what is safe to rewrite, then check again.
    pub fix: bool,
}

/// One problem found, with the code editors and CI can match on.
#[derive(Debug, Clone)]
pub struct Problem {
    /// With its stable code (`term-spelling`, `tracking-parameter`…; see the module docs).
    pub diagnostic: Diagnostic,
    /// What to write instead, when there is one thing to write: a key, a term, a URL, a line.
    pub suggestion: Option<String>,
    /// The edit `--fix` makes for it, when it is safe to make.
    pub fix: Option<Edit>,
}

/// A replacement of exact bytes in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// Relative to the site root.
    pub path: PathBuf,
    /// Byte range in the file's text (after a byte-order mark, if any).
    pub range: Range<usize>,
    /// What the range holds now; the edit is skipped if the file changed since.
    pub original: String,
    pub replacement: String,
    pub line: usize,
    pub col: usize,
    /// What the edit does, for the report: `"Open AI" → "OpenAI"`.
    pub description: String,
}

impl Edit {
    /// `path:line:col` of the edit.
    pub fn location(&self) -> String {
        format!("{}:{}:{}", self.path.display(), self.line, self.col)
    }
}

/// What `digest check` found (and fixed).
#[derive(Debug, Default)]
pub struct CheckReport {
    /// Sorted by file, line and column. After `--fix`, what is left.
    pub problems: Vec<Problem>,
    /// The edits `--fix` made.
    pub fixed: Vec<Edit>,
    /// Edits `--fix` could not make because the file changed meanwhile.
    pub not_fixed: Vec<Edit>,
    pub articles: usize,
    pub profiles: usize,
}

impl CheckReport {
    pub fn errors(&self) -> usize {
        self.problems
            .iter()
            .filter(|p| p.diagnostic.is_error())
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.problems.len() - self.errors()
    }

    pub fn fixable(&self) -> usize {
        self.problems.iter().filter(|p| p.fix.is_some()).count()
    }

    /// Whether `digest check` exits 1: on errors, and with `--strict` on warnings too.
    pub fn fails(&self, strict: bool) -> bool {
        self.errors() > 0 || (strict && !self.problems.is_empty())
    }
}

/// Checks the site under `options.root`. Problems with the site are in the report; `Err` is
/// for what stops the check itself (a file that cannot be read or written).
pub fn check(options: &CheckOptions) -> Result<CheckReport> {
    let mut report = analyse(&options.root)?;
    if options.fix {
        let mut edits: Vec<Edit> = report
            .problems
            .iter()
            .filter_map(|p| p.fix.clone())
            .collect();
        edits.sort_by(|a, b| (&a.path, a.range.start).cmp(&(&b.path, b.range.start)));
        edits.dedup_by(|a, b| a.path == b.path && a.range == b.range);
        if !edits.is_empty() {
            let (fixed, not_fixed) = fix::apply(&options.root, edits)?;
            report = analyse(&options.root)?;
            report.fixed = fixed;
            report.not_fixed = not_fixed;
        }
    }
    Ok(report)
}

/// The problems as a JSON array of `{file, line, column, severity, code, message, suggestion,
/// hint, fixable}`.
pub fn to_json(problems: &[Problem]) -> String {
    #[derive(Serialize)]
    struct Item<'a> {
        file: String,
        line: usize,
        column: usize,
        severity: Severity,
        code: &'a str,
        message: &'a str,
        suggestion: Option<&'a str>,
        hint: Option<&'a str>,
        fixable: bool,
    }
    let items: Vec<Item<'_>> = problems
        .iter()
        .map(|p| Item {
            file: p.diagnostic.path.to_string_lossy().replace('\\', "/"),
            line: p.diagnostic.line,
            column: p.diagnostic.col,
            severity: p.diagnostic.severity,
            code: p.diagnostic.code.as_str(),
            message: &p.diagnostic.message,
            suggestion: p.suggestion.as_deref(),
            hint: p.diagnostic.hint.as_deref(),
            fixable: p.fix.is_some(),
        })
        .collect();
    serde_json::to_string_pretty(&items).expect("problems serialise to JSON")
}

impl Problem {
    fn new(diagnostic: Diagnostic) -> Self {
        Problem {
            diagnostic,
            suggestion: None,
            fix: None,
        }
    }

    /// A diagnostic of the build, with the code of its kind.
    pub fn classify(diagnostic: Diagnostic) -> Self {
        let suggestion = diagnostic
            .hint
            .as_deref()
            .and_then(|h| h.strip_prefix("did you mean `"))
            .and_then(|h| h.strip_suffix("`?"))
            .map(str::to_string);
        Problem {
            suggestion,
            ..Problem::new(diagnostic)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The checks
// ---------------------------------------------------------------------------------------------

/// A file of the site, read once for every check that points into it.
struct SourceFile {
    text: String,
    located: Option<Located>,
}

impl SourceFile {
    fn read(root: &Path, path: &Path) -> Option<SourceFile> {
        let text = crate::fs::read_to_string(&root.join(path)).ok()?;
        let text = match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        };
        let located = Located::new(&text);
        Some(SourceFile { text, located })
    }

    fn at(&self, offset: usize) -> (usize, usize) {
        line_col(&self.text, offset)
    }

    fn format(&self) -> Format {
        self.located.as_ref().map_or(Format::Toml, |l| l.format)
    }

    /// Where `key` is written, else the closing fence (where a missing key would go).
    fn key_position(&self, key: &str) -> (usize, usize) {
        let Some(located) = &self.located else {
            return (1, 1);
        };
        match located.entry(key) {
            Some(entry) => self.at(entry.key_start),
            None => (located.close_line, 1),
        }
    }

    fn strings(&self, key: &str) -> &[spans::Str] {
        self.located
            .as_ref()
            .and_then(|l| l.entry(key))
            .map_or(&[], |e| e.strings.as_slice())
    }

    fn body(&self) -> (&str, usize) {
        let start = self
            .located
            .as_ref()
            .map_or(self.text.len(), |l| l.body_start);
        (&self.text[start..], start)
    }

    /// An edit replacing the string `s` (as found in this file) by `value`.
    fn replace(&self, path: &Path, s: &spans::Str, value: &str, description: String) -> Edit {
        let (line, col) = self.at(s.range.start);
        Edit {
            path: path.to_path_buf(),
            range: s.range.clone(),
            original: self.text[s.range.clone()].to_string(),
            replacement: spans::literal(self.format(), s.style, value),
            line,
            col,
            description,
        }
    }
}

struct Site {
    config: Config,
    library: Library,
    /// Articles' (every language's) and profiles' files by their path relative to the root.
    files: HashMap<PathBuf, SourceFile>,
    now: jiff::Timestamp,
}

/// One language of the site: its configuration and its library (articles, terms, mentions).
#[derive(Clone, Copy)]
struct Language<'a> {
    config: &'a Config,
    library: &'a Library,
}

impl Site {
    /// The default language, then each translation's.
    fn languages(&self) -> Vec<Language<'_>> {
        std::iter::once(Language {
            config: &self.config,
            library: &self.library,
        })
        .chain(self.library.translations.iter().map(|t| Language {
            config: &t.config,
            library: &t.library,
        }))
        .collect()
    }

    /// Every article of every language.
    fn articles(&self) -> impl Iterator<Item = &Article> {
        std::iter::once(&self.library)
            .chain(self.library.translations.iter().map(|t| &t.library))
            .flat_map(|l| &l.articles)
    }
}

fn analyse(root: &Path) -> Result<CheckReport> {
    let mut problems = Vec::new();
    let (config, warnings) = match crate::load_config(root, None) {
        Ok(loaded) => loaded,
        Err(Error::Site(diagnostics)) => {
            return Ok(CheckReport {
                problems: diagnostics.into_iter().map(Problem::classify).collect(),
                ..CheckReport::default()
            });
        }
        Err(other) => return Err(other),
    };
    problems.extend(warnings.into_iter().map(Problem::classify));
    if let Err(e) = crate::output::check_output_path(root, &root.join(&config.output_dir)) {
        let (line, col) = crate::fs::read_to_string(&root.join(crate::config::CONFIG_FILE))
            .map(|text| crate::config::find_key(&text, "output_dir"))
            .unwrap_or((0, 0));
        problems.push(Problem::new(
            Diagnostic::error(Code::OutputDir, crate::config::CONFIG_FILE, e.to_string())
                .at(line, col)
                .with_hint("set output_dir to a folder of its own, e.g. output_dir = \"public\""),
        ));
    }

    // Drafts and future articles are checked too: they are the ones being worked on.
    let now = jiff::Timestamp::now();
    let content = content::load(
        root,
        &config,
        LoadOptions {
            drafts: true,
            future: true,
            now,
        },
        &mut crate::Timings::default(),
    );
    let profiles = content.profiles.len();
    let (library, diagnostics) = Library::build(&config, content);
    problems.extend(diagnostics.into_iter().map(Problem::classify));
    problems.extend(translations(root, &library));

    let mut paths: Vec<PathBuf> = std::iter::once(&library)
        .chain(library.translations.iter().map(|t| &t.library))
        .flat_map(|l| &l.articles)
        .map(|a| a.path.clone())
        .collect();
    paths.extend(
        library
            .taxonomies
            .iter()
            .flat_map(|t| &t.terms)
            .filter_map(|t| t.profile.as_ref().map(|p| p.path.clone())),
    );
    let files = paths
        .into_par_iter()
        .filter_map(|path| SourceFile::read(root, &path).map(|f| (path, f)))
        .collect();
    let site = Site {
        config,
        library,
        files,
        now,
    };

    let highlighter =
        content::highlight::HighlightCache::load(&crate::cache::highlight_cache_path(root));
    let mut languages = site.languages().into_iter();
    if let Some(default) = languages.next() {
        let (warnings, bodies) = body_warnings(&site, default, &highlighter);
        problems.extend(warnings);
        problems.extend(email_warnings(root, &site, bodies));
    }
    // Translations are checked as the articles they are, each against its own language.
    for language in languages {
        problems.extend(body_warnings(&site, language, &highlighter).0);
    }
    problems.extend(template_errors(root, &site));
    for language in site.languages() {
        problems.extend(term_spellings(&site, language));
        problems.extend(possible_typos(&site, language));
        problems.extend(duplicate_sources(&site, language));
        problems.extend(unfiled_mentions(&site, language));
    }
    problems.extend(missing_alt_text(&site));
    problems.extend(tracking_parameters(&site));
    if !problems
        .iter()
        .any(|p| p.diagnostic.severity == Severity::Error)
    {
        problems.extend(broken_links(root, &site.config)?);
    }
    problems.extend(unfinished(&site));

    problems.sort_by(|a, b| {
        let (a, b) = (&a.diagnostic, &b.diagnostic);
        (&a.path, a.line, a.col, b.severity).cmp(&(&b.path, b.line, b.col, a.severity))
    });
    problems.dedup_by(|a, b| a.diagnostic == b.diagnostic);
    Ok(CheckReport {
        articles: site.articles().count(),
        profiles,
        problems,
        ..CheckReport::default()
    })
}

/// Links inside the site that lead nowhere: the site is built into a temporary folder, as
/// `digest build` would build it, and every body's links are followed there.
fn broken_links(root: &Path, config: &Config) -> Result<Vec<Problem>> {
    let output = std::env::temp_dir().join(format!(
        "digest-check-{}-{}",
        std::process::id(),
        jiff::Timestamp::now().as_nanosecond()
    ));
    let options = crate::BuildOptions {
        output: Some(output.clone()),
        // Links are checked against paths under the site's root, whatever its address.
        base_url: config
            .base_url
            .is_empty()
            .then(|| "https://example.invalid/".to_string()),
        check_links: true,
        ..crate::BuildOptions::new(root)
    };
    let built = crate::build(&options);
    if let Err(e) = crate::fs::remove_dir_all(&output) {
        log::warn!(
            "could not remove the temporary build {}: {e}",
            output.display()
        );
    }
    let built = match built {
        Ok(built) => built,
        Err(e) => {
            log::warn!("links not checked: the site does not build: {e}");
            return Ok(Vec::new());
        }
    };
    Ok(built
        .warnings
        .into_iter()
        .filter(|d| d.code == Code::BrokenLink)
        .map(Problem::classify)
        .collect())
}

fn is_published(article: &Article, now: jiff::Timestamp) -> bool {
    !article.draft && article.date.timestamp() <= now
}

/// What rendering the Markdown bodies of one language reports: links to missing articles,
/// unknown code languages. A published article may link only to published ones, as in
/// `digest build`.
fn body_warnings(
    site: &Site,
    language: Language<'_>,
    highlighter: &content::highlight::HighlightCache,
) -> (Vec<Problem>, Vec<content::Body>) {
    let config = language.config;
    let links = Urls::new(&config.base_url, config.base_path());
    let published: Vec<Article> = language
        .library
        .articles
        .iter()
        .filter(|a| is_published(a, site.now))
        .map(|a| Article {
            body: String::new(),
            ..a.clone()
        })
        .collect();
    let unpublished = language
        .library
        .articles
        .iter()
        .filter(|a| !is_published(a, site.now))
        .map(|a| content::LeftOut {
            path: a.path.clone(),
            reason: if a.draft {
                content::LeftOutReason::Draft
            } else {
                content::LeftOutReason::Future
            },
        });
    let published_targets = LinkTargets::new(&links, &published).with_left_out(unpublished);
    let all_targets = LinkTargets::new(&links, &language.library.articles);
    let options = content::markdown_options(config);
    language
        .library
        .articles
        .par_iter()
        .map(|article| {
            let targets = if is_published(article, site.now) {
                &published_targets
            } else {
                &all_targets
            };
            let (body, warnings) = match content::render_body(
                article,
                &article.body,
                options,
                targets,
                highlighter,
                None,
            ) {
                // Only the summaries are kept, for the emails.
                Ok((body, warnings)) => (
                    content::Body {
                        html: String::new(),
                        toc: Vec::new(),
                        ..body
                    },
                    warnings,
                ),
                Err(internal) => (content::Body::default(), vec![internal]),
            };
            (body, warnings)
        })
        .collect::<Vec<_>>()
        .into_iter()
        .fold(
            (Vec::new(), Vec::new()),
            |(mut problems, mut bodies), (body, warnings)| {
                problems.extend(warnings.into_iter().map(Problem::classify));
                bodies.push(body);
                (problems, bodies)
            },
        )
}

/// Each edition's email as a build would make it: past the size at which Gmail clips, or
/// showing an image without alt text; and an `[email]` section without `from`.
fn email_warnings(root: &Path, site: &Site, bodies: Vec<content::Body>) -> Vec<Problem> {
    use crate::render::email;
    let config = &site.config;
    let mut problems = Vec::new();
    if !email::writes_emails(config) {
        return problems;
    }
    let text =
        crate::fs::read_to_string(&root.join(crate::config::CONFIG_FILE)).unwrap_or_default();
    let has_section = text
        .parse::<toml::Table>()
        .is_ok_and(|table| table.contains_key("email"));
    if has_section && config.email.from.is_none() {
        let line = text
            .lines()
            .position(|l| l.trim_start().starts_with("[email]"))
            .map_or(0, |i| i + 1);
        problems.push(Problem::new(
            Diagnostic::warning(
                Code::EmailConfig,
                crate::config::CONFIG_FILE,
                "[email] has no `from`: the editions' emails say they come from a noreply address of base_url's host",
            )
            .at(line, 1)
            .with_hint("add a line such as from = \"Tech Policy Digest <digest@example.com>\" with an address you send from"),
        ));
    }
    if let Err(Error::Site(diagnostics)) = email::sender(config) {
        let line = text
            .lines()
            .position(|l| l.trim_start().starts_with("from"))
            .map_or(0, |i| i + 1);
        problems.extend(diagnostics.into_iter().map(|d| Problem::new(d.at(line, 1))));
    }
    let Ok(templates) = crate::render::load_templates(root, config, &site.library) else {
        return problems;
    };
    let shared: Vec<crate::render::key::Shared<content::Body>> = bodies
        .into_iter()
        .map(|b| crate::render::key::Shared::new(b, None))
        .collect();
    let output = PathBuf::from(&config.output_dir);
    for index in 0..site.library.editions.len() {
        let edition = &site.library.editions[index];
        let path = output
            .join(crate::urls::edition(&edition.id))
            .join(email::HTML_FILE);
        let view = email::email_view(config, &site.library, index, |id| &shared[id], |_| None);
        let made = match email::render_html(&templates, &view) {
            Ok(made) => made,
            Err(e) => {
                problems.push(Problem::new(Diagnostic::error(
                    Code::TemplateError,
                    path,
                    format!("the email of edition {} does not render: {e}", edition.id),
                )));
                continue;
            }
        };
        if made.compact {
            let kb = |n: usize| n.div_ceil(1024);
            let message = if made.html.len() > email::SIZE_LIMIT {
                format!(
                    "edition {}'s email is {} KB even with summaries and links only, past the {} KB at which Gmail clips a message",
                    edition.id,
                    kb(made.html.len()),
                    kb(email::SIZE_LIMIT)
                )
            } else {
                format!(
                    "edition {}'s email would pass the {} KB at which Gmail clips a message: it carries summaries and links only ({} KB)",
                    edition.id,
                    kb(email::SIZE_LIMIT),
                    kb(made.html.len())
                )
            };
            problems.push(Problem::new(
                Diagnostic::warning(Code::EmailSize, &path, message).with_hint(
                    "shorten the summaries, or publish editions more often (edition = \"weekly\")",
                ),
            ));
        }
        for tag in email::images_without_alt(&made.html) {
            problems.push(Problem::new(
                Diagnostic::warning(
                    Code::MissingAlt,
                    &path,
                    format!("edition {}'s email shows an image without alt text: {tag}", edition.id),
                )
                .with_hint("give the image an alt attribute saying what it shows (front matter image_alt, or the email.html template)"),
            ));
        }
    }
    problems
}

/// Templates that do not compile fail every build.
fn template_errors(root: &Path, site: &Site) -> Vec<Problem> {
    match crate::render::load_templates(root, &site.config, &site.library) {
        Ok(_) => Vec::new(),
        Err(Error::Template { name, message }) => {
            // A site's own template is the file to mend; a built-in one is mended in templates/.
            let path = if name.starts_with(crate::render::templates::TEMPLATES_DIR) {
                PathBuf::from(name)
            } else {
                PathBuf::from(crate::render::templates::TEMPLATES_DIR)
            };
            vec![Problem::new(
                Diagnostic::error(Code::TemplateError, path, message).with_hint(
                    "fix the template; `digest build` fails until it compiles (see docs/templates.md)",
                ),
            )]
        }
        Err(other) => vec![Problem::new(Diagnostic::error(
            Code::Io,
            crate::render::templates::TEMPLATES_DIR,
            other.to_string(),
        ))],
    }
}

/// Spellings of one term that differ from the one the site uses ("Open AI" where 14 articles
/// write "OpenAI"). A profile's `name` and its `aliases` are all spellings of their own.
fn term_spellings(site: &Site, language: Language<'_>) -> Vec<Problem> {
    struct Variant<'a> {
        canonical: &'a str,
        count: usize,
        canonical_count: usize,
        profile: Option<&'a Path>,
    }
    let mut variants: HashMap<(&str, &str), Variant<'_>> = HashMap::new();
    for taxonomy in &language.library.taxonomies {
        for term in &taxonomy.terms {
            let mut accepted: Vec<&str> = vec![term.name.as_str()];
            if let Some(profile) = &term.profile {
                accepted.extend(profile.aliases.iter().map(String::as_str));
            }
            for (spelling, &count) in &term.spellings {
                if accepted.contains(&spelling.as_str()) {
                    continue;
                }
                let key = term_key(spelling);
                let canonical = accepted
                    .iter()
                    .copied()
                    .find(|a| term_key(a) == key)
                    .unwrap_or(&term.name);
                variants.insert(
                    (taxonomy.name.as_str(), spelling.as_str()),
                    Variant {
                        canonical,
                        count,
                        canonical_count: term.spellings.get(canonical).copied().unwrap_or(0),
                        profile: term.profile.as_ref().map(|p| p.path.as_path()),
                    },
                );
            }
        }
    }
    if variants.is_empty() {
        return Vec::new();
    }
    let mut problems = Vec::new();
    for article in &language.library.articles {
        let Some(file) = site.files.get(&article.path) else {
            continue;
        };
        for taxonomy in &language.config.taxonomies {
            for s in file.strings(&taxonomy.name) {
                let spelling = s.value.trim();
                let Some(v) = variants.get(&(taxonomy.name.as_str(), spelling)) else {
                    continue;
                };
                let files = |n: usize| {
                    if n == 1 {
                        "1 file".to_string()
                    } else {
                        format!("{n} files")
                    }
                };
                let message = match (v.profile, v.canonical_count) {
                    (Some(profile), 0) => format!(
                        "{}: {spelling:?} is spelled {:?} in {}",
                        taxonomy.name,
                        v.canonical,
                        profile.display()
                    ),
                    _ => format!(
                        "{}: {spelling:?} ({}) and {:?} ({}) are one term, spelled differently",
                        taxonomy.name,
                        files(v.count),
                        v.canonical,
                        files(v.canonical_count)
                    ),
                };
                let (line, col) = file.at(s.range.start);
                let fix = file.replace(
                    &article.path,
                    s,
                    v.canonical,
                    format!("{spelling:?} → {:?}", v.canonical),
                );
                problems.push(Problem {
                    suggestion: Some(v.canonical.to_string()),
                    fix: Some(fix),
                    ..Problem::new(
                        Diagnostic::warning(Code::TermSpelling, &article.path, message)
                            .at(line, col)
                            .with_hint(format!(
                                "write {:?}, as the site does elsewhere (`digest check --fix` does it)",
                                v.canonical
                            )),
                    )
                });
            }
        }
    }
    problems
}

/// Translations without their original, and translations last updated (`updated`, else
/// `date`) before their original was: the original changed since it was translated.
fn translations(root: &Path, library: &Library) -> Vec<Problem> {
    let originals: HashMap<&Path, &Article> = library
        .articles
        .iter()
        .map(|a| (a.path.as_path(), a))
        .collect();
    let mut problems = Vec::new();
    for translation in &library.translations {
        for article in &translation.library.articles {
            let original_path = content::original_path(&article.path, &translation.key);
            let Some(original) = originals.get(original_path.as_path()) else {
                problems.push(Problem::new(
                    Diagnostic::warning(
                        Code::MissingOriginal,
                        &article.path,
                        format!(
                            "a `{}` translation of {}, which does not exist",
                            translation.key,
                            original_path.display()
                        ),
                    )
                    .at(1, 1)
                    .with_hint("restore the original, or rename this file without its language to make it an article of the default language"),
                ));
                continue;
            };
            let (Some(changed), translated) = (
                original.updated.as_ref(),
                article.updated.as_ref().unwrap_or(&article.date),
            ) else {
                continue;
            };
            if translated.timestamp() < changed.timestamp() {
                let line = crate::fs::read_to_string(&root.join(&article.path))
                    .ok()
                    .and_then(|text| {
                        text.lines()
                            .position(|l| l.trim_start().starts_with("updated"))
                            .map(|i| i + 1)
                    })
                    .unwrap_or(1);
                problems.push(Problem::new(
                    Diagnostic::warning(
                        Code::StaleTranslation,
                        &article.path,
                        format!(
                            "translated {}, but {} was updated {}",
                            translated.date(),
                            original.path.display(),
                            changed.date()
                        ),
                    )
                    .at(line, 1)
                    .with_hint("bring the translation up to date, then set its `updated` to the day you did"),
                ));
            }
        }
    }
    problems
}

/// Articles still as `digest new` wrote them: an empty `summary` (cards and feeds fall back to
/// the first paragraph) and a body that still holds the placeholder text, which would be
/// published as the story's summary.
fn unfinished(site: &Site) -> Vec<Problem> {
    let mut problems = Vec::new();
    for article in site.articles() {
        let Some(file) = site.files.get(&article.path) else {
            continue;
        };
        if let Some(s) = file.strings("summary").first()
            && s.value.trim().is_empty()
        {
            let (line, col) = file.at(s.range.start);
            problems.push(Problem::new(
                Diagnostic::warning(
                    Code::Unfinished,
                    &article.path,
                    "`summary` is empty: cards, the meta description and feeds show the body's first paragraph instead",
                )
                .at(line, col)
                .with_hint("write the story in one or two sentences between the quotes, or remove the line"),
            ));
        }
        let (body, body_start) = file.body();
        if let Some(at) = body.find(crate::scaffold::PLACEHOLDER) {
            let (line, col) = file.at(body_start + at);
            problems.push(Problem::new(
                Diagnostic::warning(
                    Code::Unfinished,
                    &article.path,
                    format!(
                        "the body still holds the text `digest new` wrote: {:?}",
                        crate::scaffold::PLACEHOLDER
                    ),
                )
                .at(line, col)
                .with_hint("replace it with the story; until then it is what readers see"),
            ));
        }
    }
    problems
}

/// Each misspelled name of a taxonomy with the name it likely stands for:
/// `(taxonomy, spelling) → term name` (see [`crate::library::Taxonomy::likely_typo_of`]).
fn typo_corrections(language: Language<'_>) -> HashMap<(&str, &str), &str> {
    let mut corrections = HashMap::new();
    for taxonomy in &language.library.taxonomies {
        for (i, term) in taxonomy.terms.iter().enumerate() {
            if let Some(target) = taxonomy.likely_typo_of(i) {
                for spelling in term.spellings.keys() {
                    corrections.insert(
                        (taxonomy.name.as_str(), spelling.as_str()),
                        taxonomy.terms[target].name.as_str(),
                    );
                }
            }
        }
    }
    corrections
}

/// A term used once or twice whose name is a small edit away from an established one
/// ("Tencnet" beside "Tencent"): the build would publish a page for the misspelling.
fn possible_typos(site: &Site, language: Language<'_>) -> Vec<Problem> {
    let corrections = typo_corrections(language);
    if corrections.is_empty() {
        return Vec::new();
    }
    let uses = |taxonomy: &str, name: &str| {
        language
            .library
            .taxonomies
            .iter()
            .find(|t| t.name == taxonomy)
            .and_then(|t| t.find(name))
            .map_or(0, |t| t.articles.len())
    };
    let mut problems = Vec::new();
    for article in &language.library.articles {
        let Some(file) = site.files.get(&article.path) else {
            continue;
        };
        for taxonomy in &language.config.taxonomies {
            for s in file.strings(&taxonomy.name) {
                let spelling = s.value.trim();
                let Some(&meant) = corrections.get(&(taxonomy.name.as_str(), spelling)) else {
                    continue;
                };
                let articles = |n: usize| match n {
                    1 => "1 article".to_string(),
                    n => format!("{n} articles"),
                };
                let (line, col) = file.at(s.range.start);
                problems.push(Problem {
                    suggestion: Some(meant.to_string()),
                    ..Problem::new(
                        Diagnostic::warning(
                            Code::PossibleTypo,
                            &article.path,
                            format!(
                                "{}: {spelling:?} ({}) is close to {meant:?} ({}); a misspelling gets a page of its own",
                                taxonomy.name,
                                articles(uses(&taxonomy.name, spelling)),
                                articles(uses(&taxonomy.name, meant)),
                            ),
                        )
                        .at(line, col)
                        .with_hint(format!(
                            "did you mean {meant:?}? If {spelling:?} is another name, keep it"
                        )),
                    )
                });
            }
        }
    }
    problems
}

/// Where an article's `source.url` is written.
fn source_url_position(file: &SourceFile) -> ((usize, usize), Option<&spans::Str>) {
    match file.strings("source.url").first() {
        Some(s) => (file.at(s.range.start), Some(s)),
        None => (file.key_position("source"), None),
    }
}

/// Two articles of one language about one source are usually one story written twice (a
/// translation shares its original's source).
fn duplicate_sources(site: &Site, language: Language<'_>) -> Vec<Problem> {
    let mut by_source: BTreeMap<String, Vec<&Article>> = BTreeMap::new();
    for article in &language.library.articles {
        let Some(url) = article.source.as_ref().and_then(|s| s.url.as_deref()) else {
            continue;
        };
        let identity = tracking::identity(url);
        // A site's home page ("https://openai.com") names a publisher, not a story.
        if url.contains("://") && identity.contains(['/', '?']) {
            by_source.entry(identity).or_default().push(article);
        }
    }
    let mut problems = Vec::new();
    for (_, mut articles) in by_source {
        if articles.len() < 2 {
            continue;
        }
        articles.sort_by(|a, b| (a.date.timestamp(), &a.path).cmp(&(b.date.timestamp(), &b.path)));
        let first = articles[0];
        for article in &articles[1..] {
            let (line, col) = site
                .files
                .get(&article.path)
                .map_or((0, 0), |f| source_url_position(f).0);
            let url = article
                .source
                .as_ref()
                .and_then(|s| s.url.clone())
                .unwrap_or_default();
            problems.push(Problem::new(
                Diagnostic::warning(
                    Code::DuplicateSource,
                    &article.path,
                    format!(
                        "same source as {}: {url}",
                        first.path.display()
                    ),
                )
                .at(line, col)
                .with_hint(format!(
                    "two articles about one story: merge this one into {}, or point it at its own source",
                    first.path.display()
                )),
            ));
        }
    }
    problems
}

/// Images without `image_alt`: readers who cannot see them, and search engines, get nothing.
/// A translation showing its original's image is told with the original.
fn missing_alt_text(site: &Site) -> Vec<Problem> {
    site.articles()
        .filter(|a| a.image.is_some() && a.image_alt.is_none())
        .filter(|a| a.language_key.is_none() || a.image_at != (0, 0))
        .map(|article| {
            let (line, col) = article.image_at;
            Problem::new(
                Diagnostic::warning(
                    Code::MissingAlt,
                    &article.path,
                    "`image` has no `image_alt`: cards, the article page, Open Graph and JSON-LD describe it with nothing",
                )
                .at(line, col)
                .with_hint("add a line such as image_alt = \"Alibaba's booth at WAIC in Shanghai\" saying what the image shows"),
            )
        })
        .collect()
}

/// `utm_*`, `fbclid`… in source URLs, profile websites and links in article bodies.
fn tracking_parameters(site: &Site) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut found = |path: &Path, file: &SourceFile, at: usize, url: &str, fix: Option<Edit>| {
        let Some((clean, removed)) = tracking::strip(url) else {
            return;
        };
        let (line, col) = file.at(at);
        let names = removed.join(", ");
        problems.push(Problem {
            suggestion: Some(clean.clone()),
            fix,
            ..Problem::new(
                Diagnostic::warning(
                    Code::TrackingParameter,
                    path,
                    format!("tracking parameters in a link: {names}"),
                )
                .at(line, col)
                .with_hint(format!("link to {clean} (`digest check --fix` does it)")),
            )
        });
    };
    let describe = |url: &str| {
        let removed = tracking::strip(url).map(|(_, r)| r).unwrap_or_default();
        format!("removed tracking parameters {}", removed.join(", "))
    };
    for profile in site
        .library
        .taxonomies
        .iter()
        .flat_map(|t| &t.terms)
        .filter_map(|t| t.profile.as_ref())
    {
        let Some(file) = site.files.get(&profile.path) else {
            continue;
        };
        for s in file.strings("website") {
            if let Some((clean, _)) = tracking::strip(&s.value) {
                let edit = file.replace(&profile.path, s, &clean, describe(&s.value));
                found(&profile.path, file, s.range.start, &s.value, Some(edit));
            }
        }
    }
    for article in site.articles() {
        let Some(file) = site.files.get(&article.path) else {
            continue;
        };
        if let ((_, _), Some(s)) = source_url_position(file)
            && let Some((clean, _)) = tracking::strip(&s.value)
        {
            let edit = file.replace(&article.path, s, &clean, describe(&s.value));
            found(&article.path, file, s.range.start, &s.value, Some(edit));
        }
        let (body, body_start) = file.body();
        for (range, url) in links::body_links(body) {
            let Some((clean, _)) = tracking::strip(&url) else {
                continue;
            };
            let start = body_start + range.start;
            let (line, col) = file.at(start);
            let edit = (body.get(range.clone()) == Some(url.as_str())).then(|| Edit {
                path: article.path.clone(),
                range: start..body_start + range.end,
                original: url.clone(),
                replacement: clean,
                line,
                col,
                description: describe(&url),
            });
            found(&article.path, file, start, &url, edit);
        }
    }
    problems
}

/// Terms the text names that the front matter does not file the story under.
fn unfiled_mentions(site: &Site, language: Language<'_>) -> Vec<Problem> {
    let library = language.library;
    if library.article_mentions.iter().all(Vec::is_empty) {
        return Vec::new();
    }
    let lexicon = mentions::lexicon(language.config, &library.taxonomies);
    let corrections = typo_corrections(language);
    let mut problems = Vec::new();
    for (id, mentioned) in library.article_mentions.iter().enumerate() {
        if mentioned.is_empty() {
            continue;
        }
        let article = &library.articles[id];
        let Some(file) = site.files.get(&article.path) else {
            continue;
        };
        let (body, body_start) = file.body();
        let found = lexicon.find(body);
        for (t, taxonomy) in library.taxonomies.iter().enumerate() {
            let terms: Vec<usize> = mentioned
                .iter()
                .filter(|(tt, _)| *tt == t)
                .map(|&(_, term)| term)
                .collect();
            if terms.is_empty() {
                continue;
            }
            let names: Vec<&str> = terms
                .iter()
                .map(|&i| taxonomy.terms[i].name.as_str())
                .collect();
            let wheres: Vec<String> = terms
                .iter()
                .zip(&names)
                .map(|(&i, name)| match found.iter().find(|m| m.term == (t, i)) {
                    Some(m) => format!("{name} (line {})", file.at(body_start + m.start).0),
                    None => format!("{name} (in the title)"),
                })
                .collect();
            // A listed misspelling is written as the name it stands for, never copied.
            let mut list: Vec<String> = Vec::new();
            let listed = article.terms.get(&taxonomy.name).into_iter().flatten();
            for name in listed.map(String::as_str).chain(names.iter().copied()) {
                let name = corrections
                    .get(&(taxonomy.name.as_str(), name))
                    .map_or(name, |m| m);
                if !list.iter().any(|l| term_key(l) == term_key(name)) {
                    list.push(name.to_string());
                }
            }
            let line_to_add = list_line(file.format(), &taxonomy.name, &list);
            let (line, col) = file.key_position(&taxonomy.name);
            let listed = file
                .located
                .as_ref()
                .is_some_and(|l| l.entry(&taxonomy.name).is_some());
            let filed = if listed {
                format!("replace the line with `{line_to_add}`")
            } else {
                format!("add the line `{line_to_add}` to the front matter")
            };
            problems.push(Problem {
                suggestion: Some(line_to_add),
                ..Problem::new(
                    Diagnostic::warning(
                        Code::UnfiledMention,
                        &article.path,
                        format!(
                            "the story names {} but `{}` does not list {}",
                            join_names(&wheres),
                            taxonomy.name,
                            if names.len() == 1 { "it" } else { "them" },
                        ),
                    )
                    .at(line, col)
                    .with_hint(filed),
                )
            });
        }
    }
    problems
}

/// `companies = ["Alibaba", "Tencent"]`, or in YAML `companies: [Alibaba, Tencent]`.
fn list_line(format: Format, key: &str, names: &[String]) -> String {
    match format {
        Format::Toml => {
            let items: Vec<String> = names
                .iter()
                .map(|n| spans::literal(Format::Toml, spans::Style::Double, n))
                .collect();
            format!("{key} = [{}]", items.join(", "))
        }
        Format::Yaml => {
            let items: Vec<String> = names
                .iter()
                .map(|n| spans::literal(Format::Yaml, spans::Style::Plain, n))
                .collect();
            format!("{key}: [{}]", items.join(", "))
        }
    }
}

/// "A", "A and B", "A, B and C".
fn join_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_lines_in_either_format() {
        let names = ["Alibaba".to_string(), "Open AI".to_string()];
        assert_eq!(
            list_line(Format::Toml, "companies", &names),
            "companies = [\"Alibaba\", \"Open AI\"]"
        );
        assert_eq!(
            list_line(Format::Yaml, "companies", &names),
            "companies: [Alibaba, Open AI]"
        );
        assert_eq!(join_names(&names), "Alibaba and Open AI");
    }
}
