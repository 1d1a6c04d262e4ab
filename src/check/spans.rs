//! Where the values of a front matter sit in its file, byte for byte, so that `digest check` can
//! point at one term in a list and `--fix` can rewrite exactly that string and nothing else.
//!
//! This is a scanner, not a parser: the content loader has already parsed the file (and
//! reported what is wrong with it); here we only need the spans of the strings under each key.
//! It understands TOML (`+++`: keys, `[tables]`, arrays, inline tables, the four kinds of
//! strings, comments) and the YAML that front matter uses (`---`: top-level keys, flow and
//! block lists, one level of nested mapping, plain and quoted scalars).

use std::ops::Range;

use crate::content::front_matter::{self, Format};

/// A front matter located in the text of its file.
#[derive(Debug)]
pub struct Located {
    pub format: Format,
    /// 1-based line of the closing fence.
    pub close_line: usize,
    /// Byte offset of the body in the text.
    pub body_start: usize,
    /// Every key with a value, in file order; keys inside tables as `source.url`.
    pub entries: Vec<Entry>,
}

#[derive(Debug)]
pub struct Entry {
    /// The key path: `companies`, `source.url`.
    pub key: String,
    /// Byte offset of the key in the text.
    pub key_start: usize,
    /// The strings of the value (one for a string, each item for a list).
    pub strings: Vec<Str>,
}

/// One string value and its literal in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Str {
    /// The literal, quotes included, as a byte range of the text.
    pub range: Range<usize>,
    pub value: String,
    pub style: Style,
}

/// How a string is written, to write its replacement the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `"…"` (TOML basic string, YAML double-quoted scalar).
    Double,
    /// `'…'` (TOML literal string, YAML single-quoted scalar).
    Single,
    /// YAML plain scalar.
    Plain,
    /// TOML `"""…"""` or `'''…'''`.
    Multiline,
}

impl Located {
    /// Locates the front matter of `text` (a file without its byte-order mark).
    pub fn new(text: &str) -> Option<Located> {
        let split = front_matter::split(text).ok()?;
        let front_start = split.front.as_ptr() as usize - text.as_ptr() as usize;
        let body_start = split.body.as_ptr() as usize - text.as_ptr() as usize;
        let entries = match split.format {
            Format::Toml => Toml::scan(split.front, front_start),
            Format::Yaml => scan_yaml(split.front, front_start),
        };
        Some(Located {
            format: split.format,
            close_line: split.body_line.saturating_sub(1).max(1),
            body_start,
            entries,
        })
    }

    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }
}

/// The literal to write for `value` in place of one written in `style`.
pub fn literal(format: Format, style: Style, value: &str) -> String {
    let simple = !value.contains(['\n', '\r', '\t']) && !value.chars().any(char::is_control);
    match (format, style) {
        (Format::Toml, Style::Single) if simple && !value.contains('\'') => format!("'{value}'"),
        (Format::Yaml, Style::Single) if simple => format!("'{}'", value.replace('\'', "''")),
        (Format::Yaml, Style::Plain) if is_plain_yaml(value) => value.to_string(),
        _ => double_quoted(value),
    }
}

/// A double-quoted string that TOML and YAML both read back as `value`.
fn double_quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether YAML reads `value` back as this very string when written without quotes.
pub fn is_plain_yaml(value: &str) -> bool {
    let Some(first) = value.chars().next() else {
        return false;
    };
    let lower = value.to_ascii_lowercase();
    !matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "~"
    ) && value.trim() == value
        && !"-?:,[]{}#&*!|>'\"%@`".contains(first)
        && !first.is_ascii_digit()
        && !value.contains(": ")
        && !value.contains(" #")
        && !value.contains([',', '[', ']', '{', '}', '\n', '\t'])
        && !value.ends_with(':')
}

// ---------------------------------------------------------------------------------------------
// TOML
// ---------------------------------------------------------------------------------------------

