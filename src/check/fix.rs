//! `digest check --fix`: making the edits the check proposed.
//!
//! Strings in a TOML front matter are rewritten through `toml_edit`, which keeps every comment,
//! blank line and layout of the rest of the table by design; the replacement's literal is
//! parsed back by it, so a fix can never leave TOML that does not read. YAML front matter and
//! Markdown bodies have no such editor in our dependencies; there the edit replaces the exact
//! bytes the parser located (see [`crate::content::spans`]). Each file is written atomically.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use toml_edit::{Item, Table, Value};

use super::Edit;
use crate::content::front_matter::{self, Format};
use crate::error::Result;

/// Makes the edits, file by file, each file read and written once. An edit whose bytes are no
/// longer what was checked (the file changed meanwhile) is left out. Returns (made, not made).
pub(super) fn apply(root: &Path, edits: Vec<Edit>) -> Result<(Vec<Edit>, Vec<Edit>)> {
    let mut by_file: BTreeMap<PathBuf, Vec<Edit>> = BTreeMap::new();
    for edit in edits {
        by_file.entry(edit.path.clone()).or_default().push(edit);
    }
    let mut fixed = Vec::new();
    let mut not_fixed = Vec::new();
    for (path, edits) in by_file {
        let full = root.join(&path);
        let original = crate::fs::read_to_string(&full)?;
        let (bom, text) = match original.strip_prefix('\u{feff}') {
            Some(rest) => ("\u{feff}", rest),
            None => ("", original.as_str()),
        };
        let (edited, done, skipped) = edit_text(text, edits);
        not_fixed.extend(skipped);
        if !done.is_empty() {
            // Atomically: an editor or a crash never finds the file half written.
            crate::fs::write_atomic(&full, format!("{bom}{edited}"))?;
            fixed.extend(done);
        }
    }
    Ok((fixed, not_fixed))
}

/// `text` with `edits` made: those inside a TOML front matter through `toml_edit`, the others
/// byte for byte. Returns the text, the edits made and those skipped.
fn edit_text(text: &str, mut edits: Vec<Edit>) -> (String, Vec<Edit>, Vec<Edit>) {
    edits.sort_by_key(|e| e.range.start);
    let (mut done, mut skipped) = (Vec::new(), Vec::new());
    // Edits whose bytes are no longer what the check saw, or that overlap one before them.
    let mut at = 0;
    edits.retain(|edit| {
        let ok = edit.range.start >= at && text.get(edit.range.clone()) == Some(&edit.original);
        if ok {
            at = edit.range.end;
        } else {
            skipped.push(edit.clone());
        }
        ok
    });

    let toml_front = front_matter::split(text)
        .ok()
        .filter(|split| split.format == Format::Toml)
        .map(|split| {
            let start = split.front.as_ptr() as usize - text.as_ptr() as usize;
            start..start + split.front.len()
        });
    let (in_front, mut in_bytes): (Vec<Edit>, Vec<Edit>) = edits.into_iter().partition(|e| {
        toml_front
            .as_ref()
            .is_some_and(|front| front.contains(&e.range.start))
    });

    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    if let Some(front) = toml_front.filter(|_| !in_front.is_empty()) {
        let lines = &text[front.clone()];
        if lines.contains("\r\n") && lines.matches("\r\n").count() != lines.matches('\n').count() {
            // Mixed line ends, which toml_edit would make all alike: byte edits keep them.
            in_bytes.extend(in_front);
            in_bytes.sort_by_key(|e| e.range.start);
        } else {
            match edit_toml(lines, front.start, &in_front) {
                Some(edited) => {
                    out.push_str(&text[..front.start]);
                    out.push_str(&edited);
                    copied = front.end;
                    done.extend(in_front);
                }
                None => skipped.extend(in_front),
            }
        }
    }
    for edit in in_bytes {
        out.push_str(&text[copied..edit.range.start]);
        out.push_str(&edit.replacement);
        copied = edit.range.end;
        done.push(edit);
    }
    out.push_str(&text[copied..]);
    (out, done, skipped)
}

