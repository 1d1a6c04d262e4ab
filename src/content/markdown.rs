//! Markdown to HTML in one pass over pulldown-cmark's events: heading ids and the table of
//! contents, highlighted code, escaped raw HTML, resolved links between articles, the summary,
//! and the word count.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use super::highlight::HighlightCache;
use super::slug::slugify;
use crate::text::line_col;

#[derive(Debug, Clone, Copy, Hash)]
pub struct MarkdownOptions {
    pub smart_punctuation: bool,
    pub highlight: bool,
    pub unsafe_html: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    pub level: usize,
    pub id: String,
    pub title: String,
}

/// A problem in the body that does not stop the build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyWarning {
    pub code: crate::error::Code,
    /// What it is about (the unknown language), for warnings repeated across files.
    pub subject: Option<String>,
    /// 1-based line within the body.
    pub line: usize,
    pub col: usize,
    pub message: String,
    pub hint: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    /// HTML before `<!-- more -->`, else the first paragraph.
    pub summary_html: String,
    pub summary_text: String,
    pub word_count: usize,
    pub warnings: Vec<BodyWarning>,
}

/// What a link to another Markdown file in the site becomes: its page's URL, if it exists.
pub type LinkResolver<'a> = &'a (dyn Fn(&str) -> Option<String> + Sync);

const MORE_MARKER: &str = "<!-- more -->";
const TABLE_WRAP_START: &str =
    "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Table\">\n";

/// A task-list checkbox with a name screen readers can announce.
fn task_marker(done: bool) -> &'static str {
    if done {
        "<input type=\"checkbox\" disabled checked aria-label=\"Done\"> "
    } else {
        "<input type=\"checkbox\" disabled aria-label=\"Not done\"> "
    }
}

/// Where a term named in a text should link: byte range in the text and the term's page.
pub struct MentionLink {
    pub start: usize,
    pub end: usize,
    pub url: String,
}

/// Finds the term mentions in a piece of text.
pub type MentionLinker<'a> = &'a (dyn Fn(&str) -> Vec<MentionLink> + Sync);

/// What rendering needs from outside the text.
#[derive(Clone, Copy)]
pub struct Hooks<'a> {
    pub resolve_link: LinkResolver<'a>,
    pub highlighter: &'a HighlightCache,
    /// With `[entities] link_mentions`: the first mention of each term links to its page.
    pub mention_links: Option<MentionLinker<'a>>,
    /// base_url's path (`/digest`, or empty at a domain root): root-relative links and images
    /// of the body name files of this site, so they are written under it, as front-matter
    /// images are.
    pub base_path: &'a str,
}

/// Renders a Markdown body to HTML with its table of contents, summary, word count and
/// warnings, in one pass over pulldown-cmark's events.
pub fn render(body: &str, options: MarkdownOptions, hooks: Hooks<'_>) -> Rendered {
    let mut pass = Pass::new(body, options, hooks);
    let parser =
        Parser::new_ext(body, parser_options(options.smart_punctuation)).into_offset_iter();
    for (event, range) in parser {
        if pass.code.is_some() {
            pass.code_event(event);
        } else if pass.heading.is_some() {
            pass.heading_event(event, range.start);
        } else {
            pass.event(event, range.start);
        }
    }
    pass.finish()
}

/// The state of [`render`]'s one pass over a body's events. Code blocks and headings are
/// collected whole before they are written: a block is highlighted as one text, and a
/// heading's id is made from all of its text.
struct Pass<'b, 'h> {
    body: &'b str,
    options: MarkdownOptions,
    links: Links<'h>,
    highlighter: &'h HighlightCache,
    mention_links: Option<MentionLinker<'h>>,
    out: Rendered,
    /// The events to write, rewritten as they arrive.
    events: Vec<Event<'b>>,
    used_ids: UsedIds,
    /// Where `<!-- more -->` was, as an index in `events`.
    more_at: Option<usize>,
    /// The first top-level paragraph, as a range of `events` (its end `usize::MAX` while open).
    first_paragraph: Option<(usize, usize)>,
    /// How many tags are open around the current event.
    depth: usize,
    /// How many links are open (Markdown, images or raw `<a>`): no mention links inside them.
    link_depth: usize,
    /// Terms already linked: only a term's first mention links to its page.
    linked_terms: HashSet<String>,
    heading: Option<PendingHeading<'b>>,
    /// A code block being read: its language, its text so far, where it starts in the body.
    code: Option<(String, String, usize)>,
}