struct Toml<'a> {
    s: &'a [u8],
    text: &'a str,
    pos: usize,
    /// Offset of `text` in the file.
    base: usize,
    entries: Vec<Entry>,
}

impl<'a> Toml<'a> {
    fn scan(text: &'a str, base: usize) -> Vec<Entry> {
        let mut scanner = Toml {
            s: text.as_bytes(),
            text,
            pos: 0,
            base,
            entries: Vec::new(),
        };
        scanner.document();
        scanner.entries.sort_by_key(|e| e.key_start);
        scanner.entries
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn at(&self, prefix: &str) -> bool {
        self.s[self.pos.min(self.s.len())..].starts_with(prefix.as_bytes())
    }

    fn skip_spaces(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
    }

    fn skip_line(&mut self) {
        while let Some(b) = self.peek() {
            self.pos += 1;
            if b == b'\n' {
                break;
            }
        }
    }

    /// Spaces, newlines and comments (inside arrays and between lines).
    fn skip_blank(&mut self) {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\r' | b'\n') => self.pos += 1,
                Some(b'#') => self.skip_line(),
                _ => break,
            }
        }
    }

    fn document(&mut self) {
        let mut table = String::new();
        while self.pos < self.s.len() {
            self.skip_blank();
            match self.peek() {
                None => break,
                Some(b'[') => {
                    let double = self.at("[[");
                    self.pos += if double { 2 } else { 1 };
                    let start = self.pos;
                    while !matches!(self.peek(), None | Some(b']' | b'\n')) {
                        self.pos += 1;
                    }
                    table = key_path(&self.text[start..self.pos]);
                    self.skip_line();
                }
                Some(_) => {
                    let before = self.pos;
                    self.key_value(&table);
                    if self.pos == before {
                        self.skip_line();
                    }
                }
            }
        }
    }

    /// `key = value`; the key is joined onto `prefix` (the table it is in).
    fn key_value(&mut self, prefix: &str) {
        let key_start = self.pos;
        let key = self.key();
        self.skip_spaces();
        if self.peek() != Some(b'=') || key.is_empty() {
            self.skip_line();
            return;
        }
        self.pos += 1;
        self.skip_spaces();
        let path = if prefix.is_empty() {
            key
        } else {
            format!("{prefix}.{key}")
        };
        let mut strings = Vec::new();
        self.value(&path, &mut strings);
        self.entries.push(Entry {
            key: path,
            key_start: self.base + key_start,
            strings,
        });
    }

    /// A bare, quoted or dotted key, as a dotted path without quotes.
    fn key(&mut self) -> String {
        let start = self.pos;
        loop {
            match self.peek() {
                Some(b'"') | Some(b'\'') => {
                    let quote = self.peek();
                    self.pos += 1;
                    while self.peek().is_some()
                        && self.peek() != quote
                        && self.peek() != Some(b'\n')
                    {
                        self.pos += 1;
                    }
                    if self.peek() == quote {
                        self.pos += 1;
                    }
                }
                Some(b)
                    if b.is_ascii_alphanumeric()
                        || matches!(b, b'_' | b'-' | b'.' | b' ' | b'\t') =>
                {
                    self.pos += 1
                }
                _ => break,
            }
        }
        key_path(&self.text[start..self.pos])
    }

    fn value(&mut self, path: &str, out: &mut Vec<Str>) {
        match self.peek() {
            Some(b'"' | b'\'') => {
                if let Some(s) = self.string() {
                    out.push(s);
                }
            }
            Some(b'[') => {
                self.pos += 1;
                loop {
                    self.skip_blank();
                    match self.peek() {
                        None => break,
                        Some(b']') => {
                            self.pos += 1;
                            break;
                        }
                        Some(b',') => self.pos += 1,
                        Some(_) => {
                            let before = self.pos;
                            self.value(path, out);
                            if self.pos == before {
                                self.pos += 1;
                            }
                        }
                    }
                }
            }
            Some(b'{') => {
                self.pos += 1;
                loop {
                    self.skip_spaces();
                    match self.peek() {
                        None | Some(b'\n') => break,
                        Some(b'}') => {
                            self.pos += 1;
                            break;
                        }
                        Some(b',') => self.pos += 1,
                        Some(_) => {
                            let before = self.pos;
                            self.key_value(path);
                            if self.pos == before {
                                self.pos += 1;
                            }
                        }
                    }
                }
            }
            _ => {
                // Numbers, booleans, dates: up to the next separator.
                while !matches!(self.peek(), None | Some(b',' | b']' | b'}' | b'\n' | b'#')) {
                    self.pos += 1;
                }
            }
        }
    }

    fn string(&mut self) -> Option<Str> {
        let start = self.pos;
        let (style, raw_start, raw_end, end) = if self.at("\"\"\"") || self.at("'''") {
            let delimiter = &self.text[self.pos..self.pos + 3];
            let basic = delimiter == "\"\"\"";
            let from = self.pos + 3;
            let mut i = from;
            let close = loop {
                if i >= self.s.len() {
                    break None;
                }
                if basic && self.s[i] == b'\\' {
                    i += 2;
                    continue;
                }
                if self.s[i..].starts_with(delimiter.as_bytes()) {
                    // Up to two quotes may end the content right before the delimiter.
                    let mut j = i;
                    while self.s.get(j + 3) == Some(&delimiter.as_bytes()[0]) && j < i + 2 {
                        j += 1;
                    }
                    break Some(j);
                }
                i += 1;
            }?;
            (Style::Multiline, from, close, close + 3)
        } else {
            let quote = self.s[self.pos];
            let from = self.pos + 1;
            let mut i = from;
            loop {
                match self.s.get(i) {
                    None | Some(b'\n') => return None,
                    Some(b'\\') if quote == b'"' => i += 2,
                    Some(&b) if b == quote => break,
                    Some(_) => i += 1,
                }
            }
            let style = if quote == b'"' {
                Style::Double
            } else {
                Style::Single
            };
            (style, from, i, i + 1)
        };
        self.pos = end;
        let raw = self.text.get(raw_start..raw_end)?;
        let basic = self.s[start] == b'"';
        let value = match style {
            Style::Multiline => {
                let raw = raw
                    .strip_prefix("\r\n")
                    .or_else(|| raw.strip_prefix('\n'))
                    .unwrap_or(raw);
                if basic {
                    unescape(raw)
                } else {
                    raw.to_string()
                }
            }
            _ if basic => unescape(raw),
            _ => raw.to_string(),
        };
        Some(Str {
            range: self.base + start..self.base + end,
            value,
            style,
        })
    }
}

