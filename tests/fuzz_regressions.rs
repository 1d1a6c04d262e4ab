//! Replays the fuzz corpus (`fuzz/corpus/<target>/`) and every crash or hang the fuzzer kept
//! (`fuzz/artifacts/<target>/`) through the same checks the fuzz targets run, in a normal
//! `cargo test`. The checks live in `fuzz/src/lib.rs`; see `fuzz/README.md` for the campaign.

#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod harness;

use std::path::{Path, PathBuf};

fn inputs(target: &str) -> Vec<PathBuf> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut files: Vec<PathBuf> = ["corpus", "artifacts"]
        .iter()
        .filter_map(|kind| std::fs::read_dir(fuzz.join(kind).join(target)).ok())
        .flatten()
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

/// Runs `check` on every input of `target`, on threads with the 2 MiB stack that build
/// threads have, and names the input that failed.
fn replay(target: &str, check: fn(&[u8])) {
    let files = inputs(target);
    assert!(!files.is_empty(), "no corpus for {target}");
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    let chunks: Vec<Vec<PathBuf>> = (0..threads)
        .map(|t| files.iter().skip(t).step_by(threads).cloned().collect())
        .collect();
    let handles: Vec<_> = chunks
        .into_iter()
        .map(|chunk| {
            std::thread::Builder::new()
                .stack_size(2 << 20)
                .spawn(move || {
                    for path in chunk {
                        // A file a running fuzzer has just reduced away is skipped.
                        let Ok(data) = std::fs::read(&path) else {
                            continue;
                        };
                        let outcome = std::panic::catch_unwind(|| check(&data));
                        assert!(outcome.is_ok(), "{} fails", path.display());
                    }
                })
                .unwrap()
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
}

#[test]
fn front_matter_corpus() {
    replay("front_matter", harness::front_matter);
}

#[test]
fn markdown_corpus() {
    replay("markdown", harness::markdown);
}

#[test]
fn paths_corpus() {
    replay("paths", harness::paths);
}

#[test]
fn mentions_corpus() {
    replay("mentions", harness::mentions);
}

#[test]
fn text_corpus() {
    replay("text", harness::text);
}