impl<'b, 'h> Pass<'b, 'h> {
    fn new(body: &'b str, options: MarkdownOptions, hooks: Hooks<'h>) -> Self {
        let Hooks {
            resolve_link,
            highlighter,
            mention_links,
            base_path,
        } = hooks;
        Pass {
            body,
            options,
            links: Links {
                resolve: resolve_link,
                base_path,
            },
            highlighter,
            mention_links,
            out: Rendered::default(),
            events: Vec::new(),
            used_ids: UsedIds::default(),
            more_at: None,
            first_paragraph: None,
            depth: 0,
            link_depth: 0,
            linked_terms: HashSet::new(),
            heading: None,
            code: None,
        }
    }

    /// `event` made safe to write: see [`sanitize`].
    fn sanitize(&mut self, event: Event<'b>, offset: usize) -> Event<'b> {
        sanitize(
            event,
            self.options,
            &self.links,
            self.body,
            offset,
            &mut self.out.warnings,
        )
    }

    /// Inside a code block: its text is gathered, and at its end highlighted as one piece.
    fn code_event(&mut self, event: Event<'b>) {
        match event {
            Event::Text(text) => {
                if let Some((_, code_text, _)) = self.code.as_mut() {
                    code_text.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                let (lang, text, offset) = self.code.take().unwrap_or_default();
                let highlighted = self
                    .highlighter
                    .highlight(&text, &lang, self.options.highlight);
                if let Some(unknown) = highlighted.unknown_language {
                    let (line, col) = line_col(self.body, offset);
                    self.out.warnings.push(BodyWarning {
                        code: crate::error::Code::UnknownLanguage,
                        subject: Some(unknown.clone()),
                        line,
                        col,
                        message: format!("unknown code language `{unknown}`; the block is shown without highlighting"),
                        hint: Some("use a language name such as rust, python, toml, json, bash, or `text`".into()),
                    });
                }
                self.depth -= 1;
                self.events.push(Event::Html(highlighted.html.into()));
            }
            _ => {}
        }
    }

    /// Inside a heading: its events and plain text are gathered; at its end it gets a unique
    /// id (explicit, else from its text) and an entry in the table of contents.
    fn heading_event(&mut self, event: Event<'b>, offset: usize) {
        if let Event::End(TagEnd::Heading(_)) = event {
            let (level, explicit_id, classes, inner, text) =
                self.heading.take().unwrap_or_else(|| unreachable!());
            let base = explicit_id
                .map(|id| id.to_string())
                .unwrap_or_else(|| slugify(&text));
            let id = unique_id(
                if base.is_empty() {
                    "section".into()
                } else {
                    base
                },
                &mut self.used_ids,
            );
            self.out.toc.push(TocEntry {
                level: level as usize,
                id: id.clone(),
                title: text.trim().to_string(),
            });
            self.events.push(Event::Start(Tag::Heading {
                level,
                id: Some(id.into()),
                classes,
                attrs: Vec::new(),
            }));
            self.events.extend(inner);
            self.events.push(Event::End(TagEnd::Heading(level)));
            self.depth -= 1;
            return;
        }
        self.out.word_count += count_words(match &event {
            Event::Text(t) => t,
            _ => "",
        });
        if let Some((_, _, _, inner, text)) = self.heading.as_mut() {
            if let Event::Text(t) | Event::Code(t) = &event {
                text.push_str(t);
            }
            let event = sanitize(
                event,
                self.options,
                &self.links,
                self.body,
                offset,
                &mut self.out.warnings,
            );
            inner.push(event);
        }
    }

    /// Any other event: the start of a heading or a code block, the summary's end, tables,
    /// task markers, links and mentions; the rest is sanitized and kept.
    fn event(&mut self, event: Event<'b>, offset: usize) {
        match event {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                self.depth += 1;
                self.heading = Some((level, id, classes, Vec::new(), String::new()));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                self.depth += 1;
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new(), offset));
            }
            Event::Html(ref html) | Event::InlineHtml(ref html) if html.trim() == MORE_MARKER => {
                self.more_at.get_or_insert(self.events.len());
            }
            Event::Start(Tag::Paragraph) if self.depth == 0 && self.first_paragraph.is_none() => {
                self.depth += 1;
                self.first_paragraph = Some((self.events.len(), usize::MAX));
                self.events.push(event);
            }
            Event::End(TagEnd::Paragraph) if self.depth == 1 => {
                self.depth -= 1;
                self.events.push(event);
                if let Some((start, usize::MAX)) = self.first_paragraph {
                    self.first_paragraph = Some((start, self.events.len()));
                }
            }
            // Wide tables scroll inside a focusable region, so keyboard users can scroll them too.
            Event::Start(Tag::Table(_)) => {
                self.depth += 1;
                self.events.push(Event::Html(TABLE_WRAP_START.into()));
                self.events.push(event);
            }
            Event::End(TagEnd::Table) => {
                self.depth = self.depth.saturating_sub(1);
                self.events.push(event);
                self.events.push(Event::Html("</div>\n".into()));
            }
            Event::TaskListMarker(done) => self.events.push(Event::Html(task_marker(done).into())),
            // A raw `<a …>` in the text is a link too: mentions inside it stay as they are.
            Event::InlineHtml(ref html)
                if self.options.unsafe_html && is_anchor_tag(html).is_some() =>
            {
                match is_anchor_tag(html) {
                    Some(true) => self.link_depth += 1,
                    _ => self.link_depth = self.link_depth.saturating_sub(1),
                }
                self.events.push(event);
            }
            Event::Text(text) if self.link_depth == 0 && self.mention_links.is_some() => {
                self.out.word_count += count_words(&text);
                let linker = self.mention_links.unwrap_or(&|_| Vec::new());
                push_with_mention_links(&mut self.events, text, linker, &mut self.linked_terms);
            }
            Event::Start(_) => {
                if matches!(event, Event::Start(Tag::Link { .. } | Tag::Image { .. })) {
                    self.link_depth += 1;
                }
                self.depth += 1;
                let event = self.sanitize(event, offset);
                self.events.push(event);
            }
            Event::End(_) => {
                if matches!(event, Event::End(TagEnd::Link | TagEnd::Image)) {
                    self.link_depth = self.link_depth.saturating_sub(1);
                }
                self.depth = self.depth.saturating_sub(1);
                self.events.push(event);
            }
            other => {
                if let Event::Text(t) = &other {
                    self.out.word_count += count_words(t);
                }
                let event = self.sanitize(other, offset);
                self.events.push(event);
            }
        }
    }

    /// Writes the HTML and the summary once every event is in: heading levels can only be
    /// shifted when the body's top level is known.
    fn finish(self) -> Rendered {
        let Pass {
            body,
            mut out,
            mut events,
            more_at,
            first_paragraph,
            ..
        } = self;
        // The body's top heading level becomes <h2>, right under the page's <h1> title.
        let top = out.toc.iter().map(|e| e.level).min().unwrap_or(1);
        for event in &mut events {
            if let Event::Start(Tag::Heading { level, .. }) | Event::End(TagEnd::Heading(level)) =
                event
            {
                *level = shift_heading(*level, top);
            }
        }

        out.html = String::with_capacity(body.len() + body.len() / 2);
        pulldown_cmark::html::push_html(&mut out.html, events.iter().cloned());

        let summary_events = match (more_at, first_paragraph) {
            (Some(end), _) => &events[..end],
            (None, Some((start, end))) if end != usize::MAX => &events[start..end],
            _ => &[][..],
        };
        pulldown_cmark::html::push_html(&mut out.summary_html, summary_events.iter().cloned());
        out.summary_text = plain_text(summary_events);

        let min_level = out.toc.iter().map(|e| e.level).min().unwrap_or(1);
        for entry in &mut out.toc {
            entry.level = entry.level - min_level + 1;
        }
        out
    }
}