/// `a . "b c"` → `a.b c`.
fn key_path(raw: &str) -> String {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    for c in raw.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => current.push(c),
            (None, '"' | '\'') => quote = Some(c),
            (None, '.') => parts.push(std::mem::take(&mut current)),
            (None, c) if c.is_whitespace() => {}
            (None, c) => current.push(c),
        }
    }
    parts.push(current);
    parts.join(".")
}

/// TOML and YAML double-quoted escapes.
fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('e') => out.push('\u{1b}'),
            Some('0') => out.push('\0'),
            Some('"') => out.push('"'),
            Some('\\') => out.push('\\'),
            Some('/') => out.push('/'),
            Some(' ') => out.push(' '),
            Some(kind @ ('u' | 'U' | 'x')) => {
                let digits = match kind {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let hex: String = (0..digits).filter_map(|_| chars.next()).collect();
                if let Some(c) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    out.push(c);
                }
            }
            // A line-ending backslash joins lines, eating the whitespace that follows.
            Some('\n' | '\r') => {
                while chars.peek().is_some_and(|c| c.is_whitespace()) {
                    chars.next();
                }
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// YAML
// ---------------------------------------------------------------------------------------------

/// The lines of `text` with their byte offsets (line content without its end of line).
fn lines_with_offsets(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        out.push((offset, content));
        offset += line.len();
    }
    out
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// `key:` at the start of `line` (after `indent` spaces): the key and the offset after the colon.
fn yaml_key(line: &str) -> Option<(String, usize)> {
    let trimmed = line.trim_start_matches(' ');
    let indent = line.len() - trimmed.len();
    let (key, after) = match trimmed.chars().next()? {
        q @ ('"' | '\'') => {
            let end = trimmed[1..].find(q)? + 1;
            (trimmed[1..end].to_string(), end + 1)
        }
        '-' | '#' => return None,
        _ => {
            let colon = trimmed
                .match_indices(':')
                .find(|(i, _)| {
                    trimmed[i + 1..]
                        .chars()
                        .next()
                        .is_none_or(|c| c == ' ' || c == '\t')
                })?
                .0;
            (trimmed[..colon].trim_end().to_string(), colon)
        }
    };
    if !trimmed[after..].starts_with(':') {
        return None;
    }
    Some((key, indent + after + 1))
}

fn scan_yaml(text: &str, base: usize) -> Vec<Entry> {
    let lines = lines_with_offsets(text);
    let mut entries = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let (offset, line) = lines[i];
        i += 1;
        if is_blank_or_comment(line) || indent_of(line) != 0 {
            continue;
        }
        let Some((key, after)) = yaml_key(line) else {
            continue;
        };
        let mut strings = Vec::new();
        let rest = &line[after..];
        if !is_blank_or_comment(rest) {
            // A value on the key's line: a scalar, or a flow list that may run over lines.
            let start = offset + after + (rest.len() - rest.trim_start().len());
            i = yaml_inline_value(text, &lines, i, start, base, &mut strings);
        } else {
            // A block below: a list of `- item`s, or a nested mapping of `key: value`s.
            while i < lines.len() {
                let (item_offset, item) = lines[i];
                if is_blank_or_comment(item) {
                    i += 1;
                    continue;
                }
                let indent = indent_of(item);
                let trimmed = &item[indent..];
                if indent == 0 && !trimmed.starts_with('-') {
                    break;
                }
                i += 1;
                if let Some(value) = trimmed.strip_prefix('-') {
                    let start = item_offset + indent + 1 + (value.len() - value.trim_start().len());
                    if !is_blank_or_comment(value) {
                        i = yaml_inline_value(text, &lines, i, start, base, &mut strings);
                    }
                } else if let Some((sub, sub_after)) = yaml_key(item) {
                    let rest = &item[sub_after..];
                    let mut sub_strings = Vec::new();
                    if !is_blank_or_comment(rest) {
                        let start =
                            item_offset + sub_after + (rest.len() - rest.trim_start().len());
                        i = yaml_inline_value(text, &lines, i, start, base, &mut sub_strings);
                    }
                    entries.push(Entry {
                        key: format!("{key}.{sub}"),
                        key_start: base + item_offset + indent,
                        strings: sub_strings,
                    });
                }
            }
        }
        entries.push(Entry {
            key,
            key_start: base + offset,
            strings,
        });
    }
    entries.sort_by_key(|e| e.key_start);
    entries
}

