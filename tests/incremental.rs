//! `digest serve` rebuilds only what an edit touches. Whatever it skips, its output must equal a
//! full build of the same sources: this applies a long random sequence of edits and compares the
//! two, file by file, after each one.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use digest::serve::site::{LiveSite, ServeOptions};
use digest::{BuildOptions, build};

/// A small deterministic generator (xorshift), so failures replay.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const COMPANIES: &[&str] = &[
    "Alibaba",
    "阿里巴巴",
    "Baidu",
    "Tencent",
    "OpenAI",
    "Open AI",
    "ByteDance",
    "Meta",
];
const REGULATIONS: &[&str] = &["EU AI Act", "GDPR", "China GenAI Measures"];
const TAGS: &[&str] = &["AI", "Chips", "Cloud", "Policy"];

struct Story {
    file: String,
    title: String,
    date: (i32, u32, u32),
    companies: Vec<String>,
    regulations: Vec<String>,
    tags: Vec<String>,
    draft: bool,
    /// Front matter `[extra] note`.
    extra: String,
    aliases: Vec<String>,
    body: String,
}

impl Story {
    fn random(rng: &mut Rng, n: usize, others: &[String]) -> Story {
        let mut pick = |pool: &[&str], max: usize| -> Vec<String> {
            let mut out: Vec<String> = (0..rng.below(max + 1))
                .map(|_| rng.pick(pool).to_string())
                .collect();
            out.dedup();
            out
        };
        let companies = pick(COMPANIES, 3);
        let regulations = pick(REGULATIONS, 2);
        let tags = pick(TAGS, 2);
        let date = (2023, 1 + rng.below(3) as u32, 1 + rng.below(28) as u32);
        let mut story = Story {
            file: format!("content/articles/story-{n}.md"),
            title: format!("Story number {n}"),
            date,
            companies,
            regulations,
            tags,
            draft: false,
            extra: String::new(),
            aliases: Vec::new(),
            body: String::new(),
        };
        story.body = body(rng, others);
        story
    }

