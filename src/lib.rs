//! digest: a static site generator for tech news digests.
//!
//! The pipeline follows the data: [`config`] → [`content`] (load, front matter, Markdown) →
//! [`library`] (articles, terms, editions) → [`render`] (templates, feeds, sitemap) →
//! [`output`] (staging folder, swap).

pub(crate) mod cache;
pub mod check;
pub(crate) mod config;
pub mod content;
pub mod error;
pub mod fs;
pub mod i18n;
pub mod import;
pub mod layout;
pub mod library;
pub(crate) mod output;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod send;
pub mod serve;
pub mod text;
pub(crate) mod timings;
pub mod urls;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use config::Config;
use content::highlight::HighlightCache;
pub use error::{Code, Diagnostic, Error, Result, Severity};
pub use library::Library;
pub use timings::Timings;

/// What `digest build` was asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Defaults to site.toml's `output_dir` under the root.
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    pub future: bool,
    /// Replace an output folder digest did not create.
    pub force: bool,
    /// Page-relative internal links, for browsing the output from disk.
    pub relative: bool,
    /// Ignore what earlier builds left (fingerprint, highlighting cache) and do all the work.
    pub no_cache: bool,
    /// Check every link of every body that points inside the site against what was written
    /// (`broken-link` warnings); the build then always does its work, never a no-op.
    pub check_links: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            base_url: None,
            drafts: false,
            future: false,
            force: false,
            relative: false,
            no_cache: false,
            check_links: false,
        }
    }
}

/// What a finished build did, for its one-line report.
#[derive(Debug, Clone)]
pub struct BuildSummary {
    pub output: PathBuf,
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
    pub articles: usize,
    pub terms: usize,
    pub editions: usize,
    pub elapsed: Duration,
    pub warnings: Vec<Diagnostic>,
    pub timings: Timings,
    /// Nothing changed since the last build into this output, so nothing was written.
    pub unchanged: bool,
}

impl BuildSummary {
    fn empty(output: PathBuf) -> Self {
        BuildSummary {
            output,
            pages: 0,
            files: 0,
            bytes: 0,
            articles: 0,
            terms: 0,
            editions: 0,
            elapsed: Duration::ZERO,
            warnings: Vec::new(),
            timings: Timings::default(),
            unchanged: false,
        }
    }
}

/// Reads site.toml and applies command-line overrides.
pub fn load_config(root: &Path, base_url: Option<&str>) -> Result<(Config, Vec<Diagnostic>)> {
    let (mut config, warnings) = Config::load(root)?;
    if let Some(url) = base_url {
        let text = format!("base_url = {}", toml::Value::String(url.to_string()));
        let (overridden, _) = Config::parse(&text).map_err(|mut d| {
            d.path = PathBuf::from("--base-url");
            Error::Site(vec![d])
        })?;
        config.base_url = overridden.base_url;
    }
    Ok((config, warnings))
}

/// Loads the content and builds the library, failing with every error found.
pub fn load_site(
    root: &Path,
    config: &Config,
    drafts: bool,
    future: bool,
    timings: &mut Timings,
) -> Result<(Library, Vec<Diagnostic>)> {
    let content = content::load(
        root,
        config,
        content::LoadOptions {
            drafts,
            future,
            now: jiff::Timestamp::now(),
        },
        timings,
    );
    let start = Instant::now();
    let (library, diagnostics) = Library::build(config, content);
    timings.record("index", start);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Error::Site(diagnostics));
    }
    Ok((library, diagnostics))
}

/// `digest build`: the whole site into the output folder, replacing it only when all went well.
pub fn build(options: &BuildOptions) -> Result<BuildSummary> {
    let start = Instant::now();
    let mut timings = Timings::default();
    let (mut config, mut warnings) = load_config(&options.root, options.base_url.as_deref())?;
    config.relative_urls |= options.relative;
    config.require_base_url()?;
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| options.root.join(&config.output_dir));
    output::check_output_path(&options.root, &output)?;

    let Some(Loaded {
        fingerprint,
        mut library,
        diagnostics,
    }) = load_if_changed(options, &config, &output, &mut timings)?
    else {
        return Ok(BuildSummary {
            unchanged: true,
            elapsed: start.elapsed(),
            timings,
            ..BuildSummary::empty(output)
        });
    };
    warnings.extend(diagnostics);
    let sources = library.take_sources();
    let body_links = options.check_links.then(|| {
        (
            check::links::collect(&library.articles, &sources),
            check::links::collect_translations(&library),
        )
    });
    let (staging, rendered_warnings) = render_to_staging(
        options,
        &config,
        &library,
        sources,
        fingerprint.as_deref(),
        &output,
        &mut timings,
    )?;
    warnings.extend(rendered_warnings);
    let commit_start = Instant::now();
    let stats = staging.commit()?;
    timings.record("swap", commit_start);
    if let Some(body_links) = &body_links {
        let links_start = Instant::now();
        let (links, translations) = body_links;
        warnings.extend(check::links::broken(&output, &library.articles, links));
        for (articles, links) in translations {
            warnings.extend(check::links::broken(&output, articles, links));
        }
        timings.record("links", links_start);
    }
    let summary = BuildSummary {
        pages: stats.pages,
        files: stats.files,
        bytes: stats.bytes,
        articles: library.articles.len(),
        terms: library.term_count(),
        editions: library.editions.len(),
        elapsed: start.elapsed(),
        warnings,
        timings,
        ..BuildSummary::empty(output)
    };
    render::drop_in_background(library);
    Ok(summary)
}

