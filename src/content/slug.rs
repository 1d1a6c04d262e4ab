//! Slugs for URLs and the key that decides when two term spellings are one term.

/// Slugs longer than this are cut at the last word boundary before it: long headlines (a
/// 50-character Chinese headline is ~220 characters of pinyin) make unreadable URLs, and file
/// names past the file system's limit (255 bytes) cannot be written at all.
pub const MAX_SLUG_LEN: usize = 80;

/// Lowercase ASCII words joined by `-`, at most [`MAX_SLUG_LEN`] characters; other scripts are
/// transliterated ("阿里巴巴" → "a-li-ba-ba").
pub fn slugify(text: &str) -> String {
    cap(slugify_whole(text))
}

/// [`slugify`] without the length cap: for ASCII file names, which name their page as written
/// (as in Hugo and Zola), so that `long-title.md` and `long-title-2.md` stay two pages.
pub fn slugify_whole(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut slug = String::with_capacity(ascii.len());
    let mut pending_dash = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.push(c.to_ascii_lowercase());
        } else {
            pending_dash = true;
        }
    }
    slug
}

/// Cuts a slug to [`MAX_SLUG_LEN`] at a `-`, or inside a word when one word is longer.
fn cap(mut slug: String) -> String {
    if slug.len() <= MAX_SLUG_LEN {
        return slug;
    }
    // The slug is ASCII, so every byte index is a char boundary.
    let cut = match slug[..=MAX_SLUG_LEN].rfind('-') {
        Some(i) if i > 0 => i,
        _ => MAX_SLUG_LEN,
    };
    slug.truncate(cut);
    slug
}

/// Whether `text` transliterates into a slug a reader can use. Japanese does not: its kanji
/// would be read as Chinese ("東京でソニーが…" → "dong-jing-desonigaxin…"), so any kana says
/// the text is Japanese. Nor does a text whose letters mostly have no transliteration.
pub fn transliterates_well(text: &str) -> bool {
    let is_kana = |c: char| matches!(c, '\u{3040}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}' | '\u{FF66}'..='\u{FF9F}');
    if text.chars().any(is_kana) {
        return false;
    }
    let letters = text.chars().filter(|c| c.is_alphanumeric()).count();
    let lost = text
        .chars()
        .filter(|c| c.is_alphanumeric() && !c.is_ascii())
        .filter(|&c| {
            deunicode::deunicode_char(c)
                .is_none_or(|t| !t.bytes().any(|b| b.is_ascii_alphanumeric()))
        })
        .count();
    lost * 2 <= letters
}

/// The slug used when `text` does not transliterate well: the date and a short hash of the
/// text (`2024-05-01-3f9a0c2e`), stable as long as the text is.
pub fn fallback_slug(date: jiff::civil::Date, text: &str) -> String {
    let hash = xxhash_rust::xxh3::xxh3_64(text.as_bytes());
    format!("{date}-{:08x}", hash >> 32)
}

/// The slug of a title or file stem: [`slugify`], or [`fallback_slug`] when the text does not
/// transliterate well; `true` with the fallback, so callers can say so.
pub fn article_slug(date: jiff::civil::Date, text: &str) -> (String, bool) {
    if transliterates_well(text) {
        let slug = slugify(text);
        if !slug.is_empty() {
            return (slug, false);
        }
    }
    if text.chars().any(char::is_alphanumeric) {
        (fallback_slug(date, text), true)
    } else {
        (String::new(), false)
    }
}

/// Symbols that tell terms apart ("C++", "C#", "C") and so are spelled out in term slugs.
/// `#` only after a letter or digit ("C#", "F#"; "#1" is a number sign).
pub const SLUG_SYMBOLS: &[(char, &str)] = &[('+', "plus"), ('#', "sharp")];

