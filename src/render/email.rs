//! Every edition as a newsletter: `email.html` (the `email.html` template with its CSS inlined
//! into `style` attributes), `email.txt` (the plain-text alternative) and `edition.eml` (both in
//! one `multipart/alternative` message, ready for `digest send`).
//!
//! The three files are rendered from one [`EmailView`], so each is keyed by it like any other
//! output (see [`super::key`]). Every link is absolute: a mail client has no base to resolve a
//! path against.

use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::Templates;
use super::context::{self, EditionView, SummaryView};
use super::key::{self, Shared};
use crate::config::Config;
use crate::content::Body;
use crate::error::{Error, Result};
use crate::library::{ArticleId, Library};
use crate::urls::{self, Urls};

pub const TEMPLATE: &str = "email.html";
pub const HTML_FILE: &str = "email.html";
pub const TEXT_FILE: &str = "email.txt";
pub const MESSAGE_FILE: &str = "edition.eml";

/// Gmail clips a message whose HTML passes about 102 KB and hides the rest behind a link.
pub const SIZE_LIMIT: usize = 102 * 1024;

/// The width plain-text mail is read at.
const TEXT_WIDTH: usize = 72;

/// What an edition's email is made from.
#[derive(Serialize)]
pub struct EmailView<'a> {
    /// The edition, its links absolute.
    pub edition: EditionView<'a>,
    pub articles: Vec<Story<'a>>,
    /// The first sentence of the lead story's summary: the preview line mail clients show.
    pub preheader: String,
    /// The web edition and this email as a page.
    pub web_url: String,
    pub email_url: String,
    pub home_url: String,
    pub unsubscribe: Option<&'a str>,
    pub subject_template: &'a str,
    pub from: Option<&'a str>,
}

/// One story of an email: its summary view with absolute links. Keyed by the article's card
/// when there is one: the card is made from the same summary view (its links relative, and
/// base_url is in every key), so an edit of the body that leaves the card alone leaves the
/// emails alone too.
pub struct Story<'a> {
    pub view: SummaryView<'a>,
    pub card: Option<&'a Shared<tera::Value>>,
}

impl Serialize for Story<'_> {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        match self.card {
            Some(card) if !serializer.is_human_readable() => card.serialize(serializer),
            _ => self.view.serialize(serializer),
        }
    }
}

impl<'a> std::ops::Deref for Story<'a> {
    type Target = SummaryView<'a>;
    fn deref(&self) -> &SummaryView<'a> {
        &self.view
    }
}

/// Links that are absolute URLs: `link()` of these answers `https://host/digest/x/`.
pub fn absolute_links(config: &Config) -> Urls {
    Urls::new(&config.base_url, &config.base_url)
}

/// The view of edition `index` (newest first); `body` gives each article's rendered body and
/// `card` its card, when cards are made.
pub fn email_view<'a>(
    config: &'a Config,
    library: &'a Library,
    index: usize,
    body: impl Fn(ArticleId) -> &'a Shared<Body>,
    card: impl Fn(ArticleId) -> Option<&'a Shared<tera::Value>>,
) -> EmailView<'a> {
    let links = absolute_links(config);
    let edition = &library.editions[index];
    let articles: Vec<Story<'a>> = edition
        .articles
        .iter()
        .map(|&id| Story {
            view: context::summary_view(config, library, id, body(id), &links),
            card: card(id),
        })
        .collect();
    let preheader = articles
        .first()
        .map(|a| lead_sentence(a.summary_text.value()))
        .unwrap_or_default();
    let web = urls::edition(&edition.id);
    EmailView {
        edition: context::edition_view(library, index, &links),
        articles,
        preheader,
        email_url: links.link(&format!("{web}{HTML_FILE}")),
        web_url: links.link(&web),
        home_url: links.link(""),
        unsubscribe: config.email.unsubscribe.as_deref(),
        subject_template: &config.email.subject,
        from: config.email.from.as_deref(),
    }
}

/// The first sentence of `text`, at most about 150 characters.
fn lead_sentence(text: &str) -> String {
    let text = text.trim();
    let end = text
        .char_indices()
        .find(|&(i, c)| {
            matches!(c, '。' | '！' | '？')
                || (matches!(c, '.' | '!' | '?')
                    && text[i + c.len_utf8()..]
                        .chars()
                        .next()
                        .is_none_or(char::is_whitespace))
        })
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(text.len());
    let sentence = &text[..end];
    if sentence.chars().count() <= 150 {
        return sentence.to_string();
    }
    let cut: String = sentence.chars().take(149).collect();
    format!("{}…", cut.trim_end())
}

