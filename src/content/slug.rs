//! Slugs for URLs and the key that decides when two term spellings are one term.

/// Lowercase ASCII words joined by `-`; other scripts are transliterated ("阿里巴巴" → "a-li-ba-ba").
pub fn slugify(text: &str) -> String {
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
    slugify(if is_dated(stem) { &stem[11..] } else { stem })
}

/// The date at the start of a file name (`2013-06-07-this-week-in-rust`), as midnight in `tz`.
pub fn date_of_file_stem(stem: &str, tz: &jiff::tz::TimeZone) -> Option<jiff::ZonedDateTime> {
    if !is_dated(stem) {
        return None;
    }
    let date: jiff::civil::Date = stem[..10].parse().ok()?;
    date.to_zoned_datetime(tz.clone()).ok()
}

/// Term names with the same key are one term: "OpenAI", "Open AI" and "openai" all give "openai".
pub fn term_key(name: &str) -> String {
    deunicode::deunicode(name)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
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
        assert_eq!(term_key("Telefónica"), "telefonica");
        assert_eq!(term_key("—"), "");
    }

    #[test]
    fn explicit_slugs() {
        assert!(is_valid_slug("alibaba-tongyi-qianwen"));
        for bad in ["", "../../x", "/etc/x", "a/b", ".hidden", "A"] {
            assert!(!is_valid_slug(bad), "{bad}");
        }
    }
}
