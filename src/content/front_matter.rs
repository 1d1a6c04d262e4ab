//! Front matter: split it from the body, parse TOML (`+++`) or YAML (`---`) into one generic
//! table, then read typed fields out of it with errors that point at the line in the file.

use std::collections::BTreeMap;

use toml::{Table, Value};

use crate::error::Code;
use crate::text::{did_you_mean, line_col};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Toml,
    Yaml,
}

/// A file cut into its front matter and its body, remembering where each starts.
#[derive(Debug)]
pub struct Split<'a> {
    pub format: Format,
    pub front: &'a str,
    pub body: &'a str,
    /// 1-based line of the file where the body starts.
    pub body_line: usize,
}

/// A problem found in front matter, positioned in the file (the opening fence is line 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub code: Code,
    pub line: usize,
    pub col: usize,
    pub message: String,
    pub hint: Option<String>,
}

impl FieldError {
    fn new(code: Code, line: usize, col: usize, message: impl Into<String>) -> Self {
        FieldError {
            code,
            line,
            col,
            message: message.into(),
            hint: None,
        }
    }

    fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// Cuts `text` (already without a byte-order mark) at its front-matter fences.
pub fn split(text: &str) -> Result<Split<'_>, FieldError> {
    let first_line_end = text.find('\n').unwrap_or(text.len());
    let fence = text[..first_line_end].trim_end();
    let format = match fence {
        "+++" => Format::Toml,
        "---" => Format::Yaml,
        _ => {
            return Err(FieldError::new(Code::ParseError, 1, 1, "missing front matter").hint(
                "start the file with a line `+++`, then `title = \"…\"` and `date = YYYY-MM-DD`, then a closing `+++`",
            ));
        }
    };
    let front_start = (first_line_end + 1).min(text.len());
    let mut offset = front_start;
    let mut line = 2;
    while offset < text.len() {
        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        if text[offset..end].trim_end() == fence {
            let body_start = (end + 1).min(text.len());
            return Ok(Split {
                format,
                front: &text[front_start..offset],
                body: &text[body_start..],
                body_line: line + 1,
            });
        }
        offset = end + 1;
        line += 1;
    }
    Err(FieldError::new(
        Code::ParseError,
        1,
        1,
        format!("front matter opened with `{fence}` is never closed"),
    )
    .hint(format!(
        "add a line `{fence}` after the last front-matter field"
    )))
}

/// Parses the front matter into a table; YAML is converted so that one reader handles both.
pub fn parse(split: &Split<'_>) -> Result<Table, FieldError> {
    match split.format {
        Format::Toml => split.front.parse::<Table>().map_err(|e| {
            let (line, col) = e.span().map_or((0, 0), |s| line_col(split.front, s.start));
            FieldError::new(Code::ParseError, line + 1, col, format!("invalid TOML: {}", e.message().trim()))
                .hint("front matter between `+++` lines is TOML: `key = \"value\"`, lists as `[\"a\", \"b\"]`")
        }),
        Format::Yaml => {
            if split.front.trim().is_empty() {
                return Ok(Table::new());
            }
            let value: yaml_serde::Value = yaml_serde::from_str(split.front).map_err(|e| {
                let (line, col) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
                let message = e.to_string();
                let message = message.split(" at line ").next().unwrap_or(&message).to_string();
                // The parser points at the mapping that holds a duplicate key; the line to mend
                // is the key's second appearance.
                let (line, col) = duplicate_yaml_key(split.front, &message).unwrap_or((line, col));
                FieldError::new(Code::ParseError, line + 1, col, format!("invalid YAML: {message}"))
                    .hint("front matter between `---` lines is YAML: `key: value`, lists as `[a, b]`")
            })?;
            match yaml_to_toml(value) {
                Some(Value::Table(table)) => Ok(table),
                None => Ok(Table::new()),
                Some(_) => Err(FieldError::new(Code::ParseError, 2, 1, "YAML front matter must be a mapping of keys to values")),
            }
        }
    }
}