/// The email's HTML, its CSS inlined, and whether it had to fall back to summaries and links to
/// stay under [`SIZE_LIMIT`].
pub struct EmailHtml {
    pub html: String,
    pub compact: bool,
}

/// Renders the template, full first and compact when the full one is past the limit.
pub fn render_html(templates: &Templates, view: &EmailView<'_>) -> Result<EmailHtml> {
    // Inlining is most of an email's cost, and a weekly digest's long editions would pay it
    // twice (the full email, past the limit, then the compact one). So a page already past
    // the limit before inlining (which only adds) goes straight to the compact one; and a page
    // that might pass it is measured against the compact email first: inlining adds more to
    // the full form (chips, images, source lines) than to the compact one (1.17–1.25 times the
    // growth on the 10,000-article corpus), so a full page that would pass the limit by 5 %
    // even at the compact form's growth is past it for certain, and is not inlined.
    let page = render_page(templates, view, false)?;
    // The compact email, when it had to be made to decide.
    let mut compact = None;
    let try_full = if page.len() > SIZE_LIMIT {
        false
    } else if page.len() * 5 < SIZE_LIMIT * 2 {
        // Under 40 % of the limit: it would have to grow 2.5 times to pass it (inlining grows
        // emails about twice), so the full one is tried straight away.
        true
    } else {
        let compact_page = render_page(templates, view, true)?;
        let inlined = inline(&compact_page, view)?;
        let growth = inlined.len() as f64 / compact_page.len().max(1) as f64;
        compact = Some(inlined);
        page.len() as f64 * growth <= SIZE_LIMIT as f64 * 1.05
    };
    if try_full {
        let full = inline(&page, view)?;
        if full.len() <= SIZE_LIMIT {
            return Ok(EmailHtml {
                html: full,
                compact: false,
            });
        }
    }
    let html = match compact {
        Some(html) => html,
        None => render_inlined(templates, view, true)?,
    };
    Ok(EmailHtml {
        html,
        compact: true,
    })
}

fn render_inlined(templates: &Templates, view: &EmailView<'_>, compact: bool) -> Result<String> {
    inline(&render_page(templates, view, compact)?, view)
}

/// The email template rendered, its CSS still in its `<style>` block.
fn render_page(templates: &Templates, view: &EmailView<'_>, compact: bool) -> Result<String> {
    let mut ctx = Context::from_serialize(view)
        .map_err(|e| Error::Other(format!("cannot hand an edition to {TEMPLATE}: {e}")))?;
    ctx.insert("compact", &compact);
    ctx.insert("subject", &subject(templates, view)?);
    templates
        .tera
        .render(TEMPLATE, &ctx)
        .map_err(|e| super::templates::template_error(TEMPLATE, &e))
}

/// The CSS of `html` inlined into style attributes, and its links made absolute.
fn inline(html: &str, view: &EmailView<'_>) -> Result<String> {
    let inliner = css_inline::CSSInliner::options()
        // Only the template's own <style>; an email must not depend on what a build fetched.
        .load_remote_stylesheets(false)
        // `@media` rules (phone width, dark mode) cannot be inlined: they stay in one <style>.
        .keep_at_rules(true)
        .resolve_css_variables(true)
        .apply_width_attributes(true)
        .build();
    let inlined = inliner.inline(html).map_err(|e| Error::Template {
        name: TEMPLATE.into(),
        message: format!("its CSS could not be inlined: {e}"),
    })?;
    Ok(absolute_urls(
        &at_rules_after_meta(&inlined),
        &view.home_url,
    ))
}

