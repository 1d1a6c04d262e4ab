//! gen-corpus: the benchmark corpus of tech-news articles, as a digest, Hugo or Zola site.
//!
//!     cargo run --release --example gen-corpus -- --n 10000 --flavor digest --out DIR [--seed S]
//!
//! A port of the team's shared generator (../shared/bench/gen_corpus.py) that writes the same
//! bytes for the same --n, --seed and --flavor, so benchmark figures stay comparable with
//! those taken on the Python one. That takes CPython's `random` reproduced draw for draw
//! (pyrandom.rs) and the generator's pools and draws in its order (pools.rs, article.rs);
//! `cargo test --example gen-corpus` compares the two generators when python3 and the shared
//! script are there.
//!
//! Article content (titles, dates, authors, summaries, bodies, terms, sources) is the same in
//! every flavor; only the scaffolding and the front-matter layout differ. Each article comes
//! from its own random stream seeded with (seed, index), so the corpus of N articles is a
//! prefix of any larger one.

mod article;
mod pools;
mod pyrandom;
mod sha512;
mod site;
mod text;

#[cfg(test)]
mod compare;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

use article::{Article, SlugRegistry, Weights, gen_article};
use site::Flavor;

#[derive(Parser)]
#[command(
    name = "gen-corpus",
    about = "Generate a deterministic tech-news benchmark corpus as a digest, Hugo or Zola site.",
    after_help = "Same --n/--seed give the same article bytes in every flavor, and the same \
                  bytes as ../shared/bench/gen_corpus.py."
)]
struct Args {
    /// Number of articles
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..))]
    n: u32,
    /// Site scaffolding to write
    #[arg(long, value_enum)]
    flavor: Flavor,
    /// Output directory (must be absent or empty)
    #[arg(long)]
    out: PathBuf,
    /// Random seed
    #[arg(long, default_value_t = 42, allow_negative_numbers = true)]
    seed: i64,
    /// Print corpus statistics to stderr
    #[arg(long)]
    stats: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match generate(&args.out, args.n as usize, args.seed, args.flavor) {
        Ok(stats) => {
            if args.stats {
                eprintln!("{stats}");
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("gen-corpus: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Writes the site: scaffolding, then the articles one by one (none is kept in memory).
pub fn generate(out: &Path, n: usize, seed: i64, flavor: Flavor) -> Result<Stats, String> {
    if out.exists() {
        let mut entries =
            std::fs::read_dir(out).map_err(|e| digest::Error::io(out, e).to_string())?;
        if entries.next().is_some() {
            return Err(format!(
                "{} exists and is not empty; remove it first",
                out.display()
            ));
        }
    }
    site::start(out, flavor).map_err(|e| e.to_string())?;
    let weights = Weights::new();
    let mut slugs = SlugRegistry::default();
    let mut stats = Stats::default();
    for index in 0..n {
        let mut article = gen_article(seed, index, &weights);
        slugs.claim(&mut article);
        site::write_article(out, &article, flavor).map_err(|e| e.to_string())?;
        stats.add(&article);
    }
    Ok(stats)
}

/// What `--stats` prints, in the shared generator's format.
#[derive(Default)]
pub struct Stats {
    articles: usize,
    words_min: usize,
    words_max: usize,
    words_total: usize,
    companies: BTreeSet<&'static str>,
    regulations: BTreeSet<&'static str>,
    tags: BTreeSet<&'static str>,
    code: usize,
    table: usize,
    footnote: usize,
}

impl Stats {
    fn add(&mut self, a: &Article) {
        let words = text::word_count(&a.body);
        self.words_min = if self.articles == 0 {
            words
        } else {
            self.words_min.min(words)
        };
        self.words_max = self.words_max.max(words);
        self.words_total += words;
        self.articles += 1;
        self.companies.extend(&a.companies);
        self.regulations.extend(&a.regulations);
        self.tags.extend(&a.tags);
        self.code += usize::from(a.body.contains("```"));
        self.table += usize::from(a.body.contains("|---"));
        self.footnote += usize::from(a.body.contains("[^1]:"));
    }
}

impl std::fmt::Display for Stats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "articles={} words min/avg/max={}/{}/{} companies={} regulations={} tags={} \
             code={} table={} footnote={}",
            self.articles,
            self.words_min,
            self.words_total / self.articles.max(1),
            self.words_max,
            self.companies.len(),
            self.regulations.len(),
            self.tags.len(),
            self.code,
            self.table,
            self.footnote
        )
    }
}