/// One step of the way to a value in a TOML document.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

/// The TOML `front` (which starts at byte `offset` of its file) with each edit's string replaced
/// by its replacement, through `toml_edit`. `None` when the front does not parse, an edit does
/// not fall on a string, or a replacement is not a TOML value: then nothing is changed. Its line
/// ends are all `\n` or all `\r\n` (a front matter mixing them is left to the byte edits).
fn edit_toml(front: &str, offset: usize, edits: &[Edit]) -> Option<String> {
    let parsed = toml_edit::Document::parse(front).ok()?;
    let mut strings = Vec::new();
    strings_of_table(parsed.as_table(), &mut Vec::new(), &mut strings);
    let paths = edits
        .iter()
        .map(|edit| {
            let range = edit.range.start - offset..edit.range.end - offset;
            strings
                .iter()
                .find(|(_, span)| *span == range)
                .map(|(path, _)| path.clone())
        })
        .collect::<Option<Vec<Vec<Step>>>>()?;
    let mut document = parsed.into_mut();
    for (edit, path) in edits.iter().zip(paths) {
        let mut replacement: Value = edit.replacement.parse().ok()?;
        let value = value_in_table(document.as_table_mut(), &path)?;
        *replacement.decor_mut() = value.decor().clone();
        *value = replacement;
    }
    // toml_edit writes `\n` line ends; a file written with `\r\n` keeps them.
    let edited = document.to_string();
    Some(if front.contains("\r\n") {
        edited.replace('\n', "\r\n")
    } else {
        edited
    })
}

/// Every string value under `table` with its path and its span in the parsed text.
fn strings_of_table(table: &Table, path: &mut Vec<Step>, out: &mut Vec<(Vec<Step>, Range<usize>)>) {
    for (key, item) in table.iter() {
        path.push(Step::Key(key.to_string()));
        match item {
            Item::Value(value) => strings_of_value(value, path, out),
            Item::Table(table) => strings_of_table(table, path, out),
            Item::ArrayOfTables(tables) => {
                for (i, table) in tables.iter().enumerate() {
                    path.push(Step::Index(i));
                    strings_of_table(table, path, out);
                    path.pop();
                }
            }
            Item::None => {}
        }
        path.pop();
    }
}