/// css-inline puts the `<style>` it keeps the `@media` rules in first in `<head>`, which
/// pushes `<meta charset>` past the first 1024 bytes, where a browser opening the email as a
/// page ("View this email in a browser", or from disk) no longer looks for it. The block goes
/// back to the end of `<head>`, where the template had it.
fn at_rules_after_meta(html: &str) -> std::borrow::Cow<'_, str> {
    const OPEN: &str = "<head><style>";
    let Some(start) = html.find(OPEN).map(|i| i + "<head>".len()) else {
        return html.into();
    };
    let Some(end) = html[start..]
        .find("</style>")
        .map(|i| start + i + "</style>".len())
    else {
        return html.into();
    };
    let Some(head_end) = html[end..].find("</head>").map(|i| end + i) else {
        return html.into();
    };
    let mut out = String::with_capacity(html.len() + 1);
    out.push_str(&html[..start]);
    out.push_str(html[end..head_end].trim_start());
    out.push('\n');
    out.push_str(&html[start..end]);
    out.push('\n');
    out.push_str(&html[head_end..]);
    out.into()
}

/// Links written as paths from the host's root (`/digest/articles/x/`, as Markdown summaries
/// carry them) made absolute, and protocol-relative ones given https.
///
/// One pass over the quoted attribute values (`="`): searching for `href="` and `src="` from
/// every link again rescanned the rest of a 100 KB email per link, which made this quadratic
/// and the costliest step of the email stage.
fn absolute_urls(html: &str, home_url: &str) -> String {
    let origin = origin_of(home_url);
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut copied = 0;
    for (at, _) in html.match_indices("=\"") {
        let name = &html[..at];
        if !(name.ends_with(" href") || name.ends_with(" src")) {
            continue;
        }
        let value = at + 2;
        let rest = &html[value..];
        let (skip, prefix) = if rest.starts_with("//") {
            (2, "https://")
        } else if rest.starts_with('/') {
            (0, origin)
        } else {
            continue;
        };
        out.push_str(&html[copied..value]);
        out.push_str(prefix);
        copied = value + skip;
    }
    out.push_str(&html[copied..]);
    out
}

/// `https://example.com` of `https://example.com/digest/`.
fn origin_of(url: &str) -> &str {
    let after_scheme = url.find("://").map(|i| i + 3).unwrap_or(0);
    match url[after_scheme..].find('/') {
        Some(i) => &url[..after_scheme + i],
        None => url,
    }
}