/// The Markdown extensions digest reads; rendering and mention detection parse alike.
fn parser_options(smart_punctuation: bool) -> Options {
    let mut options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    if smart_punctuation {
        options |= Options::ENABLE_SMART_PUNCTUATION;
    }
    options
}

/// `Some(true)` for an opening `<a …>` tag, `Some(false)` for `</a>`, None for other HTML.
fn is_anchor_tag(html: &str) -> Option<bool> {
    let lower = html.trim_start().to_ascii_lowercase();
    if lower.starts_with("</a>") || lower.starts_with("</a ") {
        Some(false)
    } else if lower.starts_with("<a>") || lower.starts_with("<a ") || lower.starts_with("<a\n") {
        Some(true)
    } else {
        None
    }
}

/// Pushes `text`, turning the first mention of each not yet linked term into a link.
fn push_with_mention_links<'a>(
    events: &mut Vec<Event<'a>>,
    text: CowStr<'a>,
    linker: MentionLinker<'_>,
    linked: &mut HashSet<String>,
) {
    let mut at = 0;
    for mention in linker(&text) {
        if mention.start < at || !linked.insert(mention.url.clone()) {
            continue;
        }
        if mention.start > at {
            events.push(Event::Text(text[at..mention.start].to_string().into()));
        }
        let link = Tag::Link {
            link_type: pulldown_cmark::LinkType::Inline,
            dest_url: mention.url.into(),
            title: "".into(),
            id: "".into(),
        };
        events.push(Event::Start(link));
        events.push(Event::Text(
            text[mention.start..mention.end].to_string().into(),
        ));
        events.push(Event::End(TagEnd::Link));
        at = mention.end;
    }
    if at == 0 {
        events.push(Event::Text(text));
    } else if at < text.len() {
        events.push(Event::Text(text[at..].to_string().into()));
    }
}

