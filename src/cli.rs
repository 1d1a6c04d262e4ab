//! Command-line interface (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "digest",
    version,
    about = "A static site generator for tech news digests"
)]
pub struct Cli {
    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more about what happens (repeat for more).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder.
    Build(BuildArgs),
}

#[derive(Debug, Args)]
pub struct SiteArgs {
    /// The site folder (holding site.toml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Include articles marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// Include articles dated in the future.
    #[arg(long)]
    pub future: bool,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Where to write the site (default: site.toml's output_dir under the root).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Publish under this address instead of site.toml's base_url.
    #[arg(long)]
    pub base_url: Option<String>,
    /// Replace an output folder that digest did not create.
    #[arg(long)]
    pub force: bool,
    /// Make internal links page-relative, so the output can be opened from disk (file://).
    #[arg(long)]
    pub relative: bool,
    /// Print how long each stage took.
    #[arg(long)]
    pub timings: bool,
    /// Rebuild everything, ignoring the last build's fingerprint and the highlighting cache.
    #[arg(long)]
    pub no_cache: bool,
}
