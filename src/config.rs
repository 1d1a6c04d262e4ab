//! `site.toml`: the site's configuration, with defaults for everything but the title.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Code, Diagnostic, Error, Result};
use crate::text::{did_you_mean, line_col};

pub use crate::layout::CONFIG_FILE;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Kept without its trailing slash: `https://example.com/digest`.
    pub base_url: String,
    pub language: String,
    pub output_dir: PathBuf,
    pub edition: EditionKind,
    pub per_page: usize,
    pub taxonomies: Vec<TaxonomyConfig>,
    pub timezone: String,
    pub relative_urls: bool,
    pub markdown: MarkdownConfig,
    pub feeds: FeedsConfig,
    pub entities: EntitiesConfig,
    pub permalinks: PermalinksConfig,
    pub front_matter: FrontMatterConfig,
    pub email: EmailConfig,
    pub search: SearchConfig,
    /// `[languages.<key>]`: languages beside `language`, published under `/<key>/`.
    pub languages: BTreeMap<String, LanguageConfig>,
    pub extra: toml::Table,
    /// Set on the configuration of another language's pages ([`Config::for_language`]):
    /// its key, whose folder base_url then ends in.
    #[serde(skip_deserializing)]
    pub language_key: Option<String>,
    /// The built-in theme's strings in this configuration's language, with the site's own
    /// `i18n/<key>.toml` over them: what templates read as `t`, and what Rust-made text
    /// (descriptions, feed titles, edition titles) is written from.
    #[serde(skip)]
    pub strings: crate::i18n::Strings,
    /// The site's own string tables, by language key, read by [`Config::load`].
    #[serde(skip)]
    pub site_strings: BTreeMap<String, crate::i18n::Strings>,
}

/// One more language of the site. Its key names translation files (`x.zh.md`) and the URL
/// folder (`/zh/`); `tag` is what `<html lang>` and hreflang say.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct LanguageConfig {
    /// BCP 47; the key when empty.
    pub tag: String,
    pub title: String,
    pub description: String,
    /// A strftime pattern for dates shown in this language (the string table's when empty).
    pub date_format: Option<String>,
    pub per_page: Option<usize>,
    /// `[languages.<key>.extra]`: values over the site's `[extra]` on this language's pages
    /// (a footer in this language).
    pub extra: toml::Table,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Digest".into(),
            description: String::new(),
            // Required by `digest build` (see [`Config::require_base_url`]); `serve` uses its own.
            base_url: String::new(),
            language: "en".into(),
            output_dir: PathBuf::from("public"),
            edition: EditionKind::Weekly,
            per_page: 10,
            taxonomies: ["companies", "regulations", "tags"]
                .into_iter()
                .map(TaxonomyConfig::named)
                .collect(),
            timezone: "UTC".into(),
            relative_urls: false,
            markdown: MarkdownConfig::default(),
            feeds: FeedsConfig::default(),
            entities: EntitiesConfig::default(),
            permalinks: PermalinksConfig::default(),
            front_matter: FrontMatterConfig::default(),
            email: EmailConfig::default(),
            search: SearchConfig::default(),
            languages: BTreeMap::new(),
            extra: toml::Table::new(),
            language_key: None,
            strings: crate::i18n::resolve("en", "en", None),
            site_strings: BTreeMap::new(),
        }
    }
}

/// `[permalinks]`: where articles are published.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct PermalinksConfig {
    pub articles: String,
}

impl Default for PermalinksConfig {
    fn default() -> Self {
        PermalinksConfig {
            articles: crate::content::permalink::DEFAULT.into(),
        }
    }
}

/// `[front_matter]`: what the site's own front matter may carry.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct FrontMatterConfig {
    /// Keys accepted without a warning and handed to templates as `article.extra.<key>`
    /// (`layout`, `category` of a site moved from another generator).
    pub extra_keys: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EditionKind {
    Weekly,
    Monthly,
    None,
}

/// A taxonomy is written as a bare name or as a table with a title and a feed switch.
#[derive(Debug, Clone, Serialize)]
pub struct TaxonomyConfig {
    pub name: String,
    pub title: String,
    pub feed: bool,
    /// The title site.toml gives, which every language keeps unless its own string table
    /// names the taxonomy.
    #[serde(skip)]
    given_title: Option<String>,
}