/// Article bodies sit under the page's `<h1>` title: their top level (`top`, 1 for `#`) becomes
/// `<h2>` and the others follow, so no level is skipped and none competes with the title.
fn shift_heading(level: HeadingLevel, top: usize) -> HeadingLevel {
    HeadingLevel::try_from((level as usize + 2).saturating_sub(top).clamp(2, 6))
        .unwrap_or(HeadingLevel::H6)
}

/// Heading ids given so far, and for each base the last number tried after it.
#[derive(Default)]
struct UsedIds {
    ids: HashSet<String>,
    next: HashMap<String, usize>,
}

/// `base`, else `base-1`, `base-2`, … whichever is free. Numbering resumes where the last
/// heading with this base stopped, so thousands of equal headings stay linear (found by fuzzing:
/// counting from 1 every time made 5,000 `# x` headings take minutes).
fn unique_id(base: String, used: &mut UsedIds) -> String {
    let n = used.next.entry(base.clone()).or_insert(0);
    let mut id = if *n == 0 {
        base.clone()
    } else {
        format!("{base}-{n}")
    };
    while used.ids.contains(&id) {
        *n += 1;
        id = format!("{base}-{n}");
    }
    used.ids.insert(id.clone());
    id
}

/// A heading being read: level, explicit id, classes, inner events, plain text.
type PendingHeading<'a> = (
    HeadingLevel,
    Option<CowStr<'a>>,
    Vec<CowStr<'a>>,
    Vec<Event<'a>>,
    String,
);

/// How the body's link and image URLs are written: see [`Hooks`].
struct Links<'a> {
    resolve: LinkResolver<'a>,
    base_path: &'a str,
}

/// Escapes raw HTML when the site asks for it, neutralises script links, points links to
/// other Markdown files at their pages, and writes every URL so that HTML accepts it.
fn sanitize<'a>(
    event: Event<'a>,
    options: MarkdownOptions,
    links: &Links<'_>,
    body: &str,
    offset: usize,
    warnings: &mut Vec<BodyWarning>,
) -> Event<'a> {
    match event {
        Event::Html(html) | Event::InlineHtml(html) if !options.unsafe_html => Event::Text(html),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest_url = rewrite_link(dest_url, links, body, offset, warnings);
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            })
        }
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest_url = if is_script_url(&dest_url) {
                "#".into()
            } else {
                site_url(dest_url, links.base_path)
            };
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            })
        }
        other => other,
    }
}

fn rewrite_link<'a>(
    dest: CowStr<'a>,
    links: &Links<'_>,
    body: &str,
    offset: usize,
    warnings: &mut Vec<BodyWarning>,
) -> CowStr<'a> {
    if is_script_url(&dest) {
        return "#".into();
    }
    if !is_markdown_file_link(&dest) {
        return site_url(dest, links.base_path);
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (&*dest, None),
    };
    match (links.resolve)(path) {
        Some(url) => match fragment {
            Some(fragment) => format!("{url}#{}", encode_url(fragment)).into(),
            None => url.into(),
        },
        None => {
            let (line, col) = line_col(body, offset);
            warnings.push(BodyWarning {
                code: crate::error::Code::BrokenLink,
                subject: None,
                line,
                col,
                message: format!("link to `{path}`, which is not an article of this site"),
                hint: Some("link to the article's .md file relative to this file, e.g. ../articles/2023-09-13-alibaba.md".into()),
            });
            site_url(dest, links.base_path)
        }
    }
}

