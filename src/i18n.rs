//! Languages of a site: which language a file is in (`x.zh.md`), the built-in theme's strings
//! per language (i18n/en.toml, i18n/zh.toml, overridable by a site's own i18n/<key>.toml), and
//! cutting text where a language allows it.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

use crate::content::markdown::is_cjk;
use crate::error::{Code, Diagnostic, Error, Result};

pub use crate::layout::I18N_DIR;

const BUILTIN: &[(&str, &str)] = &[
    ("en", include_str!("../i18n/en.toml")),
    ("zh", include_str!("../i18n/zh.toml")),
];

/// The built-in tables, parsed once.
static BUILTIN_TABLES: LazyLock<Vec<(&'static str, Strings)>> = LazyLock::new(|| {
    BUILTIN
        .iter()
        .map(|(name, text)| (*name, parse(text, name).unwrap_or_default()))
        .collect()
});

/// A language's strings by name, as templates read them (`t.home`).
pub type Strings = BTreeMap<String, String>;

/// The name of an article file without its language, and the language key: `x.zh` is `x` in
/// `zh` when `zh` is one of `keys`; anything else is in the default language.
pub fn split_language<'a>(stem: &'a str, keys: &[String]) -> (&'a str, Option<&'a str>) {
    match stem.rsplit_once('.') {
        Some((name, key)) if !name.is_empty() && keys.iter().any(|k| k == key) => (name, Some(key)),
        _ => (stem, None),
    }
}

/// The strings for the language `key` (tag `tag`): English first, then the built-in table of
/// the key or of the tag's primary language, then the site's own table (`own`, from
/// `i18n/<key>.toml`) over them, so that a table missing a string falls back to English
/// rather than to nothing.
pub fn resolve(key: &str, tag: &str, own: Option<&Strings>) -> Strings {
    let primary = primary_language(tag);
    let mut strings = Strings::new();
    for (name, table) in BUILTIN_TABLES.iter() {
        if *name == "en" || *name == key || *name == primary {
            strings.extend(table.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
    }
    if let Some(own) = own {
        strings.extend(own.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    strings
}

/// The primary language subtag of `tag`, lowercased: `zh` of `zh-Hans`.
pub fn primary_language(tag: &str) -> String {
    tag.split('-').next().unwrap_or(tag).to_ascii_lowercase()
}

/// The site's own string tables under `root` (`i18n/<key>.toml`) of the languages `keys`,
/// by key; a language without a file has none.
pub fn site_tables<'k>(
    root: &Path,
    keys: impl IntoIterator<Item = &'k str>,
) -> Result<BTreeMap<String, Strings>> {
    let mut tables = BTreeMap::new();
    for key in keys {
        let own = root.join(I18N_DIR).join(format!("{key}.toml"));
        if own.is_file() {
            let text = crate::fs::read_to_string(&own)?;
            let shown = format!("{I18N_DIR}/{key}.toml");
            let table = parse(&text, &shown).map_err(|d| Error::Site(vec![d]))?;
            tables.insert(key.to_string(), table);
        }
    }
    Ok(tables)
}

/// One string table: a flat TOML table of strings.
fn parse(text: &str, path: &str) -> std::result::Result<Strings, Diagnostic> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        let (line, col) = e
            .span()
            .map(|s| crate::text::line_col(text, s.start))
            .unwrap_or((0, 0));
        Diagnostic::error(Code::ParseError, path, e.message().to_string()).at(line, col)
    })?;
    let mut strings = Strings::new();
    for (name, value) in table {
        let toml::Value::String(value) = value else {
            let (line, col) = crate::config::find_key(text, &name);
            return Err(Diagnostic::error(
                Code::InvalidValue,
                path,
                format!("`{name}` is not a string"),
            )
            .at(line, col)
            .with_hint(format!("write it as {name} = \"…\"")));
        };
        strings.insert(name, value);
    }
    Ok(strings)
}

/// `template` with each `{name}` replaced by its value.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// The string `name` of a table, filled in; its name when the table lacks it.
pub fn say(strings: &Strings, name: &str, values: &[(&str, &str)]) -> String {
    fill(strings.get(name).map_or(name, String::as_str), values)
}