/// The URL slug of a term name: [`slugify`] with [`SLUG_SYMBOLS`] spelled out, so "C++",
/// "C#" and "C" get `c-plus-plus`, `c-sharp` and `c`.
pub fn term_slug(name: &str) -> String {
    let mut words = String::with_capacity(name.len() + 8);
    let mut previous: Option<char> = None;
    for c in name.chars() {
        let spelled = SLUG_SYMBOLS
            .iter()
            .find(|(s, _)| *s == c)
            .and_then(|(s, word)| {
                (*s != '#' || previous.is_some_and(|p| p.is_alphanumeric() || p == '+'))
                    .then_some(*word)
            });
        match spelled {
            Some(word) => {
                words.push(' ');
                words.push_str(word);
                words.push(' ');
            }
            None => words.push(c),
        }
        previous = Some(c);
    }
    slugify(&words)
}

/// Whether a file stem starts with `YYYY-MM-DD-` and more.
fn is_dated(stem: &str) -> bool {
    let bytes = stem.as_bytes();
    bytes.len() > 11
        && bytes[..10].iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
        && bytes[10] == b'-'
}

/// The slug an article gets from its file name: the stem without a leading `YYYY-MM-DD-`.
pub fn slug_from_file_stem(stem: &str) -> String {
    slugify(stem_without_date(stem))
}

/// A file stem without its leading `YYYY-MM-DD-`.
pub fn stem_without_date(stem: &str) -> &str {
    if is_dated(stem) { &stem[11..] } else { stem }
}

/// The date at the start of a file name (`2013-06-07-this-week-in-rust`), as midnight in `tz`.
pub fn date_of_file_stem(stem: &str, tz: &jiff::tz::TimeZone) -> Option<jiff::ZonedDateTime> {
    if !is_dated(stem) {
        return None;
    }
    let date: jiff::civil::Date = stem[..10].parse().ok()?;
    date.to_zoned_datetime(tz.clone()).ok()
}

/// Term names with the same key are one term: "OpenAI", "Open AI", "openai" and "Open-AI" all
/// give "openai". The key is the name case-folded (Unicode: "ß" is "ss"; accents on Latin
/// letters folded too, so "Telefonica" is "Telefónica"), without spaces, hyphens, underscores
/// and dots; every other character counts, so "C++", "C#" and "C" are three terms, and names
/// in different scripts ("阿里巴巴", "Alibaba") meet only through a profile's aliases. Empty for
/// a name without a letter or digit, which is no term.
pub fn term_key(name: &str) -> String {
    if !name.chars().any(char::is_alphanumeric) {
        return String::new();
    }
    let mut key = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_whitespace() || matches!(c, '-' | '_' | '.' | '\u{00AD}' | '\u{2010}' | '\u{2011}')
        {
            continue;
        }
        // An accented Latin letter: its base letters.
        if is_latin_letter(c)
            && let Some(base) = deunicode::deunicode_char(c)
            && !base.is_empty()
            && base.bytes().all(|b| b.is_ascii_alphabetic())
        {
            key.extend(base.chars().map(|b| b.to_ascii_lowercase()));
            continue;
        }
        // Upper then lower case is full case folding for every script we meet: "ß" → "SS" →
        // "ss", final "ς" → "Σ" → "σ".
        // Combining accents (a decomposed "é", the dot "İ" lowercases to) are dropped.
        key.extend(
            c.to_uppercase()
                .flat_map(char::to_lowercase)
                .filter(|c| !('\u{0300}'..='\u{036F}').contains(c)),
        );
    }
    key
}

/// Latin letters beyond ASCII: Latin-1, Latin Extended-A and -B, Latin Extended Additional.
fn is_latin_letter(c: char) -> bool {
    matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}') && c.is_alphabetic()
}

