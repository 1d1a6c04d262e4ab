//! The library: every published article, sorted, with the indexes templates need computed once
//! here (term → articles, edition → articles, article → neighbours), then only read.

pub mod edition;
pub mod matrix;
pub mod mentions;
pub mod paginate;
pub mod taxonomy;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::{Article, Content, Profile};
use crate::error::Diagnostic;

pub use edition::Edition;
pub use mentions::{Lexicon, TermRef};
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
    /// For each article, the terms its text names without being filed under them.
    pub article_mentions: Vec<Vec<TermRef>>,
    /// When a future-dated article comes due and the site changes by itself.
    pub next_future: Option<jiff::Timestamp>,
    /// The day the site was read, in its time zone: the newest edition is "this week" only
    /// while it lasts.
    pub today: jiff::civil::Date,
    /// Companies × regulations (`[entities] matrix`), when both taxonomies exist.
    pub matrix: Option<matrix::Matrix>,
    /// Articles read but not built (drafts, future articles).
    pub left_out: Vec<crate::content::LeftOut>,
    /// The site in each of its other languages (`[languages]`), in key order: the same
    /// indexes over that language's articles, published under `/<key>/`.
    pub translations: Vec<Translation>,
}

/// The site in one more language: its configuration (title, tag, base_url under `/<key>/`)
/// and its own library, so every page stage runs on it unchanged.
#[derive(Debug)]
pub struct Translation {
    pub key: String,
    pub config: Config,
    pub library: Library,
}

impl Library {
    pub fn build(config: &Config, content: Content) -> (Library, Vec<Diagnostic>) {
        Library::build_with(config, content, &|article, lexicon| {
            mentions::scan(lexicon, &article.title, &article.body)
        })
    }

    /// [`Library::build`] with the mention scan supplied, so `digest serve` can reuse the
    /// scans of articles that did not change.
    pub fn build_with(
        config: &Config,
        content: Content,
        scan: &(dyn Fn(&Article, &Lexicon) -> Vec<TermRef> + Sync),
    ) -> (Library, Vec<Diagnostic>) {
        if config.languages.is_empty() {
            return Library::build_one(config, content, scan);
        }
        let Content {
            articles,
            profiles,
            mut diagnostics,
            next_future,
            now,
            left_out,
        } = content;
        let (profiles, translated) = translated_profiles(profiles, &mut diagnostics);
        let mut by_language: std::collections::BTreeMap<String, Vec<Article>> = config
            .languages
            .keys()
            .map(|k| (k.clone(), Vec::new()))
            .collect();
        let mut defaults = Vec::new();
        for article in articles {
            match article
                .language_key
                .as_ref()
                .and_then(|k| by_language.get_mut(k))
            {
                Some(list) => list.push(article),
                None => defaults.push(article),
            }
        }
        let in_language = |key: Option<&str>| -> Vec<Profile> {
            profiles
                .iter()
                .map(|p| {
                    let mut profile = profile_in(p, key);
                    if let Some(translation) = key.and_then(|k| {
                        translated.iter().find(|t| {
                            t.language_key.as_deref() == Some(k)
                                && (&t.taxonomy, &t.slug) == (&p.taxonomy, &p.slug)
                        })
                    }) {
                        translate_profile(&mut profile, translation);
                    }
                    profile
                })
                .collect()
        };
        let (mut library, mut diagnostics) = Library::build_one(
            config,
            Content {
                articles: defaults,
                profiles: in_language(None),
                diagnostics,
                next_future,
                now,
                left_out,
            },
            scan,
        );
        for (key, articles) in by_language {
            let Some(language_config) = config.for_language(&key) else {
                continue;
            };
            let content = Content {
                articles,
                profiles: in_language(Some(&key)),
                diagnostics: Vec::new(),
                next_future: None,
                now,
                left_out: Vec::new(),
            };
            let (translated, diags) = Library::build_one(&language_config, content, scan);
            // Profiles are shared: their problems were reported with the default language.
            let own: std::collections::HashSet<&std::path::Path> = translated
                .articles
                .iter()
                .map(|a| a.path.as_path())
                .collect();
            diagnostics.extend(diags.into_iter().filter(|d| own.contains(d.path.as_path())));
            library.translations.push(Translation {
                key,
                config: language_config,
                library: translated,
            });
        }
        (library, diagnostics)
    }

