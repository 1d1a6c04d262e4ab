//! The languages of a site seen from one page: which of them have the same page, for
//! `<link rel="alternate" hreflang>`, the sitemap's alternates and the language switcher.
//!
//! A page's path is the same in every language (`articles/x/` and `zh/articles/x/`), so the
//! pages of each language are listed up front, from its library, exactly as its stages write them.

use std::collections::HashSet;

use serde::Serialize;

use super::Templates;
use crate::config::{Config, EditionKind};
use crate::library::Library;
use crate::urls::{self, Urls};

/// One language of the site: the default first, then `[languages]` in key order.
pub struct Language {
    pub tag: String,
    /// Its own name, from its string table ("English", "中文").
    pub name: String,
    pub links: Urls,
    /// Its pages, as paths inside its folder (`articles/x/`).
    pages: HashSet<String>,
    /// What the switcher says when a page has no translation in it.
    no_translation: String,
    read_in: String,
}

pub struct Languages {
    pub list: Vec<Language>,
}

/// One other language of a page, for the switcher.
#[derive(Serialize, Hash)]
pub struct Switch {
    pub tag: String,
    pub name: String,
    /// The page in that language, or that language's home when it has none.
    pub url: String,
    pub translated: bool,
    pub current: bool,
    /// What the link says: "Read in 中文", or that there is no translation.
    pub label: String,
}

/// One `<link rel="alternate" hreflang>`.
#[derive(Serialize, Hash)]
pub struct Alternate {
    pub hreflang: String,
    /// The Open Graph locale of that language (`zh_CN`).
    pub locale: String,
    pub url: String,
}

/// The languages of one page.
#[derive(Serialize, Default, Hash)]
pub struct PageLanguages {
    /// The Open Graph locale of this page's language.
    pub locale: String,
    /// Every language that has this page, this one included.
    pub alternates: Vec<Alternate>,
    /// The default language's page, when it has it.
    pub x_default: Option<String>,
    /// Every language, this one included, empty on a site of one language.
    pub switcher: Vec<Switch>,
}

impl Languages {
    pub fn new(config: &Config, library: &Library, templates: &Templates) -> Languages {
        let mut list = vec![language(config, library, templates)];
        for (translation, templates) in library.translations.iter().zip(&templates.translations) {
            list.push(language(
                &translation.config,
                &translation.library,
                templates,
            ));
        }
        Languages { list }
    }

    /// Whether the site has more than one language.
    pub fn several(&self) -> bool {
        self.list.len() > 1
    }

    /// The language versions of the page at `path` of language `current`.
    pub fn of_page(&self, current: usize, path: &str) -> PageLanguages {
        let locale = og_locale(&self.list[current].tag);
        if !self.several() {
            return PageLanguages {
                locale,
                ..PageLanguages::default()
            };
        }
        let has = |l: &Language| l.pages.contains(path);
        let alternates = self
            .list
            .iter()
            .enumerate()
            .filter(|&(i, l)| i == current || has(l))
            .map(|(_, l)| Alternate {
                hreflang: l.tag.clone(),
                locale: og_locale(&l.tag),
                url: l.links.permalink(path),
            })
            .collect();
        let x_default = has(&self.list[0]).then(|| self.list[0].links.permalink(path));
        let switcher = self
            .list
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let translated = i == current || has(l);
                Switch {
                    tag: l.tag.clone(),
                    name: l.name.clone(),
                    url: l.links.link(if translated { path } else { "" }),
                    translated,
                    current: i == current,
                    label: if translated {
                        l.read_in.clone()
                    } else {
                        l.no_translation.clone()
                    },
                }
            })
            .collect();
        PageLanguages {
            locale,
            alternates,
            x_default,
            switcher,
        }
    }

    /// The sitemap alternates of the page at `path` of language `current`: (hreflang, path
    /// from the site's root), x-default included; none for a page only one language has.
    pub fn sitemap_alternates(&self, current: usize, path: &str) -> Vec<(String, String)> {
        if !self.several() || path.ends_with("404.html") {
            return Vec::new();
        }
        let found: Vec<(String, String)> = self
            .list
            .iter()
            .enumerate()
            .filter(|&(i, l)| i == current || l.pages.contains(path))
            .map(|(i, l)| (l.tag.clone(), format!("{}{path}", prefix(i, self))))
            .collect();
        if found.len() < 2 {
            return Vec::new();
        }
        let mut found = found;
        if self.list[0].pages.contains(path) {
            found.push(("x-default".into(), path.to_string()));
        }
        found
    }
}

/// Open Graph writes locales as language_TERRITORY: `en` stays `en`, `en-GB` is `en_GB`,
/// and Chinese in simplified or traditional script is that of mainland China or Taiwan.
fn og_locale(tag: &str) -> String {
    let mut parts = tag.split('-');
    let language = parts.next().unwrap_or(tag).to_ascii_lowercase();
    let mut region = None;
    for part in parts {
        match part.len() {
            2 => region = Some(part.to_ascii_uppercase()),
            4 if language == "zh" && region.is_none() => {
                region = Some(
                    if part.eq_ignore_ascii_case("hant") {
                        "TW"
                    } else {
                        "CN"
                    }
                    .into(),
                )
            }
            _ => {}
        }
    }
    match region {
        Some(region) => format!("{language}_{region}"),
        None => language,
    }
}

/// The folder of language `i` under the site's root: "" for the default, "zh/".
fn prefix(i: usize, languages: &Languages) -> String {
    if i == 0 {
        return String::new();
    }
    let root = languages.list[0].links.base_path().len();
    let own = languages.list[i].links.base_path();
    format!("{}/", own[root..].trim_matches('/'))
}

fn language(config: &Config, library: &Library, templates: &Templates) -> Language {
    let strings = &templates.strings;
    let name = crate::i18n::say(strings, "language_name", &[]);
    Language {
        tag: config.language.clone(),
        links: Urls::new(&config.base_url, config.base_path()),
        pages: pages(config, library),
        no_translation: crate::i18n::say(strings, "no_translation", &[("language", &name)]),
        read_in: crate::i18n::say(strings, "read_in", &[("language", &name)]),
        name,
    }
}

/// Every page the stages write for this library, by path inside its language's folder.
fn pages(config: &Config, library: &Library) -> HashSet<String> {
    let per_page = config.per_page.max(1);
    let count = |n: usize| n.div_ceil(per_page).max(1);
    let mut pages = HashSet::new();
    let paginated = |pages: &mut HashSet<String>, first: &str, items: usize| {
        for n in 1..=count(items) {
            pages.insert(urls::page(first, n));
        }
    };
    paginated(&mut pages, "", library.articles.len());
    pages.extend(library.articles.iter().map(|a| a.url.clone()));
    if config.edition != EditionKind::None {
        pages.insert("editions/".into());
        pages.extend(library.editions.iter().map(|e| urls::edition(&e.id)));
    }
    for taxonomy in &library.taxonomies {
        pages.insert(urls::taxonomy(&taxonomy.name));
        for term in &taxonomy.terms {
            let first = urls::term(&taxonomy.name, &term.slug);
            paginated(&mut pages, &first, term.articles.len());
        }
    }
    if let Some(matrix) = &library.matrix {
        pages.insert(urls::MATRIX.into());
        let (rows, columns) = (
            &library.taxonomies[matrix.rows],
            &library.taxonomies[matrix.columns],
        );
        for (&(r, c), ids) in &matrix.cells {
            let first = urls::matrix_cell(&rows.terms[r].slug, &columns.terms[c].slug);
            paginated(&mut pages, &first, ids.len());
        }
    }
    pages.insert("404.html".into());
    pages
}