/// For "duplicate entry with key \"title\"": the 1-based front-matter line and column of the
/// second top-level `title:`, if it can be found.
fn duplicate_yaml_key(front: &str, message: &str) -> Option<(usize, usize)> {
    let key = message
        .strip_prefix("duplicate entry with key ")?
        .trim()
        .trim_matches('"');
    let mut seen = 0;
    for (i, line) in front.lines().enumerate() {
        let rest = [key.to_string(), format!("\"{key}\""), format!("'{key}'")]
            .iter()
            .find_map(|k| line.strip_prefix(k.as_str()).map(str::trim_start));
        if rest.is_some_and(|r| r.starts_with(':')) {
            seen += 1;
            if seen == 2 {
                return Some((i + 1, 1));
            }
        }
    }
    None
}

fn yaml_to_toml(value: yaml_serde::Value) -> Option<Value> {
    use yaml_serde::Value as Y;
    Some(match value {
        Y::Null => return None,
        Y::Bool(b) => Value::Boolean(b),
        Y::Number(n) => match n.as_i64() {
            Some(i) => Value::Integer(i),
            None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(items.into_iter().filter_map(yaml_to_toml).collect()),
        Y::Mapping(map) => Value::Table(
            map.into_iter()
                .filter_map(|(k, v)| {
                    let key = match k {
                        Y::String(s) => s,
                        Y::Bool(b) => b.to_string(),
                        Y::Number(n) => n.to_string(),
                        _ => return None,
                    };
                    Some((key, yaml_to_toml(v)?))
                })
                .collect(),
        ),
        Y::Tagged(tagged) => return yaml_to_toml(tagged.value),
    })
}

/// Reads typed fields out of a front-matter table, collecting every problem instead of
/// stopping at the first, and remembering which keys were read so the rest can be reported.
pub struct Fields<'a> {
    table: Table,
    front: &'a str,
    format: Format,
    /// Where each key is written, parsed on the first [`Fields::position`].
    entries: std::cell::OnceCell<Vec<super::spans::Entry>>,
    pub errors: Vec<FieldError>,
}

impl<'a> Fields<'a> {
    pub fn new(table: Table, split: &Split<'a>) -> Self {
        Fields {
            table,
            front: split.front,
            format: split.format,
            entries: std::cell::OnceCell::new(),
            errors: Vec::new(),
        }
    }

    /// File line and column of `key` (the opening fence is line 1), where the parser read it;
    /// (0, 0) when it is not written. The front matter is parsed for positions only when one
    /// is asked for: most files never need one.
    pub fn position(&self, key: &str) -> (usize, usize) {
        let entries = self
            .entries
            .get_or_init(|| super::spans::front_entries(self.front, self.format));
        match entries.iter().find(|e| e.key == key) {
            Some(entry) => {
                let (line, col) = crate::text::line_col(self.front, entry.key_start);
                (line + 1, col)
            }
            None => (0, 0),
        }
    }

    /// Whether the front matter sets `key` at its top level (not inside `[source]` or `[extra]`).
    pub fn contains(&self, key: &str) -> bool {
        self.table.contains_key(key)
    }

    /// `key = value` or `key: value`, as the file's own format writes it, for hints.
    pub fn assignment(&self, key: &str, value: &str) -> String {
        match self.format {
            Format::Toml => format!("{key} = {value}"),
            Format::Yaml => format!("{key}: {value}"),
        }
    }

    pub fn error(
        &mut self,
        code: Code,
        key: &str,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        let (line, col) = self.position(key);
        let mut e = FieldError::new(code, line, col, message);
        e.hint = hint;
        self.errors.push(e);
    }

    /// A required field that is not there: reported at the top of the file, with the line
    /// to add (`example` as its value).
    pub fn missing(&mut self, key: &str, example: &str) {
        let mut e = FieldError::new(Code::MissingField, 1, 1, format!("missing `{key}`"));
        e.hint = Some(format!(
            "add a line `{}` to the front matter",
            self.assignment(key, example)
        ));
        self.errors.push(e);
    }

    fn wrong_type(&mut self, key: &str, expected: &str, found: &Value) {
        let message = format!("`{key}` must be {expected}, found {}", describe(found));
        let hint = match (expected, found) {
            ("true or false", Value::String(s)) => {
                let b = matches!(s.to_ascii_lowercase().as_str(), "yes" | "true" | "on" | "1");
                Some(format!(
                    "write `{}` without quotes",
                    self.assignment(key, &b.to_string())
                ))
            }
            _ => None,
        };
        self.error(Code::InvalidValue, key, message, hint);
    }

    pub fn take(&mut self, key: &str) -> Option<Value> {
        self.table.remove(key)
    }

