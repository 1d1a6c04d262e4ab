//! Where an article is published: `[permalinks] articles` filled in for it. Real sites publish
//! under dated URLs (`/2015/05/15/Rust-1.0.html`, `/blog/2013/06/07/this-week-in-rust/`) that
//! must survive a move to digest, and digests have recurring titles that only a date separates.

/// The tokens a pattern may use.
pub const TOKENS: &[&str] = &[":year", ":month", ":day", ":slug", ":filename"];

/// The default: `/articles/<slug>/`.
pub const DEFAULT: &str = "/articles/:slug/";

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    Year,
    Month,
    Day,
    Slug,
    Filename,
}

/// A parsed `[permalinks] articles` pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    parts: Vec<Part>,
}

/// What a pattern is filled with for one article.
pub struct Fill<'a> {
    /// The article's date in the site's time zone.
    pub date: jiff::civil::Date,
    pub slug: &'a str,
    /// The file's stem as written, date included (`2013-06-07-this-week-in-rust`).
    pub filename: &'a str,
}

impl Pattern {
    /// Parses a pattern, or says what is wrong with it.
    pub fn parse(pattern: &str) -> Result<Pattern, String> {
        let Some(rest) = pattern.strip_prefix('/') else {
            return Err(format!(
                "`{pattern}` must start with `/`: it is a path from the site's root"
            ));
        };
        if rest.is_empty() {
            return Err("the pattern is only `/`: every article would be the home page".into());
        }
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut chars = rest.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c == ':' {
                let name_len = rest[i + 1..]
                    .find(|c: char| !c.is_ascii_alphabetic())
                    .unwrap_or(rest.len() - i - 1);
                let token = &rest[i..i + 1 + name_len];
                let part = match token {
                    ":year" => Part::Year,
                    ":month" => Part::Month,
                    ":day" => Part::Day,
                    ":slug" => Part::Slug,
                    ":filename" => Part::Filename,
                    other => {
                        let hint = crate::text::did_you_mean(other, TOKENS.iter().copied())
                            .map(|s| format!("; did you mean `{s}`?"))
                            .unwrap_or_default();
                        return Err(format!(
                            "unknown token `{other}` in `{pattern}` (tokens: {}){hint}",
                            TOKENS.join(" ")
                        ));
                    }
                };
                if !literal.is_empty() {
                    parts.push(Part::Literal(std::mem::take(&mut literal)));
                }
                parts.push(part);
                for _ in 0..name_len {
                    chars.next();
                }
                continue;
            }
            let allowed = c.is_ascii_alphanumeric() || "-_./~".contains(c);
            if !allowed {
                return Err(format!(
                    "`{c}` cannot stand in a URL path as written (in `{pattern}`); use letters, digits, `-`, `_`, `.` and `/`"
                ));
            }
            literal.push(c);
        }
        if !literal.is_empty() {
            parts.push(Part::Literal(literal));
        }
        let pattern_parts = Pattern { parts };
        if !pattern_parts
            .parts
            .iter()
            .any(|p| matches!(p, Part::Slug | Part::Filename))
        {
            return Err(format!(
                "`{pattern}` has neither `:slug` nor `:filename`: articles of one day would share a URL"
            ));
        }
        if rest.contains("//") || rest.split('/').any(|s| s == "." || s == "..") {
            return Err(format!("`{pattern}` has an empty, `.` or `..` segment"));
        }
        Ok(pattern_parts)
    }

    /// The site-relative output path for an article: `articles/x/` (a folder, written as
    /// `…/index.html`) or `2015/05/15/rust-1.0.html` (a file).
    pub fn fill(&self, with: &Fill<'_>) -> String {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Literal(text) => out.push_str(text),
                Part::Year => out.push_str(&format!("{:04}", with.date.year())),
                Part::Month => out.push_str(&format!("{:02}", with.date.month())),
                Part::Day => out.push_str(&format!("{:02}", with.date.day())),
                Part::Slug => out.push_str(with.slug),
                Part::Filename => out.push_str(with.filename),
            }
        }
        out
    }

    /// Whether the pattern uses the file name, which must then be a URL segment.
    pub fn uses_filename(&self) -> bool {
        self.parts.contains(&Part::Filename)
    }

    /// Whether two articles dated `a` and `b` can land on one URL only through their slugs.
    pub fn separates_days(&self) -> bool {
        self.parts.contains(&Part::Day)
    }
}

/// Whether a file stem can stand in a URL as written (for `:filename`).
pub fn is_url_segment(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with('.')
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.~".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill(pattern: &str, slug: &str, filename: &str) -> String {
        Pattern::parse(pattern).unwrap().fill(&Fill {
            date: jiff::civil::date(2015, 5, 15),
            slug,
            filename,
        })
    }

    #[test]
    fn patterns_fill_in() {
        assert_eq!(fill(DEFAULT, "rust-1.0", "x"), "articles/rust-1.0/");
        assert_eq!(
            fill("/:year/:month/:day/:filename.html", "rust-1.0", "Rust-1.0"),
            "2015/05/15/Rust-1.0.html"
        );
        assert_eq!(
            fill("/blog/:year/:month/:day/:slug/", "this-week-in-rust", "y"),
            "blog/2015/05/15/this-week-in-rust/"
        );
        assert_eq!(
            fill("/:filename/", "s", "2013-06-07-this-week-in-rust"),
            "2013-06-07-this-week-in-rust/"
        );
    }

    #[test]
    fn bad_patterns_say_why() {
        for (pattern, expected) in [
            ("articles/:slug/", "must start with `/`"),
            ("/", "home page"),
            ("/:yaer/:slug/", "did you mean `:year`?"),
            ("/:year/", "neither `:slug` nor `:filename`"),
            ("/a b/:slug/", "cannot stand in a URL"),
            ("/../:slug/", "`..` segment"),
            ("/a//:slug", "empty"),
        ] {
            let error = Pattern::parse(pattern).unwrap_err();
            assert!(error.contains(expected), "{pattern}: {error}");
        }
    }

    #[test]
    fn file_names_in_urls() {
        assert!(is_url_segment("2015-05-15-Rust-1.0"));
        assert!(!is_url_segment("Notes on AI"));
        assert!(!is_url_segment("通义千问"));
        assert!(!is_url_segment(".hidden"));
    }
}
