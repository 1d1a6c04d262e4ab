//! Small text helpers shared across stages: positions, suggestions, escaping.

/// 1-based line and column (in characters) of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let col = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, col)
}

/// The closest candidate to `word`, when one is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Escapes text for HTML element content and double- or single-quoted attributes.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    push_escaped_html(&mut out, text);
    out
}

pub fn push_escaped_html(out: &mut String, text: &str) {
    push_escaped(out, text, |b| match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        b'\'' => Some("&#39;"),
        _ => None,
    });
}

/// Escapes text for XML content and attributes, dropping control characters XML 1.0 cannot carry.
pub fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    push_escaped(&mut out, text, |b| match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        b'\'' => Some("&apos;"),
        b'\t' | b'\n' | b'\r' => None,
        0..0x20 => Some(""),
        _ => None,
    });
    if out.contains(['\u{FFFE}', '\u{FFFF}']) {
        out.retain(|c| c != '\u{FFFE}' && c != '\u{FFFF}');
    }
    out
}

/// Copies runs of bytes that need no escaping in one go: escaping whole articles is a hot path
/// (feeds carry full content). Only ASCII bytes are ever replaced, so UTF-8 stays intact.
fn push_escaped(out: &mut String, text: &str, replacement: impl Fn(u8) -> Option<&'static str>) {
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b < 0x80
            && let Some(rep) = replacement(b)
        {
            out.push_str(&text[start..i]);
            out.push_str(rep);
            start = i + 1;
        }
    }
    out.push_str(&text[start..]);
}

/// A BCP 47 language tag in shape: a 2–3 letter language (or a registered 5–8 letter one is
/// rejected as more likely a word: `english`), then `-`-separated subtags of 1–8 letters or
/// digits (`en`, `zh-Hans`, `pt-BR`, `sr-Latn-RS`). It lands in `lang` attributes and feeds, so
/// anything else is a mistake.
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The tag for a language written as its English name ("English", "Chinese"), for hints.
pub fn language_tag_for(name: &str) -> Option<&'static str> {
    const NAMES: &[(&str, &str)] = &[
        ("english", "en"),
        ("chinese", "zh"),
        ("mandarin", "zh"),
        ("japanese", "ja"),
        ("korean", "ko"),
        ("german", "de"),
        ("french", "fr"),
        ("spanish", "es"),
        ("portuguese", "pt"),
        ("italian", "it"),
        ("russian", "ru"),
        ("arabic", "ar"),
        ("hindi", "hi"),
        ("dutch", "nl"),
    ];
    let lower = name.trim().to_ascii_lowercase();
    NAMES.iter().find(|(n, _)| *n == lower).map(|(_, tag)| *tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let text = "ab\ncdé\nf";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, 7), (2, 4));
        assert_eq!(line_col(text, 100), (3, 2));
    }

    #[test]
    fn suggestions_only_when_close() {
        let keys = ["title", "per_page", "timezone"];
        assert_eq!(did_you_mean("titel", keys), Some("title"));
        assert_eq!(did_you_mean("zzz", keys), None);
    }

    #[test]
    fn escaping() {
        assert_eq!(
            escape_html(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(escape_xml("a\u{1}]]>"), "a]]&gt;");
    }
}
