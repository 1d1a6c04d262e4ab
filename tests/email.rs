//! Editions as email: `email.html` read with a real HTML parser (scraper), `edition.eml` with a
//! MIME parser (mail-parser, and Python's `email` when python3 is present), and `digest send`
//! against an SMTP server started by the test on loopback (std threads speaking EHLO, MAIL,
//! RCPT, DATA, RSET, QUIT; it can refuse a recipient and hang up after the first message).

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};

use common::{Output, Site, selector, text_of};

const BASE: &str = "https://example.com/news/";
const ORIGIN: &str = "https://example.com";
const LIMIT: usize = 102 * 1024;
const TEXT_WIDTH: usize = 72;

fn build_example() -> (Site, Output) {
    let site = Site::example();
    site.build(&["--base-url", BASE]).success();
    let out = Output::new(&site.out, BASE);
    (site, out)
}

/// The folders of the output's editions (`editions/2023-w37`).
fn edition_dirs(out: &Output) -> Vec<std::path::PathBuf> {
    let mut dirs: Vec<_> = std::fs::read_dir(out.dir.join("editions"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "no editions built");
    dirs
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// The CSS of `<style>` blocks with every `@media { … }` block taken out.
fn outside_media(css: &str) -> String {
    let mut out = String::new();
    let mut rest = css;
    while let Some(at) = rest.find("@media") {
        out.push_str(&rest[..at]);
        let open = rest[at..]
            .find('{')
            .map(|i| at + i)
            .expect("@media has a block");
        let mut depth = 0;
        let mut end = open;
        for (i, c) in rest[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn email_html_is_self_contained_absolute_and_under_the_limit() {
    let (_site, out) = build_example();
    for dir in edition_dirs(&out) {
        let id = dir.file_name().unwrap().to_string_lossy().to_string();
        let raw = read(&dir.join("email.html"));
        assert!(raw.len() < LIMIT, "{id}: {} bytes", raw.len());
        let html = scraper::Html::parse_document(&raw);
        let count = |css: &str| html.select(&selector(css)).count();
        assert_eq!(count("script"), 0, "{id}: a script");
        assert!(!raw.to_lowercase().contains("<script"), "{id}");
        assert_eq!(count("link[rel=stylesheet]"), 0, "{id}: a stylesheet link");
        // A browser opening the email as a page looks for its encoding in the first 1024 bytes;
        // the @media rules css-inline keeps must not push it out.
        let charset = raw.find("<meta charset=\"utf-8\">");
        assert!(
            charset.is_some_and(|at| at < 1024),
            "{id}: <meta charset> at {charset:?}"
        );
        assert!(raw.contains("@media"), "{id}: the @media rules are gone");

        // The layout: one 600 px table column.
        let container = html
            .select(&selector("table[width=\"600\"]"))
            .next()
            .unwrap_or_else(|| panic!("{id}: no 600 px table"));
        assert!(container.value().attr("style").unwrap().contains("600px"));

        // Every URL is absolute; links to the site are under base_url.
        for (css, attr) in [("a[href]", "href"), ("img", "src")] {
            for el in html.select(&selector(css)) {
                let url = el.value().attr(attr).unwrap_or("");
                assert!(
                    url.starts_with("https://") || url.starts_with("mailto:"),
                    "{id}: {attr}={url:?} is not absolute"
                );
            }
        }
        let titles: Vec<(String, String)> = html
            .select(&selector("h2 a[href]"))
            .map(|a| (text_of(a), a.value().attr("href").unwrap().to_string()))
            .collect();
        assert!(!titles.is_empty(), "{id}: no story");
        for (title, href) in &titles {
            assert!(href.starts_with(BASE), "{id}: {title} links to {href}");
            assert!(
                out.exists(&href[ORIGIN.len()..]),
                "{id}: {href} is not a page"
            );
        }
        // The same stories as the web edition, in its order.
        let web = out.page(&format!("/news/editions/{id}/"));
        let on_page: Vec<String> = web.article_links().into_iter().map(|(_, h)| h).collect();
        let in_email: Vec<String> = titles
            .iter()
            .map(|(_, h)| h[ORIGIN.len()..].to_string())
            .collect();
        assert_eq!(
            in_email, on_page,
            "{id}: stories in the email and on the page"
        );

        // Every image says what it shows.
        for img in html.select(&selector("img")) {
            let alt = img.value().attr("alt").unwrap_or("");
            assert!(!alt.trim().is_empty(), "{id}: image without alt");
        }

        // The preheader is hidden and carries the lead sentence.
        let pre = html.select(&selector(".preheader")).next().unwrap();
        assert!(pre.value().attr("style").unwrap().contains("display: none"));
        assert!(
            text_of(pre).split_whitespace().count() > 2,
            "{id}: empty preheader"
        );

        // Nothing depends on a rule left in <style>: all that stays there is @media.
        for style in html.select(&selector("style")) {
            let css = style.text().collect::<String>();
            assert!(
                outside_media(&css).trim().is_empty(),
                "{id}: a rule outside @media was not inlined: {}",
                outside_media(&css).trim()
            );
        }
        let media = html
            .select(&selector("style"))
            .map(|s| s.text().collect::<String>())
            .collect::<String>();
        assert!(media.contains("prefers-color-scheme: dark"), "{id}");
        assert!(media.contains("max-width"), "{id}");
        for el in html
            .root_element()
            .descendants()
            .filter_map(scraper::ElementRef::wrap)
        {
            if el.value().attr("class").is_some() {
                assert!(
                    el.value().attr("style").is_some(),
                    "{id}: <{} class={:?}> has no inlined style",
                    el.value().name(),
                    el.value().attr("class")
                );
            }
        }
    }
}

#[test]
fn stories_carry_summary_source_companies_and_regulations_and_the_week_its_terms() {
    let (_site, out) = build_example();
    let mut sources = 0;
    let mut companies = 0;
    let mut regulations = 0;
    for dir in edition_dirs(&out) {
        let html = scraper::Html::parse_document(&read(&dir.join("email.html")));
        sources += html.select(&selector(".source a")).count();
        companies += html.select(&selector("a.chip-companies")).count();
        regulations += html.select(&selector("a.chip-regulations")).count();
        assert!(html.select(&selector(".summary")).count() > 0);
        let headings: Vec<String> = html.select(&selector("h2")).map(text_of).collect();
        assert!(
            headings
                .iter()
                .any(|h| h.starts_with("Most covered this week")),
            "{headings:?}"
        );
    }
    assert!(sources > 0 && companies > 0 && regulations > 0);
}

#[test]
fn plain_text_is_wrapped_and_its_links_numbered() {
    let (_site, out) = build_example();
    for dir in edition_dirs(&out) {
        let text = read(&dir.join("email.txt"));
        let (body, links) = text.split_once("\nLinks\n").expect("a Links section");
        for line in body.lines() {
            assert!(line.chars().count() <= TEXT_WIDTH, "too long: {line:?}");
        }
        let urls: Vec<&str> = links.lines().collect();
        assert!(!urls.is_empty());
        for (n, line) in urls.iter().enumerate() {
            let (number, url) = line.split_once(' ').unwrap();
            assert_eq!(number, format!("[{}]", n + 1));
            assert!(url.starts_with("https://"), "{url}");
            assert!(
                body.contains(&format!("[{}]", n + 1)),
                "[{}] is not cited",
                n + 1
            );
        }
        assert!(links.contains("https://example.com/news/articles/"));
    }
}

#[test]
fn edition_eml_holds_both_files_with_the_headers() {
    let (_site, out) = build_example();
    for dir in edition_dirs(&out) {
        let id = dir.file_name().unwrap().to_string_lossy().to_string();
        let bytes = std::fs::read(dir.join("edition.eml")).unwrap();
        let message = mail_parser::MessageParser::default()
            .parse(&bytes)
            .expect("edition.eml parses");
        let web = out.page(&format!("/news/editions/{id}/"));
        assert_eq!(
            message.subject(),
            Some(format!("Tech Policy Digest: {}", web.h1()).as_str())
        );
        let from = message.from().and_then(|a| a.first()).unwrap();
        assert_eq!(from.address(), Some("digest@example.com"));
        assert_eq!(from.name(), Some("Tech Policy Digest"));
        assert!(message.message_id().is_some_and(|m| m.contains(&id)));
        assert!(message.date().is_some());
        assert_eq!(
            message.header_raw("List-Unsubscribe").map(str::trim),
            Some("<https://lists.example.com/digest/unsubscribe>")
        );
        assert_eq!(
            message.header_raw("List-Unsubscribe-Post").map(str::trim),
            Some("List-Unsubscribe=One-Click")
        );
        assert!(
            message
                .header_raw("Content-Type")
                .unwrap()
                .contains("multipart/alternative")
        );
        assert_eq!(
            (message.text_body_count(), message.html_body_count()),
            (1, 1)
        );
        let crlf = |s: &str| s.replace("\r\n", "\n");
        assert_eq!(
            crlf(&message.body_text(0).unwrap()),
            read(&dir.join("email.txt"))
        );
        assert_eq!(
            crlf(&message.body_html(0).unwrap()).trim_end(),
            crlf(&read(&dir.join("email.html"))).trim_end()
        );
    }
}

/// Python's `email` package reads the message, and writes it back into one that reads the same.
#[test]
fn edition_eml_survives_pythons_email_parser() {
    if std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("python3 not found: round trip skipped");
        return;
    }
    let (_site, out) = build_example();
    let script = r#"
import email, json, sys
from email import policy
raw = open(sys.argv[1], 'rb').read()
m = email.message_from_bytes(raw, policy=policy.default)
again = email.message_from_bytes(m.as_bytes(), policy=policy.default)
def parts(msg):
    # Written back with the policy's line ends (\n): parts compare with CRLF as LF.
    return {p.get_content_type(): p.get_content().replace('\r\n', '\n') for p in msg.walk() if not p.is_multipart()}
print(json.dumps({
    "subject": m["subject"], "from": str(m["from"]), "type": m.get_content_type(),
    "defects": [str(d) for d in m.defects] + [str(d) for p in m.walk() for d in p.defects],
    "parts": parts(m), "same": parts(m) == parts(again) and m["subject"] == again["subject"],
}))
"#;
    for dir in edition_dirs(&out) {
        let run = std::process::Command::new("python3")
            .arg("-c")
            .arg(script)
            .arg(dir.join("edition.eml"))
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        assert_eq!(v["type"], "multipart/alternative");
        assert_eq!(v["defects"], serde_json::json!([]));
        assert_eq!(v["same"], true);
        assert_eq!(v["from"], "Tech Policy Digest <digest@example.com>");
        assert!(
            v["subject"]
                .as_str()
                .unwrap()
                .starts_with("Tech Policy Digest: Week ")
        );
        let crlf = |s: &str| s.replace("\r\n", "\n");
        assert_eq!(
            crlf(v["parts"]["text/plain"].as_str().unwrap()),
            read(&dir.join("email.txt"))
        );
        assert_eq!(
            crlf(v["parts"]["text/html"].as_str().unwrap()).trim_end(),
            read(&dir.join("email.html")).trim_end()
        );
    }
}

#[test]
fn web_editions_link_their_email_and_the_editions_feed_carries_it() {
    let (_site, out) = build_example();
    let dir = edition_dirs(&out).pop().unwrap();
    let id = dir.file_name().unwrap().to_string_lossy().to_string();
    let page = out.page(&format!("/news/editions/{id}/"));
    let link = page
        .select("a")
        .into_iter()
        .find(|a| text_of(*a) == "Read as email")
        .expect("a Read as email link");
    assert_eq!(
        link.value().attr("href"),
        Some(format!("/news/editions/{id}/email.html").as_str())
    );
    let xml = out.read("editions/atom.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let content = doc
        .descendants()
        .find(|n| n.has_tag_name("content"))
        .and_then(|n| n.text())
        .unwrap();
    let html = scraper::Html::parse_fragment(content);
    assert!(html.select(&selector("table[width=\"600\"]")).count() > 0);
    assert!(
        html.select(&selector("[style]")).count() > 10,
        "styles inlined"
    );
}

/// A small site: two weeks, a story with an image, sources, companies and regulations.
fn small_site(email: &str) -> Site {
    let site = Site::empty();
    site.write(
        "site.toml",
        &format!("title = \"Small Digest\"\nbase_url = \"https://example.com/digest\"\n{email}\n"),
    );
    site.write(
        "content/2023-09-15-alibaba.md",
        "+++\ntitle = \"Alibaba opens Tongyi\"\ndate = 2023-09-15\nsummary = \"Tongyi Qianwen opens to the public. More later.\"\ncompanies = [\"Alibaba\"]\nregulations = [\"China GenAI Measures\"]\nimage = \"/images/tongyi.png\"\nimage_alt = \"Alibaba's booth\"\n[source]\nname = \"Cointelegraph\"\nurl = \"https://example.org/alibaba\"\n+++\nBody.\n",
    );
    site.write(
        "content/2023-09-14-baidu.md",
        "+++\ntitle = \"Baidu ships Ernie\"\ndate = 2023-09-14\ncompanies = [\"Baidu\"]\n+++\nErnie is out.\n",
    );
    site.write(
        "content/2023-09-05-openai.md",
        "+++\ntitle = \"OpenAI in Europe\"\ndate = 2023-09-05\ncompanies = [\"OpenAI\"]\nregulations = [\"EU AI Act\"]\n+++\nA story from an earlier week.\n",
    );
    site
}

const EMAIL: &str = "[email]\nfrom = \"Small Digest <news@example.com>\"\nunsubscribe = \"mailto:leave@example.com\"";

#[test]
fn email_enabled_false_writes_no_email() {
    let site = small_site("[email]\nenabled = false");
    let out = site.build_ok(&[]);
    for dir in edition_dirs(&out) {
        for file in ["email.html", "email.txt", "edition.eml"] {
            assert!(!dir.join(file).exists(), "{}", dir.join(file).display());
        }
        let page =
            out.page(&out.url_of_file(&dir.strip_prefix(&out.dir).unwrap().join("index.html")));
        assert!(
            !page
                .select("a")
                .iter()
                .any(|a| text_of(*a) == "Read as email")
        );
    }
    // The editions feed lists the stories instead.
    assert!(out.read("editions/atom.xml").contains("&lt;ul&gt;"));
}

#[test]
fn subject_template_and_mailto_unsubscribe() {
    let site = small_site(&format!(
        "{EMAIL}\nsubject = \"{{{{ edition.title }}}} — {{{{ edition.count }}}} stories from {{{{ site.title }}}}\""
    ));
    let out = site.build_ok(&[]);
    let bytes = std::fs::read(out.dir.join("editions/2023-w37/edition.eml")).unwrap();
    let message = mail_parser::MessageParser::default().parse(&bytes).unwrap();
    assert_eq!(
        message.subject(),
        Some("Week 37, 2023 — 2 stories from Small Digest")
    );
    assert_eq!(
        message.header_raw("List-Unsubscribe").map(str::trim),
        Some("<mailto:leave@example.com>")
    );
    // One-click unsubscribing (RFC 8058) needs an https URL.
    assert!(message.header_raw("List-Unsubscribe-Post").is_none());
    let html = scraper::Html::parse_document(&read(&out.dir.join("editions/2023-w37/email.html")));
    let img = html.select(&selector("img")).next().unwrap();
    assert_eq!(img.value().attr("alt"), Some("Alibaba's booth"));
    assert_eq!(
        img.value().attr("src"),
        Some("https://example.com/digest/images/tongyi.png")
    );
    let source = html.select(&selector(".source a")).next().unwrap();
    assert_eq!(
        source.value().attr("href"),
        Some("https://example.org/alibaba")
    );
    let pre = html.select(&selector(".preheader")).next().unwrap();
    assert!(text_of(pre).starts_with("Tongyi Qianwen opens to the public."));
    assert!(!text_of(pre).contains("More later"));
}

#[test]
fn a_long_edition_falls_back_to_summaries_and_links_and_check_warns() {
    let site = small_site(EMAIL);
    // Many stories with many terms: the chips and sources pass the limit, the summaries alone
    // do not.
    let summary = "A summary sentence of fair length for a story. ".repeat(12);
    for n in 0..60 {
        site.write(
            &format!("content/2023-09-13-long-{n}.md"),
            &format!(
                "+++\ntitle = \"Long story {n}\"\ndate = 2023-09-13\nsummary = \"{summary}\"\ncompanies = [\"Alibaba\", \"Baidu\", \"Tencent\", \"OpenAI\", \"ByteDance\", \"Huawei\"]\nregulations = [\"China GenAI Measures\", \"EU AI Act\", \"DSA\"]\n[source]\nname = \"Wire\"\nurl = \"https://example.org/{n}\"\n+++\nBody.\n"
            ),
        );
    }
    let out = site.build_ok(&[]);
    let raw = read(&out.dir.join("editions/2023-w37/email.html"));
    let html = scraper::Html::parse_document(&raw);
    let note = html.select(&selector(".note")).next().expect("a note");
    assert!(
        text_of(note).contains("summary and link only"),
        "{}",
        text_of(note)
    );
    assert_eq!(html.select(&selector("h2 a")).count(), 62);
    assert_eq!(html.select(&selector(".source")).count(), 0);
    assert!(raw.len() < LIMIT, "{} bytes", raw.len());
    // The short week stays whole.
    let other = read(&out.dir.join("editions/2023-w36/email.html"));
    assert!(!other.contains("class=\"note\""));

    let run = site.run(&["check"]);
    let warning = run
        .diagnostics
        .iter()
        .find(|d| d.message.contains("Gmail clips"))
        .unwrap_or_else(|| panic!("no size warning:\n{}", run.stderr));
    assert!(warning.message.contains("2023-w37"), "{}", warning.message);
    let json = site.run(&["check", "--format", "json"]);
    let problems: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert!(
        problems
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["code"] == "email-size"),
        "{}",
        json.stdout
    );
}

#[test]
fn check_warns_of_a_missing_from_and_an_image_without_alt() {
    let site = small_site("[email]\nsubject = \"News\"");
    site.write(
        "templates/email.html",
        "<html><body><table width=\"600\"><tr><td><img src=\"/logo.png\">{% for article in articles %}<a href=\"{{ article.permalink }}\">{{ article.title }}</a>{% endfor %}</td></tr></table></body></html>",
    );
    let run = site.run(&["check", "--format", "json"]);
    let problems: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let codes: Vec<(String, String)> = problems
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["code"].as_str().unwrap().to_string(),
                p["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        codes
            .iter()
            .any(|(c, m)| c == "email-config" && m.contains("from")),
        "{codes:?}"
    );
    assert!(
        codes
            .iter()
            .any(|(c, m)| c == "missing-alt" && m.contains("2023-w37") && m.contains("logo.png")),
        "{codes:?}"
    );
    // The overriding template is used, and its paths become absolute.
    let out = site.build_ok(&[]);
    let raw = read(&out.dir.join("editions/2023-w37/email.html"));
    assert!(
        raw.contains("src=\"https://example.com/logo.png\""),
        "{raw}"
    );
}

// ---------------------------------------------------------------------------------------------
// digest send, against an SMTP server on loopback
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Received {
    from: String,
    to: Vec<String>,
    data: String,
}

struct SmtpServer {
    port: u16,
    received: Arc<Mutex<Vec<Received>>>,
}

impl SmtpServer {
    /// Refuses `RCPT TO` for the addresses in `refuse`; after `hang_up_after` messages, closes
    /// the connection and stops listening.
    fn start(refuse: &[&str], hang_up_after: Option<usize>) -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let refuse: Vec<String> = refuse.iter().map(|s| s.to_string()).collect();
        let store = Arc::clone(&received);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let done = serve_one(stream, &refuse, &store, hang_up_after);
                if done {
                    // Dropping the listener: the next connection is refused.
                    return;
                }
            }
        });
        SmtpServer { port, received }
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

/// One SMTP session; true when the server should stop.
fn serve_one(
    stream: TcpStream,
    refuse: &[String],
    store: &Mutex<Vec<Received>>,
    hang_up_after: Option<usize>,
) -> bool {
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    let say = |w: &mut TcpStream, line: &str| w.write_all(format!("{line}\r\n").as_bytes()).is_ok();
    say(&mut writer, "220 localhost test SMTP");
    let (mut from, mut to) = (String::new(), Vec::new());
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return false;
        }
        let command = line.trim_end().to_string();
        let upper = command.to_uppercase();
        let angle = |s: &str| {
            s.split_once('<')
                .and_then(|(_, r)| r.split_once('>'))
                .map(|(a, _)| a.to_string())
                .unwrap_or_default()
        };
        if upper.starts_with("EHLO") {
            say(&mut writer, "250-localhost");
            say(&mut writer, "250 SIZE 10000000");
        } else if upper.starts_with("HELO") || upper.starts_with("NOOP") {
            say(&mut writer, "250 OK");
        } else if upper.starts_with("MAIL FROM:") {
            from = angle(&command);
            to.clear();
            say(&mut writer, "250 OK");
        } else if upper.starts_with("RCPT TO:") {
            let address = angle(&command);
            if refuse.contains(&address) {
                say(&mut writer, "550 5.1.1 no such mailbox here");
            } else {
                to.push(address);
                say(&mut writer, "250 OK");
            }
        } else if upper == "DATA" {
            say(&mut writer, "354 end with <CRLF>.<CRLF>");
            let mut data = String::new();
            loop {
                let mut l = String::new();
                if reader.read_line(&mut l).unwrap_or(0) == 0 {
                    return false;
                }
                if l == ".\r\n" {
                    break;
                }
                data.push_str(
                    l.strip_prefix('.')
                        .filter(|_| l.starts_with(".."))
                        .unwrap_or(&l),
                );
            }
            let count = {
                let mut store = store.lock().unwrap();
                store.push(Received {
                    from: from.clone(),
                    to: std::mem::take(&mut to),
                    data,
                });
                store.len()
            };
            say(&mut writer, "250 OK queued");
            if hang_up_after == Some(count) {
                let _ = writer.shutdown(std::net::Shutdown::Both);
                return true;
            }
        } else if upper == "RSET" {
            to.clear();
            say(&mut writer, "250 OK");
        } else if upper == "QUIT" {
            say(&mut writer, "221 bye");
            return false;
        } else {
            say(&mut writer, "502 not implemented");
        }
    }
}