    fn text(&self) -> String {
        let list = |items: &[String]| {
            items
                .iter()
                .map(|s| format!("{s:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        format!(
            "+++\ntitle = {:?}\ndate = {:04}-{:02}-{:02}\ncompanies = [{}]\nregulations = [{}]\ntags = [{}]\ndraft = {}\naliases = [{}]\n[extra]\nnote = {:?}\n+++\n{}",
            self.title,
            self.date.0,
            self.date.1,
            self.date.2,
            list(&self.companies),
            list(&self.regulations),
            list(&self.tags),
            self.draft,
            list(&self.aliases),
            self.extra,
            self.body
        )
    }
}

fn body(rng: &mut Rng, others: &[String]) -> String {
    let mut text = format!("First paragraph {} about the news.\n\n", rng.next() % 1000);
    if rng.chance(40) {
        text.push_str("Baidu and Tencent were named here, as was OpenAI.\n\n");
    }
    if rng.chance(30) && !others.is_empty() {
        let other = rng.pick(others);
        let name = Path::new(other).file_name().unwrap().to_string_lossy();
        text.push_str(&format!(
            "See [the other story]({name}) and [a missing one](nope.md).\n\n"
        ));
    }
    if rng.chance(20) {
        text.push_str("## A heading\n\n```rust\nfn main() {}\n```\n");
    }
    text
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter(|e| e.file_name() != ".digest-output")
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// The search index, which `digest serve` builds after each reload, as it does.
fn index(site: &mut LiveSite) {
    if let Some(update) = site.search_update() {
        update.write().unwrap();
    }
}

#[track_caller]
fn assert_same(live: &Path, full: &Path, step: &str) {
    let (a, b) = (files(live), files(full));
    let only_live: Vec<_> = a.keys().filter(|k| !b.contains_key(*k)).collect();
    let only_full: Vec<_> = b.keys().filter(|k| !a.contains_key(*k)).collect();
    assert!(
        only_live.is_empty() && only_full.is_empty(),
        "after {step}: only in serve {only_live:?}, only in build {only_full:?}"
    );
    for (path, bytes) in &a {
        if bytes != &b[path] {
            let (x, y) = (
                String::from_utf8_lossy(bytes),
                String::from_utf8_lossy(&b[path]),
            );
            let line = x
                .lines()
                .zip(y.lines())
                .position(|(l, r)| l != r)
                .unwrap_or(0);
            panic!(
                "after {step}: {} differs at line {}:\n serve: {}\n build: {}",
                path.display(),
                line + 1,
                x.lines().nth(line).unwrap_or(""),
                y.lines().nth(line).unwrap_or("")
            );
        }
    }
}

/// The seed of a run: `DIGEST_SEED=N` replays one (each run prints its own).
fn seed(default: u64) -> u64 {
    let seed = std::env::var("DIGEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default);
    eprintln!("random edits with seed {seed} (DIGEST_SEED={seed} replays them)");
    seed
}

#[test]
fn incremental_rebuilds_equal_full_builds_after_every_edit() {
    random_edits("", seed(0x5eed_d16e57), 220, true);
}

#[test]
fn with_auto_filing_and_linked_mentions_too() {
    random_edits(
        "[entities]\nauto_file = true\nlink_mentions = true\n",
        seed(0xfeed_beef),
        60,
        false,
    );
}

#[test]
fn with_dated_permalinks_and_aliases() {
    random_edits(
        "[permalinks]\narticles = \"/:year/:month/:filename.html\"\n",
        seed(0xda7e_5eed),
        60,
        true,
    );
}

#[test]
fn with_a_second_language_and_its_translations() {
    random_edits(
        "[languages.zh]\ntag = \"zh-Hans\"\ntitle = \"实时\"\n",
        seed(0x2c4e_5eed),
        70,
        false,
    );
}

/// Writes, rewrites, tweaks or deletes the Chinese translation of `story` (`x.zh.md` beside
/// `x.md`), or the translation of a profile.
fn edit_translation(
    root: &Path,
    rng: &mut Rng,
    story: &Story,
    changed: &mut Vec<PathBuf>,
) -> &'static str {
    if rng.chance(10) {
        let profile = "content/companies/alibaba.zh.md";
        changed.push(root.join(profile));
        if root.join(profile).exists() && rng.chance(30) {
            fs::remove_file(root.join(profile)).unwrap();
            return "profile translation deleted";
        }
        let n = rng.next() % 100;
        write(
            root,
            profile,
            &format!("+++\nsummary = \"中国公司 {n}。\"\n+++\n阿里巴巴集团，第 {n} 版。\n"),
        );
        return "profile translation written";
    }
    let path = story.file.replace(".md", ".zh.md");
    changed.push(root.join(&path));
    if root.join(&path).exists() && rng.chance(25) {
        fs::remove_file(root.join(&path)).unwrap();
        return "translation deleted";
    }
    if root.join(&path).exists() && rng.chance(40) {
        // Other numbers in the same words: the fast path, when the mentions stay.
        let text = fs::read_to_string(root.join(&path)).unwrap();
        let (front, body) = text.rsplit_once("+++\n").unwrap();
        let digit = char::from(b'0' + (rng.next() % 10) as u8);
        let body: String = body
            .chars()
            .map(|c| if c.is_ascii_digit() { digit } else { c })
            .collect();
        write(root, &path, &format!("{front}+++\n{body}"));
        return "translation body tweak";
    }
    let n = rng.next() % 100;
    // Half the translations file themselves under the original's terms, half name their own.
    let terms = if rng.chance(50) {
        String::new()
    } else {
        format!(
            "companies = [{:?}]\n",
            rng.pick(&["阿里巴巴", "百度", "Alibaba"])
        )
    };
    let body = match rng.below(3) {
        0 => format!("阿里巴巴发布了新的模型，第 {n} 版。\n"),
        1 => format!("百度和腾讯都在关注这条新闻 {n}。\n\n## 小标题\n\n正文。\n"),
        _ => format!("一条简短的消息 {n}。\n"),
    };
    // Some translations keep an old URL of their own.
    let stem = Path::new(&story.file)
        .file_stem()
        .unwrap()
        .to_string_lossy();
    let aliases = if rng.chance(30) {
        format!("aliases = [\"/zh-old/{stem}-{}/\"]\n", n % 3)
    } else {
        String::new()
    };
    write(
        root,
        &path,
        &format!(
            "+++\ntitle = \"译文 {n}\"\ndate = {:04}-{:02}-{:02}\n{aliases}{terms}+++\n{body}",
            story.date.0, story.date.1, story.date.2
        ),
    );
    "translation written"
}

/// What site.toml says, besides the entities section of the run.
fn site_toml(entities: &str, title: &str, extra: &str) -> String {
    format!(
        "title = {title:?}\nbase_url = \"https://example.com/live\"\nper_page = 3\n[feeds]\nlimit = 4\n[search]\nenabled = true\n{entities}\n[extra]\nfooter = {extra:?}\n"
    )
}

/// The built-in card with a mark, so that an edit of it shows on every list.
fn card_template(mark: &str) -> String {
    include_str!("../templates/partials/card.html").replace(
        "<h3 class=\"card-title\">",
        &format!("<span class=\"mark\">{mark}</span><h3 class=\"card-title\">"),
    )
}

/// A 404 page that includes a site partial and shows `site.extra`.
const NOT_FOUND: &str = "{% extends \"base.html\" %}{% block content %}{% include \"partials/lost.html\" %}<p>{{ site.extra.footer }}</p>{% endblock content %}";

fn random_edits(entities: &str, seed: u64, steps: usize, expect_fast_path: bool) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let mut title = "Live".to_string();
    let mut footer = "Footer".to_string();
    // The [email] section, edited by its own kind of edit; site.toml carries it after the
    // entities section.
    let mut email = String::new();
    let sections = |email: &str| format!("{entities}\n{email}");
    write(
        &root,
        "site.toml",
        &site_toml(&sections(&email), &title, &footer),
    );
    write(
        &root,
        "content/companies/alibaba.md",
        "+++\nname = \"Alibaba\"\naliases = [\"阿里巴巴\"]\nwebsite = \"https://www.alibabagroup.com\"\n+++\nA company.\n",
    );
    write(
        &root,
        "content/regulations/china-genai-measures.md",
        "+++\nname = \"China GenAI Measures\"\njurisdiction = \"China\"\n[[timeline]]\ndate = 2023-01-10\nevent = \"Published\"\n+++\n",
    );
    let mut rng = Rng(seed);
    let mut stories: Vec<Story> = Vec::new();
    for n in 0..10 {
        let names: Vec<String> = stories.iter().map(|s| s.file.clone()).collect();
        let story = Story::random(&mut rng, n, &names);
        write(&root, &story.file, &story.text());
        stories.push(story);
    }

    let live_out = dir.path().join("live");
    let options = ServeOptions {
        root: root.clone(),
        drafts: false,
        future: false,
        local_origin: None,
    };
    let mut site = LiveSite::open(options.clone(), &live_out).unwrap();
    site.rebuild(&[]).unwrap();
    index(&mut site);
    let full_out = dir.path().join("full");
    let full = |step: &str| {
        let mut options = BuildOptions::new(&root);
        options.output = Some(full_out.clone());
        options.no_cache = true;
        build(&options).unwrap_or_else(|e| panic!("full build after {step}: {e}"));
    };
    full("start");
    assert_same(&live_out, &full_out, "the first build");

    let mut next = stories.len();
    let mut fast_rebuilds = 0;
    let mut fast_translation_edits = 0;
    for step in 0..steps {
        let kind = rng.below(24);
        let i = rng.below(stories.len());
        let mut changed: Vec<PathBuf> = Vec::new();
        // With a second language, some steps write, edit or delete a translation instead.
        // Half of them go back to a story already translated.
        let translated = (entities.contains("[languages.") && rng.chance(35)).then(|| {
            let has = |s: &Story| root.join(s.file.replace(".md", ".zh.md")).exists();
            let again: Vec<usize> = (0..stories.len()).filter(|&j| has(&stories[j])).collect();
            let j = if !again.is_empty() && rng.chance(50) {
                again[rng.below(again.len())]
            } else {
                i
            };
            edit_translation(&root, &mut rng, &stories[j], &mut changed)
        });
        let what = match kind {
            _ if translated.is_some() => translated.unwrap_or("translation"),
            0 => {
                let names: Vec<String> = stories.iter().map(|s| s.file.clone()).collect();
                let story = Story::random(&mut rng, next, &names);
                next += 1;
                write(&root, &story.file, &story.text());
                changed.push(root.join(&story.file));
                stories.push(story);
                "new article"
            }
            1 => {
                stories[i].title = format!("Retitled {}", rng.next() % 100);
                "title change"
            }
            2 => {
                stories[i].date = (2023, 1 + rng.below(3) as u32, 1 + rng.below(28) as u32);
                "date change"
            }
            3 => {
                stories[i].companies.push(rng.pick(COMPANIES).to_string());
                stories[i].companies.dedup();
                "company added"
            }
            4 => {
                stories[i].companies.clear();
                stories[i].tags = vec![rng.pick(TAGS).to_string()];
                "terms removed"
            }
            5 => {
                stories[i].draft = !stories[i].draft;
                "draft toggled"
            }
            6 if stories.len() > 3 => {
                let story = stories.remove(i);
                fs::remove_file(root.join(&story.file)).unwrap();
                changed.push(root.join(&story.file));
                "file deleted"
            }
            7 => {
                let old = stories[i].file.clone();
                stories[i].file = format!("content/articles/renamed-{next}.md");
                next += 1;
                fs::create_dir_all(root.join("content/articles")).unwrap();
                fs::rename(root.join(&old), root.join(&stories[i].file)).unwrap();
                changed.push(root.join(&old));
                changed.push(root.join(&stories[i].file));
                "file renamed"
            }
            8 => {
                let alias = *rng.pick(&["Alibaba Group", "Alibaba Cloud", "Ali"]);
                let description = rng.next() % 100;
                write(
                    &root,
                    "content/companies/alibaba.md",
                    &format!(
                        "+++\nname = \"Alibaba\"\naliases = [\"阿里巴巴\", {alias:?}]\n+++\nA company, {description}.\n"
                    ),
                );
                changed.push(root.join("content/companies/alibaba.md"));
                "profile alias and description"
            }
            12 => {
                let day = 1 + rng.below(28);
                let event = rng.next() % 100;
                write(
                    &root,
                    "content/regulations/china-genai-measures.md",
                    &format!(
                        "+++\nname = \"China GenAI Measures\"\njurisdiction = \"China\"\n[[timeline]]\ndate = 2023-02-{day:02}\nevent = \"Event {event}\"\n+++\nRules.\n"
                    ),
                );
                changed.push(root.join("content/regulations/china-genai-measures.md"));
                "regulation timeline"
            }
            13 => {
                let path = "content/companies/baidu.md";
                if root.join(path).exists() {
                    fs::remove_file(root.join(path)).unwrap();
                    changed.push(root.join(path));
                    "profile deleted"
                } else {
                    write(
                        &root,
                        path,
                        "+++\nname = \"Baidu\"\naliases = [\"百度\"]\nwebsite = \"https://baidu.com\"\n+++\nSearch.\n",
                    );
                    changed.push(root.join(path));
                    "profile created"
                }
            }
            14 => {
                let path = "templates/partials/card.html";
                if rng.chance(25) && root.join(path).exists() {
                    fs::remove_file(root.join(path)).unwrap();
                    changed.push(root.join(path));
                    "card template removed"
                } else {
                    write(
                        &root,
                        path,
                        &card_template(&format!("m{}", rng.next() % 100)),
                    );
                    changed.push(root.join(path));
                    "card template edited"
                }
            }
            15 => {
                let path = "templates/partials/lost.html";
                write(&root, path, &format!("<h1>Lost {}</h1>", rng.next() % 100));
                changed.push(root.join(path));
                if !root.join("templates/404.html").exists() {
                    write(&root, "templates/404.html", NOT_FOUND);
                    changed.push(root.join("templates/404.html"));
                }
                "included partial edited"
            }
            16 => {
                let path = format!("static/css/extra-{}.css", rng.below(3));
                changed.push(root.join(&path));
                if rng.chance(30) && root.join(&path).exists() {
                    fs::remove_file(root.join(&path)).unwrap();
                    "static file deleted"
                } else {
                    write(
                        &root,
                        &path,
                        &format!("body {{ margin: {}px }}\n", rng.below(9)),
                    );
                    "static file written"
                }
            }
            17 => {
                title = format!("Live {}", rng.next() % 100);
                write(
                    &root,
                    "site.toml",
                    &site_toml(&sections(&email), &title, &footer),
                );
                changed.push(root.join("site.toml"));
                "site.toml title"
            }
            18 => {
                footer = format!("Footer {}", rng.next() % 100);
                write(
                    &root,
                    "site.toml",
                    &site_toml(&sections(&email), &title, &footer),
                );
                if !root.join("templates/404.html").exists() {
                    write(&root, "templates/404.html", NOT_FOUND);
                    write(&root, "templates/partials/lost.html", "<h1>Lost</h1>");
                }
                changed.push(root.join("site.toml"));
                "site.toml [extra]"
            }
            19 => {
                stories[i].extra = format!("{}", rng.next() % 100);
                "front matter [extra]"
            }
            21 => {
                if stories[i].aliases.is_empty() {
                    stories[i].aliases = vec![format!("/old/{next}/"), format!("/{next}.html")];
                    next += 1;
                    "aliases added"
                } else {
                    stories[i].aliases.clear();
                    "aliases removed"
                }
            }
            22 => {
                // The newsletter's subject, sender and unsubscribe link, or no email at all.
                email = match rng.below(3) {
                    0 => "[email]\nenabled = false\n".to_string(),
                    n => format!(
                        "[email]\nfrom = \"Live {n} <live@example.com>\"\nsubject = \"{{{{ edition.title }}}} #{}\"\nunsubscribe = \"https://example.com/u/{}\"\n",
                        rng.next() % 100,
                        rng.next() % 100
                    ),
                };
                write(
                    &root,
                    "site.toml",
                    &site_toml(&sections(&email), &title, &footer),
                );
                changed.push(root.join("site.toml"));
                "site.toml [email]"
            }
            23 => {
                // The email template overridden, with a mark that shows in every email.
                let mark = rng.next() % 100;
                write(
                    &root,
                    "templates/email.html",
                    &include_str!("../templates/email.html").replace(
                        "<h1 class=\"title\">",
                        &format!("<p class=\"meta\">mark {mark}</p><h1 class=\"title\">"),
                    ),
                );
                changed.push(root.join("templates/email.html"));
                "email template"
            }
            20 => {
                // A folder of articles moved elsewhere.
                let folder = root.join("content/articles");
                let moved = root.join(format!("content/moved-{next}"));
                next += 1;
                fs::create_dir_all(&folder).unwrap();
                fs::rename(&folder, &moved).unwrap();
                let moved_rel = moved.strip_prefix(&root).unwrap().to_string_lossy();
                for story in &mut stories {
                    if let Some(rest) = story.file.strip_prefix("content/articles/") {
                        story.file = format!("{moved_rel}/{rest}");
                    }
                }
                changed.push(folder.clone());
                changed.push(moved.clone());
                "folder renamed"
            }
            9 | 10 => {
                // Words change, names and links stay: the fast path.
                let number = rng.next() % 1000;
                let body = &stories[i].body;
                let rest = body.split_once("\n\n").map_or("", |(_, rest)| rest);
                stories[i].body = format!("First paragraph {number} about the news.\n\n{rest}");
                "body tweak"
            }
            _ => {
                let names: Vec<String> = stories.iter().map(|s| s.file.clone()).collect();
                stories[i].body = body(&mut rng, &names);
                "body rewritten"
            }
        };
        if changed.is_empty() {
            let story = &stories[i];
            write(&root, &story.file, &story.text());
            changed.push(root.join(&story.file));
        }
        let step_name = format!("step {step} ({what})");
        let outcome = if digest::serve::site::needs_restart(&root, &changed) {
            // As digest serve does: the whole site read again, into a fresh folder.
            fs::remove_dir_all(&live_out).unwrap();
            site = LiveSite::open(options.clone(), &live_out).unwrap();
            site.rebuild(&[])
        } else {
            site.rebuild(&changed)
        }
        .unwrap_or_else(|e| panic!("{step_name}: {e}"));
        index(&mut site);
        fast_rebuilds += usize::from(outcome.body_only);
        fast_translation_edits +=
            usize::from(outcome.body_only && what == "translation body tweak");
        full(&step_name);
        assert_same(&live_out, &full_out, &step_name);
    }
    assert!(
        !expect_fast_path || fast_rebuilds > 3,
        "body-only edits take the fast path ({fast_rebuilds})"
    );
    assert!(
        !entities.contains("[languages.") || fast_translation_edits > 1,
        "body-only edits of translations take the fast path ({fast_translation_edits})"
    );
}

#[test]
fn an_edit_rewrites_only_what_depends_on_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    write(
        &root,
        "site.toml",
        "title = \"Live\"\nbase_url = \"https://example.com\"\nper_page = 2\n",
    );
    for n in 0..8 {
        write(
            &root,
            &format!("content/a{n}.md"),
            &format!(
                "+++\ntitle = \"A{n}\"\ndate = 2023-01-{:02}\ntags = [\"T{}\"]\n+++\nBody {n}.\n",
                n + 1,
                n % 3
            ),
        );
    }
    let mut site = LiveSite::open(
        ServeOptions {
            root: root.clone(),
            drafts: false,
            future: false,
            local_origin: None,
        },
        &dir.path().join("live"),
    )
    .unwrap();
    let first = site.rebuild(&[]).unwrap();
    assert!(first.pages_written > 10);

    // A body edit that leaves the card alone (same summary, same word count): only the
    // article's page and the feeds that carry its content.
    write(
        &root,
        "content/a0.md",
        "+++\ntitle = \"A0\"\ndate = 2023-01-01\ntags = [\"T0\"]\n+++\nBody 0.\n\n```\ncode is not words\n```\n",
    );
    let outcome = site.rebuild(&[root.join("content/a0.md")]).unwrap();
    assert!(outcome.body_only);
    assert_eq!(outcome.pages_written, 1, "{:?}", outcome.changed);
    assert!(
        outcome.changed.contains(&"/articles/a0/".to_string()),
        "{:?}",
        outcome.changed
    );
    assert!(
        outcome
            .changed
            .iter()
            .all(|c| c.starts_with("/articles/a0/") || c.ends_with(".xml") || c.ends_with(".json")),
        "{:?}",
        outcome.changed
    );

    // Nothing changed: nothing written.
    let outcome = site.rebuild(&[root.join("content/a0.md")]).unwrap();
    assert_eq!(outcome.pages_written, 0, "{:?}", outcome.changed);
    assert!(outcome.changed.is_empty());
}

#[test]
fn an_edit_of_a_translation_rewrites_only_its_pages() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    write(
        &root,
        "site.toml",
        "title = \"Live\"\nbase_url = \"https://example.com\"\nper_page = 2\n[languages.zh]\ntitle = \"实时\"\n",
    );
    for n in 0..4 {
        for (suffix, title, body) in [("", "A", "Body"), (".zh", "甲", "正文")] {
            write(
                &root,
                &format!("content/a{n}{suffix}.md"),
                &format!(
                    "+++\ntitle = \"{title}{n}\"\ndate = 2023-01-{:02}\ntags = [\"T{}\"]\n+++\n{body} {n}.\n",
                    n + 1,
                    n % 2
                ),
            );
        }
    }
    let mut site = LiveSite::open(
        ServeOptions {
            root: root.clone(),
            drafts: false,
            future: false,
            local_origin: None,
        },
        &dir.path().join("live"),
    )
    .unwrap();
    site.rebuild(&[]).unwrap();

    // Code is not words: the card and the lists stay as they were.
    write(
        &root,
        "content/a0.zh.md",
        "+++\ntitle = \"甲0\"\ndate = 2023-01-01\ntags = [\"T0\"]\n+++\n正文 0.\n\n```\nx\n```\n",
    );
    let outcome = site.rebuild(&[root.join("content/a0.zh.md")]).unwrap();
    assert!(outcome.body_only, "{outcome:?}");
    assert_eq!(outcome.pages_written, 1, "{:?}", outcome.changed);
    assert!(
        outcome
            .changed
            .iter()
            .all(|c| c.starts_with("/zh/articles/a0/")
                || c.ends_with(".xml")
                || c.ends_with(".json")),
        "{:?}",
        outcome.changed
    );
    assert!(outcome.changed.contains(&"/zh/articles/a0/".to_string()));
}