    fn build_one(
        config: &Config,
        content: Content,
        scan: &(dyn Fn(&Article, &Lexicon) -> Vec<TermRef> + Sync),
    ) -> (Library, Vec<Diagnostic>) {
        let Content {
            articles,
            profiles,
            diagnostics,
            next_future,
            now,
            left_out,
        } = content;
        let today = now.to_zoned_datetime(config.time_zone()).date();
        // Newest first; ties broken by slug so that every build orders them the same way.
        // The order is worked out on indexes: moving whole articles around while sorting
        // costs more than the comparisons.
        let mut order: Vec<usize> = (0..articles.len()).collect();
        order.par_sort_unstable_by(|&a, &b| {
            let (a, b) = (&articles[a], &articles[b]);
            b.date
                .timestamp()
                .cmp(&a.date.timestamp())
                .then_with(|| a.slug.cmp(&b.slug))
        });
        let mut articles = reorder(articles, &order);
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
        let (mut taxonomies, mut article_terms, diags) =
            build_taxonomies(config, profiles_by_taxonomy.clone(), &articles);
        diagnostics.extend(diags);

        // Terms the text names: filed as if written in the front matter (auto_file), or kept
        // apart as mentions, distinct from what the article is about.
        let lexicon = mentions::lexicon(config, &taxonomies);
        let mut article_mentions: Vec<Vec<TermRef>> = articles
            .par_iter()
            .enumerate()
            .map(|(id, article)| {
                let mut found = scan(article, &lexicon);
                found.retain(|&(t, term)| !article_terms[id][t].contains(&term));
                found
            })
            .collect();
        if config.entities.auto_file && article_mentions.iter().any(|m| !m.is_empty()) {
            for (article, mentioned) in articles.iter_mut().zip(&article_mentions) {
                for &(t, term) in mentioned {
                    let name = taxonomies[t].terms[term].name.clone();
                    article
                        .terms
                        .entry(taxonomies[t].name.clone())
                        .or_default()
                        .push(name);
                }
            }
            // Filing changes counts and order: index again, with nothing left as a mention.
            let (rebuilt, terms, _) = build_taxonomies(config, profiles_by_taxonomy, &articles);
            taxonomies = rebuilt;
            article_terms = terms;
            article_mentions = vec![Vec::new(); articles.len()];
        }
        for (id, mentioned) in article_mentions.iter().enumerate() {
            for &(t, term) in mentioned {
                taxonomies[t].terms[term].mentioned_in.push(id);
            }
        }
        let (mut editions, article_edition) = edition::build(config.edition, &articles);
        edition::retitle(&mut editions, &config.strings);
        let matrix = matrix::build(&taxonomies, &config.entities.matrix, &article_terms);
        (
            Library {
                articles,
                taxonomies,
                editions,
                article_edition,
                article_terms,
                article_mentions,
                next_future,
                today,
                matrix,
                left_out,
                translations: Vec::new(),
            },
            diagnostics,
        )
    }

    /// Every article's terms, in taxonomy order.
    pub fn terms_of(&self, id: ArticleId) -> impl Iterator<Item = TermRef> + '_ {
        self.article_terms[id]
            .iter()
            .enumerate()
            .flat_map(|(t, terms)| terms.iter().map(move |&term| (t, term)))
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