fn send(site: &Site, args: &[&str]) -> common::Run {
    let mut all = vec!["send"];
    all.extend_from_slice(args);
    site.run(&all)
}

/// A run that must exit 0.
#[track_caller]
fn ok(run: &common::Run) {
    assert_eq!(run.code, Some(0), "{:?}\n{}", run.args, run.stderr);
}

fn log_lines(site: &Site, edition: &str) -> Vec<String> {
    let path = site.path(&format!(".digest-send/{edition}.log"));
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(String::from)
        .collect()
}

#[test]
fn send_delivers_one_message_per_recipient_and_goes_on_past_a_refusal() {
    let site = small_site(EMAIL);
    // Built into the site's own output folder, as `digest send` reads it from there.
    ok(&site.run(&["build"]));
    site.write("readers.txt", "# subscribers\nc@example.org\n\n");
    let server = SmtpServer::start(&["refused@example.org"], None);
    let run = send(
        &site,
        &[
            "latest",
            "--smtp",
            &server.url(),
            "--insecure-local",
            "--to",
            "a@example.org",
            "--to",
            "refused@example.org",
            "--to",
            "Bea <b@example.org>",
            "--to-file",
            "readers.txt",
        ],
    );
    assert_eq!(
        run.code,
        Some(1),
        "a refusal fails the run:\n{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("refused@example.org refused by the server"),
        "{}",
        run.stderr
    );
    let received = server.received();
    let to: Vec<&str> = received.iter().map(|r| r.to[0].as_str()).collect();
    assert_eq!(to, ["a@example.org", "b@example.org", "c@example.org"]);
    let html = read(&site.path("public/editions/2023-w37/email.html"));
    let text = read(&site.path("public/editions/2023-w37/email.txt"));
    for message in &received {
        assert_eq!(message.to.len(), 1, "one recipient per message");
        assert_eq!(message.from, "news@example.com");
        let parsed = mail_parser::MessageParser::default()
            .parse(message.data.as_bytes())
            .unwrap();
        assert_eq!(
            parsed
                .to()
                .and_then(|a| a.first())
                .and_then(|a| a.address()),
            Some(message.to[0].as_str())
        );
        assert_eq!(parsed.subject(), Some("Small Digest: Week 37, 2023"));
        let crlf = |s: &str| s.replace("\r\n", "\n");
        assert_eq!(crlf(&parsed.body_text(0).unwrap()), text);
        assert_eq!(
            crlf(&parsed.body_html(0).unwrap()).trim_end(),
            html.trim_end()
        );
    }
    let log = log_lines(&site, "2023-w37");
    assert_eq!(
        log.iter().filter(|l| l.starts_with("sent\t")).count(),
        3,
        "{log:?}"
    );
    assert!(
        log.iter()
            .any(|l| l.starts_with("refused\trefused@example.org"))
    );

    // Again: nobody gets it twice.
    let again = send(
        &site,
        &[
            "2023-w37",
            "--smtp",
            &server.url(),
            "--insecure-local",
            "--to",
            "a@example.org",
            "--to-file",
            "readers.txt",
        ],
    );
    ok(&again);
    assert!(
        again.stderr.contains("skipped a@example.org"),
        "{}",
        again.stderr
    );
    assert_eq!(server.received().len(), 3);
}

