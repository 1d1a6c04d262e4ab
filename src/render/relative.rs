//! `--relative`: rewrites a rendered page's internal links to be relative to the page, with
//! `index.html` spelled out, so the site works when opened straight from disk. The page is read
//! by an HTML rewriter (lol_html), so every URL attribute is found however it is written:
//! quoted or not, `srcset` candidates, `poster`, links inside inline SVG (`href`, `xlink:href`).
//! Feeds, sitemaps and canonical URLs keep their absolute addresses.

use lol_html::{RewriteStrSettings, element, rewrite_str};

use crate::error::{Error, Result};

/// Attributes whose value is one URL.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "poster",
    "action",
    "formaction",
    "cite",
    "data",
    "xlink:href",
];

/// Attributes whose value is a list of `URL [descriptor]` candidates.
const SRCSET_ATTRIBUTES: &[&str] = &["srcset", "imagesrcset"];

/// The elements that may carry one of those attributes (SVG's `xlink:href` has no attribute
/// selector: its elements are named). Not `*`: the handler then runs for far fewer elements.
const SELECTOR: &str = "[href], [src], [srcset], [imagesrcset], [poster], [action], [formaction], [cite], [data], use, image, feImage, textPath, mpath";

/// Rewrites `html`, the page written at `file` (site-relative: `articles/x/index.html`), whose
/// internal links start with `base_path` (`/digest`, or empty at a domain root).
pub fn rewrite(html: &str, file: &str, base_path: &str) -> Result<String> {
    let up = "../".repeat(file.matches('/').count());
    let settings =
        RewriteStrSettings::new().append_element_content_handler(element!(SELECTOR, |el| {
            let changes: Vec<(String, String)> = el
                .attributes()
                .iter()
                .filter_map(|attribute| {
                    let name = attribute.name();
                    let value = attribute.value();
                    let rewritten = if URL_ATTRIBUTES.contains(&name.as_str()) {
                        relative_url(&value, base_path, &up)
                    } else if SRCSET_ATTRIBUTES.contains(&name.as_str()) {
                        relative_srcset(&value, base_path, &up)
                    } else {
                        None
                    };
                    rewritten.map(|v| (name, v))
                })
                .collect();
            for (name, value) in changes {
                el.set_attribute(&name, &value)?;
            }
            Ok(())
        }));
    rewrite_str(html, settings)
        .map_err(|e| Error::Other(format!("cannot make the links of {file} relative: {e}")))
}

/// The 404 page of a relative build: a host serves it at any depth, so its links keep their
/// paths from the root, but its `<link>`s (stylesheets, icon) become relative to the file
/// itself (`404.html`, `zh/404.html`), so that opened from disk it is styled like every other page.
pub fn rewrite_links_tags(html: &str, file: &str, base_path: &str) -> crate::Result<String> {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<link ") {
        let end = rest[start..]
            .find('>')
            .map_or(rest.len(), |e| start + e + 1);
        out.push_str(&rest[..start]);
        out.push_str(&rewrite(&rest[start..end], file, base_path)?);
        rest = &rest[end..];
    }
    out.push_str(rest);
    Ok(out)
}

/// `value` made relative to the page, or None when it is not a link inside the site.
fn relative_url(value: &str, base_path: &str, up: &str) -> Option<String> {
    let trimmed = value.trim();
    internal_path(trimmed, base_path).map(|path| format!("{up}{}", with_index(path)))
}

/// Each candidate of a `srcset` made relative; None when none changes.
fn relative_srcset(value: &str, base_path: &str, up: &str) -> Option<String> {
    let mut changed = false;
    let candidates: Vec<String> = value
        .split(',')
        .map(|candidate| {
            let candidate = candidate.trim();
            let (url, descriptor) = candidate
                .split_once(char::is_whitespace)
                .unwrap_or((candidate, ""));
            match relative_url(url, base_path, up) {
                Some(url) => {
                    changed = true;
                    if descriptor.is_empty() {
                        url
                    } else {
                        format!("{url} {}", descriptor.trim())
                    }
                }
                None => candidate.to_string(),
            }
        })
        .collect();
    changed.then(|| candidates.join(", "))
}