/// `[email] subject` rendered with `site` and `edition`.
pub fn subject(templates: &Templates, view: &EmailView<'_>) -> Result<String> {
    let mut ctx = Context::new();
    ctx.insert("edition", &view.edition);
    let subject = templates
        .tera
        .render_str(view.subject_template, &ctx, false)
        .map_err(|e| Error::Site(vec![subject_error(&e)]))?;
    Ok(subject.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn subject_error(e: &tera::Error) -> crate::error::Diagnostic {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(&format!(": {s}"));
        source = s.source();
    }
    crate::error::Diagnostic::error(
        crate::error::Code::EmailConfig,
        crate::config::CONFIG_FILE,
        format!("[email] subject does not render: {message}"),
    )
    .with_hint("subject is a Tera template with `site` and `edition`, e.g. subject = \"{{ site.title }}: {{ edition.title }}\"")
}

/// The plain-text alternative: every story with its summary, source and terms, wrapped at 72
/// columns, its links numbered and listed at the end.
pub fn render_text(view: &EmailView<'_>, config: &Config) -> String {
    let say = |name: &str, values: &[(&str, &str)]| crate::i18n::say(&config.strings, name, values);
    let mut links: Vec<String> = Vec::new();
    let mut cite = |url: &str| {
        let n = match links.iter().position(|l| l == url) {
            Some(i) => i + 1,
            None => {
                links.push(url.to_string());
                links.len()
            }
        };
        format!("[{n}]")
    };
    let edition = &view.edition;
    let mut out = String::new();
    let heading = format!("{}: {}", config.title, edition.title);
    out.push_str(&wrap(&heading, ""));
    out.push_str(&"=".repeat(heading.chars().count().min(TEXT_WIDTH)));
    out.push('\n');
    out.push_str(&wrap(
        &say(
            "email_text_lede",
            &[
                ("start", &edition.start.to_string()),
                ("end", &edition.end.to_string()),
                (
                    "count",
                    &crate::i18n::stories(&config.strings, edition.count),
                ),
                ("url", &cite(&view.web_url)),
            ],
        ),
        "",
    ));
    for (n, article) in view.articles.iter().enumerate() {
        out.push('\n');
        let number = format!("{}. ", n + 1);
        let indent = " ".repeat(number.chars().count());
        out.push_str(&wrap_first(
            &format!("{}{} {}", number, article.title, cite(&article.permalink)),
            &indent,
        ));
        let summary = article.summary_text.value().trim();
        if !summary.is_empty() {
            out.push_str(&wrap(&format!("{indent}{summary}"), &indent));
        }
        if let Some(source) = article.source {
            let original = say("email_original_report", &[]);
            let name = source.name.as_deref().unwrap_or(&original);
            let label = say("source_label", &[]);
            let line = match &source.url {
                Some(url) => format!("{indent}{label}{name} {}", cite(url)),
                None => format!("{indent}{label}{name}"),
            };
            out.push_str(&wrap(&line, &indent));
        }
        for taxonomy in ["companies", "regulations"] {
            let label = config
                .taxonomies
                .iter()
                .find(|t| t.name == taxonomy)
                .map_or(taxonomy, |t| t.title.as_str());
            let names: Vec<&str> = article
                .terms
                .get(taxonomy)
                .map(|terms| terms.iter().map(|t| t.name).collect())
                .unwrap_or_default();
            if !names.is_empty() {
                out.push_str(&wrap(
                    &format!(
                        "{indent}{label}: {}",
                        names.join(&say("list_separator", &[]))
                    ),
                    &indent,
                ));
            }
        }
    }
    if !edition.top_terms.is_empty() {
        out.push('\n');
        let terms: Vec<String> = edition
            .top_terms
            .iter()
            .map(|t| format!("{} ({})", t.name, t.count))
            .collect();
        out.push_str(&wrap(
            &format!(
                "{}: {}",
                say(&format!("email_most_covered_{}", edition.kind), &[]),
                terms.join(&say("list_separator", &[]))
            ),
            "",
        ));
    }
    if let Some(unsubscribe) = view.unsubscribe {
        out.push('\n');
        let unsubscribe = cite(unsubscribe);
        out.push_str(&wrap(
            &format!("{}: {unsubscribe}", say("email_unsubscribe", &[])),
            "",
        ));
    }
    out.push_str(&format!("\n{}\n", say("email_links", &[])));
    for (n, url) in links.iter().enumerate() {
        // A URL is never broken: mail clients find it whole on its own line.
        out.push_str(&format!("[{}] {url}\n", n + 1));
    }
    out
}

/// `text` wrapped at [`TEXT_WIDTH`], continuation lines starting with `indent`.
fn wrap(text: &str, indent: &str) -> String {
    let lead: String = text.chars().take_while(|c| *c == ' ').collect();
    wrap_words(&lead, text.trim_start_matches(' '), indent)
}

/// Like [`wrap`], for a numbered line whose number is part of the first word run.
fn wrap_first(text: &str, indent: &str) -> String {
    wrap_words("", text, indent)
}

fn wrap_words(lead: &str, text: &str, indent: &str) -> String {
    let mut out = String::new();
    let mut line = lead.to_string();
    let mut width = line.chars().count();
    let mut empty = true;
    for word in text.split_whitespace() {
        for (n, (piece, len)) in pieces(word).into_iter().enumerate() {
            let space = usize::from(n == 0 && !empty);
            if !empty && width + space + len > TEXT_WIDTH {
                out.push_str(&line);
                out.push('\n');
                line = indent.to_string();
                width = line.chars().count();
                empty = true;
            }
            if n == 0 && !empty {
                line.push(' ');
                width += 1;
            }
            line.push_str(piece);
            width += len;
            empty = false;
        }
    }
    out.push_str(&line);
    out.push('\n');
    out
}

/// A word cut where a line may break inside it, each piece with its width in columns. Chinese
/// and Japanese are written without spaces: a line may break between any two of their
/// characters, but not before their punctuation (`，` `。` stay with what they follow), and
/// each takes two columns of a monospaced mail client.
fn pieces(word: &str) -> Vec<(&str, usize)> {
    let mut out = Vec::new();
    let (mut start, mut width, mut after_wide) = (0, 0, false);
    for (i, c) in word.char_indices() {
        let wide = crate::content::markdown::is_cjk(c);
        let punctuation = matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFFEF);
        if i > start && (wide || (after_wide && !punctuation)) {
            out.push((&word[start..i], width));
            (start, width) = (i, 0);
        }
        width += if wide || punctuation { 2 } else { 1 };
        after_wide = wide || punctuation;
    }
    out.push((&word[start..], width));
    out
}