#[test]
fn a_dropped_connection_is_resumed_by_running_again() {
    let site = small_site(EMAIL);
    ok(&site.run(&["build"]));
    let to = [
        "--to",
        "a@example.org",
        "--to",
        "b@example.org",
        "--to",
        "c@example.org",
    ];
    let first = SmtpServer::start(&[], Some(1));
    let mut args = vec!["latest", "--insecure-local"];
    let url = first.url();
    args.extend(["--smtp", &url]);
    args.extend(to);
    let run = send(&site, &args);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("run again"), "{}", run.stderr);
    assert_eq!(first.received().len(), 1);
    assert_eq!(first.received()[0].to, ["a@example.org"]);

    let second = SmtpServer::start(&[], None);
    let url = second.url();
    let mut args = vec!["latest", "--insecure-local", "--smtp", &url];
    args.extend(to);
    ok(&send(&site, &args));
    let delivered: Vec<String> = second.received().into_iter().flat_map(|r| r.to).collect();
    assert_eq!(delivered, ["b@example.org", "c@example.org"]);
}

#[test]
fn dry_run_prints_the_message_and_sends_nothing() {
    let site = small_site(EMAIL);
    ok(&site.run(&["build"]));
    let run = send(&site, &["latest", "--dry-run", "--to", "a@example.org"]);
    ok(&run);
    assert!(
        run.stdout.starts_with("To: a@example.org\r\n"),
        "{}",
        run.stdout
    );
    let parsed = mail_parser::MessageParser::default()
        .parse(run.stdout.as_bytes())
        .unwrap();
    assert_eq!(parsed.subject(), Some("Small Digest: Week 37, 2023"));
    assert!(!site.path(".digest-send").exists());
}

