//! Micro-benchmarks of the hot paths of a build: `cargo bench`.
//!
//! A plain harness (median of repeated timed runs), to keep the dependency tree small. Inputs
//! are the example site's articles and a generated body like the shared corpus's.

use std::hint::black_box;
use std::time::{Duration, Instant};

use digest::content::front_matter;
use digest::content::highlight::{HighlightCache, highlight};
use digest::content::markdown::{self, Hooks, MarkdownOptions};
use digest::library::mentions::Lexicon;

/// Runs `f` repeatedly for about half a second and prints the median time per run.
fn bench(name: &str, mut f: impl FnMut()) {
    for _ in 0..3 {
        f();
    }
    let mut samples = Vec::new();
    let started = Instant::now();
    while started.elapsed() < Duration::from_millis(500) || samples.len() < 10 {
        let t = Instant::now();
        f();
        samples.push(t.elapsed());
    }
    samples.sort();
    let median = samples[samples.len() / 2];
    println!(
        "{name:<40} {:>10.1} µs  ({} runs)",
        median.as_secs_f64() * 1e6,
        samples.len()
    );
}

fn main() {
    let root = env!("CARGO_MANIFEST_DIR");
    let article = std::fs::read_to_string(format!(
        "{root}/content/articles/2023-09-15-alibaba-tongyi-qianwen.md"
    ))
    .expect("the example article");
    let split = front_matter::split(&article).expect("front matter");
    let body = split.body.repeat(6);
    let code = "use std::sync::Arc;\n\n#[tokio::main]\nasync fn main() -> anyhow::Result<()> {\n    let client = Arc::new(Client::from_env()?);\n    let reply = client.complete(\"model\", \"Explain HBM\").await?;\n    println!(\"{}\", reply.text);\n    Ok(())\n}\n";
    let options = MarkdownOptions {
        smart_punctuation: true,
        highlight: true,
        unsafe_html: false,
    };

    bench("front matter: split + parse (TOML)", || {
        let split = front_matter::split(black_box(&article)).unwrap();
        black_box(front_matter::parse(&split).unwrap());
    });
    let cache = HighlightCache::default();
    bench("markdown: render a 6-section article", || {
        let hooks = Hooks {
            resolve_link: &|_| None,
            highlighter: &cache,
            mention_links: None,
            base_path: "",
        };
        black_box(markdown::render(black_box(&body), options, hooks));
    });
    bench("highlight: 10 lines of Rust (syntect)", || {
        black_box(highlight(black_box(code), "rust", true));
    });
    let cached = HighlightCache::default();
    cached.highlight(code, "rust", true);
    bench("highlight: the same block, cached", || {
        black_box(cached.highlight(black_box(code), "rust", true));
    });
    let names = [
        "Alibaba",
        "阿里巴巴",
        "Baidu",
        "Tencent",
        "OpenAI",
        "ByteDance",
        "TikTok",
        "AI",
        "Meta",
        "Google DeepMind",
    ];
    let lexicon = Lexicon::new(
        names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.to_string(), (0, i))),
    );
    bench("mentions: scan a title and body", || {
        black_box(digest::library::mentions::scan(
            &lexicon,
            "Alibaba opens Tongyi Qianwen",
            black_box(&body),
        ));
    });
    bench("escape: XML-escape a rendered body", || {
        black_box(digest::text::escape_xml(black_box(&body)));
    });
}
