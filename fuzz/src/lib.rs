//! The checks behind digest's fuzz targets, shared with `tests/fuzz_regressions.rs` (which
//! includes this file as a module) so the corpus and every crash found replay through exactly
//! the same code in a normal `cargo test`.
//!
//! Each function takes the fuzzer's raw bytes, drives one part of digest with them, and
//! asserts what must hold for any input: no panic, positions inside the file, no live script
//! in Markdown output when raw HTML is off, no path that leaves the served folder.

use std::path::{Component, Path};

use digest::content::front_matter::{self, Fields, Format};
use digest::content::highlight::HighlightCache;
use digest::content::markdown::{self, Hooks, MarkdownOptions, MentionLink};
use digest::content::{check_url, slug};
use digest::library::mentions::{Lexicon, TermRef};

/// The text digest would read: the bytes as UTF-8 when they are (what the loader accepts),
/// else their lossy decoding, so every input reaches the parsers.
fn text_of(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

// ---------------------------------------------------------------------------------------------
// (a) Front matter
// ---------------------------------------------------------------------------------------------

/// Keys an article or profile reads, and what each is read as.
const STRING_KEYS: &[&str] = &[
    "title",
    "author",
    "summary",
    "slug",
    "image",
    "lang",
    "name",
    "website",
    "jurisdiction",
    "status",
];
const LIST_KEYS: &[&str] = &["authors", "companies", "regulations", "tags", "aliases"];
const DATE_KEYS: &[&str] = &["date", "updated", "effective"];
const BOOL_KEYS: &[&str] = &["draft"];
const TABLE_KEYS: &[&str] = &["source", "extra", "timeline"];

pub fn front_matter(data: &[u8]) {
    let text = text_of(data);
    // The loader strips a byte-order mark before splitting; try the text both ways.
    front_matter_text(&text);
    if let Some(rest) = text.strip_prefix('\u{feff}') {
        front_matter_text(rest);
    }
}

fn front_matter_text(text: &str) {
    // YAML, like editors, also breaks lines at a lone carriage return.
    let lone_cr = text
        .as_bytes()
        .windows(2)
        .filter(|w| w[0] == b'\r' && w[1] != b'\n');
    let file_lines =
        text.matches('\n').count() + lone_cr.count() + usize::from(text.ends_with('\r')) + 2;
    let split = match front_matter::split(text) {
        Ok(split) => split,
        Err(e) => {
            assert_eq!(
                (e.line, e.col),
                (1, 1),
                "split errors point at the opening line"
            );
            return;
        }
    };
    assert!(is_inside(text, split.front), "front is a slice of the file");
    assert!(is_inside(text, split.body), "body is a slice of the file");
    assert!(split.body_line >= 3, "body starts after two fences");
    assert!(split.body_line <= file_lines + 1);
    let fence = match split.format {
        Format::Toml => "+++",
        Format::Yaml => "---",
    };
    assert_eq!(text.lines().next().map(str::trim_end), Some(fence));

    let table = match front_matter::parse(&split) {
        Ok(table) => table,
        Err(e) => {
            assert!(e.line >= 1, "{e:?}");
            assert!(
                e.line <= file_lines,
                "error line {} past the file: {e:?}",
                e.line
            );
            return;
        }
    };
    // Extra tables become JSON for templates.
    let _ = front_matter::table_to_json(&table);
    let keys: Vec<String> = table.keys().cloned().collect();

    for tz in time_zones() {
        let mut fields = Fields::new(table.clone(), &split);
        for key in STRING_KEYS {
            if let Some(value) = fields.string(key) {
                check_string_value(&value);
            }
        }
        for key in LIST_KEYS {
            for value in fields.string_list(key).unwrap_or_default() {
                check_string_value(&value);
            }
        }
        for key in DATE_KEYS {
            let _ = fields.date(key, &tz);
        }
        for key in BOOL_KEYS {
            let _ = fields.bool(key);
        }
        for key in TABLE_KEYS {
            if let Some(t) = fields.table(key) {
                let _ = front_matter::table_to_json(&t);
            }
        }
        // Whatever is left is reported with a position and maybe a suggestion.
        let leftover = fields.leftover_keys(&["title", "date", "slug", "companies"]);
        for (_, _, (line, _)) in &leftover {
            assert!(*line == 0 || (2..split.body_line).contains(line), "{line}");
        }
        for key in &keys {
            let (line, col) = fields.position(key);
            assert!(
                line == 0 || ((2..split.body_line).contains(&line) && col >= 1),
                "position of {key:?}: {line}:{col}"
            );
        }
        for e in &fields.errors {
            assert!(
                e.line == 0 || (2..split.body_line).contains(&e.line),
                "field error outside the front matter: {e:?}"
            );
        }
    }
    // Any line may be a date someone wrote.
    for line in split.front.lines().take(64) {
        let value = line.split_once(['=', ':']).map_or(line, |(_, v)| v);
        let value = value.trim().trim_matches(['"', '\'']);
        let _ = front_matter::parse_date(value, &jiff::tz::TimeZone::UTC);
    }
}

fn time_zones() -> Vec<jiff::tz::TimeZone> {
    let mut zones = vec![
        jiff::tz::TimeZone::UTC,
        jiff::tz::TimeZone::fixed(jiff::tz::offset(8)),
    ];
    // A zone with daylight saving time: midnight does not exist on some days.
    if let Ok(zone) = jiff::tz::TimeZone::get("America/Sao_Paulo") {
        zones.push(zone);
    }
    zones
}

/// A value read from front matter: it may become a slug, a term key or a URL.
fn check_string_value(value: &str) {
    if slug::is_valid_slug(value) {
        assert_single_segment(value);
    }
    let slugified = slug::slugify(value);
    assert!(
        slugified.is_empty() || slug::is_valid_slug(&slugified),
        "slugify({value:?}) = {slugified:?} is not a valid slug"
    );
    let from_stem = slug::slug_from_file_stem(value);
    assert!(from_stem.is_empty() || slug::is_valid_slug(&from_stem));
    // Case-folded, without the separators two spellings of one term may differ by; empty
    // exactly when the name has no letter or digit.
    let key = slug::term_key(value);
    assert!(
        !key.chars()
            .any(|c| c.is_whitespace() || matches!(c, '-' | '_' | '.')),
        "term_key({value:?}) = {key:?} keeps a separator"
    );
    assert_eq!(key.is_empty(), !value.chars().any(char::is_alphanumeric));
    if check_url(value).is_ok() {
        assert!(
            !markdown::is_script_url(value),
            "check_url accepted a script URL: {value:?}"
        );
    }
}

/// A slug names one folder of the output: never `..`, a root, or two folders.
fn assert_single_segment(segment: &str) {
    let mut components = Path::new(segment).components();
    assert!(
        matches!(components.next(), Some(Component::Normal(_))) && components.next().is_none(),
        "{segment:?} is not a single path segment"
    );
}

fn is_inside(outer: &str, inner: &str) -> bool {
    let (o, i) = (outer.as_ptr() as usize, inner.as_ptr() as usize);
    i >= o && i + inner.len() <= o + outer.len()
}

// ---------------------------------------------------------------------------------------------
// (b) Markdown to HTML, with highlighting and mention links
// ---------------------------------------------------------------------------------------------

/// Term names as the example site spells them, with the punctuation and scripts that matter
/// for matching.
const NAMES: &[&str] = &[
    "Alibaba",
    "阿里巴巴",
    "AI",
    "Meta",
    "OpenAI",
    "Open AI",
    "JD.com",
    "China Interim Measures",
    "X Corp.",
    "01.AI",
    "Yahoo!",
    "AT&T",
    "Telefónica",
    "Société Générale",
    "T-Mobile",
    "Character.AI",
    "EU AI Act",
    "ß",
    "İstanbul",
    "https",
];

/// Input: the Markdown body; or, when the input holds a NUL byte, `|`-separated extra term
/// names before it and the body after it.
pub fn markdown(data: &[u8]) {
    let text = text_of(data);
    let (extra_names, body) = match text.split_once('\0') {
        Some((names, body)) => (names.split('|').take(32).collect::<Vec<_>>(), body),
        None => (Vec::new(), text.as_str()),
    };
    let names: Vec<(String, TermRef)> = NAMES
        .iter()
        .chain(&extra_names)
        .enumerate()
        .map(|(i, name)| (name.to_string(), (i % 3, i)))
        .collect();
    let lexicon = Lexicon::new(names.clone());

    // Mention detection reads the title and the prose parts.
    let parts = markdown::prose_parts(body);
    for part in &parts {
        let part = body.get(part.clone());
        assert!(part.is_some(), "prose parts are ranges of the body");
        check_mentions(&lexicon, part.unwrap_or(""));
    }
    check_mentions(&lexicon, body);

    let linker = |text: &str| -> Vec<MentionLink> {
        lexicon
            .find(text)
            .into_iter()
            .map(|m| MentionLink {
                start: m.start,
                end: m.end,
                url: format!("/terms/{}-{}/", m.term.0, m.term.1),
            })
            .collect()
    };
    let resolve = |link: &str| -> Option<String> {
        link.len()
            .is_multiple_of(2)
            .then(|| format!("/articles/{}/", slug::slugify(link)))
    };
    // One cache per input, shared by the option combinations as one build shares it.
    let highlighter = HighlightCache::default();
    for bits in 0..16u8 {
        let options = MarkdownOptions {
            smart_punctuation: bits & 1 != 0,
            highlight: bits & 2 != 0,
            unsafe_html: bits & 4 != 0,
        };
        let hooks = Hooks {
            resolve_link: &resolve,
            highlighter: &highlighter,
            mention_links: (bits & 8 != 0).then_some(&linker as markdown::MentionLinker<'_>),
            base_path: if bits & 1 != 0 { "/digest" } else { "" },
        };
        let out = markdown::render(body, options, hooks);
        let body_lines = body.lines().count() + 1;
        for w in &out.warnings {
            assert!(
                (1..=body_lines).contains(&w.line) && w.col >= 1,
                "warning outside the body: {w:?}"
            );
        }
        for entry in &out.toc {
            assert!((1..=6).contains(&entry.level), "{entry:?}");
            assert!(!entry.id.is_empty());
        }
        let _ = markdown::reading_time(out.word_count);
        if !options.unsafe_html {
            assert_no_live_script(&out.html);
            assert_no_live_script(&out.summary_html);
        }
    }
}

fn check_mentions(lexicon: &Lexicon, text: &str) {
    let found = lexicon.find(text);
    let mut last_end = 0;
    for m in &found {
        assert!(m.start < m.end && m.end <= text.len(), "{m:?}");
        assert!(m.start >= last_end, "mentions overlap or are out of order");
        assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
        last_end = m.end;
    }
}

/// Tags the Markdown renderer writes itself, and the attributes they carry.
const TAGS: &[&str] = &[
    "a",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "img",
    "input",
    "li",
    "ol",
    "p",
    "pre",
    "section",
    "span",
    "strong",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
];
const ATTRIBUTES: &[&str] = &[
    "alt",
    "aria-label",
    "checked",
    "class",
    "data-lang",
    "disabled",
    "href",
    "id",
    "role",
    "src",
    "start",
    "style",
    "tabindex",
    "title",
    "type",
];

/// With `unsafe_html = false`, every `<` of the output opens a tag the renderer wrote: only
/// known tags, only known attributes (no `on…` handler), and no `javascript:`-like link.
fn assert_no_live_script(html: &str) {
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        let closing = rest.starts_with('/');
        let name_start = usize::from(closing);
        let name_end = rest[name_start..]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .map_or(rest.len(), |i| i + name_start);
        let name = rest[name_start..name_end].to_ascii_lowercase();
        assert!(
            TAGS.contains(&name.as_str()),
            "unexpected tag <{name}> in {html:?}"
        );
        rest = &rest[name_end..];
        // Attributes up to the end of the tag.
        loop {
            rest = rest.trim_start();
            if rest.is_empty() {
                panic!("unterminated tag <{name}> in {html:?}");
            }
            if let Some(after) = rest.strip_prefix('>') {
                rest = after;
                break;
            }
            if let Some(after) = rest.strip_prefix("/>") {
                rest = after;
                break;
            }
            let attr_end = rest
                .find(|c: char| c == '=' || c == '>' || c == '/' || c.is_whitespace())
                .unwrap_or(rest.len());
            let attr = rest[..attr_end].to_ascii_lowercase();
            assert!(
                ATTRIBUTES.contains(&attr.as_str()),
                "unexpected attribute {attr:?} on <{name}> in {html:?}"
            );
            rest = &rest[attr_end..];
            if rest.starts_with('/') && !rest.starts_with("/>") {
                panic!("stray / in <{name}> in {html:?}");
            }
            if let Some(after) = rest.strip_prefix('=') {
                let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'');
                let Some(quote) = quote else {
                    panic!("unquoted value of {attr} on <{name}> in {html:?}");
                };
                let value_end = after[1..]
                    .find(quote)
                    .unwrap_or_else(|| panic!("unterminated {attr} value in {html:?}"));
                let value = decode_entities(&after[1..1 + value_end]);
                if attr == "href" || attr == "src" {
                    assert!(
                        !markdown::is_script_url(&value),
                        "script URL {value:?} in {html:?}"
                    );
                }
                rest = &after[1 + value_end + 1..];
            }
        }
    }
}