/// A slug written in front matter is used as written, so it must be a safe single URL segment.
pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && !slug.starts_with(['-', '.'])
        && slug.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_' || b == b'.'
        })
        && !slug.contains("..")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_cases() {
        for (input, expected) in [
            (
                "Alibaba launches its ChatGPT-like AI model",
                "alibaba-launches-its-chatgpt-like-ai-model",
            ),
            ("阿里巴巴", "a-li-ba-ba"),
            ("Telefónica & AT&T", "telefonica-at-t"),
            ("  --Hello--  ", "hello"),
            ("C++", "c"),
            ("!!!", ""),
        ] {
            assert_eq!(slugify(input), expected, "{input}");
        }
    }

    #[test]
    fn file_stems() {
        assert_eq!(
            slug_from_file_stem("2023-09-15-alibaba-tongyi-qianwen"),
            "alibaba-tongyi-qianwen"
        );
        assert_eq!(slug_from_file_stem("2023-09-15"), "2023-09-15");
        assert_eq!(slug_from_file_stem("Notes on AI"), "notes-on-ai");
    }

    #[test]
    fn dates_in_file_names() {
        let utc = jiff::tz::TimeZone::UTC;
        assert_eq!(
            date_of_file_stem("2013-06-07-this-week-in-rust", &utc).map(|d| d.date()),
            Some(jiff::civil::date(2013, 6, 7))
        );
        assert_eq!(date_of_file_stem("2013-13-07-x", &utc), None);
        assert_eq!(date_of_file_stem("notes", &utc), None);
        assert_eq!(date_of_file_stem("2013-06-07", &utc), None);
    }

    #[test]
    fn term_keys_merge_spellings() {
        assert_eq!(term_key("OpenAI"), term_key("Open AI"));
        assert_eq!(term_key("openai"), "openai");
        assert_eq!(term_key("Tik-Tok"), "tiktok");
        assert_eq!(term_key("open_ai."), "openai");
        assert_eq!(term_key("STRASSE"), term_key("Straße"));
        assert_eq!(term_key("Telefónica"), "telefonica");
        assert_eq!(term_key("Telefo\u{301}nica"), "telefonica");
        assert_eq!(term_key("—"), "");
        assert_eq!(term_key("+++"), "");
        assert_eq!(term_key("İstanbul"), term_key("Istanbul"));
    }

    #[test]
    fn term_keys_keep_symbols_and_scripts_apart() {
        let keys = [term_key("C++"), term_key("C#"), term_key("C")];
        assert_ne!(keys[0], keys[1]);
        assert_ne!(keys[1], keys[2]);
        assert_ne!(keys[0], keys[2]);
        assert_ne!(term_key("阿里巴巴"), term_key("A Li Ba Ba"));
    }

    #[test]
    fn term_slugs_spell_symbols_out() {
        assert_eq!(term_slug("C++"), "c-plus-plus");
        assert_eq!(term_slug("C#"), "c-sharp");
        assert_eq!(term_slug("C"), "c");
        assert_eq!(term_slug("Disney+"), "disney-plus");
        assert_eq!(term_slug("#1 Fan"), "1-fan");
        assert_eq!(term_slug("OpenAI"), "openai");
    }

    #[test]
    fn long_slugs_are_cut_at_a_word() {
        let title = "word ".repeat(96);
        let slug = slugify(&title);
        assert!(slug.len() <= MAX_SLUG_LEN, "{slug}");
        assert!(slug.ends_with("word") && !slug.ends_with('-'), "{slug}");
        let long_word = "x".repeat(200);
        assert_eq!(slugify(&long_word).len(), MAX_SLUG_LEN);
        // A 50-character Chinese headline is ~220 characters of pinyin.
        let chinese = slugify(&"阿里巴巴发布新的人工智能模型".repeat(4));
        assert!(
            chinese.len() <= MAX_SLUG_LEN && !chinese.ends_with('-'),
            "{chinese}"
        );
    }

    #[test]
    fn japanese_falls_back_to_date_and_hash() {
        let date = jiff::civil::date(2024, 5, 1);
        let (slug, fallback) = article_slug(date, "東京でソニーが新しいAIを発表");
        assert!(fallback);
        assert!(
            slug.starts_with("2024-05-01-") && slug.len() == 19,
            "{slug}"
        );
        assert_eq!(
            article_slug(date, "阿里巴巴"),
            ("a-li-ba-ba".to_string(), false)
        );
        assert_eq!(
            article_slug(date, "Hello world"),
            ("hello-world".to_string(), false)
        );
        assert_eq!(article_slug(date, "!!!"), (String::new(), false));
    }

    #[test]
    fn explicit_slugs() {
        assert!(is_valid_slug("alibaba-tongyi-qianwen"));
        for bad in ["", "../../x", "/etc/x", "a/b", ".hidden", "A"] {
            assert!(!is_valid_slug(bad), "{bad}");
        }
    }
}