    /// When the site changes by itself, with no file edited: a future-dated article comes due,
    /// or the newest edition stops being this week's. A build is current until then.
    pub fn changes_by_itself(&self, tz: &jiff::tz::TimeZone) -> Option<jiff::Timestamp> {
        let edition_ends = self
            .editions
            .first()
            .filter(|e| e.end >= self.today)
            .and_then(|e| e.end.tomorrow().ok())
            .and_then(|day| day.to_zoned_datetime(tz.clone()).ok())
            .map(|z| z.timestamp());
        match (self.next_future, edition_ends) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    pub fn term_count(&self) -> usize {
        self.taxonomies.iter().map(|t| t.terms.len()).sum()
    }
}

/// A profile as the language `key` (None: the default) names its term: by `names[key]`,
/// else its `name`; every other name it has in any language joins its aliases, so that an
/// article in any language that writes one is filed (and its mentions found) under the term.
/// The profiles apart from their translations (`alibaba.zh.md`). A translation's name is the
/// term's name in its language and its aliases are names of the term in every language, as if
/// the original gave them; a translation without its original is reported.
fn translated_profiles(
    profiles: Vec<Profile>,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<Profile>, Vec<Profile>) {
    let (translated, mut profiles): (Vec<Profile>, Vec<Profile>) =
        profiles.into_iter().partition(|p| p.language_key.is_some());
    for translation in &translated {
        let key = translation.language_key.clone().unwrap_or_default();
        let Some(original) = profiles
            .iter_mut()
            .find(|p| (&p.taxonomy, &p.slug) == (&translation.taxonomy, &translation.slug))
        else {
            diagnostics.push(
                Diagnostic::warning(
                    crate::error::Code::MissingOriginal,
                    &translation.path,
                    format!(
                        "a `{key}` translation of the profile {}, which does not exist",
                        crate::content::original_path(&translation.path, &key).display()
                    ),
                )
                .at(1, 1)
                .with_hint("write the profile itself first (its `name` in the default language)"),
            );
            continue;
        };
        if !translation.name.is_empty() {
            original.names.insert(key, translation.name.clone());
        }
        original.aliases.extend(translation.aliases.iter().cloned());
    }
    (profiles, translated)
}

/// What a profile's translation gives, over the profile on its language's pages: summary,
/// description, status, jurisdiction, timeline, website, `[extra]` values.
fn translate_profile(profile: &mut Profile, translation: &Profile) {
    let t = translation;
    profile.summary = t.summary.clone().or(profile.summary.take());
    profile.jurisdiction = t.jurisdiction.clone().or(profile.jurisdiction.take());
    profile.status = t.status.clone().or(profile.status.take());
    profile.effective = t.effective.or(profile.effective);
    profile.website = t.website.clone().or(profile.website.take());
    if !t.timeline.is_empty() {
        profile.timeline = t.timeline.clone();
    }
    if !t.description_html.trim().is_empty() {
        profile.description_html = t.description_html.clone();
    }
    match (&mut profile.extra, &t.extra) {
        (serde_json::Value::Object(own), serde_json::Value::Object(given)) => {
            own.extend(given.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        (own, given) if !given.is_null() => *own = given.clone(),
        _ => {}
    }
}

fn profile_in(profile: &Profile, key: Option<&str>) -> Profile {
    let mut profile = profile.clone();
    let shown = key
        .and_then(|k| profile.names.get(k))
        .cloned()
        .unwrap_or_else(|| profile.name.clone());
    let mut others: Vec<String> = std::iter::once(profile.name.clone())
        .chain(profile.names.values().cloned())
        .collect();
    others.append(&mut profile.aliases);
    let mut seen = std::collections::HashSet::new();
    seen.insert(crate::content::slug::term_key(&shown));
    profile.aliases = others
        .into_iter()
        .filter(|name| seen.insert(crate::content::slug::term_key(name)))
        .collect();
    profile.name = shown;
    profile
}

/// `items` rearranged so that the `i`-th is the one that stood at `order[i]`, each moved once.
fn reorder<T>(items: Vec<T>, order: &[usize]) -> Vec<T> {
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    order.iter().filter_map(|&i| slots[i].take()).collect()
}

/// Every taxonomy's terms, and for each article its term indexes per taxonomy.
fn build_taxonomies(
    config: &Config,
    profiles: Vec<Vec<Profile>>,
    articles: &[Article],
) -> (Vec<Taxonomy>, Vec<Vec<Vec<usize>>>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut article_terms = vec![Vec::with_capacity(config.taxonomies.len()); articles.len()];
    let mut taxonomies = Vec::with_capacity(config.taxonomies.len());
    let built: Vec<_> = config
        .taxonomies
        .par_iter()
        .zip(profiles)
        .map(|(tax_config, profiles)| taxonomy::build(tax_config, profiles, articles))
        .collect();
    for (taxonomy, per_article, diags) in built {
        diagnostics.extend(diags);
        for (terms, ids) in article_terms.iter_mut().zip(per_article) {
            terms.push(ids);
        }
        taxonomies.push(taxonomy);
    }
    (taxonomies, article_terms, diagnostics)
}
