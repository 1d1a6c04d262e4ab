//! Diagnostics as a modern compiler prints them:
//!
//! ```text
//! warning: unknown front-matter key `tgas`
//!  --> content/2023-04-01-typo.md:4:1
//!   |
//! 4 | tgas = ["Typos"]
//!   | ^^^^
//!   = hint: did you mean `tags`?
//! ```
//!
//! The text carries ANSI styles; print it with `anstream`, which keeps them on a terminal and
//! strips them when the output is a file or a pipe (or when `NO_COLOR` is set).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anstyle::{AnsiColor, Style};

use crate::content::markdown::is_cjk;
use crate::error::{Diagnostic, Severity};

/// Renders diagnostics, quoting the lines of the site's files they point at. Each file is read
/// once, however many diagnostics point into it.
pub struct Reporter {
    root: PathBuf,
    sources: HashMap<PathBuf, Option<String>>,
}

impl Reporter {
    /// `root` is the site folder: diagnostics' paths are relative to it.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Reporter {
            root: root.into(),
            sources: HashMap::new(),
        }
    }

    /// The diagnostic as styled text, ending with a newline.
    pub fn render(&mut self, d: &Diagnostic) -> String {
        let line = if d.line == 0 {
            None
        } else {
            self.source_line(&d.path, d.line)
        };
        render(d, line.as_deref())
    }

    fn source_line(&mut self, path: &Path, line: usize) -> Option<String> {
        let root = &self.root;
        let text = self.sources.entry(path.to_path_buf()).or_insert_with(|| {
            let full = if path.is_absolute() {
                path.to_path_buf()
            } else {
                root.join(path)
            };
            if !full.is_file() {
                return None;
            }
            crate::fs::read_to_string(&full).ok()
        });
        let text = text.as_deref()?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        text.lines()
            .nth(line - 1)
            .map(|l| l.trim_end_matches('\r').to_string())
    }
}

/// How many times one warning may repeat before it is shown once, with a count.
const REPEATS_SHOWN: usize = 3;

/// The diagnostics to print: a warning repeated in more than three places (same code, same
/// subject: a front-matter key, a code language) becomes one, with its count and the first three
/// places, so that a site moved from another generator does not drown its two real problems in
/// two thousand copies of one. Errors, and everything with `verbose`, are shown one by one.
pub fn fold_repeats(diagnostics: &[Diagnostic], verbose: bool) -> Vec<Diagnostic> {
    if verbose {
        return diagnostics.to_vec();
    }
    let mut groups: HashMap<(crate::error::Code, &str), Vec<&Diagnostic>> = HashMap::new();
    for d in diagnostics {
        if let (Severity::Warning, Some(subject)) = (d.severity, &d.subject) {
            groups.entry((d.code, subject)).or_default().push(d);
        }
    }
    let mut shown = Vec::new();
    let mut done = std::collections::HashSet::new();
    for d in diagnostics {
        let key = d
            .subject
            .as_deref()
            .filter(|_| d.severity == Severity::Warning)
            .map(|s| (d.code, s));
        let group = key
            .and_then(|k| groups.get(&k))
            .filter(|g| g.len() > REPEATS_SHOWN);
        match group {
            None => shown.push(d.clone()),
            Some(group) => {
                if done.insert(key) {
                    shown.push(folded(group));
                }
            }
        }
    }
    shown
}

/// One warning standing for `group`: its count and first places.
fn folded(group: &[&Diagnostic]) -> Diagnostic {
    let first = group[0];
    let files: std::collections::BTreeSet<&Path> = group.iter().map(|d| d.path.as_path()).collect();
    let places: Vec<String> = group
        .iter()
        .take(REPEATS_SHOWN)
        .map(|d| d.location())
        .collect();
    let subject = first.subject.as_deref().unwrap_or_default();
    let what = match first.code {
        crate::error::Code::UnknownKey => format!("unknown front-matter key `{subject}`"),
        crate::error::Code::UnknownLanguage => format!("unknown code language `{subject}`"),
        _ => first.message.clone(),
    };
    let count = if files.len() == group.len() {
        format!("in {} files", thousands(files.len()))
    } else {
        format!(
            "{} times in {} files",
            thousands(group.len()),
            thousands(files.len())
        )
    };
    let advice = match first.code {
        crate::error::Code::UnknownKey => format!(
            "; add it to [front_matter] extra_keys to keep it (extra_keys = [\"{subject}\"]), or remove it"
        ),
        _ => first
            .hint
            .as_deref()
            .map(|h| format!("; {h}"))
            .unwrap_or_default(),
    };
    let mut d = first.clone();
    d.message = format!("{what} {count}");
    d.hint = Some(format!(
        "e.g. {}{advice} (`-v` lists every one)",
        places.join(", ")
    ));
    d
}

/// `1,042`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn bold(color: AnsiColor) -> Style {
    Style::new().fg_color(Some(color.into())).bold()
}

/// The label of a severity and its colour.
pub fn label(severity: Severity) -> (&'static str, Style) {
    match severity {
        Severity::Error => ("error", bold(AnsiColor::Red)),
        Severity::Warning => ("warning", bold(AnsiColor::Yellow)),
    }
}

/// `label: message` with the label styled, for messages that point at no file.
pub fn headline(label: &str, style: Style, message: &str) -> String {
    let strong = Style::new().bold();
    format!(
        "{}{label}{}: {}{message}{}",
        style.render(),
        style.render_reset(),
        strong.render(),
        strong.render_reset()
    )
}

