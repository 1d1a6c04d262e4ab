//! The `digest` binary: parse arguments, call the library, report, set the exit code.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anstream::{eprint, eprintln, println};
use anstyle::{AnsiColor, Style};
use clap::Parser;

mod cli;

use cli::{
    BuildArgs, CheckArgs, CheckFormat, Cli, Command, ImportArgs, InitArgs, NewArgs, SendArgs,
    ServeArgs,
};
use digest::report::{self, Reporter};
use digest::{BuildOptions, Diagnostic, Error};

/// A build allocates and frees millions of small strings and template values from both cores;
/// mimalloc's per-thread heaps make a 10,000-article build ~20% faster than the system
/// allocator, for ~60 MB more peak memory (measured with scripts/bench.sh).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let level = match (cli.quiet, cli.verbose) {
        (true, _) => log::LevelFilter::Error,
        (_, 0) => log::LevelFilter::Warn,
        (_, 1) => log::LevelFilter::Info,
        _ => log::LevelFilter::Debug,
    };
    env_logger::Builder::new()
        .filter_level(level)
        .format_timestamp(None)
        .init();
    // The site folder (for quoting its files in messages), what failed, and the outcome.
    let (root, failed, result): (PathBuf, &str, Result<ExitCode, Error>) = match cli.command {
        Command::Build(args) => in_site(args.site.root.clone(), "build failed", |root| {
            build(root, args, cli.quiet).map(|()| ExitCode::SUCCESS)
        }),
        Command::Serve(args) => in_site(args.site.root.clone(), "serve stopped", |root| {
            serve(root, args, cli.quiet).map(|()| ExitCode::SUCCESS)
        }),
        Command::Check(args) => in_site(args.root.clone(), "check failed", |root| {
            check(root, args, cli.quiet)
        }),
        Command::New(args) => in_site(args.root.clone(), "no article written", |root| {
            new(root, args, cli.quiet)
        }),
        Command::Init(args) => (args.dir.clone(), "no site written", init(args, cli.quiet)),
        Command::Send(args) => in_site(args.root.clone(), "send failed", |root| {
            send(root, args, cli.quiet)
        }),
        Command::Import(args) => (
            args.dir.clone(),
            "nothing imported",
            import(args, cli.quiet),
        ),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            report_error(&error, &root, failed);
            ExitCode::from(1)
        }
    }
}

/// Runs a command in the site folder given by `--root` (or found from the current folder),
/// resolved once to an absolute path.
fn in_site(
    given: Option<PathBuf>,
    failed: &'static str,
    command: impl FnOnce(PathBuf) -> Result<ExitCode, Error>,
) -> (PathBuf, &'static str, Result<ExitCode, Error>) {
    match digest::layout::resolve_root(given.as_deref()) {
        Ok(root) => (root.clone(), failed, command(root)),
        Err(error) => (given.unwrap_or_default(), failed, Err(error)),
    }
}

fn serve(root: PathBuf, args: ServeArgs, quiet: bool) -> Result<(), Error> {
    use digest::serve::Event;
    let options = digest::serve::ServeArgs {
        root: root.clone(),
        bind: args.bind,
        port: args.port,
        open: args.open,
        drafts: args.site.drafts,
        future: args.site.future,
    };
    let report = |event: Event<'_>| match event {
        Event::Serving { url, not_loopback } => {
            if not_loopback {
                let s = Style::new().fg_color(Some(AnsiColor::Yellow.into())).bold();
                eprintln!(
                    "{}warning{}: listening on {} exposes this preview (and its drafts) to every machine that can reach it",
                    s.render(),
                    s.render_reset(),
                    options.bind
                );
            }
            println!("Serving {url}");
            println!(
                "Watching {} for changes; press Ctrl-C to stop",
                root.display()
            );
            let _ = std::io::stdout().flush();
        }
        Event::Rebuilt(outcome) if !quiet => {
            print_all(&mut Reporter::new(&root), &outcome.warnings);
            println!(
                "Rebuilt {} in {} ms{}",
                count(outcome.pages_written, "page"),
                outcome.took.as_millis(),
                if outcome.css_only {
                    " (stylesheets only)"
                } else {
                    ""
                }
            );
            let _ = std::io::stdout().flush();
        }
        Event::Rebuilt(_) => {}
        Event::Failed(error) => report_error(
            error,
            &root,
            "rebuild failed; still serving the last good build",
        ),
        Event::WatchFailed(error) => report_error(error, &root, "watching stopped"),
        Event::Stopped => println!("Stopped"),
    };
    digest::serve::serve(&options, &report)
}