/// `[email] from`, else the site's title at a no-reply address of its host.
pub fn sender(config: &Config) -> Result<Mailbox> {
    let Some(text) = &config.email.from else {
        let address = lettre::Address::new("noreply", host_of(&config.base_url))
            .or_else(|_| lettre::Address::new("noreply", "localhost"))
            .map_err(|e| Error::Other(format!("no sender address for the emails: {e}")))?;
        return Ok(Mailbox::new(Some(config.title.clone()), address));
    };
    text.parse::<Mailbox>().map_err(|e| {
        Error::Site(vec![
            crate::error::Diagnostic::error(
                crate::error::Code::EmailConfig,
                crate::config::CONFIG_FILE,
                format!("[email] from `{text}` is not an address: {e}"),
            )
            .with_hint("write a name and an address, e.g. from = \"Tech Policy Digest <digest@example.com>\" (quote a name with punctuation: \"\\\"Digest: AI\\\" <digest@example.com>\")"),
        ])
    })
}

fn host_of(url: &str) -> &str {
    let origin = origin_of(url);
    let host = origin.find("://").map_or(origin, |i| &origin[i + 3..]);
    let host = host.rsplit('@').next().unwrap_or(host);
    match host.split(':').next() {
        Some(h) if !h.is_empty() => h,
        _ => "localhost",
    }
}

/// The `edition.eml` message: no `To` (`digest send` adds one per recipient), a `Date` from the
/// edition's newest story, and a `Message-ID` from the edition and the site, so that a build
/// gives the same bytes each time.
pub fn render_message(
    config: &Config,
    library: &Library,
    index: usize,
    subject: &str,
    html: &str,
    text: &str,
) -> Result<Vec<u8>> {
    let edition = &library.editions[index];
    let from = sender(config)?;
    let newest = edition
        .articles
        .iter()
        .map(|&id| library.articles[id].date.timestamp())
        .max()
        .unwrap_or_default();
    let date = SystemTime::UNIX_EPOCH
        + Duration::from_secs(u64::try_from(newest.as_second()).unwrap_or_default());
    let host = host_of(&config.base_url);
    let mut local: Vec<&str> = config
        .base_path()
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    local.push(&edition.id);
    let message_id = format!("<{}@{host}>", local.join("."));
    let boundary = format!(
        "digest-{}-{:016x}",
        edition.id,
        super::key::hash((html, text))
    );
    let mut builder = lettre::Message::builder()
        .from(from.clone())
        .subject(subject)
        .date(date)
        .message_id(Some(message_id))
        .envelope(
            lettre::address::Envelope::new(Some(from.email.clone()), vec![from.email.clone()])
                .map_err(|e| Error::Other(format!("cannot address {MESSAGE_FILE}: {e}")))?,
        );
    if let Some(unsubscribe) = &config.email.unsubscribe {
        builder = builder.raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Unsubscribe"),
            format!("<{unsubscribe}>"),
        ));
        if unsubscribe.starts_with("https://") {
            builder = builder.raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".into(),
            ));
        }
    }
    let body = MultiPart::alternative()
        .boundary(boundary)
        .singlepart(
            SinglePart::builder()
                .content_type(ContentType::TEXT_PLAIN)
                .body(text.to_string()),
        )
        .singlepart(
            SinglePart::builder()
                .content_type(ContentType::TEXT_HTML)
                .body(html.to_string()),
        );
    let message = builder
        .multipart(body)
        .map_err(|e| Error::Other(format!("cannot build {MESSAGE_FILE}: {e}")))?;
    Ok(message.formatted())
}

/// `<img>` tags of `html` without alt text, as written.
pub fn images_without_alt(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<img") {
        let tag_end = rest[start..]
            .find('>')
            .map_or(rest.len(), |e| start + e + 1);
        let tag = &rest[start..tag_end];
        let has_alt = tag
            .find(" alt=\"")
            .map(|i| &tag[i + 6..])
            .is_some_and(|v| !v.starts_with('"'));
        if !has_alt {
            found.push(tag.to_string());
        }
        rest = &rest[tag_end..];
    }
    found
}