/// A URL of the body as the page writes it: a root-relative one (`/images/x.png`) under the
/// base path, and every one percent-encoded where HTML requires it.
fn site_url<'a>(url: CowStr<'a>, base_path: &str) -> CowStr<'a> {
    let root_relative = url.starts_with('/') && !url.starts_with("//");
    if root_relative && !base_path.is_empty() {
        return format!("{base_path}{}", encode_url(&url)).into();
    }
    match encode_url(&url) {
        std::borrow::Cow::Borrowed(_) => url,
        std::borrow::Cow::Owned(encoded) => encoded.into(),
    }
}

/// Bytes a URL in HTML may not hold as they are (besides non-ASCII, always encoded): controls,
/// space, and `"<>\^`{|}`, which HTML validators reject.
const URL_UNSAFE: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// Percent-encodes what a URL may not hold as written, keeping every `%XX` escape already in it
/// (never encoded twice), encoding a `%` that starts no escape and a second `#`.
pub fn encode_url(url: &str) -> std::borrow::Cow<'_, str> {
    let bytes = url.as_bytes();
    let is_escape = |i: usize| {
        bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
    };
    let fragment = url.find('#');
    let clean = bytes.iter().enumerate().all(|(i, &b)| {
        b.is_ascii()
            && !(b.is_ascii_control() || b" \"<>\\^`{|}".contains(&b))
            && (b != b'%' || is_escape(i))
            && (b != b'#' || Some(i) == fragment)
    });
    if clean {
        return std::borrow::Cow::Borrowed(url);
    }
    let mut out = String::with_capacity(url.len() + 16);
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let lone = (b == b'%' && !is_escape(i)) || (b == b'#' && Some(i) != fragment);
        if lone {
            out.extend(percent_encoding::utf8_percent_encode(
                &url[start..i],
                URL_UNSAFE,
            ));
            out.push_str(if b == b'%' { "%25" } else { "%23" });
            start = i + 1;
        }
    }
    out.extend(percent_encoding::utf8_percent_encode(
        &url[start..],
        URL_UNSAFE,
    ));
    std::borrow::Cow::Owned(out)
}

/// `javascript:`, `vbscript:` and `data:` URLs never come out as live links.
pub fn is_script_url(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(12)
        .collect::<String>()
        .to_ascii_lowercase();
    cleaned.starts_with("javascript:")
        || cleaned.starts_with("vbscript:")
        || cleaned.starts_with("data:")
}

fn is_markdown_file_link(dest: &str) -> bool {
    if dest.contains("://") || dest.starts_with("mailto:") || dest.starts_with('#') {
        return false;
    }
    let path = dest.split(['#', '?']).next().unwrap_or("");
    path.ends_with(".md") || path.ends_with(".markdown")
}

/// The prose of a Markdown body, for mention detection: byte ranges of the source that
/// pulldown-cmark reads as text (paragraphs, headings, list items, tables, link text), so it
/// always agrees with the renderer on what is code. Code blocks, inline code and raw HTML are
/// left out; text that runs on in the source (split only by an escape or an entity) is one
/// range. URLs in the text are left to the matcher, which never matches inside one.
pub fn prose_parts(body: &str) -> Vec<std::ops::Range<usize>> {
    let mut parts: Vec<std::ops::Range<usize>> = Vec::new();
    let mut in_code_block = false;
    for (event, range) in Parser::new_ext(body, parser_options(false)).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Text(_) if !in_code_block => match parts.last_mut() {
                Some(last) if last.end == range.start => last.end = range.end,
                _ => parts.push(range),
            },
            _ => {}
        }
    }
    // The matcher needs sorted ranges that do not overlap; the parser gives them in source
    // order, this keeps that true whatever it does with footnotes or tables.
    parts.sort_unstable_by_key(|p| p.start);
    parts.dedup_by(|next, kept| {
        let overlaps = next.start < kept.end;
        kept.end = kept.end.max(if overlaps { next.end } else { kept.end });
        overlaps
    });
    parts.retain(|p| body.get(p.clone()).is_some_and(|t| !t.trim().is_empty()));
    parts
}