fn strings_of_value(value: &Value, path: &mut Vec<Step>, out: &mut Vec<(Vec<Step>, Range<usize>)>) {
    match value {
        Value::String(s) => {
            if let Some(span) = s.span() {
                out.push((path.clone(), span));
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(Step::Index(i));
                strings_of_value(item, path, out);
                path.pop();
            }
        }
        Value::InlineTable(table) => {
            for (key, item) in table.iter() {
                path.push(Step::Key(key.to_string()));
                strings_of_value(item, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn value_in_table<'a>(table: &'a mut Table, path: &[Step]) -> Option<&'a mut Value> {
    let (Step::Key(key), rest) = path.split_first()? else {
        return None;
    };
    match table.get_mut(key)? {
        Item::Value(value) => value_in_value(value, rest),
        Item::Table(table) => value_in_table(table, rest),
        Item::ArrayOfTables(tables) => {
            let (Step::Index(i), rest) = rest.split_first()? else {
                return None;
            };
            value_in_table(tables.get_mut(*i)?, rest)
        }
        Item::None => None,
    }
}

fn value_in_value<'a>(value: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    let Some((step, rest)) = path.split_first() else {
        return Some(value);
    };
    match (value, step) {
        (Value::Array(items), Step::Index(i)) => value_in_value(items.get_mut(*i)?, rest),
        (Value::InlineTable(table), Step::Key(key)) => value_in_value(table.get_mut(key)?, rest),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(text: &str, original: &str, replacement: &str) -> Edit {
        let start = text.find(original).expect("the original is in the text");
        Edit {
            path: PathBuf::from("a.md"),
            range: start..start + original.len(),
            original: original.to_string(),
            replacement: replacement.to_string(),
            line: 1,
            col: 1,
            description: String::new(),
        }
    }

    #[test]
    fn toml_front_matter_is_edited_through_toml_edit_keeping_its_layout() {
        let text = "+++\n# a comment\ntitle = \"T\"\ncompanies = [ \"Open AI\",  'Baidu' ] # trailing\nsource = { name = \"X\", url = \"https://x.test/a?utm_source=rss\" }\n\n[extra]\nnote = \"keep\"\n+++\nBody [link](https://x.test/b?utm_source=rss).\n";
        let edits = vec![
            edit(text, "\"Open AI\"", "\"OpenAI\""),
            edit(
                text,
                "\"https://x.test/a?utm_source=rss\"",
                "\"https://x.test/a\"",
            ),
            edit(text, "https://x.test/b?utm_source=rss", "https://x.test/b"),
        ];
        let (out, done, skipped) = edit_text(text, edits);
        assert!(skipped.is_empty(), "{skipped:?}");
        assert_eq!(done.len(), 3);
        assert_eq!(
            out,
            "+++\n# a comment\ntitle = \"T\"\ncompanies = [ \"OpenAI\",  'Baidu' ] # trailing\nsource = { name = \"X\", url = \"https://x.test/a\" }\n\n[extra]\nnote = \"keep\"\n+++\nBody [link](https://x.test/b).\n"
        );
    }

    #[test]
    fn an_edit_of_bytes_that_changed_is_skipped_and_the_rest_made() {
        let text = "+++\ntitle = \"T\"\ncompanies = [\"Open AI\"]\n+++\nBody\n";
        let mut stale = edit(text, "\"T\"", "\"U\"");
        stale.original = "\"S\"".into();
        let edits = vec![stale, edit(text, "\"Open AI\"", "\"OpenAI\"")];
        let (out, done, skipped) = edit_text(text, edits);
        assert_eq!((done.len(), skipped.len()), (1, 1));
        assert!(out.contains("companies = [\"OpenAI\"]") && out.contains("title = \"T\""));
    }

    #[test]
    fn a_replacement_that_is_not_toml_changes_nothing() {
        let text = "+++\ntitle = \"T\"\n+++\nBody\n";
        let (out, done, skipped) = edit_text(text, vec![edit(text, "\"T\"", "\"unterminated")]);
        assert_eq!((out.as_str(), done.len(), skipped.len()), (text, 0, 1));
    }

    #[test]
    fn crlf_line_ends_are_kept_and_mixed_ones_edited_byte_for_byte() {
        let crlf = "+++\r\ntitle = \"T\"\r\ncompanies = [\"Open AI\"]\r\n+++\r\nBody\r\n";
        let (out, ..) = edit_text(crlf, vec![edit(crlf, "\"Open AI\"", "\"OpenAI\"")]);
        assert_eq!(out, crlf.replace("Open AI", "OpenAI"));
        let mixed = "+++\ntitle = \"T\"\r\ncompanies = [\"Open AI\"]\n+++\nBody\n";
        let (out, done, _) = edit_text(mixed, vec![edit(mixed, "\"Open AI\"", "\"OpenAI\"")]);
        assert_eq!((out, done.len()), (mixed.replace("Open AI", "OpenAI"), 1));
    }

    #[test]
    fn yaml_front_matter_is_edited_byte_for_byte() {
        let text = "---\ntitle: T\ncompanies: [Open AI, Baidu] # c\n---\nBody\n";
        let (out, done, _) = edit_text(text, vec![edit(text, "Open AI", "OpenAI")]);
        assert_eq!(done.len(), 1);
        assert_eq!(
            out,
            "---\ntitle: T\ncompanies: [OpenAI, Baidu] # c\n---\nBody\n"
        );
    }
}