/// An output made once per render and used by several files (the HTML by email.html,
/// edition.eml and the editions feed).
fn once<T>(cell: &OnceLock<T>, make: impl FnOnce() -> Result<T>) -> Result<&T> {
    if let Some(made) = cell.get() {
        return Ok(made);
    }
    let made = make()?;
    Ok(cell.get_or_init(|| made))
}

/// What lies between `<body …>` and `</body>`, without the preheader (feed readers drop the
/// styles that hide it): the email as a feed entry's content.
fn body_of(html: &str) -> String {
    let start = html
        .find("<body")
        .and_then(|i| html[i..].find('>').map(|e| i + e + 1))
        .unwrap_or(0);
    let end = html
        .rfind("</body>")
        .filter(|&e| e >= start)
        .unwrap_or(html.len());
    let body = &html[start..end];
    let preheader = body.find("<div class=\"preheader\"").and_then(|at| {
        body[at..]
            .find("</div>")
            .map(|close| (at, at + close + "</div>".len()))
    });
    match preheader {
        Some((from, to)) => format!("{}{}", &body[..from], &body[to..])
            .trim()
            .to_string(),
        None => body.trim().to_string(),
    }
}

impl super::Renderer<'_> {
    /// Each edition's email.html, email.txt and edition.eml, then the editions feed with the
    /// emails as its entries' content (what RSS-to-email services send).
    pub(super) fn emails(&self, _sitemap: &mut Vec<super::Entry>) -> Result<()> {
        let (config, library) = (self.config, self.library);
        if !writes_emails(config) {
            return Ok(());
        }
        let htmls: Vec<OnceLock<EmailHtml>> = (0..library.editions.len())
            .map(|_| OnceLock::new())
            .collect();
        let view = |i: usize| {
            email_view(
                config,
                library,
                i,
                |id| &*self.bodies[id],
                |id| Some(&*self.cards[id]),
            )
        };
        let html_of =
            |i: usize, view: &EmailView<'_>| once(&htmls[i], || render_html(self.templates, view));
        let recipe = |file: &str| key::hash((self.templates.key(TEMPLATE), file));
        (0..library.editions.len())
            .into_par_iter()
            .try_for_each(|i| {
                let dir = urls::edition(&library.editions[i].id);
                let inputs = || view(i);
                self.emit(
                    &format!("{dir}{HTML_FILE}"),
                    recipe(HTML_FILE),
                    inputs,
                    |v| Ok(html_of(i, v)?.html.clone().into_bytes()),
                )?;
                self.emit(
                    &format!("{dir}{TEXT_FILE}"),
                    recipe(TEXT_FILE),
                    inputs,
                    |v| Ok(render_text(v, config).into_bytes()),
                )?;
                self.emit(
                    &format!("{dir}{MESSAGE_FILE}"),
                    recipe(MESSAGE_FILE),
                    inputs,
                    |v| {
                        let html = html_of(i, v)?;
                        let subject = subject(self.templates, v)?;
                        render_message(
                            config,
                            library,
                            i,
                            &subject,
                            &html.html,
                            &render_text(v, config),
                        )
                    },
                )
            })?;
        let bodies = &self.bodies;
        let carried = library.editions.len().min(config.feeds.limit);
        self.emit(
            super::feeds::EDITIONS_FEED,
            recipe(super::feeds::EDITIONS_FEED),
            || {
                (
                    super::feeds::editions_feed(config, library, bodies, &self.links),
                    (0..carried).map(view).collect::<Vec<_>>(),
                )
            },
            |(feed, views)| {
                let contents = views
                    .iter()
                    .enumerate()
                    .map(|(i, v)| Ok(body_of(&html_of(i, v)?.html)))
                    .collect::<Result<Vec<String>>>()?;
                super::feeds::write_editions_feed_with(feed, Some(&contents))
            },
        )
    }
}