/// Renders `d`; `line` is the text of the line it points at, when known.
pub fn render(d: &Diagnostic, line: Option<&str>) -> String {
    let (name, style) = label(d.severity);
    let gutter = bold(AnsiColor::Blue);
    let hint_style = bold(AnsiColor::Cyan);
    let (g, g_end) = (gutter.render(), gutter.render_reset());

    let mut out = headline(name, style, &d.message);
    out.push('\n');
    let number = if line.is_some() {
        d.line.to_string()
    } else {
        String::new()
    };
    let width = number.len().max(1);
    let pad = " ".repeat(width);
    let _ = writeln!(out, "{pad}{g}-->{g_end} {}", d.location());
    if let Some(text) = line {
        let (shown, caret_at, caret_len) = caret_position(text, d.col);
        let _ = writeln!(out, "{pad} {g}|{g_end}");
        let _ = writeln!(out, "{g}{number:>width$} |{g_end} {shown}");
        if d.col > 0 {
            let _ = writeln!(
                out,
                "{pad} {g}|{g_end} {}{}{}{}",
                " ".repeat(caret_at),
                style.render(),
                "^".repeat(caret_len),
                style.render_reset()
            );
        }
    }
    if let Some(hint) = &d.hint {
        let mut lines = hint.lines();
        let first = lines.next().unwrap_or("");
        let _ = writeln!(
            out,
            "{pad} {g}={g_end} {}hint{}: {first}",
            hint_style.render(),
            hint_style.render_reset()
        );
        for more in lines {
            let _ = writeln!(out, "{pad}         {more}");
        }
    }
    out
}

/// The line as shown (tabs expanded), where the caret starts under it, and how many carets:
/// the token at `col` (a quoted string, a word, or one character).
fn caret_position(text: &str, col: usize) -> (String, usize, usize) {
    let mut shown = String::with_capacity(text.len());
    let mut caret_at = 0;
    let mut caret_len = 1;
    let chars: Vec<char> = text.chars().collect();
    let start = col.saturating_sub(1).min(chars.len());
    let token_end = token_end(&chars, start);
    let mut width = 0;
    for (i, &c) in chars.iter().enumerate() {
        if i == start {
            caret_at = width;
        }
        let w = match c {
            '\t' => 4,
            c if is_cjk(c) => 2,
            c if c.is_control() => 0,
            _ => 1,
        };
        if i >= start && i < token_end {
            if i == start {
                caret_len = 0;
            }
            caret_len += w;
        }
        width += w;
        match c {
            '\t' => shown.push_str("    "),
            c if c.is_control() => {}
            c => shown.push(c),
        }
    }
    if start >= chars.len() {
        caret_at = width;
    }
    (shown, caret_at, caret_len.max(1))
}

/// Where the token starting at `start` ends (exclusive).
fn token_end(chars: &[char], start: usize) -> usize {
    let Some(&first) = chars.get(start) else {
        return start;
    };
    if first == '"' || first == '\'' {
        let mut i = start + 1;
        while i < chars.len() {
            if chars[i] == '\\' && first == '"' {
                i += 2;
                continue;
            }
            if chars[i] == first {
                return i + 1;
            }
            i += 1;
        }
        return start + 1;
    }
    let is_word = |c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '.');
    if !is_word(first) {
        return start + 1;
    }
    let mut i = start;
    while i < chars.len() && is_word(chars[i]) {
        i += 1;
    }
    // A URL: on to its end.
    if chars[i..].starts_with(&[':', '/', '/']) {
        while i < chars.len() && !chars[i].is_whitespace() && !"()[]<>\"'".contains(chars[i]) {
            i += 1;
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> String {
        anstream::adapter::strip_str(text).to_string()
    }

    #[test]
    fn quotes_the_line_with_a_caret_under_the_token() {
        let d = Diagnostic::warning(
            crate::Code::UnknownKey,
            "content/a.md",
            "unknown front-matter key `tgas`",
        )
        .at(4, 1)
        .with_hint("did you mean `tags`?");
        let text = plain(&render(&d, Some("tgas = [\"Typos\"]")));
        assert_eq!(
            text,
            "warning: unknown front-matter key `tgas`\n \
             --> content/a.md:4:1\n  \
             |\n\
             4 | tgas = [\"Typos\"]\n  \
             | ^^^^\n  \
             = hint: did you mean `tags`?\n"
        );
    }

    #[test]
    fn strings_are_underlined_whole_and_wide_lines_are_aligned() {
        let d = Diagnostic::error(crate::Code::InvalidValue, "c.md", "x").at(12, 14);
        let text = plain(&render(&d, Some("companies = [\"Open AI\"]")));
        assert!(text.contains("12 | companies = [\"Open AI\"]\n"), "{text}");
        assert!(text.contains("   |              ^^^^^^^^^\n"), "{text}");
        assert!(text.contains("  --> c.md:12:14\n"), "{text}");
    }

    #[test]
    fn without_a_line_only_the_location_and_hint() {
        let d = Diagnostic::error(crate::Code::ConfigError, "site.toml", "no site.toml")
            .with_hint("run digest init");
        let text = plain(&render(&d, None));
        assert_eq!(
            text,
            "error: no site.toml\n --> site.toml\n  = hint: run digest init\n"
        );
    }

    #[test]
    fn urls_are_underlined_whole() {
        let (_, at, len) = caret_position("  url: https://e.net/a?b=1 # c", 8);
        assert_eq!((at, len), (7, 19));
        let (_, at, len) = caret_position("[a](https://e.org/x?utm_source=y) b", 5);
        assert_eq!((at, len), (4, 28));
    }

    #[test]
    fn tabs_and_cjk_keep_the_caret_in_place() {
        let (shown, at, len) = caret_position("\t阿里 x", 5);
        assert_eq!(shown, "    阿里 x");
        assert_eq!((at, len), (9, 1));
    }
}