    pub fn string(&mut self, key: &str) -> Option<String> {
        match self.take(key)? {
            Value::String(s) => Some(s),
            other => {
                self.wrong_type(key, "a string", &other);
                None
            }
        }
    }

    pub fn bool(&mut self, key: &str) -> Option<bool> {
        match self.take(key)? {
            Value::Boolean(b) => Some(b),
            other => {
                self.wrong_type(key, "true or false", &other);
                None
            }
        }
    }

    /// A list of strings; a single string is accepted as a one-item list.
    pub fn string_list(&mut self, key: &str) -> Option<Vec<String>> {
        match self.take(key)? {
            Value::String(s) => Some(vec![s]),
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        Value::String(s) => out.push(s),
                        other => {
                            self.wrong_type(key, "a list of strings", &other);
                            return None;
                        }
                    }
                }
                Some(out)
            }
            other => {
                self.wrong_type(key, "a list of strings", &other);
                None
            }
        }
    }

    /// A date or date-time, as a TOML date, or a string in either form.
    pub fn date(&mut self, key: &str, tz: &jiff::tz::TimeZone) -> Option<jiff::ZonedDateTime> {
        let (text, value) = match self.take(key)? {
            Value::Datetime(d) => (d.to_string(), None),
            Value::String(s) => (s, None),
            other => (String::new(), Some(other)),
        };
        if let Some(other) = value {
            self.wrong_type(key, "a date", &other);
            return None;
        }
        match parse_date(&text, tz) {
            Some(zoned) => Some(zoned),
            None => {
                self.error(
                    Code::InvalidValue,
                    key,
                    format!("`{key}` is not a valid date: {text:?}"),
                    Some(format!(
                        "write `{}` (e.g. 2023-09-15) or an RFC 3339 date-time (2023-09-15T08:30:00Z)",
                        self.assignment(key, "YYYY-MM-DD")
                    )),
                );
                None
            }
        }
    }

    pub fn table(&mut self, key: &str) -> Option<Table> {
        match self.take(key)? {
            Value::Table(t) => Some(t),
            other => {
                self.wrong_type(key, "a table", &other);
                None
            }
        }
    }

    /// Keys nobody read, with a did-you-mean among `known`.
    pub fn leftover_keys(&self, known: &[&str]) -> Vec<(String, Option<String>, (usize, usize))> {
        self.table
            .keys()
            .map(|k| {
                let suggestion = did_you_mean(k, known.iter().copied()).map(str::to_string);
                (k.clone(), suggestion, self.position(k))
            })
            .collect()
    }
}

fn describe(value: &Value) -> String {
    match value {
        Value::String(s) => format!("the string {s:?}"),
        Value::Integer(i) => format!("the number {i}"),
        Value::Float(f) => format!("the number {f}"),
        Value::Boolean(b) => format!("{b}"),
        Value::Datetime(d) => format!("the date {d}"),
        Value::Array(_) => "a list".into(),
        Value::Table(_) => "a table".into(),
    }
}

/// `YYYY-MM-DD` (midnight in the site's time zone), an RFC 3339 date-time, or a date-time
/// without offset (read in the site's time zone).
pub fn parse_date(text: &str, tz: &jiff::tz::TimeZone) -> Option<jiff::ZonedDateTime> {
    let text = text.trim();
    if text.len() == 10 {
        let date: jiff::civil::Date = text.parse().ok()?;
        return date.to_zoned_datetime(tz.clone()).ok();
    }
    if let Ok(ts) = text.parse::<jiff::Timestamp>() {
        return Some(ts.to_zoned_datetime(tz.clone()));
    }
    let datetime: jiff::civil::DateTime = text.parse().ok()?;
    datetime.to_zoned_datetime(tz.clone()).ok()
}

/// Extra tables keep their structure for templates.
pub fn table_to_json(table: &Table) -> serde_json::Value {
    value_to_json(table)
}

/// A front-matter value for templates (TOML dates become their text).
pub fn value_to_json(value: &impl serde::Serialize) -> serde_json::Value {
    // Every TOML value has a JSON form (dates as strings); nothing else reaches here.
    serde_json::to_value(value).expect("a TOML value converts to JSON")
}