fn build(root: PathBuf, args: BuildArgs, quiet: bool) -> Result<(), Error> {
    let options = BuildOptions {
        root,
        // Relative to the folder the command was typed in, as the user sees it.
        output: args
            .output
            .as_deref()
            .map(digest::layout::absolute)
            .transpose()?,
        base_url: args.base_url,
        drafts: args.site.drafts,
        future: args.site.future,
        force: args.force,
        relative: args.relative,
        no_cache: args.no_cache,
        // `-v` asks for everything digest can tell, links that go nowhere among it.
        check_links: log::max_level() >= log::LevelFilter::Info,
    };
    let mut reporter = Reporter::new(&options.root);
    let summary = digest::build(&options)?;
    if !quiet {
        print_all(&mut reporter, &summary.warnings);
    }
    // `-v` gives the stages too; the templates are for --timings.
    let verbose = log::max_level() >= log::LevelFilter::Info;
    if args.timings || (verbose && !quiet) {
        eprintln!("stage timings:");
        for (stage, took) in &summary.timings.stages {
            eprintln!("  {stage:<12} {:>8.1} ms", took.as_secs_f64() * 1000.0);
        }
    }
    if args.timings {
        eprintln!("slowest templates (time summed over all threads):");
        for t in summary.timings.slowest_templates(10) {
            eprintln!(
                "  {:<28} {:>8.1} ms over {:>6} renders ({:.1} µs each)",
                t.name,
                t.total.as_secs_f64() * 1000.0,
                t.renders,
                t.total.as_secs_f64() * 1e6 / t.renders.max(1) as f64
            );
        }
    }
    if !quiet && summary.unchanged {
        println!(
            "Nothing changed since the last build into {}; nothing written ({} ms)",
            summary.output.display(),
            summary.elapsed.as_millis()
        );
    } else if !quiet {
        println!(
            "Built {} ({}, {}, {}) into {} in {} ms",
            count(summary.pages, "page"),
            count(summary.articles, "article"),
            count(summary.terms, "term"),
            count(summary.editions, "edition"),
            summary.output.display(),
            summary.elapsed.as_millis()
        );
    }
    let _ = std::io::stdout().flush();
    Ok(())
}

