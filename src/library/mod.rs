//! The library: every published article, sorted, with the indexes templates need computed once
//! here (term → articles, edition → articles, article → neighbours), then only read.

pub mod edition;
pub mod paginate;
pub mod taxonomy;

use crate::config::Config;
use crate::content::{Article, Content, Profile};
use crate::error::Diagnostic;

pub use edition::Edition;
pub use taxonomy::{Taxonomy, Term};

/// Index into [`Library::articles`], which is sorted newest first.
pub type ArticleId = usize;

#[derive(Debug)]
pub struct Library {
    pub articles: Vec<Article>,
    pub taxonomies: Vec<Taxonomy>,
    /// Newest first.
    pub editions: Vec<Edition>,
    /// For each article, the index of its edition.
    pub article_edition: Vec<Option<usize>>,
    /// For each article, for each taxonomy (in config order), its term indexes.
    pub article_terms: Vec<Vec<Vec<usize>>>,
    /// When a future-dated article comes due and the site changes by itself.
    pub next_future: Option<jiff::Timestamp>,
}

impl Library {
    pub fn build(config: &Config, content: Content) -> (Library, Vec<Diagnostic>) {
        let Content {
            mut articles,
            profiles,
            diagnostics,
            next_future,
        } = content;
        // Newest first; ties broken by slug so that every build orders them the same way.
        articles.sort_by(|a, b| {
            b.date
                .timestamp()
                .cmp(&a.date.timestamp())
                .then_with(|| a.slug.cmp(&b.slug))
        });
        let mut diagnostics = diagnostics;
        let mut profiles_by_taxonomy: Vec<Vec<Profile>> = vec![Vec::new(); config.taxonomies.len()];
        for profile in profiles {
            if let Some(i) = config
                .taxonomies
                .iter()
                .position(|t| t.name == profile.taxonomy)
            {
                profiles_by_taxonomy[i].push(profile);
            }
        }
        let mut article_terms = vec![Vec::with_capacity(config.taxonomies.len()); articles.len()];
        let mut taxonomies = Vec::with_capacity(config.taxonomies.len());
        for (tax_config, profiles) in config.taxonomies.iter().zip(profiles_by_taxonomy) {
            let (taxonomy, per_article, diags) = taxonomy::build(tax_config, profiles, &articles);
            diagnostics.extend(diags);
            for (terms, ids) in article_terms.iter_mut().zip(per_article) {
                terms.push(ids);
            }
            taxonomies.push(taxonomy);
        }
        let (editions, article_edition) = edition::build(config.edition, &articles);
        (
            Library {
                articles,
                taxonomies,
                editions,
                article_edition,
                article_terms,
                next_future,
            },
            diagnostics,
        )
    }

    /// The older neighbour of an article.
    pub fn previous(&self, id: ArticleId) -> Option<&Article> {
        self.articles.get(id + 1)
    }

    /// The newer neighbour of an article.
    pub fn next(&self, id: ArticleId) -> Option<&Article> {
        id.checked_sub(1).and_then(|i| self.articles.get(i))
    }

    /// Moves the articles' Markdown sources out, in library order, for the render stage to
    /// consume one by one instead of holding every body until the end of the build.
    pub fn take_sources(&mut self) -> Vec<String> {
        self.articles
            .iter_mut()
            .map(|a| std::mem::take(&mut a.body))
            .collect()
    }

    pub fn term_count(&self) -> usize {
        self.taxonomies.iter().map(|t| t.terms.len()).sum()
    }
}
