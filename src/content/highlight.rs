//! Fenced code to HTML with CSS classes (syntect, with bat's newer grammars from two-face).
//!
//! Classes rather than inline colours let one page follow the reader's light or dark scheme:
//! `highlight.css` carries both themes. Blocks are focusable (`tabindex="0"`) because they
//! scroll sideways, and keyboard users must be able to scroll them.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, LazyLock, Mutex, RwLock};

use syntect::highlighting::Theme;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use crate::text::escape_html;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Loaded on first use, so a site without code never pays for it.
static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(two_face::syntax::extra_newlines);

/// Languages that mean "no highlighting" rather than "unknown".
const PLAIN: &[&str] = &["", "text", "txt", "plain", "plaintext", "none"];

/// Fence names the grammars do not know, and the grammar that reads them: `shell` and
/// `console` (a session with prompts) are common names for shell code.
const ALIASES: &[(&str, &str)] = &[
    ("shell", "bash"),
    ("console", "bash"),
    ("shell-session", "bash"),
    ("shellsession", "bash"),
    ("terminal", "bash"),
];

/// What came out of highlighting one block.
pub struct Highlighted {
    pub html: String,
    /// Set when the language was not recognised and the block was left plain.
    pub unknown_language: Option<String>,
}

/// Highlights `code` written in `lang` (the first word of the fence's info string).
pub fn highlight(code: &str, lang: &str, enabled: bool) -> Highlighted {
    let lang = lang.split([',', ' ', '{']).next().unwrap_or("").trim();
    let lang_attr = if lang.is_empty() {
        String::new()
    } else {
        format!(" data-lang=\"{}\"", escape_html(lang))
    };
    let plain = |unknown_language| Highlighted {
        html: format!(
            "<pre class=\"code\" tabindex=\"0\"{lang_attr}><code>{}</code></pre>\n",
            escape_html(code)
        ),
        unknown_language,
    };
    if !enabled || PLAIN.contains(&lang.to_ascii_lowercase().as_str()) {
        return plain(None);
    }
    let syntaxes = &*SYNTAXES;
    let lower = lang.to_ascii_lowercase();
    let token = ALIASES
        .iter()
        .find(|(alias, _)| *alias == lower)
        .map_or(lang, |(_, grammar)| grammar);
    let Some(syntax) = syntaxes
        .find_syntax_by_token(token)
        .or_else(|| syntaxes.find_syntax_by_name(lang))
    else {
        return plain(Some(lang.to_string()));
    };
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        if generator
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return plain(None);
        }
    }
    Highlighted {
        html: format!(
            "<pre class=\"code\" tabindex=\"0\"{lang_attr}><code>{}</code></pre>\n",
            generator.finalize()
        ),
        unknown_language: None,
    }
}

/// Highlighted blocks from earlier builds, keyed by a hash of their language and code, kept in
/// the site's `.digest-cache/`. syntect is the slowest part of rendering Markdown; most code
/// blocks do not change between builds. The file is tied to digest's version, so a new
/// version (new grammars or markup) starts afresh, and deleting it only costs time.
#[derive(Default)]
pub struct HighlightCache {
    entries: RwLock<HashMap<u64, Arc<str>>>,
    /// Keys used by this build: only those are saved, so the file does not grow forever.
    used: Mutex<HashSet<u64>>,
    changed: AtomicBool,
}

const CACHE_HEADER: &str = concat!("digest-highlight-cache 1 ", env!("CARGO_PKG_VERSION"), "\n");

impl HighlightCache {
    /// Reads the cache file; a missing, foreign or damaged file gives an empty cache.
    pub fn load(path: &Path) -> Self {
        let cache = HighlightCache::default();
        let Ok(bytes) = crate::fs::read(path) else {
            return cache;
        };
        let Some(mut rest) = bytes.strip_prefix(CACHE_HEADER.as_bytes()) else {
            return cache;
        };
        let mut entries = HashMap::new();
        while rest.len() >= 12 {
            let key = u64::from_le_bytes(rest[..8].try_into().unwrap_or_default());
            let len = u32::from_le_bytes(rest[8..12].try_into().unwrap_or_default()) as usize;
            let Some(html) = rest
                .get(12..12 + len)
                .and_then(|b| std::str::from_utf8(b).ok())
            else {
                return HighlightCache::default();
            };
            entries.insert(key, Arc::from(html));
            rest = &rest[12 + len..];
        }
        *cache.entries.write().unwrap_or_else(|e| e.into_inner()) = entries;
        cache
    }