fn plain_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Words in Latin-like scripts; each Chinese, Japanese or Korean character counts as one word.
pub fn count_words(text: &str) -> usize {
    // Branch-free over ASCII (most of any text): a word starts at a letter or digit outside a
    // word; an apostrophe or hyphen inside a word does not end it ("it's", "state-of-the-art").
    let bytes = text.as_bytes();
    let mut count = 0;
    let mut in_word = false;
    let mut i = 0;
    while i < bytes.len() {
        let class = ASCII_CLASS[usize::from(bytes[i])];
        if class == NON_ASCII {
            let Some(c) = text[i..].chars().next() else {
                break;
            };
            if is_cjk(c) {
                count += 1;
                in_word = false;
            } else if c.is_alphanumeric() {
                count += usize::from(!in_word);
                in_word = true;
            } else if c != '’' {
                in_word = false;
            }
            i += c.len_utf8();
            continue;
        }
        let alphanumeric = class == ALPHANUMERIC;
        count += usize::from(alphanumeric & !in_word);
        in_word = alphanumeric | (in_word & (class == JOINER));
        i += 1;
    }
    count
}

const OTHER: u8 = 0;
const ALPHANUMERIC: u8 = 1;
const JOINER: u8 = 2;
const NON_ASCII: u8 = 3;

/// What each byte is to [`count_words`].
static ASCII_CLASS: [u8; 256] = {
    let mut table = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] = if byte >= 0x80 {
            NON_ASCII
        } else if byte.is_ascii_alphanumeric() {
            ALPHANUMERIC
        } else if byte == b'\'' || byte == b'-' {
            JOINER
        } else {
            OTHER
        };
        b += 1;
    }
    table
};

pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF   // Hiragana, Katakana
        | 0x3400..=0x4DBF // CJK Extension A
        | 0x4E00..=0x9FFF // CJK Unified Ideographs
        | 0xAC00..=0xD7AF // Hangul syllables
        | 0xF900..=0xFAFF // CJK Compatibility Ideographs
        | 0x20000..=0x2FA1F)
}