impl TaxonomyConfig {
    fn named(name: &str) -> Self {
        TaxonomyConfig {
            name: name.to_string(),
            title: title_case(name),
            feed: true,
            given_title: None,
        }
    }
}

impl<'de> Deserialize<'de> for TaxonomyConfig {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Table {
            name: String,
            title: Option<String>,
            #[serde(default = "yes")]
            feed: bool,
        }
        fn yes() -> bool {
            true
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Form {
            Name(String),
            Table(Table),
        }
        Ok(match Form::deserialize(deserializer)? {
            Form::Name(name) => TaxonomyConfig::named(&name),
            Form::Table(t) => TaxonomyConfig {
                title: t.title.clone().unwrap_or_else(|| title_case(&t.name)),
                given_title: t.title,
                name: t.name,
                feed: t.feed,
            },
        })
    }
}

fn title_case(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct MarkdownConfig {
    pub smart_punctuation: bool,
    pub highlight: bool,
    pub unsafe_html: bool,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            smart_punctuation: true,
            highlight: true,
            unsafe_html: true,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct FeedsConfig {
    pub atom: bool,
    pub rss: bool,
    pub json: bool,
    pub limit: usize,
}

impl Default for FeedsConfig {
    fn default() -> Self {
        FeedsConfig {
            atom: true,
            rss: true,
            json: true,
            limit: 20,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct EntitiesConfig {
    /// File the terms an article mentions as if its front matter named them.
    pub auto_file: bool,
    /// Link the first mention of each term in an article body to the term's page.
    pub link_mentions: bool,
    /// The taxonomies whose terms are looked for in articles' text.
    pub scan: Vec<String>,
    /// Rows and columns of the `/matrix/` page; empty for no matrix.
    pub matrix: Vec<String>,
}

impl Default for EntitiesConfig {
    fn default() -> Self {
        EntitiesConfig {
            auto_file: false,
            link_mentions: false,
            scan: vec!["companies".into(), "regulations".into()],
            matrix: vec!["companies".into(), "regulations".into()],
        }
    }
}

/// `[email]`: every edition as a newsletter (email.html, email.txt, edition.eml).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct EmailConfig {
    pub enabled: bool,
    /// `Name <address>`; without it the message says `From: <title> <noreply@host>` and
    /// `digest check` warns.
    pub from: Option<String>,
    /// A Tera template with `site` and `edition`.
    pub subject: String,
    /// A URL (https: or mailto:) for `List-Unsubscribe`; one-click (RFC 8058) when https.
    pub unsubscribe: Option<String>,
}

impl Default for EmailConfig {
    fn default() -> Self {
        EmailConfig {
            enabled: true,
            from: None,
            subject: "{{ site.title }}: {{ edition.title }}".into(),
            unsubscribe: None,
        }
    }
}

/// `[search]`: the /search/ page, the header search box and the Pagefind index under /pagefind/.
/// Off unless asked for: Pagefind's indexing costs about 8 s and 340 MiB per 1,000 articles
/// (74 s and 3 GB at 10,000), ten times the rest of a build; see README "Search".
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct SearchConfig {
    pub enabled: bool,
}

/// Every key `site.toml` understands, for did-you-mean suggestions.
const KNOWN_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "output_dir",
    "edition",
    "per_page",
    "taxonomies",
    "timezone",
    "relative_urls",
    "markdown",
    "feeds",
    "entities",
    "permalinks",
    "front_matter",
    "search",
    "search.enabled",
    "extra",
    "markdown.smart_punctuation",
    "markdown.highlight",
    "markdown.unsafe_html",
    "feeds.atom",
    "feeds.rss",
    "feeds.json",
    "feeds.limit",
    "entities.auto_file",
    "entities.link_mentions",
    "entities.scan",
    "entities.matrix",
    "permalinks.articles",
    "front_matter.extra_keys",
    "email",
    "email.enabled",
    "email.from",
    "email.subject",
    "email.unsubscribe",
    "languages",
];

/// The keys of one `[languages.<key>]` table.
const LANGUAGE_KEYS: &[&str] = &[
    "tag",
    "title",
    "description",
    "date_format",
    "per_page",
    "extra",
];

impl Config {
    /// Reads `site.toml` under `root`. Unknown keys come back as warnings, not errors.
    pub fn load(root: &Path) -> Result<(Config, Vec<Diagnostic>)> {
        let path = root.join(CONFIG_FILE);
        if !path.is_file() {
            return Err(Error::Site(vec![
                Diagnostic::error(Code::ConfigError, CONFIG_FILE, "no site.toml in the site folder").with_hint(
                    format!(
                        "run digest in a site folder, pass --root DIR, or create one with `digest init` ({})",
                        root.display()
                    ),
                ),
            ]));
        }
        let text = crate::fs::read_to_string(&path)?;
        let (mut config, warnings) = Config::parse(&text).map_err(|d| Error::Site(vec![d]))?;
        let key = config.key();
        let keys = std::iter::once(key.as_str()).chain(config.languages.keys().map(String::as_str));
        config.site_strings = crate::i18n::site_tables(root, keys)?;
        config.localize(&key);
        Ok((config, warnings))
    }

    pub fn parse(text: &str) -> std::result::Result<(Config, Vec<Diagnostic>), Diagnostic> {
        let mut unknown = Vec::new();
        let deserializer =
            toml::Deserializer::parse(text).map_err(|e| toml_diagnostic(text, &e))?;
        let mut config: Config = serde_ignored::deserialize(deserializer, |path| {
            unknown.push(path.to_string());
        })
        .map_err(|e| toml_diagnostic(text, &e))?;

        let mut warnings = Vec::new();
        for key in unknown {
            if key.starts_with("extra.") {
                continue;
            }
            if let Some(rest) = key.strip_prefix("languages.")
                && rest
                    .split_once('.')
                    .is_some_and(|(_, k)| k.starts_with("extra."))
            {
                continue;
            }
            let language_key = key
                .strip_prefix("languages.")
                .and_then(|rest| rest.split_once('.'))
                .map(|(_, k)| k);
            let (line, col) = find_key(text, &key);
            let mut d = Diagnostic::warning(
                Code::UnknownKey,
                CONFIG_FILE,
                format!("unknown key `{key}`"),
            )
            .at(line, col);
            let suggestion = match language_key {
                Some(k) => did_you_mean(k, LANGUAGE_KEYS.iter().copied()),
                None => did_you_mean(&key, KNOWN_KEYS.iter().copied()),
            };
            if let Some(suggestion) = suggestion {
                d = d.with_hint(format!("did you mean `{suggestion}`?"));
            }
            warnings.push(d);
        }
        warnings.sort_by_key(|d| (d.line, d.col));
        config.validate(text)?;
        config.localize(&config.key());
        Ok((config, warnings))
    }

    fn validate(&mut self, text: &str) -> std::result::Result<(), Diagnostic> {
        let at_key = |key: &str, message: String| {
            let (line, col) = find_key(text, key);
            Diagnostic::error(Code::ConfigError, CONFIG_FILE, message).at(line, col)
        };
        let base = self.base_url.trim().trim_end_matches('/').to_string();
        if !base.is_empty()
            && let Err(problem) = check_base_url(&base)
        {
            return Err(at_key("base_url", format!("base_url `{}` {problem}", self.base_url))
                .with_hint("write the address the site is published at, e.g. base_url = \"https://example.com/digest\""));
        }
        self.base_url = base;
        if !crate::text::is_language_tag(&self.language) {
            let hint = match crate::text::language_tag_for(&self.language) {
                Some(tag) => format!("did you mean language = \"{tag}\"?"),
                None => "use a BCP 47 tag such as \"en\", \"en-GB\" or \"zh-Hans\"".into(),
            };
            return Err(at_key(
                "language",
                format!("language `{}` is not a language tag", self.language),
            )
            .with_hint(hint));
        }
        if self.feeds.limit == 0 {
            return Err(at_key(
                "limit",
                "`feeds.limit` is 0: every feed would be empty".into(),
            )
            .with_hint("give the number of newest articles a feed carries, e.g. limit = 20; turn feeds off with atom = false, rss = false, json = false"));
        }
        if let Err(problem) = crate::content::permalink::Pattern::parse(&self.permalinks.articles) {
            return Err(at_key("permalinks.articles", format!("[permalinks] articles: {problem}"))
                .with_hint("e.g. articles = \"/:year/:month/:day/:slug/\" (tokens :year :month :day :slug :filename)"));
        }
        if self.per_page == 0 {
            return Err(at_key("per_page", "per_page must be at least 1".into()));
        }
        if jiff::tz::TimeZone::get(&self.timezone).is_err() {
            return Err(
                at_key("timezone", format!("unknown time zone `{}`", self.timezone)).with_hint(
                    "use an IANA name such as \"UTC\", \"Europe/Berlin\" or \"Asia/Shanghai\"",
                ),
            );
        }
        let mut seen = BTreeMap::new();
        for taxonomy in &self.taxonomies {
            let valid = !taxonomy.name.is_empty()
                && taxonomy.name.bytes().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
                });
            if !valid {
                return Err(at_key(
                    "taxonomies",
                    format!(
                        "taxonomy name `{}` is not a valid URL segment",
                        taxonomy.name
                    ),
                )
                .with_hint("use lowercase letters, digits, '-' and '_', e.g. \"companies\""));
            }
            if RESERVED_SEGMENTS.contains(&taxonomy.name.as_str()) {
                return Err(at_key(
                    "taxonomies",
                    format!(
                        "taxonomy name `{}` is reserved for digest's own pages",
                        taxonomy.name
                    ),
                ));
            }
            if seen.insert(taxonomy.name.clone(), ()).is_some() {
                return Err(at_key(
                    "taxonomies",
                    format!("taxonomy `{}` is declared twice", taxonomy.name),
                ));
            }
        }
        self.validate_languages(&at_key)?;
        if !self.entities.matrix.is_empty() && self.entities.matrix.len() != 2 {
            return Err(at_key(
                "entities.matrix",
                "`matrix` names two taxonomies: rows, then columns".into(),
            ));
        }
        Ok(())
    }

    /// `[languages]`: keys are URL segments apart from the default language and the site's
    /// own folders, tags are BCP 47; a missing tag is the key, a missing title the site's.
    fn validate_languages(
        &mut self,
        at_key: &dyn Fn(&str, String) -> Diagnostic,
    ) -> std::result::Result<(), Diagnostic> {
        let (title, description) = (self.title.clone(), self.description.clone());
        for (key, language) in &mut self.languages {
            let path = format!("languages.{key}");
            let segment = !key.is_empty()
                && key
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !segment {
                return Err(
                    at_key(&path, format!("language key `{key}` is not a URL segment"))
                        .with_hint("use lowercase letters, digits and '-', e.g. [languages.zh]"),
                );
            }
            if *key == self.language || key.eq_ignore_ascii_case(&self.language) {
                return Err(at_key(
                    &path,
                    format!("`{key}` is the site's default language already"),
                )
                .with_hint(
                    "[languages] lists the other languages; the default one is `language`",
                ));
            }
            if RESERVED_SEGMENTS.contains(&key.as_str())
                || self.taxonomies.iter().any(|t| t.name == *key)
            {
                return Err(at_key(
                    &path,
                    format!("language key `{key}` is a folder of the site's own pages"),
                ));
            }
            if language.tag.is_empty() {
                language.tag = key.clone();
            }
            if !crate::text::is_language_tag(&language.tag) {
                return Err(at_key(
                    &format!("{path}.tag"),
                    format!("tag `{}` is not a language tag", language.tag),
                )
                .with_hint("use a BCP 47 tag such as \"zh\", \"zh-Hans\" or \"fr-CA\""));
            }
            if language.per_page == Some(0) {
                return Err(at_key(
                    &format!("{path}.per_page"),
                    "per_page must be at least 1".into(),
                ));
            }
            if language.title.is_empty() {
                language.title = title.clone();
            }
            if language.description.is_empty() {
                language.description = description.clone();
            }
        }
        Ok(())
    }

    /// The configuration pages of the language `key` are rendered with: its title,
    /// description and page size, its tag as `language`, and its folder on base_url.
    pub fn for_language(&self, key: &str) -> Option<Config> {
        let language = self.languages.get(key)?;
        let mut config = self.clone();
        config.title = language.title.clone();
        config.description = language.description.clone();
        config.language = language.tag.clone();
        config.per_page = language.per_page.unwrap_or(self.per_page);
        config.base_url = format!("{}/{key}", self.base_url);
        config.language_key = Some(key.to_string());
        for (name, value) in &language.extra {
            config.extra.insert(name.clone(), value.clone());
        }
        config.localize(key);
        Some(config)
    }

    /// The key of this configuration's language: its `[languages]` key, else the primary
    /// subtag of `language` (`en`), which names its string table.
    pub fn key(&self) -> String {
        self.language_key
            .clone()
            .unwrap_or_else(|| crate::i18n::primary_language(&self.language))
    }

    /// The strings of the language `key`, and the taxonomy titles in it: a title from the
    /// site's own `i18n/<key>.toml` (`taxonomy_<name>`), else the one site.toml gives, else
    /// the language's built-in one.
    fn localize(&mut self, key: &str) {
        let own = self.site_strings.get(key);
        self.strings = crate::i18n::resolve(key, &self.language, own);
        for taxonomy in &mut self.taxonomies {
            let name = format!("taxonomy_{}", taxonomy.name);
            let ours = own.and_then(|o| o.get(&name));
            taxonomy.title = ours
                .or(taxonomy.given_title.as_ref())
                .or(self.strings.get(&name))
                .cloned()
                .unwrap_or_else(|| title_case(&taxonomy.name));
        }
    }

    /// base_url of the site's root, where static files live, for every language.
    pub fn root_base_url(&self) -> &str {
        match &self.language_key {
            Some(key) => self
                .base_url
                .strip_suffix(key.as_str())
                .and_then(|rest| rest.strip_suffix('/'))
                .unwrap_or(&self.base_url),
            None => &self.base_url,
        }
    }

    /// The path part of [`Config::root_base_url`].
    pub fn root_base_path(&self) -> &str {
        path_of(self.root_base_url())
    }

    /// The path part of base_url (`/digest`), empty at a domain root.
    pub fn base_path(&self) -> &str {
        path_of(&self.base_url)
    }

    /// The error of a build without a base URL: feeds, canonical links and sitemaps need it.
    pub fn require_base_url(&self) -> Result<()> {
        if !self.base_url.is_empty() {
            return Ok(());
        }
        Err(Error::Site(vec![
            Diagnostic::error(Code::ConfigError, CONFIG_FILE, "`base_url` is missing: feeds, canonical links and sitemaps need the address the site is published at")
                .at(1, 1)
                .with_hint("add a line such as base_url = \"https://example.com/\" to site.toml, or pass --base-url URL"),
        ]))
    }

    pub fn time_zone(&self) -> jiff::tz::TimeZone {
        jiff::tz::TimeZone::get(&self.timezone).unwrap_or(jiff::tz::TimeZone::UTC)
    }

    /// The declared taxonomies' names, in order.
    pub fn taxonomy_names(&self) -> Vec<String> {
        self.taxonomies.iter().map(|t| t.name.clone()).collect()
    }

    pub fn taxonomy(&self, name: &str) -> Option<&TaxonomyConfig> {
        self.taxonomies.iter().find(|t| t.name == name)
    }
}

/// The path part of a URL (`/digest`), empty at a domain root.
fn path_of(url: &str) -> &str {
    let after_scheme = url.split_once("://").map(|(_, rest)| rest).unwrap_or(url);
    after_scheme
        .find('/')
        .map(|i| &after_scheme[i..])
        .unwrap_or("")
}

/// What makes a base URL unusable: links are made by appending paths to it, so it must be a
/// bare http(s) address with an optional path.
fn check_base_url(base: &str) -> std::result::Result<(), &'static str> {
    let Some((scheme, rest)) = base.split_once("://") else {
        return Err("is not an http(s) URL");
    };
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return Err("is not an http(s) URL");
    }
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() {
        return Err("has no host name");
    }
    if host.contains('@') {
        return Err("carries a user name or password, which would be published in every feed");
    }
    if rest.contains('?') {
        return Err("has a query (`?…`): page paths are appended to it");
    }
    if rest.contains('#') {
        return Err("has a fragment (`#…`): page paths are appended to it");
    }
    if rest.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("has spaces or control characters; write them percent-encoded (%20)");
    }
    Ok(())
}

