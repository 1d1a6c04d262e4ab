//! Mention detection: which known terms an article's text names, found in one pass over the
//! text with a multi-pattern matcher (Aho–Corasick), whatever the number of terms.
//!
//! Matching rules, chosen to keep false positives out of a news site:
//! - Latin-script names match on word boundaries.
//! - A single word ("Meta", "Apple", "AI") matches only as written, so "meta-analysis", "an
//!   apple" and "Ai" are not mentions. Names of several words or with inner capitals, digits or
//!   punctuation ("Open AI", "TikTok", "JD.com") also match in other letter cases.
//! - Names in Chinese, Japanese or Korean match anywhere, as those scripts do not separate words.
//! - Words inside URLs are never mentions.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::config::Config;
use crate::content::markdown::is_cjk;

use super::Taxonomy;

/// The terms an article's title and prose name, each once, in term order.
pub fn scan(lexicon: &Lexicon, title: &str, body: &str) -> Vec<TermRef> {
    if lexicon.is_empty() {
        return Vec::new();
    }
    let mut found: Vec<TermRef> = std::iter::once(title)
        .chain(crate::content::markdown::prose_parts(body))
        .flat_map(|text| lexicon.find(text))
        .map(|m| m.term)
        .collect();
    found.sort_unstable();
    found.dedup();
    found
}

/// Every spelling of every term of the taxonomies `[entities] scan` names: display names,
/// spellings used in front matter, and profile aliases.
pub fn lexicon(config: &Config, taxonomies: &[Taxonomy]) -> Lexicon {
    let mut names = Vec::new();
    for (t, taxonomy) in taxonomies.iter().enumerate() {
        if !config.entities.scan.contains(&taxonomy.name) {
            continue;
        }
        for (i, term) in taxonomy.terms.iter().enumerate() {
            names.push((term.name.clone(), (t, i)));
            names.extend(term.spellings.keys().map(|s| (s.clone(), (t, i))));
            if let Some(profile) = &term.profile {
                names.extend(profile.aliases.iter().map(|a| (a.clone(), (t, i))));
            }
        }
    }
    Lexicon::new(names)
}

/// A term of the library: (taxonomy index, term index).
pub type TermRef = (usize, usize);

pub struct Lexicon {
    /// Two automatons, each with the indexes of its patterns: names matched as written, and
    /// names matched in any letter case. Folding case only where needed keeps "AI" from
    /// stopping at every "ai" of the text.
    exact: Option<(AhoCorasick, Vec<usize>)>,
    folded: Option<(AhoCorasick, Vec<usize>)>,
    patterns: Vec<Pattern>,
    fingerprint: u64,
}

struct Pattern {
    text: String,
    term: TermRef,
    case_sensitive: bool,
    cjk: bool,
}

/// Where a term is named in a text: byte range and the term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub term: TermRef,
}