/// Minutes to read `words` words, never less than one.
pub fn reading_time(words: usize) -> usize {
    words.div_ceil(220).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPTIONS: MarkdownOptions = MarkdownOptions {
        smart_punctuation: true,
        highlight: true,
        unsafe_html: true,
    };

    static CACHE: std::sync::LazyLock<HighlightCache> =
        std::sync::LazyLock::new(HighlightCache::default);

    fn test_hooks<'a>(resolve_link: LinkResolver<'a>) -> Hooks<'a> {
        Hooks {
            resolve_link,
            highlighter: &CACHE,
            mention_links: None,
            base_path: "",
        }
    }

    #[test]
    fn first_mention_of_each_term_links_outside_links_headings_and_code() {
        let linker = |text: &str| {
            text.match_indices("Alibaba")
                .map(|(i, m)| MentionLink {
                    start: i,
                    end: i + m.len(),
                    url: "/companies/alibaba/".into(),
                })
                .collect()
        };
        let hooks = Hooks {
            mention_links: Some(&linker),
            ..test_hooks(&|_| None)
        };
        let out = render(
            "# Alibaba\n\n[Alibaba](https://x.org) and `Alibaba`, then Alibaba and Alibaba again.\n",
            OPTIONS,
            hooks,
        );
        assert_eq!(
            out.html.matches("href=\"/companies/alibaba/\"").count(),
            1,
            "{}",
            out.html
        );
        assert!(
            out.html
                .contains("then <a href=\"/companies/alibaba/\">Alibaba</a> and Alibaba again")
        );
        assert!(out.html.contains("<h2 id=\"alibaba\">Alibaba</h2>"));
    }

    fn md(body: &str) -> Rendered {
        render(body, OPTIONS, test_hooks(&|_| None))
    }

    #[test]
    fn extensions_are_on() {
        let out = md(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~x~~ [^1]\n\n- [x] done\n\n[^1]: note\n\n\"quoted\"",
        );
        assert!(out.html.contains("<table>"));
        assert!(out.html.contains("<del>x</del>"));
        assert!(out.html.contains("footnote-definition"));
        assert!(out.html.contains("checkbox"));
        assert!(out.html.contains("“quoted”"));
    }

    #[test]
    fn repeated_headings_get_unique_ids_and_shift_down() {
        let out = md("# Intro\n\n## Details\n\n## Details\n\n## Details\n");
        assert!(out.html.contains("<h2 id=\"intro\">Intro</h2>"));
        assert!(out.html.contains("<h3 id=\"details\">"));
        assert!(out.html.contains("<h3 id=\"details-1\">"));
        assert!(out.html.contains("<h3 id=\"details-2\">"));
        let levels: Vec<_> = out.toc.iter().map(|e| e.level).collect();
        assert_eq!(levels, [1, 2, 2, 2]);
    }

    #[test]
    fn many_equal_headings_get_ids_in_linear_time() {
        let out = md("# a-1 {#a-1}\n\n# a\n\n# a\n\n# a\n");
        let ids: Vec<_> = out.toc.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["a-1", "a", "a-2", "a-3"]);
        // Quadratic before: each heading counted up from `x-1` again.
        let out = md(&"# x\n".repeat(20_000));
        assert_eq!(out.toc.len(), 20_000);
        assert_eq!(out.toc[19_999].id, "x-19999");
    }

    #[test]
    fn toc_levels_are_relative_to_the_top_heading() {
        let out = md("## A\n\n### B\n");
        assert_eq!(out.toc[0].level, 1);
        assert_eq!(out.toc[1].level, 2);
        assert_eq!(out.toc[1].title, "B");
        assert!(out.html.contains("<h2 id=\"a\">A</h2>"));
        assert!(out.html.contains("<h3 id=\"b\">B</h3>"));
    }

    #[test]
    fn summary_is_first_paragraph_or_text_before_more() {
        let out = md("First *para*.\n\nSecond.\n");
        assert_eq!(out.summary_html, "<p>First <em>para</em>.</p>\n");
        assert_eq!(out.summary_text, "First para.");
        let out = md("One.\n\nTwo.\n\n<!-- more -->\n\nThree.\n");
        assert!(out.summary_html.contains("Two."));
        assert!(!out.summary_html.contains("Three."));
        assert!(!out.html.contains("more"));
    }

    #[test]
    fn more_marker_works_with_unsafe_html_off() {
        let options = MarkdownOptions {
            unsafe_html: false,
            ..OPTIONS
        };
        let out = render(
            "One.\n\n<!-- more -->\n\nTwo.",
            options,
            test_hooks(&|_| None),
        );
        assert_eq!(out.summary_text, "One.");
        assert!(!out.html.contains("&lt;!-- more"));
    }

    #[test]
    fn raw_html_is_escaped_when_unsafe_html_is_off() {
        let options = MarkdownOptions {
            unsafe_html: false,
            ..OPTIONS
        };
        let out = render(
            "<script>alert(1)</script>\n\nHi <img src=x onerror=alert(1)>",
            options,
            test_hooks(&|_| None),
        );
        assert!(!out.html.contains("<script"));
        assert!(!out.html.contains("<img"));
        assert!(out.html.contains("&lt;script&gt;"));
    }

    #[test]
    fn script_links_are_neutralised() {
        let out = md("[x](javascript:alert(1)) [y]( JaVaScRiPt:alert(1)) ![z](data:text/html,hi)");
        assert!(!out.html.to_lowercase().contains("javascript:"));
        assert!(!out.html.contains("data:"));
    }

    #[test]
    fn links_to_markdown_files_are_resolved() {
        let resolve = |path: &str| {
            (path == "../2023-09-13-alibaba.md").then(|| "/articles/alibaba/".to_string())
        };
        let out = render(
            "[a](../2023-09-13-alibaba.md#x) [b](missing.md) [c](https://e.com/x.md)",
            OPTIONS,
            test_hooks(&resolve),
        );
        assert!(out.html.contains("href=\"/articles/alibaba/#x\""));
        assert!(out.html.contains("href=\"https://e.com/x.md\""));
        assert_eq!(out.warnings.len(), 1);
        assert!(out.warnings[0].message.contains("missing.md"));
    }

    #[test]
    fn code_is_highlighted_and_unknown_languages_warn() {
        let out = md("Text\n\n```rust\nfn main() {}\n```\n\n```klingon\nqapla'\n```\n");
        assert!(out.html.contains("hl-"));
        assert_eq!(out.warnings.len(), 1);
        assert_eq!(out.warnings[0].line, 7);
    }

    #[test]
    fn words_are_counted_per_script() {
        assert_eq!(count_words("Alibaba opened its model to the public."), 7);
        assert_eq!(count_words("阿里巴巴开放了模型"), 9);
        assert_eq!(count_words("it's state-of-the-art"), 2);
        assert_eq!(count_words("Alibaba’s “open” model—at last"), 5);
    }

    /// The rule, char by char; `count_words` must agree with it on any text.
    fn count_words_by_char(text: &str) -> usize {
        let (mut count, mut in_word) = (0, false);
        for c in text.chars() {
            if is_cjk(c) {
                count += 1;
                in_word = false;
            } else if c.is_alphanumeric() {
                count += usize::from(!in_word);
                in_word = true;
            } else if !(in_word && matches!(c, '\'' | '’' | '-')) {
                in_word = false;
            }
        }
        count
    }

    #[test]
    fn word_count_agrees_with_the_char_by_char_rule() {
        let pieces = [
            "a", "Z9", " ", "'", "-", "’", "阿里", "é", "ß", "--", "\n", "“", "x'", "-y", "42",
            "한", ".", ",", "🙂",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..2_000 {
            let mut text = String::new();
            for _ in 0..12 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            assert_eq!(count_words(&text), count_words_by_char(&text), "{text:?}");
        }
        let out = md("Hello world\n\n```\nnot counted here\n```\n");
        assert_eq!(out.word_count, 2);
    }

    fn prose(body: &str) -> String {
        prose_parts(body)
            .into_iter()
            .map(|r| &body[r])
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn prose_leaves_out_code_and_urls_are_kept_for_the_matcher() {
        let text =
            prose("Alibaba and `Baidu`\n\n```\nTencent\n```\n\n[ByteDance](https://x.org)\n");
        assert!(text.contains("Alibaba"));
        assert!(!text.contains("Baidu"));
        assert!(!text.contains("Tencent"));
        assert!(text.contains("ByteDance"));
        let text = prose(
            "Text\n\n    indented Meta code\n    more\n\nAfter ``a ` Meta`` end\n~~~\nMeta\n~~~\n",
        );
        assert!(!text.contains("Meta"), "{text}");
        assert!(text.contains("After") && text.contains("end"));
        // Inside a list item, a line indented after a blank line continues the item.
        let text = prose("- First\n\n    Meta in the item\n\n* [x] Alibaba done\n");
        assert!(
            text.contains("Meta in the item") && text.contains("Alibaba"),
            "{text}"
        );
    }

    #[test]
    fn urls_are_percent_encoded_once() {
        assert_eq!(
            encode_url("https://x.org/a b^c%20%zz é#f#g|"),
            "https://x.org/a%20b%5Ec%20%25zz%20%C3%A9#f%23g%7C"
        );
        assert!(matches!(
            encode_url("/a/b%C3%A9?q=1&r=2#x"),
            std::borrow::Cow::Borrowed(_)
        ));
        let once = encode_url("a b%2").into_owned();
        assert_eq!(encode_url(&once), once);
    }

    #[test]
    fn root_relative_links_and_images_go_under_the_base_path() {
        let hooks = Hooks {
            base_path: "/digest",
            ..test_hooks(&|_| None)
        };
        let out = render(
            "![c](/images/x.png) [t](/tags/ai/) [h](https://e.com/x) [p](//cdn.e.com/y) [r](x.png) [f](#top) [s](</a b^.png>)\n",
            OPTIONS,
            hooks,
        );
        for expected in [
            r#"src="/digest/images/x.png""#,
            r#"href="/digest/tags/ai/""#,
            r#"href="https://e.com/x""#,
            r#"href="//cdn.e.com/y""#,
            r#"href="x.png""#,
            r##"href="#top""##,
            r#"href="/digest/a%20b%5E.png""#,
        ] {
            assert!(out.html.contains(expected), "{expected} in {}", out.html);
        }
        // At a domain root they stay as written.
        let out = md("[t](/tags/ai/)\n");
        assert!(out.html.contains(r#"href="/tags/ai/""#), "{}", out.html);
    }

    #[test]
    fn reading_time_is_at_least_a_minute() {
        assert_eq!(reading_time(0), 1);
        assert_eq!(reading_time(221), 2);
    }
}