pub type TermLists = BTreeMap<String, Vec<String>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_toml_and_yaml() {
        let s = split("+++\ntitle = \"a\"\n+++\nbody\n").unwrap();
        assert_eq!(s.format, Format::Toml);
        assert_eq!(s.front, "title = \"a\"\n");
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line, 4);
        let s = split("---\r\ntitle: a\r\n---\r\nbody").unwrap();
        assert_eq!(s.format, Format::Yaml);
        assert_eq!(s.body, "body");
    }

    #[test]
    fn split_errors() {
        assert_eq!(
            split("+++\ntitle = \"a\"\n").unwrap_err().message,
            "front matter opened with `+++` is never closed"
        );
        assert_eq!(split("").unwrap_err().message, "missing front matter");
        assert_eq!(split("# Title").unwrap_err().line, 1);
    }

    #[test]
    fn toml_error_line_counts_the_fence() {
        let text = "+++\ntitle = \"a\"\ndate = = 3\n+++\n";
        let err = parse(&split(text).unwrap()).unwrap_err();
        assert_eq!(err.line, 3);
    }

    #[test]
    fn yaml_error_line_counts_the_fence() {
        let text = "---\ntitle: a\ntags: [a, b\n---\n";
        let err = parse(&split(text).unwrap()).unwrap_err();
        assert!(err.line >= 3, "{err:?}");
        assert!(err.message.starts_with("invalid YAML"));
    }

    #[test]
    fn yaml_becomes_a_table() {
        let text = "---\ntitle: \"A: b\"\ndate: 2023-09-15\ntags: [AI, LLM]\ndraft: false\nsummary:\n---\n";
        let table = parse(&split(text).unwrap()).unwrap();
        assert_eq!(table["title"].as_str(), Some("A: b"));
        assert_eq!(table["date"].as_str(), Some("2023-09-15"));
        assert_eq!(table["tags"].as_array().map(Vec::len), Some(2));
        assert!(!table.contains_key("summary"));
    }

    #[test]
    fn typed_fields_report_every_problem() {
        let text = "+++\ntitle = 3\ndraft = \"no\"\ntags = \"AI\"\n+++\n";
        let s = split(text).unwrap();
        let mut fields = Fields::new(parse(&s).unwrap(), &s);
        assert_eq!(fields.string("title"), None);
        assert_eq!(fields.bool("draft"), None);
        assert_eq!(fields.string_list("tags"), Some(vec!["AI".to_string()]));
        assert_eq!(fields.errors.len(), 2);
        assert_eq!((fields.errors[0].line, fields.errors[0].col), (2, 1));
        assert_eq!(fields.errors[1].line, 3);
        assert_eq!(
            fields.errors[1].hint.as_deref(),
            Some("write `draft = false` without quotes")
        );
    }

    #[test]
    fn yaml_duplicate_key_points_at_its_second_line() {
        let text = "---\ntitle: A\ndate: 2023-01-01\ntitle: B\n---\n";
        let err = parse(&split(text).unwrap()).unwrap_err();
        assert_eq!((err.line, err.col), (4, 1), "{err:?}");
        assert!(err.message.contains("duplicate"), "{err:?}");
    }

    #[test]
    fn hints_are_written_in_the_files_own_format() {
        let text = "---\ndraft: \"yes\"\ndate: 2023-13-45\n---\n";
        let s = split(text).unwrap();
        let mut fields = Fields::new(parse(&s).unwrap(), &s);
        assert_eq!(fields.bool("draft"), None);
        assert!(fields.date("date", &jiff::tz::TimeZone::UTC).is_none());
        assert_eq!(
            fields.errors[0].hint.as_deref(),
            Some("write `draft: true` without quotes")
        );
        assert!(
            fields.errors[1]
                .hint
                .as_deref()
                .is_some_and(|h| h.starts_with("write `date: YYYY-MM-DD`")),
            "{:?}",
            fields.errors[1]
        );
    }

    #[test]
    fn dates() {
        let tz = jiff::tz::TimeZone::UTC;
        assert!(parse_date("2023-09-15", &tz).is_some());
        assert!(parse_date("2023-09-15T10:00:00+08:00", &tz).is_some());
        assert!(parse_date("2023-09-15T10:00:00", &tz).is_some());
        for bad in ["2023-13-45", "yesterday", "2020-12-2", ""] {
            assert!(parse_date(bad, &tz).is_none(), "{bad}");
        }
    }
}