/// The site-relative part of a root-relative link under the base path, or None for anything else.
fn internal_path<'a>(value: &'a str, base_path: &str) -> Option<&'a str> {
    if value.starts_with("//") {
        return None;
    }
    let rest = value.strip_prefix(base_path)?;
    if rest.is_empty() {
        return Some("");
    }
    rest.strip_prefix('/')
}

/// `articles/x/#a` → `articles/x/index.html#a`; `` → `index.html`.
fn with_index(path: &str) -> String {
    let split = path.find(['#', '?']).unwrap_or(path.len());
    let (file, suffix) = path.split_at(split);
    if file.is_empty() || file.ends_with('/') {
        format!("{file}index.html{suffix}")
    } else {
        path.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_become_page_relative() {
        let html = r##"<a href="/digest/">Home</a><link href='/digest/style.css'><a href="/digest/articles/y/#top">y</a><img src="/digest/i.png"><a href="https://e.com/digest/x">x</a><a href="#a">a</a><a href="/other/">o</a>"##;
        let out = rewrite(html, "articles/x/index.html", "/digest").unwrap();
        assert_eq!(
            out,
            r##"<a href="../../index.html">Home</a><link href="../../style.css"><a href="../../articles/y/index.html#top">y</a><img src="../../i.png"><a href="https://e.com/digest/x">x</a><a href="#a">a</a><a href="/other/">o</a>"##
        );
    }

    #[test]
    fn only_link_tags_of_the_404_page() {
        let html = r#"<link rel="stylesheet" href="/digest/style.css"><link rel="alternate" href="https://e.com/digest/atom.xml"><a href="/digest/">Home</a>"#;
        assert_eq!(
            rewrite_links_tags(html, "404.html", "/digest").unwrap(),
            r#"<link rel="stylesheet" href="style.css"><link rel="alternate" href="https://e.com/digest/atom.xml"><a href="/digest/">Home</a>"#
        );
        assert_eq!(
            rewrite_links_tags(html, "zh/404.html", "/digest").unwrap(),
            r#"<link rel="stylesheet" href="../style.css"><link rel="alternate" href="https://e.com/digest/atom.xml"><a href="/digest/">Home</a>"#
        );
    }

    #[test]
    fn at_the_domain_root() {
        let out = rewrite(
            r#"<a href="/companies/">c</a><a href="//cdn.e.com/x">x</a>"#,
            "index.html",
            "",
        )
        .unwrap();
        assert_eq!(
            out,
            r#"<a href="companies/index.html">c</a><a href="//cdn.e.com/x">x</a>"#
        );
    }

    /// A tag whose link changes is written again by the rewriter: double quotes, ` />`.
    #[test]
    fn srcset_poster_unquoted_and_svg_links() {
        let html = concat!(
            r#"<img src=/digest/a.png srcset="/digest/a.png 1x, /digest/b%20c.png 2x, https://e.com/c.png 3x">"#,
            r#"<video poster='/digest/v.jpg' src="/digest/v.mp4"></video>"#,
            r#"<svg><a href="/digest/tags/ai/"><text>t</text></a><use xlink:href="/digest/icons.svg#i"/></svg>"#,
            r#"<A HREF=/digest/companies/>c</A>"#,
        );
        let out = rewrite(html, "articles/x/index.html", "/digest").unwrap();
        assert_eq!(
            out,
            concat!(
                r#"<img src="../../a.png" srcset="../../a.png 1x, ../../b%20c.png 2x, https://e.com/c.png 3x">"#,
                r#"<video poster="../../v.jpg" src="../../v.mp4"></video>"#,
                r#"<svg><a href="../../tags/ai/index.html"><text>t</text></a><use xlink:href="../../icons.svg#i" /></svg>"#,
                r#"<A HREF="../../companies/index.html">c</A>"#,
            )
        );
    }

    #[test]
    fn text_that_looks_like_an_attribute_is_left_alone() {
        let out = rewrite(
            "<p>x href=/digest/ y</p><p>src = \"/digest/\"</p>",
            "index.html",
            "/digest",
        )
        .unwrap();
        assert_eq!(out, "<p>x href=/digest/ y</p><p>src = \"/digest/\"</p>");
    }
}