/// "1 page", "2 pages".
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn check(root: PathBuf, args: CheckArgs, quiet: bool) -> Result<ExitCode, Error> {
    let options = digest::check::CheckOptions {
        root: root.clone(),
        fix: args.fix,
    };
    let report = digest::check::check(&options)?;
    let fixed = style(AnsiColor::Green);
    for edit in &report.fixed {
        let line = format!(
            "{}fixed{}: {}: {}",
            fixed.render(),
            fixed.render_reset(),
            edit.location(),
            edit.description
        );
        // With --format json, stdout carries the JSON alone.
        match args.format {
            CheckFormat::Json => eprintln!("{line}"),
            CheckFormat::Text if !quiet => println!("{line}"),
            CheckFormat::Text => {}
        }
    }
    for edit in &report.not_fixed {
        eprintln!(
            "{}",
            report::headline(
                "warning",
                style(AnsiColor::Yellow),
                &format!(
                    "{} changed while it was checked; not fixed: {}",
                    edit.path.display(),
                    edit.description
                )
            )
        );
    }
    match args.format {
        CheckFormat::Json => println!("{}", digest::check::to_json(&report.problems)),
        CheckFormat::Text => {
            let mut reporter = Reporter::new(&root);
            let shown: Vec<Diagnostic> = report
                .problems
                .iter()
                .map(|p| p.diagnostic.clone())
                .filter(|d| !quiet || d.is_error())
                .collect();
            print_all(&mut reporter, &shown);
            if !quiet {
                println!("{}", check_summary(&report));
            }
        }
    }
    let _ = std::io::stdout().flush();
    Ok(if report.fails(args.strict) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `Checked 12 articles and 5 profiles: 1 error, 2 warnings (1 fixable with --fix)`.
fn check_summary(report: &digest::check::CheckReport) -> String {
    let checked = format!(
        "Checked {} and {}",
        count(report.articles, "article"),
        count(report.profiles, "profile")
    );
    if report.problems.is_empty() {
        return format!("{checked}: no problems found");
    }
    let mut found = Vec::new();
    if report.errors() > 0 {
        found.push(count(report.errors(), "error"));
    }
    if report.warnings() > 0 {
        found.push(count(report.warnings(), "warning"));
    }
    let fixable = match report.fixable() {
        0 => String::new(),
        n => format!(" ({n} fixable with --fix)"),
    };
    format!("{checked}: {}{fixable}", found.join(", "))
}

fn new(root: PathBuf, args: NewArgs, quiet: bool) -> Result<ExitCode, Error> {
    let options = digest::scaffold::NewOptions {
        root: root.clone(),
        title: args.title,
        companies: args.company,
        regulations: args.regulation,
        tags: args.tag,
        date: args.date,
        source_url: args.source_url,
        draft: !args.publish,
    };
    let report = match &args.lang {
        Some(key) => digest::scaffold::new_translation(&root, &options.title, key, options.draft)?,
        None => digest::scaffold::new_article(&options)?,
    };
    for note in &report.notes {
        let (label, color) = if note.warning {
            ("warning", AnsiColor::Yellow)
        } else {
            ("note", AnsiColor::Cyan)
        };
        if !quiet || note.warning {
            eprintln!("{}", report::headline(label, style(color), &note.message));
        }
    }
    // The path alone on stdout, for `$EDITOR "$(digest new "Title")"`.
    println!(
        "{}",
        shown_path(args.root.as_deref(), &root, &report.path).display()
    );
    Ok(ExitCode::SUCCESS)
}

fn send(root: PathBuf, args: SendArgs, quiet: bool) -> Result<ExitCode, Error> {
    use digest::send::Event;
    let options = digest::send::SendOptions {
        root: root.clone(),
        edition: args.edition,
        smtp: args.smtp,
        to: args.to,
        to_file: args.to_file,
        dry_run: args.dry_run,
        insecure_local: args.insecure_local,
        password: std::env::var(digest::send::PASSWORD_VAR).ok(),
    };
    let report = digest::send::send(&options, &mut |event| match event {
        Event::Sent(to) if !quiet => eprintln!("sent to {to}"),
        Event::Skipped(to) if !quiet => eprintln!("skipped {to}: already sent (in the log)"),
        Event::Refused { address, reason } => eprintln!(
            "{}",
            report::headline(
                "error",
                style(AnsiColor::Red),
                &format!("{address} refused by the server: {reason}")
            )
        ),
        _ => {}
    })?;
    let mut reporter = Reporter::new(&root);
    print_all(&mut reporter, &report.invalid);
    if let Some(message) = &report.dry_run {
        std::io::stdout()
            .write_all(message.as_bytes())
            .map_err(|e| Error::Other(format!("cannot print the message: {e}")))?;
        if !quiet {
            eprintln!("dry run: edition {} not sent", report.edition);
        }
        return Ok(if report.invalid.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        });
    }
    if let Some(why) = &report.stopped {
        eprintln!("{}", report::headline("error", style(AnsiColor::Red), why));
    }
    if !quiet || !report.ok() {
        eprintln!(
            "edition {}: {} sent, {} skipped (sent before), {} refused, {} invalid, {} not reached{}; log: {}",
            report.edition,
            report.sent,
            report.skipped,
            report.refused.len(),
            report.invalid.len(),
            report.pending.len(),
            if report.pending.is_empty() {
                ""
            } else {
                " (run again to send to them)"
            },
            shown_path(
                args.root.as_deref(),
                &root,
                report.log.strip_prefix(&root).unwrap_or(&report.log)
            )
            .display()
        );
    }
    Ok(if report.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn init(args: InitArgs, quiet: bool) -> Result<ExitCode, Error> {
    let options = digest::scaffold::InitOptions {
        dir: args.dir.clone(),
        force: args.force,
    };
    let report = digest::scaffold::init(&options)?;
    if quiet {
        return Ok(ExitCode::SUCCESS);
    }
    let here = args.dir == Path::new(".");
    let name = if here {
        "this folder".to_string()
    } else {
        args.dir.display().to_string()
    };
    if report.created.is_empty() {
        println!("Nothing to add to {name}: every file of a new site is there already");
    } else {
        println!("Created a new site in {name}:");
    }
    for path in &report.created {
        println!("  {}", path.display());
    }
    for path in &report.skipped {
        println!("  {} (already there, kept as it was)", path.display());
    }
    println!("Next:");
    if !here {
        println!("  cd {}", shell_word(&args.dir.display().to_string()));
    }
    println!("  digest new \"First story\" --company Alibaba   # write an article");
    println!("  digest check                                 # find mistakes before publishing");
    println!("  digest build                                 # the site, into public/");
    let _ = std::io::stdout().flush();
    Ok(ExitCode::SUCCESS)
}

fn import(args: ImportArgs, quiet: bool) -> Result<ExitCode, Error> {
    use digest::import::{Generator, ImportOptions};
    let options = ImportOptions {
        from: args.from.as_deref().and_then(Generator::parse),
        src: args.src.clone(),
        dir: args.dir.clone(),
        force: args.force,
        companies: args
            .companies
            .as_deref()
            .unwrap_or("")
            .split(',')
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty())
            .collect(),
    };
    let summary = digest::import::import(&options)?;
    if quiet {
        return Ok(ExitCode::SUCCESS);
    }
    if let (true, Some(generator)) = (summary.detected, summary.generator) {
        println!(
            "Detected a {} site in {}",
            generator.name(),
            args.src.display()
        );
    }
    let s = &summary.stats;
    println!(
        "Imported {} of {} found ({} as drafts); URLs: {} kept by the pattern, {} as aliases, {} lost; shortcodes: {} found, {} converted",
        count(s.imported, "post"),
        s.posts_found,
        s.drafts,
        s.urls_as_permalinks,
        s.urls_as_aliases,
        s.urls_lost,
        s.shortcodes_found,
        s.shortcodes_converted
    );
    println!(
        "Wrote {} into {}",
        count(summary.created.len(), "file"),
        args.dir.display()
    );
    if !summary.kept.is_empty() {
        println!(
            "Kept {} that were there already:",
            count(summary.kept.len(), "file")
        );
        for path in &summary.kept {
            println!("  {} (already there, kept as it was)", path.display());
        }
    }
    println!("Read import-report.md for what was mapped, converted and skipped; then:");
    if args.dir != Path::new(".") {
        println!("  cd {}", shell_word(&args.dir.display().to_string()));
    }
    println!("  digest build");
    let _ = std::io::stdout().flush();
    Ok(ExitCode::SUCCESS)
}

/// Where a file `rel` of the site is, as the user can open it from the folder they typed the
/// command in: under `--root` as they wrote it, relative to the current folder when the site is
/// the current folder, else absolute (a site found in a parent folder).
fn shown_path(given: Option<&Path>, root: &Path, rel: &Path) -> PathBuf {
    if let Some(given) = given {
        return given.join(rel);
    }
    let here = std::env::current_dir().and_then(|dir| dir.canonicalize());
    match here {
        Ok(dir) if dir == root => rel.to_path_buf(),
        _ => root.join(rel),
    }
}

/// A path as a shell word: quoted when it holds anything but plain characters.
fn shell_word(text: &str) -> String {
    let plain = text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./~+".contains(c));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

fn report_error(error: &Error, root: &Path, failed: &str) {
    match error {
        Error::Site(diagnostics) => {
            print_all(&mut Reporter::new(root), diagnostics);
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            let files: std::collections::BTreeSet<_> = diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| &d.path)
                .collect();
            let message = if failed == "build failed" {
                format!(
                    "build failed with {errors} error(s) in {} file(s); the previous output was left as it was",
                    files.len()
                )
            } else {
                format!("{failed}: {errors} error(s) in {} file(s)", files.len())
            };
            eprintln!(
                "{}",
                report::headline("error", style(AnsiColor::Red), &message)
            );
        }
        other => eprintln!(
            "{}",
            report::headline("error", style(AnsiColor::Red), &other.to_string())
        ),
    }
}

fn style(color: AnsiColor) -> Style {
    Style::new().fg_color(Some(color.into())).bold()
}

/// Prints diagnostics, a warning repeated across many files once with its count (every one
/// with `-v`).
fn print_all(reporter: &mut Reporter, diagnostics: &[Diagnostic]) {
    let verbose = log::max_level() >= log::LevelFilter::Info;
    for d in report::fold_repeats(diagnostics, verbose) {
        print_diagnostic(reporter, &d);
    }
}

fn print_diagnostic(reporter: &mut Reporter, d: &Diagnostic) {
    eprint!("{}", reporter.render(d));
}
