//! Terms of one taxonomy: spellings merged by key, aliases resolved through profiles, each term
//! with its articles newest first.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap, HashSet};

use crate::config::TaxonomyConfig;
use crate::content::slug::{term_key, term_slug};
use crate::content::{Article, Profile};
use crate::error::{Code, Diagnostic};

use super::ArticleId;

#[derive(Debug)]
pub struct Taxonomy {
    pub name: String,
    pub title: String,
    pub feed: bool,
    /// Most articles first, then by name.
    pub terms: Vec<Term>,
}

#[derive(Debug)]
pub struct Term {
    pub key: String,
    pub name: String,
    pub slug: String,
    pub profile: Option<Profile>,
    /// Newest first.
    pub articles: Vec<ArticleId>,
    /// How often each spelling was used in front matter.
    pub spellings: BTreeMap<String, usize>,
    /// Articles that name the term without being filed under it, newest first.
    pub mentioned_in: Vec<ArticleId>,
}

impl Taxonomy {
    pub fn find(&self, name: &str) -> Option<&Term> {
        let key = term_key(name);
        self.terms.iter().find(|t| {
            t.key == key
                || t.profile
                    .as_ref()
                    .is_some_and(|p| p.aliases.iter().any(|a| term_key(a) == key))
        })
    }
}

/// A term used by at most this many articles may be a misspelling...
pub const TYPO_MAX_ARTICLES: usize = 2;
/// ...of a term used by at least this many, or of a profile's name or alias.
pub const ESTABLISHED_ARTICLES: usize = 3;

impl Taxonomy {
    /// The established term that the rarely used term `index` is most likely a misspelling of
    /// ("Tencnet" for "Tencent"): keys one edit apart (two in names of nine letters or more;
    /// in names under six letters only two letters swapped). Names of three letters or fewer
    /// are too short to tell.
    pub fn likely_typo_of(&self, index: usize) -> Option<usize> {
        let term = &self.terms[index];
        if term.profile.is_some() || term.articles.len() > TYPO_MAX_ARTICLES {
            return None;
        }
        let key: Vec<char> = term.key.chars().collect();
        if key.len() < 4 {
            return None;
        }
        let allowed = if key.len() >= 9 { 2 } else { 1 };
        // In a short name one letter more or less is often another name ("Mets", "Meta"); two
        // letters swapped rarely is.
        let short = key.len() < 6;
        let mut best: Option<(usize, usize)> = None;
        for (i, other) in self.terms.iter().enumerate() {
            let established =
                other.profile.is_some() || other.articles.len() >= ESTABLISHED_ARTICLES;
            if i == index || !established {
                continue;
            }
            let mut keys = vec![other.key.clone()];
            if let Some(profile) = &other.profile {
                keys.extend(profile.aliases.iter().map(|a| term_key(a)));
            }
            let distance = keys
                .iter()
                .filter(|k| k.chars().count() >= 4)
                .filter(|k| !short || strsim::levenshtein(&term.key, k) == 2)
                .map(|k| strsim::damerau_levenshtein(&term.key, k))
                .min();
            if let Some(d) = distance
                && d > 0
                && d <= allowed
                && best.is_none_or(|(bd, bi)| {
                    (d, Reverse(other.articles.len()))
                        < (bd, Reverse(self.terms[bi].articles.len()))
                })
            {
                best = Some((d, i));
            }
        }
        best.map(|(_, i)| i)
    }
}

/// Builds one taxonomy; returns it, each article's term indexes, and conflicts between profiles.
pub fn build(
    config: &TaxonomyConfig,
    profiles: Vec<Profile>,
    articles: &[Article],
) -> (Taxonomy, Vec<Vec<usize>>, Vec<Diagnostic>) {
    let (mut terms, mut by_key, diagnostics) = profiled_terms(profiles);
    let mut per_article = article_terms(&config.name, articles, &mut terms, &mut by_key);
    name_unprofiled(&mut terms);
    assign_slugs(&mut terms);
    let terms = sort_by_coverage(terms, &mut per_article);
    (
        Taxonomy {
            name: config.name.clone(),
            title: config.title.clone(),
            feed: config.feed,
            terms,
        },
        per_article,
        diagnostics,
    )
}

/// A term for each profile, with every key its name and aliases claim. A profile claiming a
/// key another profile holds is left out with an error naming both files, since articles
/// using that spelling could belong to either.
fn profiled_terms(profiles: Vec<Profile>) -> (Vec<Term>, HashMap<String, usize>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut terms: Vec<Term> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    // Who claimed each key, to name both files in a conflict.
    let mut claimed: HashMap<String, (String, std::path::PathBuf)> = HashMap::new();

    for profile in profiles {
        let index = terms.len();
        let mut keys = vec![(
            term_key(&profile.name),
            profile.name.clone(),
            profile.name_at,
        )];
        keys.extend(
            profile
                .aliases
                .iter()
                .map(|a| (term_key(a), a.clone(), profile.aliases_at)),
        );
        let mut conflict = false;
        for (key, spelling, (line, col)) in &keys {
            if key.is_empty() {
                continue;
            }
            if let Some((other_spelling, other_path)) = claimed.get(key)
                && other_path != &profile.path
            {
                diagnostics.push(
                    Diagnostic::error(
                        Code::AliasConflict,
                        &profile.path,
                        format!(
                            "{spelling:?} is already claimed by {} (as {other_spelling:?})",
                            other_path.display()
                        ),
                    )
                    .at(*line, *col)
                    .with_hint("a name or alias may belong to one profile only: remove it from one of the two files"),
                );
                conflict = true;
            }
        }
        if conflict {
            continue;
        }
        for (key, spelling, _) in keys {
            claimed.insert(key.clone(), (spelling, profile.path.clone()));
            by_key.insert(key, index);
        }
        terms.push(Term {
            key: term_key(&profile.name),
            name: profile.name.clone(),
            slug: profile.slug.clone(),
            profile: Some(profile),
            articles: Vec::new(),
            spellings: BTreeMap::new(),
            mentioned_in: Vec::new(),
        });
    }
    (terms, by_key, diagnostics)
}

