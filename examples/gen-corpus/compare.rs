//! Byte identity with the shared generator: directly, by running gen_corpus.py when python3
//! and the script are there, and always against digests of its output recorded here.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::generate;
use crate::sha512::sha512;
use crate::site::Flavor;

/// Every file under `root`: (path relative to it with `/` separators, contents), by path.
fn tree(root: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, files: &mut Vec<(String, Vec<u8>)>) {
        for entry in std::fs::read_dir(dir).expect("read_dir") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                walk(root, &path, files);
            } else {
                let rel = path.strip_prefix(root).expect("under root");
                let rel = rel.to_string_lossy().replace('\\', "/");
                files.push((rel, std::fs::read(&path).expect("read")));
            }
        }
    }
    let mut files = Vec::new();
    walk(root, root, &mut files);
    files.sort();
    files
}

/// SHA-512 over "path\0contents\0" of each file in path order, in hex.
fn tree_digest(root: &Path) -> (String, usize) {
    let files = tree(root);
    let mut all = Vec::new();
    for (rel, bytes) in &files {
        all.extend_from_slice(rel.as_bytes());
        all.push(0);
        all.extend_from_slice(bytes);
        all.push(0);
    }
    let hex = sha512(&all).iter().map(|b| format!("{b:02x}")).collect();
    (hex, files.len())
}

fn generated(n: usize, seed: i64, flavor: Flavor) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("site");
    generate(&out, n, seed, flavor).expect("generate");
    (dir, out)
}

/// Digests of gen_corpus.py's output (25 digest articles with seed 42, 5 Zola articles with
/// seed 7), so identity is checked on machines without the shared script too.
#[test]
fn output_matches_recorded_digests_of_the_shared_generator() {
    let (_dir, out) = generated(25, 42, Flavor::Digest);
    assert_eq!(
        tree_digest(&out),
        (
            "6b6dbab7a891d29444fef550cdfaddfa82b1c0090b25ef748dbe0b1b133ac31f\
             c4264a2c141b1eb807cacf2d14c301508c6998ab8fe0ba5e273f1e6695a98a36"
                .to_string(),
            26
        )
    );
    let (_dir, out) = generated(5, 7, Flavor::Zola);
    assert_eq!(
        tree_digest(&out),
        (
            "1153fdb683fb78e069a25edb108bc9590623d3be66c0e166f4ec032331cec403\
             9962783bbf2c1b40dd6e5cf4b19ee3fdcc9d9d9c86d6dba1502307cc27fe7c4d"
                .to_string(),
            17
        )
    );
}

/// The corpus of N articles is a prefix of a larger one, and the same arguments give the
/// same bytes.
#[test]
fn smaller_corpus_is_a_prefix_of_a_larger_one() {
    let (_a, small) = generated(30, 42, Flavor::Hugo);
    let (_b, large) = generated(60, 42, Flavor::Hugo);
    let small = tree(&small);
    let large = tree(&large);
    assert_eq!(large.len(), small.len() + 30);
    for file in &small {
        assert!(large.contains(file), "{} differs", file.0);
    }
}

#[test]
fn refuses_a_folder_that_is_not_empty() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("keep.txt"), "mine").expect("write");
    let err = generate(dir.path(), 3, 42, Flavor::Digest).err();
    let err = err.expect("an error for a folder that is not empty");
    assert!(err.contains("exists and is not empty"), "{err}");
    assert_eq!(tree(dir.path()).len(), 1, "nothing written beside keep.txt");
}

/// The shared generator, from $GEN_CORPUS_PY or ../shared/bench/gen_corpus.py beside the
/// repository, when it and python3 are there.
fn shared_generator() -> Option<PathBuf> {
    let script = std::env::var_os("GEN_CORPUS_PY")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/gen_corpus.py")
        });
    if !script.is_file() {
        eprintln!(
            "skipped: no shared generator at {} (set GEN_CORPUS_PY)",
            script.display()
        );
        return None;
    }
    match Command::new("python3").arg("--version").output() {
        Ok(o) if o.status.success() => Some(script),
        _ => {
            eprintln!(
                "skipped: python3 is not available to run {}",
                script.display()
            );
            None
        }
    }
}

/// Runs both generators and compares every file, naming the first that differs.
#[test]
fn output_is_byte_identical_to_the_shared_generator() {
    let Some(script) = shared_generator() else {
        return;
    };
    let cases = [
        (300, 42, Flavor::Digest, "digest"),
        (60, 7, Flavor::Hugo, "hugo"),
        (60, -3, Flavor::Zola, "zola"),
    ];
    for (n, seed, flavor, name) in cases {
        let dir = tempfile::tempdir().expect("tempdir");
        let python_out = dir.path().join("python");
        let status = Command::new("python3")
            .arg(&script)
            .args(["--n", &n.to_string(), "--seed", &seed.to_string()])
            .args(["--flavor", name, "--out"])
            .arg(&python_out)
            .status()
            .expect("run python3");
        assert!(status.success(), "{} failed", script.display());
        let ours = dir.path().join("rust");
        generate(&ours, n, seed, flavor).expect("generate");

        let (python, ours) = (tree(&python_out), tree(&ours));
        let names = |t: &[(String, Vec<u8>)]| t.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
        assert_eq!(names(&ours), names(&python), "{name}: file names differ");
        for ((path, want), (_, got)) in python.iter().zip(&ours) {
            if want != got {
                let (want, got) = (String::from_utf8_lossy(want), String::from_utf8_lossy(got));
                let line = want.lines().zip(got.lines()).position(|(a, b)| a != b);
                panic!(
                    "{name} --n {n} --seed {seed}: {path} differs at line {}\n python: {:?}\n ours:   {:?}",
                    line.map_or(0, |l| l + 1),
                    line.and_then(|l| want.lines().nth(l)).unwrap_or(""),
                    line.and_then(|l| got.lines().nth(l)).unwrap_or(""),
                );
            }
        }
    }
}