/// "1 story", "3 stories", in the language of `strings`.
pub fn stories(strings: &Strings, count: usize) -> String {
    if count == 1 {
        say(strings, "story", &[])
    } else {
        say(strings, "stories", &[("count", &count.to_string())])
    }
}

/// `text` cut to about `limit` words with an ellipsis: at a space in text with spaces, and
/// after any character in Chinese, Japanese and Korean, where each character counts as a word
/// (the rule reading time uses).
pub fn cut(text: &str, limit: usize) -> String {
    let text = text.trim();
    let mut words = 0;
    let mut in_word = false;
    for (i, c) in text.char_indices() {
        if is_cjk(c) {
            if words >= limit {
                return format!("{}…", text[..i].trim_end());
            }
            words += 1;
            in_word = false;
        } else if c.is_whitespace() {
            in_word = false;
        } else if !in_word {
            if words >= limit {
                return format!("{}…", text[..i].trim_end());
            }
            words += 1;
            in_word = true;
        }
    }
    text.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_say_their_language() {
        let keys = vec!["zh".to_string()];
        assert_eq!(split_language("x.zh", &keys), ("x", Some("zh")));
        assert_eq!(
            split_language("2023-09-15-alibaba.zh", &keys),
            ("2023-09-15-alibaba", Some("zh"))
        );
        assert_eq!(split_language("x", &keys), ("x", None));
        // Only declared languages count: a dot in a name is not a language.
        assert_eq!(split_language("node.js", &keys), ("node.js", None));
        assert_eq!(split_language("x.fr", &keys), ("x.fr", None));
        assert_eq!(split_language(".zh", &keys), (".zh", None));
    }

    #[test]
    fn string_tables_fall_back_to_english_and_site_overrides() {
        let site = tempfile::tempdir().unwrap();
        let strings = |key: &str, tag: &str| -> Result<Strings> {
            let tables = site_tables(site.path(), [key])?;
            Ok(resolve(key, tag, tables.get(key)))
        };
        let zh = strings("zh", "zh-Hans").unwrap();
        assert_eq!(zh["home"], "首页");
        // A key of another name finds the table of its tag's language.
        assert_eq!(strings("cn", "zh-Hans").unwrap()["home"], "首页");
        let en = strings("en", "en").unwrap();
        assert_eq!(en["home"], "Home");
        // Every built-in string exists in both languages.
        assert_eq!(en.keys().collect::<Vec<_>>(), zh.keys().collect::<Vec<_>>());
        std::fs::create_dir(site.path().join(I18N_DIR)).unwrap();
        std::fs::write(site.path().join("i18n/zh.toml"), "home = \"主页\"\n").unwrap();
        std::fs::write(site.path().join("i18n/fr.toml"), "home = \"Accueil\"\n").unwrap();
        assert_eq!(strings("zh", "zh").unwrap()["home"], "主页");
        let fr = strings("fr", "fr").unwrap();
        assert_eq!(fr["home"], "Accueil");
        assert_eq!(fr["older"], "Older");
        std::fs::write(site.path().join("i18n/fr.toml"), "home = 3\n").unwrap();
        let Err(Error::Site(diags)) = strings("fr", "fr") else {
            panic!("a number is not a string");
        };
        assert_eq!(diags[0].path, Path::new("i18n/fr.toml"));
        assert_eq!(diags[0].line, 1);
        assert_eq!(say(&fr, "stories", &[("count", "3")]), "3 stories");
        assert_eq!(stories(&zh, 1), "1 篇报道");
        assert_eq!(stories(&fr, 2), "2 stories");
    }

    #[test]
    fn chinese_is_cut_by_characters_english_by_words() {
        assert_eq!(cut("one two three four", 2), "one two…");
        assert_eq!(cut("one two", 2), "one two");
        assert_eq!(cut("阿里巴巴开放了通义千问", 4), "阿里巴巴…");
        assert_eq!(cut("阿里巴巴 AI 模型", 5), "阿里巴巴 AI…");
        assert_eq!(cut("短", 4), "短");
    }
}
