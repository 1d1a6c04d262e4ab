//! Where the values of a front matter sit in its file, byte for byte, so that `digest check` can
//! point at one term in a list and `--fix` can rewrite exactly that string and nothing else.
//!
//! The positions come from the parsers themselves: `toml`'s spanned document for TOML (`+++`)
//! and `saphyr-parser`'s events for YAML (`---`), so every string a parser reads is found
//! where that parser read it, whatever the layout (comments, inline tables, flow or block
//! lists, quoting styles).

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
        let mut entries = match split.format {
            Format::Toml => toml_entries(split.front, front_start),
            Format::Yaml => yaml_entries(split.front, front_start),
        };
        entries.sort_by_key(|e| e.key_start);
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

/// The entries of a front matter's text (without its fences), offsets relative to it.
pub fn front_entries(front: &str, format: Format) -> Vec<Entry> {
    match format {
        Format::Toml => toml_entries(front, 0),
        Format::Yaml => yaml_entries(front, 0),
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

/// Every key of a TOML front matter (nested tables as `source.url`) with the strings under it.
fn toml_entries(front: &str, base: usize) -> Vec<Entry> {
    let Ok(document) = toml::de::DeTable::parse(front) else {
        return Vec::new();
    };
    let mut entries = Vec::new();
    toml_table(front, base, "", document.get_ref(), &mut entries);
    entries
}

fn toml_table(
    front: &str,
    base: usize,
    prefix: &str,
    table: &toml::de::DeTable<'_>,
    entries: &mut Vec<Entry>,
) {
    for (key, value) in table {
        let path = if prefix.is_empty() {
            key.get_ref().to_string()
        } else {
            format!("{prefix}.{}", key.get_ref())
        };
        if let toml::de::DeValue::Table(inner) = value.get_ref() {
            toml_table(front, base, &path, inner, entries);
        }
        let mut strings = Vec::new();
        toml_strings(front, base, value, &mut strings);
        entries.push(Entry {
            key: path,
            key_start: base + key.span().start,
            strings,
        });
    }
}

/// The strings of a value: itself, or the items of an array (arrays of arrays too).
fn toml_strings(
    front: &str,
    base: usize,
    value: &toml::Spanned<toml::de::DeValue<'_>>,
    out: &mut Vec<Str>,
) {
    match value.get_ref() {
        toml::de::DeValue::String(text) => {
            let span = value.span();
            let literal = &front[span.clone()];
            let style = if literal.starts_with("\"\"\"") || literal.starts_with("'''") {
                Style::Multiline
            } else if literal.starts_with('\'') {
                Style::Single
            } else {
                Style::Double
            };
            out.push(Str {
                range: base + span.start..base + span.end,
                value: text.to_string(),
                style,
            });
        }
        toml::de::DeValue::Array(items) => {
            for item in items {
                toml_strings(front, base, item, out);
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------
// YAML
// ---------------------------------------------------------------------------------------------

/// Every key of a YAML front matter's top-level mapping, and of the mappings under it (as
/// `source.url`), with the strings under it.
fn yaml_entries(front: &str, base: usize) -> Vec<Entry> {
    use saphyr_parser::{Event, Parser, ScalarStyle};
    // The parser counts characters; spans are wanted in bytes.
    let mut byte_at: Vec<usize> = front.char_indices().map(|(i, _)| i).collect();
    byte_at.push(front.len());
    let bytes = |chars: usize| byte_at.get(chars).copied().unwrap_or(front.len());

    let mut stack: Vec<Frame> = Vec::new();
    let mut entries: Vec<Entry> = Vec::new();
    // The entry strings currently go to (the innermost key whose value is being read).
    let mut open: Vec<usize> = Vec::new();
    for event in Parser::new_from_str(front) {
        let Ok((event, span)) = event else {
            break;
        };
        let (start, end) = (bytes(span.start.index()), bytes(span.end.index()));
        match event {
            Event::MappingStart(..) => {
                let path = match stack.last_mut() {
                    Some(Frame::Mapping {
                        key: Some((key, _)),
                        path,
                    }) => {
                        if path.is_empty() {
                            key.clone()
                        } else {
                            format!("{path}.{key}")
                        }
                    }
                    Some(Frame::Mapping { path, .. }) => path.clone(),
                    _ => String::new(),
                };
                stack.push(Frame::Mapping { path, key: None });
            }
            Event::SequenceStart(..) => stack.push(Frame::Sequence),
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
                value_done(&mut stack, &mut open);
            }
            Event::Scalar(value, style, ..) => match stack.last_mut() {
                Some(Frame::Mapping {
                    path,
                    key: key @ None,
                }) => {
                    let full = if path.is_empty() {
                        value.to_string()
                    } else {
                        format!("{path}.{value}")
                    };
                    *key = Some((value.to_string(), start));
                    open.push(entries.len());
                    entries.push(Entry {
                        key: full,
                        key_start: base + start,
                        strings: Vec::new(),
                    });
                }
                _ => {
                    let style = match style {
                        ScalarStyle::Plain => Style::Plain,
                        ScalarStyle::SingleQuoted => Style::Single,
                        ScalarStyle::DoubleQuoted => Style::Double,
                        ScalarStyle::Literal | ScalarStyle::Folded => Style::Multiline,
                    };
                    if let Some(&entry) = open.last() {
                        entries[entry].strings.push(Str {
                            range: base + start..base + end,
                            value: value.to_string(),
                            style,
                        });
                    }
                    value_done(&mut stack, &mut open);
                }
            },
            _ => {}
        }
    }
    entries
}

/// Where the YAML parser is: in a mapping (awaiting a key, or the value of `key`), or a list.
enum Frame {
    Mapping {
        path: String,
        key: Option<(String, usize)>,
    },
    Sequence,
}

/// A mapping's value has been read whole: the mapping awaits its next key, and the strings
/// that follow no longer belong to that key's entry.
fn value_done(stack: &mut [Frame], open: &mut Vec<usize>) {
    if let Some(Frame::Mapping { key, .. }) = stack.last_mut()
        && key.take().is_some()
    {
        open.pop();
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

    const TOML: &str = "+++\ntitle = \"A [tricky] \\\"title\\\"\" # c\ndate = 2023-09-15\ncompanies = [\"Open AI\", 'Baidu',\n  # a comment, \"not a string\"\n  \"Ten\\u0063ent\", ]\ntags = \"AI\"\nextra = { note = \"x\", url = 'https://e.com/?a=1' }\n[source]\nname = \"Src\"\nurl = \"https://e.com/a?utm_source=x\"\n[more.deep]\nk = [[\"a\"], [\"b\"]]\n+++\nbody = \"not front matter\"\n";

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
            strings(TOML, "more.deep.k"),
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
