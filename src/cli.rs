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
    /// Preview the site in a browser, rebuilding and reloading on every save.
    Serve(ServeArgs),
    /// Check the site for errors and mistakes, writing nothing (unless --fix).
    Check(CheckArgs),
    /// Write a new article into content/articles/.
    New(NewArgs),
    /// Create a new site that builds at once.
    Init(InitArgs),
    /// Mail a built edition (its edition.eml) to each recipient, one message per address.
    Send(SendArgs),
    /// Move a Hugo, Zola, Jekyll or Pelican site over, keeping every URL.
    Import(ImportArgs),
}

#[derive(Debug, Args)]
pub struct SiteArgs {
    /// The site folder (holding site.toml); default: the current folder, or the nearest parent
    /// folder holding site.toml.
    #[arg(long)]
    pub root: Option<PathBuf>,
    /// Include articles marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// Include articles dated in the future.
    #[arg(long)]
    pub future: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The address to listen on; anything but loopback exposes the preview to the network.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// The port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
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

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The site folder (holding site.toml); default: the current folder, or the nearest parent
    /// folder holding site.toml.
    #[arg(long)]
    pub root: Option<PathBuf>,
    /// Exit with 1 on warnings too, not only on errors.
    #[arg(long)]
    pub strict: bool,
    /// Rewrite what is safe to rewrite (tracking parameters, term spellings) and report each change.
    #[arg(long)]
    pub fix: bool,
    /// How to print the problems: for people, or as a JSON array for editors and CI.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The article's title; its file is content/articles/<date>-<slug of the title>.md.
    pub title: String,
    /// A company the story is about (repeat for more).
    #[arg(long, value_name = "NAME")]
    pub company: Vec<String>,
    /// A regulation the story is about (repeat for more).
    #[arg(long, value_name = "NAME")]
    pub regulation: Vec<String>,
    /// A tag (repeat for more).
    #[arg(long, value_name = "NAME")]
    pub tag: Vec<String>,
    /// The article's date (default: today in the site's time zone).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// The address of the original publication.
    #[arg(long, value_name = "URL")]
    pub source_url: Option<String>,
    /// Mark the article as a draft (the default: left out of builds without --drafts).
    #[arg(long, conflicts_with = "publish")]
    pub draft: bool,
    /// Write `draft = false`: the next build publishes the article.
    #[arg(long)]
    pub publish: bool,
    /// Translate: TITLE names an existing article (file, slug or title) and its translation
    /// into this language (a key of [languages]) is written beside it as x.<key>.md.
    #[arg(long, value_name = "KEY")]
    pub lang: Option<String>,
    /// The site folder (holding site.toml); default: the current folder, or the nearest parent
    /// folder holding site.toml.
    #[arg(long)]
    pub root: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder for the new site (created if missing).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Write into a folder that is not empty, adding only missing files (never overwriting).
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct SendArgs {
    /// `latest`, or an edition id such as 2023-w37.
    pub edition: String,
    /// The mail server: smtp://user@host:587 (STARTTLS) or smtps://user@host:465; the password
    /// is read from DIGEST_SMTP_PASSWORD, never from the command line.
    #[arg(long, value_name = "URL", required_unless_present = "dry_run")]
    pub smtp: Option<String>,
    /// A recipient (repeat for more).
    #[arg(long, value_name = "ADDR", num_args = 1..)]
    pub to: Vec<String>,
    /// A file of recipients, one address a line (`#` starts a comment line).
    #[arg(long, value_name = "FILE")]
    pub to_file: Option<PathBuf>,
    /// Print the message instead of sending it.
    #[arg(long)]
    pub dry_run: bool,
    /// Allow a connection without TLS, to a server on this machine (loopback) only.
    #[arg(long)]
    pub insecure_local: bool,
    /// The site folder (holding site.toml); default: the current folder, or the nearest parent
    /// folder holding site.toml.
    #[arg(long)]
    pub root: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The generator the source site was made with (detected from its layout when left out).
    #[arg(long, value_parser = ["hugo", "zola", "jekyll", "pelican"])]
    pub from: Option<String>,
    /// The folder of the site to import.
    pub src: PathBuf,
    /// The folder for the digest site (created if missing).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Write into a folder that is not empty, adding only missing files (never overwriting).
    #[arg(long)]
    pub force: bool,
    /// Company names, comma-separated, filed as companies on the posts that mention them.
    #[arg(long, value_name = "A,B,…")]
    pub companies: Option<String>,
}