#[test]
fn addresses_are_validated_and_tls_is_required_off_loopback() {
    let site = small_site(EMAIL);
    ok(&site.run(&["build"]));
    let server = SmtpServer::start(&[], None);
    let run = send(
        &site,
        &[
            "latest",
            "--smtp",
            &server.url(),
            "--insecure-local",
            "--to",
            "a@example.org",
            "--to",
            "not-an-address",
        ],
    );
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr
            .contains("`not-an-address` is not an email address"),
        "{}",
        run.stderr
    );
    assert_eq!(server.received().len(), 1);

    // Without --insecure-local, a server without STARTTLS gets nothing.
    let plain = SmtpServer::start(&[], None);
    let run = send(
        &site,
        &["latest", "--smtp", &plain.url(), "--to", "z@example.org"],
    );
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(plain.received().is_empty());

    let run = send(
        &site,
        &[
            "latest",
            "--smtp",
            "smtp://mail.example.com:587",
            "--insecure-local",
            "--to",
            "z@example.org",
        ],
    );
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("loopback"), "{}", run.stderr);
    let run = send(
        &site,
        &[
            "latest",
            "--smtp",
            "smtp://me:secret@127.0.0.1:25",
            "--insecure-local",
            "--to",
            "z@example.org",
        ],
    );
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("DIGEST_SMTP_PASSWORD"),
        "{}",
        run.stderr
    );
    let run = send(&site, &["2001-w01", "--dry-run", "--to", "z@example.org"]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("2023-w37"), "{}", run.stderr);
}

#[test]
fn a_subject_that_does_not_render_fails_the_build_naming_site_toml() {
    let site =
        small_site("[email]\nfrom = \"News <news@example.com>\"\nsubject = \"{{ edition.nope }}\"");
    let run = site.build(&[]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("site.toml") && run.stderr.contains("[email] subject does not render"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("hint:"), "{}", run.stderr);
}
