//! The string helpers of gen_corpus.py that are not plain `str` methods in Rust: its slug, its
//! word count and its two regular-expression substitutions.

/// NFKD-then-ASCII of U+00C0..=U+017F, one byte per code point; `_` where nothing is left
/// (Æ, Ø, ß, Đ, Ł, Œ... have no decomposition). Generated with Python's `unicodedata`.
const LATIN_FOLD: &[u8; 192] = b"AAAAAA_CEEEEIIII_NOOOOO__UUUUY__aaaaaa_ceeeeiiii_nooooo__uuuuy_y\
AaAaAaCcCcCcCcDd__EeEeEeEeEeGgGgGgGgHh__IiIiIiIiI___JjKk_LlLlLlL\
l__NnNnNnn__OoOoOo__RrRrRrSsSsSsSsTtTt__UuUuUuUuUuUuWwYyYZzZzZzs";

/// What `unicodedata.normalize("NFKD", c).encode("ascii", "ignore")` leaves of one character,
/// for Latin-1 and Latin Extended-A; any other non-ASCII character leaves nothing, which is
/// right for everything the pools contain (accented names, "€", curly quotes).
fn fold_ascii(c: char, out: &mut String) {
    let cp = c as u32;
    match cp {
        0..=0x7f => out.push(c),
        0xc0..=0x17f => match LATIN_FOLD[(cp - 0xc0) as usize] {
            b'_' => match cp {
                0x132 => out.push_str("IJ"),
                0x133 => out.push_str("ij"),
                _ => {}
            },
            b => out.push(char::from(b)),
        },
        0xa0 | 0xa8 | 0xaf | 0xb4 | 0xb8 => out.push(' '),
        0xaa => out.push('a'),
        0xb2 => out.push('2'),
        0xb3 => out.push('3'),
        0xb9 => out.push('1'),
        0xba => out.push('o'),
        0xbc => out.push_str("14"),
        0xbd => out.push_str("12"),
        0xbe => out.push_str("34"),
        _ => {}
    }
}

/// ASCII slug: accents stripped, lowercase, runs of anything else as one `-`, at most 80
/// characters, "article" when nothing is left.
pub fn slugify(text: &str) -> String {
    let mut ascii = String::with_capacity(text.len());
    for c in text.chars() {
        fold_ascii(c, &mut ascii);
    }
    let mut slug = String::with_capacity(ascii.len());
    let mut in_run = false;
    for c in ascii.chars().map(|c| c.to_ascii_lowercase()) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            slug.push(c);
            in_run = false;
        } else if !in_run {
            slug.push('-');
            in_run = true;
        }
    }
    let slug = slug.trim_matches('-');
    let slug = slug[..slug.len().min(80)].trim_end_matches('-');
    if slug.is_empty() {
        "article".to_string()
    } else {
        slug.to_string()
    }
}

/// `len(s.split())`.
pub fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

/// `re.sub(r"\.\.$", ".", s)`: a sentence template ending in "." after a name ending in "."
/// ("X Corp.") would end in "..".
pub fn strip_final_double_period(mut s: String) -> String {
    if s.ends_with("..") {
        s.pop();
    }
    s
}

/// `re.sub(r"\.\.(?=\s|$)", ".", s)`: every ".." before whitespace or the end becomes ".",
/// scanning left to right without overlaps as `re.sub` does.
pub fn collapse_double_periods(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("..") {
            // `$` also matches before a final newline.
            if after.chars().next().is_none_or(char::is_whitespace) {
                out.push('.');
                rest = after;
                continue;
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Python's `str.isalpha()`: non-empty and letters only.
pub fn is_alpha(word: &str) -> bool {
    !word.is_empty() && word.chars().all(char::is_alphabetic)
}

/// `f"{n:,}"` for a non-negative integer.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected slugs from gen_corpus.py's `slugify`.
    #[test]
    fn slugs_match_python() {
        let cases = [
            (
                "Société Générale fined €40 million",
                "societe-generale-fined-40-million",
            ),
            (
                "Telefónica says \"reason\" -- ok",
                "telefonica-says-reason-ok",
            ),
            ("Søren Ĳssel Æbleskive ½", "sren-ijssel-bleskive-12"),
            ("€€€", "article"),
            ("Yahoo!", "yahoo"),
            (
                "A very long title that goes on and on well past the eighty character limit of slugs",
                "a-very-long-title-that-goes-on-and-on-well-past-the-eighty-character-limit-of-sl",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(slugify(input), want, "{input}");
        }
    }

    #[test]
    fn double_periods_collapse_like_re_sub() {
        assert_eq!(collapse_double_periods("X Corp.. next"), "X Corp. next");
        assert_eq!(collapse_double_periods("ends Corp.."), "ends Corp.");
        assert_eq!(collapse_double_periods("a... b"), "a.. b");
        assert_eq!(collapse_double_periods("1..2 é.."), "1..2 é.");
        assert_eq!(strip_final_double_period("Yahoo!..".to_string()), "Yahoo!.");
        assert_eq!(strip_final_double_period("fine.".to_string()), "fine.");
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(32_000), "32,000");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(thousands(200), "200");
    }

    #[test]
    fn alpha_words() {
        assert!(is_alpha("Telefónica"));
        assert!(!is_alpha("GPT-4"));
        assert!(!is_alpha(""));
    }
}