/// Each article's terms in `taxonomy` as indexes into `terms`: spellings with the same key
/// are one term (a profile's when one claims the key, else a new one), and each spelling is
/// counted so the term can be named by the most used one.
fn article_terms(
    taxonomy: &str,
    articles: &[Article],
    terms: &mut Vec<Term>,
    by_key: &mut HashMap<String, usize>,
) -> Vec<Vec<usize>> {
    let mut per_article: Vec<Vec<usize>> = Vec::with_capacity(articles.len());
    for (id, article) in articles.iter().enumerate() {
        let mut ids: Vec<usize> = Vec::new();
        for name in article.terms.get(taxonomy).into_iter().flatten() {
            let key = term_key(name);
            if key.is_empty() {
                continue;
            }
            let index = *by_key.entry(key.clone()).or_insert_with(|| {
                terms.push(Term {
                    key,
                    name: String::new(),
                    slug: String::new(),
                    profile: None,
                    articles: Vec::new(),
                    spellings: BTreeMap::new(),
                    mentioned_in: Vec::new(),
                });
                terms.len() - 1
            });
            *terms[index].spellings.entry(name.clone()).or_default() += 1;
            if !ids.contains(&index) {
                ids.push(index);
                terms[index].articles.push(id);
            }
        }
        per_article.push(ids);
    }
    per_article
}

/// Names the terms without a profile by their most used spelling; among equals, the first in
/// sort order, so builds are stable.
fn name_unprofiled(terms: &mut [Term]) {
    for term in terms.iter_mut().filter(|t| t.profile.is_none()) {
        term.name = term
            .spellings
            .iter()
            .max_by_key(|(spelling, count)| (**count, Reverse(*spelling)))
            .map(|(s, _)| s.clone())
            .unwrap_or_default();
    }
}

/// Most covered first, the order in which templates list terms; then by name and key, so
/// equals keep one order. The articles' term indexes follow the terms.
fn sort_by_coverage(terms: Vec<Term>, per_article: &mut [Vec<usize>]) -> Vec<Term> {
    let mut order: Vec<usize> = (0..terms.len()).collect();
    order.sort_by(|&a, &b| {
        terms[b]
            .articles
            .len()
            .cmp(&terms[a].articles.len())
            .then_with(|| {
                terms[a]
                    .name
                    .to_lowercase()
                    .cmp(&terms[b].name.to_lowercase())
            })
            .then_with(|| terms[a].key.cmp(&terms[b].key))
    });
    let mut new_index = vec![0; terms.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = new;
    }
    let terms = super::reorder(terms, &order);
    for ids in per_article.iter_mut() {
        for id in ids.iter_mut() {
            *id = new_index[*id];
        }
    }
    terms
}

/// Slugs for the terms without a profile (a profile's slug is its file name and is never
/// changed). Two different terms can still slugify alike ("C++" and "C plus plus"): the one whose
/// key sorts first gets the plain slug, the next `-2` and so on, so a slug does not move when
/// article counts change.
fn assign_slugs(terms: &mut [Term]) {
    let mut taken: HashSet<String> = terms
        .iter()
        .filter(|t| t.profile.is_some())
        .map(|t| t.slug.clone())
        .collect();
    let mut free: Vec<usize> = (0..terms.len())
        .filter(|&i| terms[i].profile.is_none())
        .collect();
    free.sort_by(|&a, &b| terms[a].key.cmp(&terms[b].key));
    for i in free {
        let mut base = term_slug(&terms[i].name);
        if base.is_empty() {
            // A name with no Latin transliteration at all: a stable slug from its key.
            base = format!(
                "term-{:08x}",
                xxhash_rust::xxh3::xxh3_64(terms[i].key.as_bytes()) >> 32
            );
        }
        let mut slug = base.clone();
        let mut n = 2;
        while taken.contains(&slug) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        taken.insert(slug.clone());
        terms[i].slug = slug;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(key: &str, name: &str, profile_slug: Option<&str>) -> Term {
        Term {
            key: key.into(),
            name: name.into(),
            slug: profile_slug.unwrap_or_default().into(),
            profile: profile_slug.map(|slug| Profile {
                slug: slug.into(),
                name: name.into(),
                ..Profile::default()
            }),
            articles: Vec::new(),
            spellings: BTreeMap::new(),
            mentioned_in: Vec::new(),
        }
    }

    #[test]
    fn colliding_slugs_get_a_suffix_and_profiles_keep_theirs() {
        let mut terms = vec![
            term("cplusplus", "C plus plus", None),
            term("c++", "C++", None),
            term("c#", "C#", None),
            term("csharp", "C Sharp", Some("c-sharp")),
            term("c", "C", None),
        ];
        assign_slugs(&mut terms);
        let slugs: Vec<&str> = terms.iter().map(|t| t.slug.as_str()).collect();
        assert_eq!(
            slugs,
            ["c-plus-plus-2", "c-plus-plus", "c-sharp-2", "c-sharp", "c"]
        );
    }
}