impl Lexicon {
    /// `names` are every spelling of every term to look for.
    pub fn new(names: impl IntoIterator<Item = (String, TermRef)>) -> Self {
        let mut patterns: Vec<Pattern> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (name, term) in names {
            let name = name.trim().to_string();
            if name.chars().filter(|c| c.is_alphanumeric()).count() < 2
                || !seen.insert(name.clone())
            {
                continue;
            }
            patterns.push(Pattern {
                case_sensitive: is_single_plain_word(&name),
                cjk: name.chars().any(is_cjk),
                text: name,
                term,
            });
        }
        let automaton = |case_sensitive: bool| {
            let indexes: Vec<usize> = (0..patterns.len())
                .filter(|&i| patterns[i].case_sensitive == case_sensitive)
                .collect();
            if indexes.is_empty() {
                return None;
            }
            let matcher = AhoCorasickBuilder::new()
                .ascii_case_insensitive(!case_sensitive)
                .match_kind(MatchKind::LeftmostLongest)
                .build(indexes.iter().map(|&i| patterns[i].text.as_str()))
                .ok()?;
            Some((matcher, indexes))
        };
        let (exact, folded) = (automaton(true), automaton(false));
        let fingerprint = {
            use std::hash::{Hash, Hasher};
            let mut hasher = std::hash::DefaultHasher::new();
            for p in &patterns {
                (&p.text, p.term).hash(&mut hasher);
            }
            hasher.finish()
        };
        Lexicon {
            exact,
            folded,
            patterns,
            fingerprint,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.exact.is_none() && self.folded.is_none()
    }

    /// Changes whenever a pattern or the term it stands for changes: mentions found with an
    /// equal fingerprint are still valid.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// Every mention in `text`, in order.
    pub fn find(&self, text: &str) -> Vec<Mention> {
        let mut candidates: Vec<Mention> = Vec::new();
        for (matcher, indexes) in self.exact.iter().chain(&self.folded) {
            for m in matcher.find_iter(text) {
                let pattern = &self.patterns[indexes[m.pattern().as_usize()]];
                let on_word_boundaries =
                    is_boundary(text, m.start(), true) && is_boundary(text, m.end(), false);
                if !(pattern.cjk || on_word_boundaries) || inside_url(text, m.start()) {
                    continue;
                }
                candidates.push(Mention {
                    start: m.start(),
                    end: m.end(),
                    term: pattern.term,
                });
            }
        }
        // Leftmost, then longest, across both automatons; overlapping matches are dropped.
        candidates.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
        let mut found: Vec<Mention> = Vec::with_capacity(candidates.len());
        for m in candidates {
            if found.last().is_none_or(|last| m.start >= last.end) {
                found.push(m);
            }
        }
        found
    }
}

/// "Meta", "AI", "Alibaba": one word of letters, capitalised as proper nouns are.
fn is_single_plain_word(name: &str) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return true;
    };
    let rest: Vec<char> = chars.collect();
    let all_caps = name.chars().all(|c| !c.is_lowercase());
    name.chars().all(char::is_alphabetic)
        && (all_caps
            || (first.is_uppercase() && rest.iter().all(|c| c.is_lowercase()))
            || first.is_lowercase())
}

/// No letter or digit on that side of the match.
fn is_boundary(text: &str, at: usize, before: bool) -> bool {
    let neighbour = if before {
        text[..at].chars().next_back()
    } else {
        text[at..].chars().next()
    };
    neighbour.is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
}

/// Whether the word around `at` is a URL or an address (`https://…`, `www.…`, `a@b`).
fn inside_url(text: &str, at: usize) -> bool {
    let start = text[..at]
        .rfind(|c: char| c.is_whitespace() || matches!(c, '(' | '<' | '"' | '\''))
        .map_or(0, |i| i + 1);
    let end = text[at..]
        .find(|c: char| c.is_whitespace() || matches!(c, ')' | '>' | '"' | '\''))
        .map_or(text.len(), |i| at + i);
    let word = &text[start..end];
    word.contains("://") || word.starts_with("www.") || word.contains('@')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon() -> Lexicon {
        Lexicon::new(
            [
                ("Alibaba", (0, 0)),
                ("阿里巴巴", (0, 0)),
                ("AI", (2, 0)),
                ("Meta", (0, 1)),
                ("OpenAI", (0, 2)),
                ("Open AI", (0, 2)),
                ("China Interim Measures", (1, 0)),
                ("JD.com", (0, 3)),
            ]
            .map(|(n, t)| (n.to_string(), t)),
        )
    }

    fn terms(text: &str) -> Vec<TermRef> {
        lexicon().find(text).into_iter().map(|m| m.term).collect()
    }

    #[test]
    fn words_match_on_boundaries_and_as_written() {
        assert_eq!(terms("Alibaba's cloud and Meta."), [(0, 0), (0, 1)]);
        assert!(terms("a meta-analysis of the metaverse").is_empty());
        assert!(terms("Ai Weiwei spoke; said the AIR").is_empty());
        assert_eq!(terms("new AI rules"), [(2, 0)]);
        assert!(terms("OpenAIs").is_empty());
    }

    #[test]
    fn compound_names_match_in_any_case() {
        assert_eq!(terms("openai and OPEN AI"), [(0, 2), (0, 2)]);
        assert_eq!(terms("the china interim measures"), [(1, 0)]);
        assert_eq!(terms("shopping on jd.com"), [(0, 3)]);
    }

    #[test]
    fn cjk_matches_inside_a_sentence() {
        assert_eq!(terms("今天阿里巴巴发布了模型"), [(0, 0)]);
    }

    #[test]
    fn urls_are_not_mentions() {
        assert!(terms("see https://www.alibaba.com/Alibaba/x and www.Meta.com").is_empty());
        assert_eq!(terms("(https://x.org) Alibaba"), [(0, 0)]);
    }
}
