//! The `digest` binary: parse arguments, call the library, report, set the exit code.

use std::io::Write;
use std::process::ExitCode;

use anstream::{eprintln, println};
use anstyle::{AnsiColor, Style};
use clap::Parser;

mod cli;

use cli::{BuildArgs, Cli, Command};
use digest::{BuildOptions, Diagnostic, Error, Severity};

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
    let result = match cli.command {
        Command::Build(args) => build(args, cli.quiet),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            report_error(&error);
            ExitCode::from(1)
        }
    }
}

fn build(args: BuildArgs, quiet: bool) -> Result<(), Error> {
    let options = BuildOptions {
        root: args.site.root,
        output: args.output,
        base_url: args.base_url,
        drafts: args.site.drafts,
        future: args.site.future,
        force: args.force,
        relative: args.relative,
        no_cache: args.no_cache,
    };
    let summary = digest::build(&options)?;
    if !quiet {
        for warning in &summary.warnings {
            print_diagnostic(warning);
        }
    }
    if args.timings {
        eprintln!("stage timings:");
        for (stage, took) in &summary.timings.stages {
            eprintln!("  {stage:<12} {:>8.1} ms", took.as_secs_f64() * 1000.0);
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

fn report_error(error: &Error) {
    match error {
        Error::Site(diagnostics) => {
            for d in diagnostics {
                print_diagnostic(d);
            }
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            let files: std::collections::BTreeSet<_> = diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| &d.path)
                .collect();
            eprintln!(
                "{}error{}: build failed with {errors} error(s) in {} file(s); the previous output was left as it was",
                style(AnsiColor::Red).render(),
                style(AnsiColor::Red).render_reset(),
                files.len()
            );
        }
        other => eprintln!(
            "{}error{}: {other}",
            style(AnsiColor::Red).render(),
            style(AnsiColor::Red).render_reset()
        ),
    }
}

fn style(color: AnsiColor) -> Style {
    Style::new().fg_color(Some(color.into())).bold()
}

fn print_diagnostic(d: &Diagnostic) {
    let (label, color) = match d.severity {
        Severity::Error => ("error", AnsiColor::Red),
        Severity::Warning => ("warning", AnsiColor::Yellow),
    };
    let s = style(color);
    eprintln!(
        "{}{label}{}: {}: {}",
        s.render(),
        s.render_reset(),
        d.location(),
        d.message
    );
    if let Some(hint) = &d.hint {
        let h = style(AnsiColor::Cyan);
        eprintln!("  {}hint{}: {hint}", h.render(), h.render_reset());
    }
}