/// Whether a build writes the editions' emails (and so the editions feed from them).
pub fn writes_emails(config: &Config) -> bool {
    config.email.enabled && config.edition != crate::config::EditionKind::None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_wraps_at_72_columns_with_hanging_indent() {
        let long = "word ".repeat(40);
        let wrapped = wrap(&format!("   {long}"), "   ");
        for line in wrapped.lines() {
            assert!(line.chars().count() <= TEXT_WIDTH, "{line:?}");
            assert!(line.starts_with("   word"), "{line:?}");
        }
        assert_eq!(wrapped.split_whitespace().count(), 40);
        // A word longer than the line stays whole.
        let url = format!("https://example.com/{}", "x".repeat(90));
        assert_eq!(wrap(&url, ""), format!("{url}\n"));
    }

    #[test]
    fn chinese_text_wraps_between_characters_at_72_columns() {
        let text =
            "微信背后的公司加入了八月中旬新规之后的中国人工智能发布潮，腾讯发布了混元大模型。"
                .repeat(3);
        let wrapped = wrap(&format!("   {text}"), "   ");
        let columns =
            |line: &str| -> usize { line.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum() };
        let lines: Vec<&str> = wrapped.lines().collect();
        assert!(lines.len() > 2, "{wrapped}");
        for line in &lines {
            assert!(
                columns(line) <= TEXT_WIDTH,
                "{line:?} is {} columns",
                columns(line)
            );
            assert!(line.starts_with("   "), "{line:?}");
            // Punctuation never starts a line.
            assert!(!line.trim_start().starts_with(['，', '。']), "{line:?}");
        }
        assert_eq!(wrapped.replace("\n   ", "").trim(), text);
        assert_eq!(
            pieces("Qwen大模型。"),
            [("Qwen", 4), ("大", 2), ("模", 2), ("型。", 4)]
        );
    }

    #[test]
    fn lead_sentence_stops_at_the_first_full_stop() {
        assert_eq!(
            lead_sentence("Tongyi opens to all. Rules took effect."),
            "Tongyi opens to all."
        );
        assert_eq!(lead_sentence("Version 3.5 is out"), "Version 3.5 is out");
        assert_eq!(lead_sentence("阿里巴巴发布。然后"), "阿里巴巴发布。");
        assert!(lead_sentence(&"a ".repeat(200)).ends_with('…'));
    }

    #[test]
    fn the_kept_media_rules_follow_the_meta_tags() {
        let html = "<html><head><style>@media x { a { b: c } }</style>\n<meta charset=\"utf-8\">\n<title>t</title>\n</head><body></body></html>";
        let moved = at_rules_after_meta(html);
        assert_eq!(
            moved,
            "<html><head><meta charset=\"utf-8\">\n<title>t</title>\n\n<style>@media x { a { b: c } }</style>\n</head><body></body></html>"
        );
        assert_eq!(at_rules_after_meta("<p>no head</p>"), "<p>no head</p>");
    }

    #[test]
    fn paths_become_absolute_urls() {
        let html = r#"<a href="/digest/a/">a</a><img src="//cdn.example/i.png" alt="i"><a href="https://x/">x</a><a href="mailto:a@b">m</a><a data-href="/no/" title="/no/">t</a>"#;
        assert_eq!(
            absolute_urls(html, "https://example.com/digest/"),
            r#"<a href="https://example.com/digest/a/">a</a><img src="https://cdn.example/i.png" alt="i"><a href="https://x/">x</a><a href="mailto:a@b">m</a><a data-href="/no/" title="/no/">t</a>"#
        );
        assert_eq!(host_of("https://example.com:8443/digest"), "example.com");
    }

    #[test]
    fn the_default_sender_quotes_a_title_with_punctuation() {
        let mut config = Config {
            title: "Check: a site, seeded".into(),
            base_url: "https://example.com/x".into(),
            ..Config::default()
        };
        let from = sender(&config).unwrap();
        assert_eq!(from.email.to_string(), "noreply@example.com");
        assert_eq!(from.name.as_deref(), Some("Check: a site, seeded"));
        config.email.from = Some("not an address".into());
        assert!(sender(&config).is_err());
    }

    #[test]
    fn feed_content_is_the_body_without_the_preheader() {
        let html = "<html><head><style>x</style></head><body style=\"m\">\n<div class=\"preheader\" style=\"display: none\">Lead.&nbsp;</div>\n<table><tr><td>Story</td></tr></table>\n</body></html>";
        assert_eq!(body_of(html), "<table><tr><td>Story</td></tr></table>");
    }

    #[test]
    fn images_without_alt_are_found() {
        let html = r#"<img src="a" alt="A"><img src="b" alt=""><img src="c">"#;
        assert_eq!(
            images_without_alt(html),
            vec![r#"<img src="b" alt="">"#, r#"<img src="c">"#]
        );
    }
}
