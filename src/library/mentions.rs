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

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use crate::config::Config;
use crate::content::markdown::is_cjk;

use super::Taxonomy;

/// The terms an article's title and prose name, each once, in term order.
pub fn scan(lexicon: &Lexicon, title: &str, body: &str) -> Vec<TermRef> {
    if lexicon.is_empty() {
        return Vec::new();
    }
    // The body is searched once, whole, keeping what lies inside its prose: one pass instead
    // of one per line.
    let parts = crate::content::markdown::prose_parts(body);
    let mut found: Vec<TermRef> = lexicon
        .find(title)
        .into_iter()
        .chain(lexicon.find_within(body, &parts))
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

/// Up to this many bytes of patterns (at most that many DFA states of a few hundred bytes each:
/// ~25 MB), mentions are found with a full DFA.
const DFA_PATTERN_BYTES: usize = 100_000;

/// A term of the library: (taxonomy index, term index).
pub type TermRef = (usize, usize);

pub struct Lexicon {
    /// One automaton over every spelling with ASCII letters folded, so the text is read once.
    /// It reports overlapping matches, so a match turned down (wrong case, inside a word) never
    /// hides a shorter one that starts at the same place.
    matcher: Option<AhoCorasick>,
    /// For each pattern of the automaton, the spellings that fold to it, in order.
    groups: Vec<Vec<usize>>,
    patterns: Vec<Pattern>,
    fingerprint: u64,
}

struct Pattern {
    text: String,
    term: TermRef,
    /// Matches only as written (a single plain word); otherwise in any ASCII letter case.
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
        let mut folded: Vec<String> = Vec::new();
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mut group_of = std::collections::HashMap::new();
        for (i, pattern) in patterns.iter().enumerate() {
            let key = pattern.text.to_ascii_lowercase();
            let group = *group_of.entry(key.clone()).or_insert_with(|| {
                folded.push(key);
                groups.push(Vec::new());
                groups.len() - 1
            });
            groups[group].push(i);
        }
        // A full DFA reads the text about half again as fast as the automaton the crate picks
        // on its own for this many patterns (the scan is most of the index stage); its table
        // grows with the patterns' length, so very large lexicons keep the compact one.
        let pattern_bytes: usize = folded.iter().map(String::len).sum();
        let kind = (pattern_bytes <= DFA_PATTERN_BYTES).then_some(AhoCorasickKind::DFA);
        let matcher = if folded.is_empty() {
            None
        } else {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .kind(kind)
                .build(&folded)
                .ok()
        };
        let fingerprint = {
            use std::hash::{Hash, Hasher};
            let mut hasher = std::hash::DefaultHasher::new();
            for p in &patterns {
                (&p.text, p.term).hash(&mut hasher);
            }
            hasher.finish()
        };
        Lexicon {
            matcher,
            groups,
            patterns,
            fingerprint,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.matcher.is_none()
    }

    /// Changes whenever a pattern or the term it stands for changes: mentions found with an
    /// equal fingerprint are still valid.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// Every mention in `text`, in order.
    pub fn find(&self, text: &str) -> Vec<Mention> {
        self.find_within(text, std::slice::from_ref(&(0..text.len())))
    }

    /// Every mention in `text` that lies inside one of `parts` (sorted byte ranges that do not
    /// overlap), in order. Each part is read as a text of its own: its edges are word
    /// boundaries.
    pub fn find_within(&self, text: &str, parts: &[std::ops::Range<usize>]) -> Vec<Mention> {
        let Some(matcher) = &self.matcher else {
            return Vec::new();
        };
        let mut candidates: Vec<Mention> = Vec::new();
        for m in matcher.find_overlapping_iter(text) {
            let (start, end) = (m.start(), m.end());
            let Some(part) = parts
                .get(parts.partition_point(|p| p.end < end))
                .filter(|p| p.start <= start && end <= p.end)
            else {
                continue;
            };
            let segment = &text[part.clone()];
            let (start_in, end_in) = (start - part.start, end - part.start);
            let matched = &text[start..end];
            let Some(pattern) = self.groups[m.pattern().as_usize()]
                .iter()
                .map(|&i| &self.patterns[i])
                .find(|p| !p.case_sensitive || p.text == matched)
            else {
                continue;
            };
            let on_word_boundaries =
                is_boundary(segment, start_in, true) && is_boundary(segment, end_in, false);
            if !(pattern.cjk || on_word_boundaries) || inside_url(segment, start_in) {
                continue;
            }
            candidates.push(Mention {
                start,
                end,
                term: pattern.term,
            });
        }
        // Leftmost, then longest; overlapping matches are dropped.
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
    // The word starts after the separator, which may be several bytes long (U+00A0, U+3000).
    let start = text[..at]
        .char_indices()
        .rfind(|&(_, c)| c.is_whitespace() || matches!(c, '(' | '<' | '"' | '\''))
        .map_or(0, |(i, c)| i + c.len_utf8());
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
    fn a_match_turned_down_hides_no_other() {
        let lexicon = Lexicon::new(
            [
                ("AI", (0, 0)),
                ("AI Act", (1, 0)),
                ("Meta", (2, 0)),
                ("META", (2, 1)),
            ]
            .map(|(n, t)| (n.to_string(), t)),
        );
        let terms = |text: &str| -> Vec<TermRef> {
            lexicon.find(text).into_iter().map(|m| m.term).collect()
        };
        // "AI Act" matches in "AI acting" but not on a word boundary; "AI" still does.
        assert_eq!(terms("AI acting"), [(0, 0)]);
        assert_eq!(terms("the ai act and the AI Act"), [(1, 0), (1, 0)]);
        // Two spellings that differ only in case: each matches as written.
        assert_eq!(terms("Meta, META, meta"), [(2, 0), (2, 1)]);
    }

    #[test]
    fn scan_reads_prose_only() {
        let body = "Alibaba and `Meta`\n\n```\nOpenAI\n```\n\nsee jd.com\n";
        assert_eq!(scan(&lexicon(), "AI news", body), [(0, 0), (0, 3), (2, 0)]);
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