    /// Writes the blocks this build used, when anything changed.
    pub fn save(&self, path: &Path) -> crate::Result<()> {
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        let used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        if !self.changed.load(Ordering::Relaxed) && used.len() == entries.len() {
            return Ok(());
        }
        let mut out = Vec::with_capacity(CACHE_HEADER.len() + used.len() * 512);
        out.extend_from_slice(CACHE_HEADER.as_bytes());
        let mut keys: Vec<&u64> = used.iter().collect();
        keys.sort();
        for key in keys {
            if let Some(html) = entries.get(key) {
                out.extend_from_slice(&key.to_le_bytes());
                out.extend_from_slice(&(html.len() as u32).to_le_bytes());
                out.extend_from_slice(html.as_bytes());
            }
        }
        crate::fs::write_atomic(path, out)
    }

    /// [`highlight`], reusing an earlier build's result for the same language and code.
    pub fn highlight(&self, code: &str, lang: &str, enabled: bool) -> Highlighted {
        if !enabled {
            return highlight(code, lang, enabled);
        }
        let mut hasher = std::hash::DefaultHasher::new();
        (lang, code).hash(&mut hasher);
        let key = hasher.finish();
        self.used
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key);
        if let Some(html) = self
            .entries
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
        {
            return Highlighted {
                html: html.to_string(),
                unknown_language: None,
            };
        }
        let highlighted = highlight(code, lang, enabled);
        if highlighted.unknown_language.is_none() {
            self.entries
                .write()
                .unwrap_or_else(|e| e.into_inner())
                .insert(key, Arc::from(highlighted.html.as_str()));
            self.changed.store(true, Ordering::Relaxed);
        }
        highlighted
    }
}

/// The stylesheet for highlighted code: a light theme, and a dark one for readers who prefer it.
pub fn stylesheet() -> String {
    use two_face::theme::EmbeddedThemeName;
    let themes = two_face::theme::extra();
    let light = theme_css(themes.get(EmbeddedThemeName::ColdarkCold));
    let dark = theme_css(themes.get(EmbeddedThemeName::CatppuccinMocha));
    // Each theme sits in its own media query, so a rule of one never leaks into the other
    // (a more specific light selector would otherwise win over the dark theme's rule).
    let mut css = String::from(
        "/* Generated by digest from syntect themes: Coldark-Cold (light), Catppuccin Mocha (dark). */\n",
    );
    css.push_str("@media not all and (prefers-color-scheme: dark) {\n");
    css.push_str(&light);
    css.push_str("}\n@media (prefers-color-scheme: dark) {\n");
    css.push_str(&dark);
    css.push_str("}\n");
    css
}

fn theme_css(theme: &Theme) -> String {
    css_for_theme_with_class_style(theme, CLASS_STYLE)
        .expect("the embedded themes convert to CSS (tested)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_languages_get_classes() {
        for lang in [
            "rust",
            "toml",
            "typescript",
            "Dockerfile",
            "python",
            "rust,ignore",
        ] {
            let out = highlight("let x = 1;\n", lang, true);
            assert!(out.unknown_language.is_none(), "{lang}");
            assert!(out.html.contains("class=\"hl-"), "{lang}: {}", out.html);
        }
    }

    #[test]
    fn shell_and_console_fences_are_shell() {
        for lang in ["shell", "console", "Shell"] {
            let out = highlight("$ ls -la | grep x\n", lang, true);
            assert!(out.unknown_language.is_none(), "{lang}");
            assert!(out.html.contains("class=\"hl-"), "{lang}: {}", out.html);
            assert!(out.html.contains(&format!("data-lang=\"{lang}\"")));
        }
    }

    #[test]
    fn unknown_language_is_plain_and_escaped() {
        let out = highlight("<script>alert(1)</script>\n", "klingon", true);
        assert_eq!(out.unknown_language.as_deref(), Some("klingon"));
        assert!(out.html.contains("&lt;script&gt;"));
        assert!(!out.html.contains("<script>"));
    }

    #[test]
    fn plain_text_is_not_a_warning() {
        let out = highlight("a < b\n", "text", true);
        assert!(out.unknown_language.is_none());
        assert!(out.html.contains("a &lt; b"));
    }

    #[test]
    fn cache_round_trips_and_keeps_only_used_blocks() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache/highlight.bin");
        let cache = HighlightCache::default();
        let first = cache.highlight("fn a() {}\n", "rust", true);
        cache.highlight("x = 1\n", "python", true);
        cache.highlight("???\n", "klingon", true);
        cache.save(&path).unwrap();

        let cache = HighlightCache::load(&path);
        assert_eq!(cache.entries.read().unwrap().len(), 2);
        assert_eq!(
            cache.highlight("fn a() {}\n", "rust", true).html,
            first.html
        );
        cache.save(&path).unwrap();
        assert_eq!(HighlightCache::load(&path).entries.read().unwrap().len(), 1);

        std::fs::write(&path, b"garbage").unwrap();
        assert!(
            HighlightCache::load(&path)
                .entries
                .read()
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn stylesheet_has_both_schemes() {
        let css = stylesheet();
        assert!(css.contains(".hl-"));
        assert!(css.contains("prefers-color-scheme: dark"));
    }
}