/// First-level URL segments digest writes itself; a taxonomy may not take one.
const RESERVED_SEGMENTS: &[&str] = &["articles", "editions", "page", "matrix"];

fn toml_diagnostic(text: &str, error: &toml::de::Error) -> Diagnostic {
    let (line, col) = error
        .span()
        .map(|span| line_col(text, span.start))
        .unwrap_or((0, 0));
    Diagnostic::error(
        Code::ParseError,
        CONFIG_FILE,
        error.message().trim().to_string(),
    )
    .at(line, col)
    .with_hint("see the site.toml reference in README.md")
}

/// Where `key` (dotted: `feeds.limit`) is written, as the TOML parser read it, so a problem
/// with a value can point at its line; (0, 0) when it is not written.
pub(crate) fn find_key(text: &str, key: &str) -> (usize, usize) {
    let Ok(document) = toml::de::DeTable::parse(text) else {
        return (0, 0);
    };
    let mut table = document.get_ref();
    let mut parts = key.split('.').peekable();
    while let Some(part) = parts.next() {
        let Some((name, value)) = table.get_key_value(part) else {
            return (0, 0);
        };
        if parts.peek().is_none() {
            return crate::text::line_col(text, name.span().start);
        }
        match value.get_ref() {
            toml::de::DeValue::Table(inner) => table = inner,
            _ => return (0, 0),
        }
    }
    (0, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_what_is_missing() {
        let (config, warnings) = Config::parse("title = \"T\"").unwrap();
        assert!(warnings.is_empty());
        assert_eq!(config.per_page, 10);
        assert_eq!(config.taxonomies.len(), 3);
        assert_eq!(config.taxonomies[0].title, "Companies");
    }

    #[test]
    fn base_url_keeps_its_path_without_trailing_slash() {
        let (config, _) = Config::parse("base_url = \"https://u.github.io/digest/\"").unwrap();
        assert_eq!(config.base_url, "https://u.github.io/digest");
        assert_eq!(config.base_path(), "/digest");
        let (config, _) = Config::parse("base_url = \"https://example.com\"").unwrap();
        assert_eq!(config.base_path(), "");
    }

    #[test]
    fn taxonomies_as_names_or_tables() {
        let (config, _) = Config::parse(
            "taxonomies = [\"companies\", { name = \"people\", title = \"People\", feed = false }]",
        )
        .unwrap();
        assert_eq!(config.taxonomies[1].name, "people");
        assert!(!config.taxonomies[1].feed);
    }

    #[test]
    fn unknown_keys_warn_with_suggestion() {
        let (_, warnings) =
            Config::parse("title = \"x\"\nper_pag = 3\n[feeds]\nlimt = 3\n").unwrap();
        assert_eq!(warnings.len(), 2);
        assert_eq!(warnings[0].line, 2);
        assert_eq!(
            warnings[0].hint.as_deref(),
            Some("did you mean `per_page`?")
        );
        assert_eq!(
            warnings[1].hint.as_deref(),
            Some("did you mean `feeds.limit`?")
        );
    }

    #[test]
    fn syntax_error_is_positioned() {
        let err = Config::parse("title = \"x\"\nper_page = = 3\n").unwrap_err();
        assert_eq!(err.line, 2);
    }

    #[test]
    fn bad_values_are_errors() {
        assert!(Config::parse("base_url = \"example.com\"").is_err());
        for bad in [
            "https://example.org/sub?x=1",
            "https://example.org/#top",
            "https://user:secret@example.org/",
            "https://example.org/my site",
            "ftp://example.org/",
            "https://",
        ] {
            let error = Config::parse(&format!("base_url = {bad:?}")).unwrap_err();
            assert_eq!(error.line, 1, "{bad}");
        }
        assert!(Config::parse("[feeds]\nlimit = 0").is_err());
        let error = Config::parse("language = \"english\"").unwrap_err();
        assert_eq!(
            error.hint.as_deref(),
            Some("did you mean language = \"en\"?")
        );
        assert!(Config::parse("[permalinks]\narticles = \"/:yaer/:slug/\"").is_err());
        assert!(
            Config::parse("[permalinks]\narticles = \"/:year/:month/:day/:slug.html\"").is_ok()
        );
        assert!(Config::parse("timezone = \"Mars/Olympus\"").is_err());
        assert!(Config::parse("taxonomies = [\"../x\"]").is_err());
        assert!(Config::parse("taxonomies = [\"articles\"]").is_err());
        assert!(Config::parse("edition = \"daily\"").is_err());
        assert!(Config::parse("language = \"en><script>\"").is_err());
        assert!(Config::parse("language = \"zh-Hans\"").is_ok());
    }

    #[test]
    fn languages_default_and_validate() {
        let (config, warnings) = Config::parse(
            "title = \"T\"\nbase_url = \"https://e.com/d\"\n[languages.zh]\ntag = \"zh-Hans\"\ntitle = \"文摘\"\n[languages.fr]\n",
        )
        .unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(config.languages["zh"].tag, "zh-Hans");
        // A missing tag is the key, a missing title the site's.
        assert_eq!(config.languages["fr"].tag, "fr");
        assert_eq!(config.languages["fr"].title, "T");
        let zh = config.for_language("zh").unwrap();
        assert_eq!(zh.base_path(), "/d/zh");
        assert_eq!(zh.root_base_path(), "/d");
        assert_eq!(zh.language, "zh-Hans");
        assert_eq!(zh.taxonomies[0].title, "公司");

        for (text, message) in [
            ("[languages.en]\n", "default language"),
            ("[languages.ZH]\n", "not a URL segment"),
            ("[languages.tags]\n", "folder of the site's own pages"),
            (
                "[languages.zh]\ntag = \"chinese simplified\"\n",
                "not a language tag",
            ),
            ("[languages.zh]\nper_page = 0\n", "at least 1"),
        ] {
            let error = Config::parse(text).unwrap_err();
            assert!(error.message.contains(message), "{text}: {}", error.message);
            assert!(error.line > 0, "{text}: positioned");
        }
        let (_, warnings) = Config::parse("[languages.zh]\ntitel = \"x\"\n").unwrap();
        assert_eq!(warnings[0].hint.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn each_language_has_its_strings_extra_and_taxonomy_titles() {
        let site = tempfile::tempdir().unwrap();
        std::fs::write(
            site.path().join(CONFIG_FILE),
            concat!(
                "title = \"T\"\nlanguage = \"zh-Hans\"\n",
                "taxonomies = [\"companies\", { name = \"topics\", title = \"Topics\" }, \"tags\"]\n",
                "[extra]\nfooter = \"页脚\"\nother = 1\n",
                "[languages.en]\n[languages.en.extra]\nfooter = \"Footer\"\n",
            ),
        )
        .unwrap();
        std::fs::create_dir(site.path().join("i18n")).unwrap();
        std::fs::write(
            site.path().join("i18n/en.toml"),
            "taxonomy_topics = \"Themes\"\nhome = \"Front page\"\n",
        )
        .unwrap();
        let (config, warnings) = Config::load(site.path()).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        // The default language is Chinese: its strings and titles, site.toml's own title kept.
        assert_eq!(config.strings["home"], "首页");
        let titles =
            |c: &Config| -> Vec<String> { c.taxonomies.iter().map(|t| t.title.clone()).collect() };
        assert_eq!(titles(&config), ["公司", "Topics", "标签"]);
        // English: the built-in titles, the site's own table over site.toml, its own footer.
        let en = config.for_language("en").unwrap();
        assert_eq!(en.strings["home"], "Front page");
        assert_eq!(en.strings["older"], "Older");
        assert_eq!(titles(&en), ["Companies", "Themes", "Tags"]);
        assert_eq!(en.extra["footer"].as_str(), Some("Footer"));
        assert_eq!(en.extra["other"].as_integer(), Some(1));
        assert_eq!(config.extra["footer"].as_str(), Some("页脚"));
        // A table that is not strings is an error naming its file.
        std::fs::write(site.path().join("i18n/en.toml"), "home = 1\n").unwrap();
        let Err(Error::Site(diags)) = Config::load(site.path()) else {
            panic!("a number is not a string");
        };
        assert_eq!(diags[0].path, Path::new("i18n/en.toml"));
    }
}