/// Reads the value that starts at byte `start` of `text` (on the line before `next_line`);
/// returns the index of the first line after it.
fn yaml_inline_value(
    text: &str,
    lines: &[(usize, &str)],
    next_line: usize,
    start: usize,
    base: usize,
    out: &mut Vec<Str>,
) -> usize {
    let bytes = text.as_bytes();
    if bytes.get(start) != Some(&b'[') {
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        if let Some(s) = yaml_scalar(text, start, line_end, false, base) {
            out.push(s);
        }
        return next_line;
    }
    // A flow list: items up to the matching `]`, possibly over several lines.
    let mut pos = start + 1;
    while pos < text.len() {
        match bytes[pos] {
            b' ' | b'\t' | b'\r' | b'\n' | b',' => pos += 1,
            b']' => {
                pos += 1;
                break;
            }
            b'#' => pos = text[pos..].find('\n').map_or(text.len(), |i| pos + i),
            _ => {
                let end = flow_item_end(text, pos);
                if let Some(s) = yaml_scalar(text, pos, end, true, base) {
                    out.push(s);
                }
                pos = end.max(pos + 1);
            }
        }
    }
    lines
        .iter()
        .position(|(offset, _)| *offset >= pos)
        .unwrap_or(lines.len())
        .max(next_line)
}

