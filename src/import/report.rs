//! import-report.md: what was found, what became of each key, each URL and each shortcode, and
//! what could not be carried, so that nothing is dropped without a word.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::posts::Mapped;
use super::{Generator, Plan, Source};
use crate::content::slug::term_key;

/// Words that start sentences and headings more often than they name anything.
const COMMON: &[&str] = &[
    "A",
    "An",
    "The",
    "This",
    "That",
    "These",
    "Those",
    "It",
    "Its",
    "In",
    "On",
    "At",
    "For",
    "With",
    "And",
    "But",
    "Or",
    "If",
    "When",
    "What",
    "Why",
    "How",
    "We",
    "You",
    "I",
    "They",
    "He",
    "She",
    "Our",
    "Your",
    "To",
    "Of",
    "As",
    "By",
    "From",
    "Is",
    "Are",
    "Was",
    "So",
    "Not",
    "No",
    "Yes",
    "All",
    "New",
    "Some",
    "There",
    "Here",
    "Also",
    "Now",
    "One",
    "Two",
    "After",
    "Before",
    "Today",
    "Thanks",
    "Note",
    "See",
    "Read",
    "More",
    "Update",
    "Please",
    "Then",
    "While",
    "Which",
    "Who",
    "Each",
    "Every",
    "Many",
    "Most",
    "Other",
    "Just",
    "Can",
    "Will",
    "Do",
    "Be",
    "Let",
    "Let's",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The capitalised names (one to three words) mentioned by the most posts that are not terms
/// yet: a candidate list for `content/companies/`.
pub(crate) fn candidates(posts: &[Mapped<'_>], companies: &[String]) -> Vec<(String, usize)> {
    let mut known: HashSet<String> = companies.iter().map(|c| term_key(c)).collect();
    for post in posts {
        for (_, names) in &post.fields.terms {
            known.extend(names.iter().map(|n| term_key(n)));
        }
    }
    let mut counts: HashMap<String, usize> = HashMap::new();
    for post in posts {
        let mut seen: HashSet<String> = HashSet::new();
        for name in capitalised_names(&post.raw.body) {
            if !known.contains(&term_key(&name)) && seen.insert(name.clone()) {
                *counts.entry(name).or_default() += 1;
            }
        }
    }
    let mut list: Vec<(String, usize)> = counts.into_iter().filter(|(_, n)| *n >= 2).collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    list.truncate(25);
    list
}

/// Runs of capitalised words in prose (not in code, links' targets or at a sentence's start).
fn capitalised_names(body: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut in_fence = false;
    for line in body.lines() {
        if line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence || line.starts_with("    ") {
            continue;
        }
        let mut run: Vec<&str> = Vec::new();
        let mut sentence_start = true;
        for raw in line.split_whitespace() {
            let word = raw.trim_matches(|c: char| !c.is_alphanumeric());
            let capital = word.chars().next().is_some_and(char::is_uppercase)
                && word.chars().count() > 1
                && !raw.contains("://")
                && !raw.starts_with('`')
                && !COMMON.contains(&word);
            // At a sentence's start only a name with inner capitals (OpenAI, GitHub) counts.
            let inner_capital = word.chars().skip(1).any(char::is_uppercase);
            if capital && (!sentence_start || inner_capital || !run.is_empty()) && run.len() < 3 {
                run.push(word);
            } else if !run.is_empty() {
                names.push(run.join(" "));
                run.clear();
            }
            sentence_start = raw.ends_with(['.', '!', '?', ':']) || raw.starts_with('#');
            if !run.is_empty()
                && (raw.ends_with([',', '.', ';', ':', ')', '!', '?']) || raw.contains("]("))
            {
                names.push(run.join(" "));
                run.clear();
            }
        }
        if !run.is_empty() {
            names.push(run.join(" "));
        }
    }
    names
}

fn table_row(out: &mut String, cells: &[String]) {
    let _ = writeln!(out, "| {} |", cells.join(" | "));
}

fn code(text: impl std::fmt::Display) -> String {
    format!(
        "`{}`",
        text.to_string().replace('`', "'").replace('|', "\\|")
    )
}

/// The report, as Markdown: one section after another.
pub(crate) fn render(
    generator: Generator,
    src: &Path,
    source: &Source,
    plan: &Plan,
    kept: &[PathBuf],
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Import report\n");
    write_summary(&mut out, generator, src, plan);
    write_settings(&mut out, source);
    write_front_matter_keys(&mut out, plan);
    write_urls(&mut out, plan);
    write_shortcodes(&mut out, plan);
    write_skipped(&mut out, source, plan);
    write_companies(&mut out, plan);
    write_kept(&mut out, kept);
    out
}

/// Where the site came from and what became of its posts, URLs and shortcodes, in numbers.
fn write_summary(out: &mut String, generator: Generator, src: &Path, plan: &Plan) {
    let s = &plan.stats;
    let _ = writeln!(
        out,
        "Imported from {} site `{}` by `digest import`.\n",
        generator.name(),
        src.display()
    );
    let _ = writeln!(out, "## Summary\n");
    let _ = writeln!(out, "| | |\n|---|---|");
    for (label, n) in [
        ("posts found", s.posts_found),
        ("posts imported", s.imported),
        ("of which drafts", s.drafts),
        ("files skipped", s.skipped),
        ("posts that could not be imported", plan.failed.len()),
        (
            "URLs kept by the [permalinks] pattern",
            s.urls_as_permalinks,
        ),
        ("URLs kept as aliases (redirects)", s.urls_as_aliases),
        ("URLs lost", s.urls_lost),
        ("shortcodes and tags found", s.shortcodes_found),
        ("shortcodes and tags converted", s.shortcodes_converted),
    ] {
        let _ = writeln!(out, "| {label} | {n} |");
    }
    let _ = writeln!(
        out,
        "\nPosts are published at `{}` ([permalinks] in site.toml).\n",
        plan.pattern
    );
}

/// What each key of the source's configuration became in site.toml.
fn write_settings(out: &mut String, source: &Source) {
    let _ = writeln!(out, "## Site settings\n");
    if source.settings.config_keys.is_empty() {
        let _ = writeln!(out, "No configuration keys were found.\n");
    } else {
        let _ = writeln!(out, "| source key | became |\n|---|---|");
        for (key, fate) in &source.settings.config_keys {
            table_row(out, &[code(key), fate.clone()]);
        }
        out.push('\n');
    }
    if source.settings.base_url.is_none() {
        let _ = writeln!(
            out,
            "The source has no base URL: site.toml says `https://example.com`; set the real one.\n"
        );
    }
}

/// What became of each front-matter key, counted over the posts.
fn write_front_matter_keys(out: &mut String, plan: &Plan) {
    let _ = writeln!(out, "## Front-matter keys\n");
    let _ = writeln!(
        out,
        "Mapped: to the digest key of the same meaning. Converted: used to work out the URL. Kept: written as it was and accepted through `[front_matter] extra_keys` (or under `[extra]` when digest uses the name otherwise). Dropped: empty.\n"
    );
    let _ = writeln!(
        out,
        "| key | mapped | converted | kept | dropped |\n|---|---|---|---|---|"
    );
    for (key, c) in &plan.keys {
        table_row(
            out,
            &[
                code(key),
                c.mapped.to_string(),
                c.converted.to_string(),
                c.kept.to_string(),
                c.dropped.to_string(),
            ],
        );
    }
    out.push('\n');
}

/// The old URLs that no longer resolve, and a sample of those kept as redirects: links from
/// elsewhere to the old site must not break unnoticed.
fn write_urls(out: &mut String, plan: &Plan) {
    let _ = writeln!(out, "## URLs\n");
    if plan.lost.is_empty() {
        let _ = writeln!(out, "Every old URL of a published post resolves.\n");
    } else {
        let _ = writeln!(out, "Old URLs that do not resolve after the import:\n");
        for (path, url, reason) in &plan.lost {
            let url = if url.is_empty() {
                String::new()
            } else {
                format!(" {}", code(url))
            };
            let _ = writeln!(out, "- {}{url}: {reason}", path.display());
        }
        out.push('\n');
    }
    if !plan.aliased.is_empty() {
        let _ = writeln!(
            out,
            "{} old URLs differ from the pattern and redirect (front matter `aliases`), e.g.:\n",
            plan.aliased.len()
        );
        for (path, old, new) in plan.aliased.iter().take(20) {
            let _ = writeln!(out, "- {}: {} → {}", path.display(), code(old), code(new));
        }
        out.push('\n');
    }
}

/// Each shortcode or template tag, how often it was converted, and where the rest were kept
/// as text for the editor to fix by hand.
fn write_shortcodes(out: &mut String, plan: &Plan) {
    let _ = writeln!(out, "## Shortcodes and template tags\n");
    if plan.shortcodes.names.is_empty() {
        let _ = writeln!(out, "None found.\n");
    } else {
        let _ = writeln!(
            out,
            "| name | found | converted | kept as text |\n|---|---|---|---|"
        );
        for (name, c) in &plan.shortcodes.names {
            table_row(
                out,
                &[
                    code(name),
                    c.found.to_string(),
                    c.converted.to_string(),
                    (c.found - c.converted).to_string(),
                ],
            );
        }
        out.push('\n');
        let mut kept_any = false;
        for (name, c) in &plan.shortcodes.names {
            if c.kept_at.is_empty() {
                continue;
            }
            if !kept_any {
                let _ = writeln!(out, "Kept as text (edit them by hand):\n");
                kept_any = true;
            }
            let shown: Vec<&str> = c.kept_at.iter().take(50).map(String::as_str).collect();
            let more = c.kept_at.len().saturating_sub(shown.len());
            let _ = writeln!(
                out,
                "- {}: {}{}",
                code(name),
                shown.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            );
        }
        out.push('\n');
    }
}

/// Files not imported, grouped by the reason.
fn write_skipped(out: &mut String, source: &Source, plan: &Plan) {
    let _ = writeln!(out, "## Skipped\n");
    if source.skipped.is_empty() && plan.failed.is_empty() {
        let _ = writeln!(out, "Nothing.\n");
    } else {
        let mut by_reason: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for (path, reason) in source.skipped.iter().chain(&plan.failed) {
            by_reason
                .entry(reason.as_str())
                .or_default()
                .push(path.display().to_string());
        }
        for (reason, paths) in by_reason {
            let _ = writeln!(out, "- {reason} ({}): {}", paths.len(), paths.join(", "));
        }
        out.push('\n');
    }
}

/// Companies filed by `--companies`, and names the posts mention often enough to be terms.
fn write_companies(out: &mut String, plan: &Plan) {
    let _ = writeln!(out, "## Companies\n");
    if !plan.companies_filed.is_empty() {
        let _ = writeln!(out, "Filed by `--companies`:\n");
        for (name, n) in &plan.companies_filed {
            let _ = writeln!(out, "- {name}: {n} posts");
        }
        out.push('\n');
    }
    if plan.candidates.is_empty() {
        let _ = writeln!(
            out,
            "No capitalised name is mentioned by two posts or more.\n"
        );
    } else {
        let _ = writeln!(
            out,
            "Capitalised names the posts mention most that are no terms yet (candidates for `content/companies/`, or for `digest import --companies \"A,B\"`):\n"
        );
        for (name, n) in &plan.candidates {
            let _ = writeln!(out, "- {name} ({n} posts)");
        }
        out.push('\n');
    }
}

/// Files already there, which the import never overwrites.
fn write_kept(out: &mut String, kept: &[PathBuf]) {
    if !kept.is_empty() {
        let _ = writeln!(out, "## Files kept\n");
        let _ = writeln!(
            out,
            "These files were there already and were left as they were (`--force` never overwrites):\n"
        );
        for path in kept {
            let _ = writeln!(out, "- {}", path.display());
        }
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capitalised_names_skip_sentence_starts_and_code() {
        let names = capitalised_names(
            "Yesterday Alibaba Cloud and Baidu met. The talks went well. OpenAI did not.\n```\nLet Foo Bar\n```\n",
        );
        assert_eq!(names, ["Alibaba Cloud", "Baidu", "OpenAI"]);
    }
}