/// The site loaded, with the fingerprint of its inputs; `None` when the fingerprint equals the
/// one recorded in the output, as there is nothing to do. With no earlier build to compare
/// with, hashing the inputs runs alongside reading them, as it decides nothing and only needs
/// recording at the end.
fn load_if_changed(
    options: &BuildOptions,
    config: &Config,
    output: &Path,
    timings: &mut Timings,
) -> Result<Option<Loaded>> {
    let load = |timings: &mut Timings| {
        load_site(
            &options.root,
            config,
            options.drafts,
            options.future,
            timings,
        )
    };
    let timed_fingerprint = || {
        let started = Instant::now();
        cache::fingerprint(
            &options.root,
            (
                options.drafts,
                options.future,
                &options.base_url,
                options.relative,
            ),
            output,
        )
        .map(|f| (f, started.elapsed()))
    };
    let (fingerprint, loaded) = if options.no_cache {
        (None, load(timings))
    } else if output::has_marker(output) && !options.check_links {
        let (fingerprint, took) = timed_fingerprint()?;
        timings.record_duration("fingerprint", took);
        if output::is_current(output, &fingerprint, jiff::Timestamp::now()) {
            return Ok(None);
        }
        (Some(fingerprint), load(timings))
    } else {
        let mut load_timings = Timings::default();
        let (hashed, loaded) = rayon::join(timed_fingerprint, || load(&mut load_timings));
        let (fingerprint, took) = hashed?;
        timings.record_duration("fingerprint", took);
        timings.stages.extend(load_timings.stages);
        (Some(fingerprint), loaded)
    };
    let (library, diagnostics) = loaded?;
    Ok(Some(Loaded {
        fingerprint,
        library,
        diagnostics,
    }))
}

/// A site loaded to build.
struct Loaded {
    /// The fingerprint of every input, to record in the output; none with `--no-cache`.
    fingerprint: Option<String>,
    library: Library,
    diagnostics: Vec<Diagnostic>,
}

/// Renders the whole site into a staging folder beside the output, with the fingerprint
/// recorded in it, and returns it with the render's warnings; on an error the staging folder
/// is removed, so the output stays as it was.
fn render_to_staging(
    options: &BuildOptions,
    config: &Config,
    library: &Library,
    sources: Vec<String>,
    fingerprint: Option<&str>,
    output: &Path,
    timings: &mut Timings,
) -> Result<(output::Staging, Vec<Diagnostic>)> {
    let setup_start = Instant::now();
    let highlight_cache_path = cache::highlight_cache_path(&options.root);
    let highlighter = if options.no_cache {
        HighlightCache::default()
    } else {
        HighlightCache::load(&highlight_cache_path)
    };

    let staging = output::prepare(&options.root, output, options.force)?;
    let rendered = render::load_templates(&options.root, config, library)
        .and_then(|templates| {
            timings.record("setup", setup_start);
            let job = render::Job {
                root: &options.root,
                config,
                library,
                templates: &templates,
                out: &staging,
                mode: render::Mode::All,
                static_files: true,
            };
            let bodies = render::Bodies::Render {
                sources,
                highlighter: &highlighter,
                save_highlights_to: (!options.no_cache).then_some(&*highlight_cache_path),
            };
            render::render_site(job, bodies, timings)
        })
        .and_then(|rendered| {
            if let Some(fingerprint) = fingerprint {
                staging.record(fingerprint, library.changes_by_itself(&config.time_zone()))?;
            }
            Ok(rendered)
        });
    match rendered {
        Ok(rendered) => Ok((staging, rendered.warnings)),
        Err(e) => {
            staging.abandon();
            Err(e)
        }
    }
}