/// Where a flow-list item starting at `pos` ends: its closing quote, or the next `,` or `]`.
fn flow_item_end(text: &str, pos: usize) -> usize {
    let bytes = text.as_bytes();
    match bytes[pos] {
        q @ (b'"' | b'\'') => {
            let mut i = pos + 1;
            while i < bytes.len() {
                if q == b'"' && bytes[i] == b'\\' {
                    i += 2;
                    continue;
                }
                if bytes[i] == q {
                    if q == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    return i + 1;
                }
                i += 1;
            }
            bytes.len()
        }
        _ => text[pos..]
            .find([',', ']', '\n'])
            .map_or(text.len(), |i| pos + i),
    }
}

/// A scalar between `start` and `end` (quoted, or plain up to a comment).
fn yaml_scalar(text: &str, start: usize, end: usize, flow: bool, base: usize) -> Option<Str> {
    let raw = &text[start..end];
    match raw.chars().next()? {
        '"' => {
            let close = flow_item_end(text, start);
            let inner = text.get(start + 1..close.checked_sub(1)?)?;
            Some(Str {
                range: base + start..base + close,
                value: unescape(inner),
                style: Style::Double,
            })
        }
        '\'' => {
            let close = flow_item_end(text, start);
            let inner = text.get(start + 1..close.checked_sub(1)?)?;
            Some(Str {
                range: base + start..base + close,
                value: inner.replace("''", "'"),
                style: Style::Single,
            })
        }
        '|' | '>' | '&' | '*' | '!' | '{' => None,
        _ => {
            let mut value = raw;
            if let Some(i) = value.find(" #") {
                value = &value[..i];
            }
            if flow {
                value = value.split([',', ']']).next().unwrap_or("");
            }
            let value = value.trim_end();
            if value.is_empty() {
                return None;
            }
            Some(Str {
                range: base + start..base + start + value.len(),
                value: value.to_string(),
                style: Style::Plain,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(text: &str, key: &str) -> Vec<(String, String)> {
        let located = Located::new(text).unwrap();
        let entry = located
            .entry(key)
            .unwrap_or_else(|| panic!("no {key} in {:?}", located.entries));
        entry
            .strings
            .iter()
            .map(|s| (text[s.range.clone()].to_string(), s.value.clone()))
            .collect()
    }

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    const TOML: &str = "+++\ntitle = \"A [tricky] \\\"title\\\"\" # c\ndate = 2023-09-15\ncompanies = [\"Open AI\", 'Baidu',\n  # a comment, \"not a string\"\n  \"Ten\\u0063ent\", ]\ntags = \"AI\"\nextra = { note = \"x\", url = 'https://e.com/?a=1' }\n[source]\nname = \"Src\"\nurl = \"https://e.com/a?utm_source=x\"\n[extra.more]\nk = [[\"a\"], [\"b\"]]\n+++\nbody = \"not front matter\"\n";

    #[test]
    fn toml_strings_with_their_spans() {
        assert_eq!(
            strings(TOML, "companies"),
            pairs(&[
                ("\"Open AI\"", "Open AI"),
                ("'Baidu'", "Baidu"),
                ("\"Ten\\u0063ent\"", "Tencent"),
            ])
        );
        assert_eq!(
            strings(TOML, "title"),
            pairs(&[("\"A [tricky] \\\"title\\\"\"", "A [tricky] \"title\"")])
        );
        assert_eq!(strings(TOML, "tags"), pairs(&[("\"AI\"", "AI")]));
        assert_eq!(
            strings(TOML, "source.url"),
            pairs(&[(
                "\"https://e.com/a?utm_source=x\"",
                "https://e.com/a?utm_source=x"
            )])
        );
        assert_eq!(
            strings(TOML, "extra.url"),
            pairs(&[("'https://e.com/?a=1'", "https://e.com/?a=1")])
        );
        assert_eq!(
            strings(TOML, "extra.more.k"),
            pairs(&[("\"a\"", "a"), ("\"b\"", "b")])
        );
        let located = Located::new(TOML).unwrap();
        assert!(located.entry("body").is_none());
        assert_eq!(located.close_line, 14);
        assert!(located.entry("source.name").is_some());
        let title = located.entry("title").unwrap();
        assert_eq!(&TOML[title.key_start..title.key_start + 5], "title");
    }

    #[test]
    fn toml_multiline_strings() {
        let text = "+++\nsummary = \"\"\"\nTwo \"quoted\"\nlines\"\"\"\ntags = ['''A''']\n+++\n";
        assert_eq!(
            strings(text, "summary"),
            pairs(&[(
                "\"\"\"\nTwo \"quoted\"\nlines\"\"\"",
                "Two \"quoted\"\nlines"
            )])
        );
        assert_eq!(strings(text, "tags"), pairs(&[("'''A'''", "A")]));
    }

    const YAML: &str = "---\ntitle: \"A: title\"\ncompanies: [Open AI, \"Baidu\", 'Ten''cent']\nregulations:\n  - EU AI Act # comment\n  - 'DSA'\ntags:\n- AI\nsource:\n  name: Src\n  url: https://e.com/a?utm_source=x\nsummary: Plain text, with a comma\n---\nbody: no\n";

    #[test]
    fn yaml_strings_with_their_spans() {
        assert_eq!(
            strings(YAML, "companies"),
            pairs(&[
                ("Open AI", "Open AI"),
                ("\"Baidu\"", "Baidu"),
                ("'Ten''cent'", "Ten'cent"),
            ])
        );
        assert_eq!(
            strings(YAML, "regulations"),
            pairs(&[("EU AI Act", "EU AI Act"), ("'DSA'", "DSA")])
        );
        assert_eq!(strings(YAML, "tags"), pairs(&[("AI", "AI")]));
        assert_eq!(
            strings(YAML, "source.url"),
            pairs(&[(
                "https://e.com/a?utm_source=x",
                "https://e.com/a?utm_source=x"
            )])
        );
        assert_eq!(
            strings(YAML, "summary"),
            pairs(&[("Plain text, with a comma", "Plain text, with a comma")])
        );
        assert_eq!(
            strings(YAML, "title"),
            pairs(&[("\"A: title\"", "A: title")])
        );
        let located = Located::new(YAML).unwrap();
        assert!(located.entry("body").is_none());
        assert_eq!(located.close_line, 13);
    }

    #[test]
    fn literals_keep_the_style_when_they_can() {
        assert_eq!(
            literal(Format::Toml, Style::Double, "Open\"AI"),
            "\"Open\\\"AI\""
        );
        assert_eq!(literal(Format::Toml, Style::Single, "OpenAI"), "'OpenAI'");
        assert_eq!(literal(Format::Toml, Style::Single, "It's"), "\"It's\"");
        assert_eq!(literal(Format::Yaml, Style::Plain, "OpenAI"), "OpenAI");
        assert_eq!(literal(Format::Yaml, Style::Plain, "a: b"), "\"a: b\"");
        assert_eq!(literal(Format::Yaml, Style::Plain, "yes"), "\"yes\"");
        assert_eq!(literal(Format::Yaml, Style::Single, "It's"), "'It''s'");
    }
}