/// The entities pulldown-cmark and digest write in attribute values.
fn decode_entities(value: &str) -> String {
    value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

// ---------------------------------------------------------------------------------------------
// (c) Paths: `--relative` link rewriting and the preview server's request paths
// ---------------------------------------------------------------------------------------------

/// Input: up to four NUL-separated parts: HTML, page file, base path, request path.
pub fn paths(data: &[u8]) {
    let text = text_of(data);
    let mut parts = text.split('\0');
    let html = parts.next().unwrap_or("");
    let file = parts.next().unwrap_or("articles/x/index.html");
    let base = parts.next().unwrap_or("/digest");
    let request = parts.next().unwrap_or(html);

    let lower = html.to_ascii_lowercase();
    let no_url_attribute = !["href", "src", "poster", "action", "cite", "data"]
        .iter()
        .any(|name| lower.contains(name));
    for (file, base) in [(file, base), ("index.html", ""), (file, "/digest")] {
        let out = digest::render::relative::rewrite(html, file, base);
        if no_url_attribute && let Ok(out) = out {
            assert_eq!(out, html, "nothing to rewrite");
        }
    }
    for path in [request, html, text.as_str()] {
        check_request_path(path);
    }
}

fn check_request_path(path: &str) {
    let Some(relative) = digest::serve::http::safe_relative_path(path) else {
        return;
    };
    assert!(!relative.is_absolute(), "{path:?} gave {relative:?}");
    for component in relative.components() {
        assert!(
            matches!(component, Component::Normal(_)),
            "{path:?} gave {relative:?}"
        );
    }
    let text = relative.to_string_lossy();
    assert!(!text.contains('\\') && !text.contains('\0'), "{relative:?}");
    assert!(
        !relative.iter().any(|part| part == ".."),
        "{path:?} gave {relative:?}"
    );
    let root = Path::new("/srv/site");
    assert!(root.join(&relative).starts_with(root));
}

// ---------------------------------------------------------------------------------------------
// (d) Mention scanning as a build does it, with a lexicon that is never empty
// ---------------------------------------------------------------------------------------------

/// Spellings whose edges and insides are where byte-indexing scanners break: spaces (also
/// no-break and ideographic ones), CJK without spaces, punctuation, combining marks, a ZWJ
/// emoji sequence, right-to-left text.
const HARD_NAMES: &[&str] = &[
    "Open AI",
    "China Interim Measures",
    "阿里巴巴",
    "腾讯",
    "ソニー",
    "삼성전자",
    "AT&T",
    "Yahoo!",
    "X Corp.",
    "JD.com",
    "Open\u{a0}AI",
    "Société Générale",
    "Cafe\u{301} Inc",
    "👩\u{200d}💻 Labs",
    "شركة أرامكو",
    "Meta",
    "AI",
];

/// Input: the article body; or `title NUL body`; or `name|name|… NUL title NUL body` to add
/// spellings. Drives `mentions::scan` (title + the body's prose, as the index stage calls it)
/// and `Lexicon::find`, and checks that every mention is a real occurrence of a spelling.
pub fn mentions(data: &[u8]) {
    let text = text_of(data);
    let pieces: Vec<&str> = text.splitn(3, '\0').collect();
    let (extra, title, body) = match pieces.as_slice() {
        [body] => ("", "", *body),
        [title, body] => ("", *title, *body),
        [extra, title, body, ..] => (*extra, *title, *body),
        [] => return,
    };
    let spellings: Vec<&str> = HARD_NAMES
        .iter()
        .copied()
        .chain(NAMES.iter().copied())
        .chain(extra.split('|').filter(|n| !n.is_empty()).take(32))
        .collect();
    let names: Vec<(String, TermRef)> = spellings
        .iter()
        .enumerate()
        .map(|(i, name)| (name.to_string(), (0, i)))
        .collect();
    let lexicon = Lexicon::new(names);
    assert!(!lexicon.is_empty(), "the lexicon has names");
    for piece in [title, body] {
        for m in lexicon.find(piece) {
            assert!(piece.is_char_boundary(m.start) && piece.is_char_boundary(m.end));
            let found = &piece[m.start..m.end];
            let spelling = spellings[m.term.1].trim();
            assert!(
                found.eq_ignore_ascii_case(spelling),
                "mention {found:?} is not the spelling {spelling:?}"
            );
        }
    }
    let terms = digest::library::mentions::scan(&lexicon, title, body);
    assert!(terms.windows(2).all(|w| w[0] < w[1]), "terms sorted, once");
    for term in terms {
        assert!(term.1 < spellings.len());
    }
}

// ---------------------------------------------------------------------------------------------
// (e) Small text scanners: slugs, escaping, word counts, tracking parameters, --fix spans
// ---------------------------------------------------------------------------------------------

/// Input: any text. Every scanner must accept it; each result keeps its own promise.
pub fn text(data: &[u8]) {
    let text = text_of(data);
    let slug = slug::slugify(&text);
    assert!(
        slug.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    );
    let _ = slug::slug_from_file_stem(&text);
    let escaped = digest::text::escape_html(&text);
    assert!(!escaped.contains(['<', '>', '"', '\'']));
    assert_eq!(decode_entities(&escaped), text, "escaping round-trips");
    let _ = digest::text::escape_xml(&text);
    for offset in [0, text.len() / 2, text.len()] {
        let (line, col) = digest::text::line_col(&text, offset);
        assert!(line >= 1 && col >= 1);
    }
    let _ = markdown::count_words(&text);
    if let Some((clean, removed)) = digest::check::tracking::strip(&text) {
        assert!(!removed.is_empty() && clean.len() < text.len());
    }
    let _ = digest::check::tracking::identity(&text);
    if let Some(located) = digest::content::spans::Located::new(&text) {
        for entry in &located.entries {
            for s in &entry.strings {
                assert!(text.get(s.range.clone()).is_some(), "span inside the file");
            }
        }
    }
    for base in ["", "/digest"] {
        let _ = digest::render::relative::rewrite(&text, "articles/x/index.html", base);
    }
}
