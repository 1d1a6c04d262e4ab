//! Terms of one taxonomy: spellings merged by key, aliases resolved through profiles, each term
//! with its articles newest first.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};

use crate::config::TaxonomyConfig;
use crate::content::slug::{slugify, term_key};
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

/// Builds one taxonomy; returns it, each article's term indexes, and conflicts between profiles.
pub fn build(
    config: &TaxonomyConfig,
    profiles: Vec<Profile>,
    articles: &[Article],
) -> (Taxonomy, Vec<Vec<usize>>, Vec<Diagnostic>) {
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

    let mut per_article: Vec<Vec<usize>> = Vec::with_capacity(articles.len());
    for (id, article) in articles.iter().enumerate() {
        let mut ids: Vec<usize> = Vec::new();
        for name in article.terms.get(&config.name).into_iter().flatten() {
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

    for term in terms.iter_mut().filter(|t| t.profile.is_none()) {
        // The most used spelling; among equals, the first in sort order, so builds are stable.
        term.name = term
            .spellings
            .iter()
            .max_by_key(|(spelling, count)| (**count, Reverse(*spelling)))
            .map(|(s, _)| s.clone())
            .unwrap_or_default();
        term.slug = slugify(&term.name);
    }

    // Most covered first; the order in which templates list terms.
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
    let mut terms = super::reorder(terms, &order);
    for ids in &mut per_article {
        for id in ids.iter_mut() {
            *id = new_index[*id];
        }
    }

    // Two different keys can still slugify alike ("C#" and "C"): the later one gets a suffix.
    let mut used: HashMap<String, usize> = HashMap::new();
    for term in &mut terms {
        let count = used.entry(term.slug.clone()).or_default();
        *count += 1;
        if *count > 1 {
            term.slug = format!("{}-{}", term.slug, count);
        }
    }

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
