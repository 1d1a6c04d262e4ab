//! `--relative`: rewrites a rendered page's internal links (`href`, `src`) to be relative to the
//! page, with `index.html` spelled out, so the site works when opened straight from disk.
//! Feeds, sitemaps and canonical URLs keep their absolute addresses.

/// Rewrites `html`, the page written at `file` (site-relative: `articles/x/index.html`), whose
/// internal links start with `base_path` (`/digest`, or empty at a domain root).
pub fn rewrite(html: &str, file: &str, base_path: &str) -> String {
    let depth = file.matches('/').count();
    let up = "../".repeat(depth);
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut rest = html;
    while let Some(at) = find_attribute(rest) {
        let (before, after) = rest.split_at(at.value_start);
        out.push_str(before);
        let value_end = after.find(at.quote).unwrap_or(after.len());
        let value = &after[..value_end];
        match internal_path(value, base_path) {
            Some(path) => {
                out.push_str(&up);
                out.push_str(&with_index(path));
            }
            None => out.push_str(value),
        }
        rest = &after[value_end..];
    }
    out.push_str(rest);
    out
}

/// The 404 page of a relative build: a host serves it at any depth, so its links keep their
/// paths from the root, but its `<link>`s (stylesheets, icon) become relative to the file
/// itself, at the output root, so that opened from disk it is styled like every other page.
pub fn rewrite_links_tags(html: &str, base_path: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<link ") {
        let end = rest[start..]
            .find('>')
            .map_or(rest.len(), |e| start + e + 1);
        out.push_str(&rest[..start]);
        out.push_str(&rewrite(&rest[start..end], "", base_path));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

struct Attribute {
    value_start: usize,
    quote: char,
}

/// The next ` href="` or ` src="` (either quote) and where its value starts.
fn find_attribute(text: &str) -> Option<Attribute> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(i) = text[from..].find('=').map(|i| i + from) {
        // `action`: the header's search form.
        let name_ok = [
            " href", " src", " action", "\nhref", "\nsrc", "\naction", "\thref", "\tsrc",
        ]
        .iter()
        .any(|name| text[..i].ends_with(name));
        if name_ok && let Some(&quote) = bytes.get(i + 1).filter(|b| **b == b'"' || **b == b'\'') {
            return Some(Attribute {
                value_start: i + 2,
                quote: quote as char,
            });
        }
        from = i + 1;
    }
    None
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
        let out = rewrite(html, "articles/x/index.html", "/digest");
        assert_eq!(
            out,
            r##"<a href="../../index.html">Home</a><link href='../../style.css'><a href="../../articles/y/index.html#top">y</a><img src="../../i.png"><a href="https://e.com/digest/x">x</a><a href="#a">a</a><a href="/other/">o</a>"##
        );
    }

    #[test]
    fn only_link_tags_of_the_404_page() {
        let html = r#"<link rel="stylesheet" href="/digest/style.css"><link rel="alternate" href="https://e.com/digest/atom.xml"><a href="/digest/">Home</a>"#;
        assert_eq!(
            rewrite_links_tags(html, "/digest"),
            r#"<link rel="stylesheet" href="style.css"><link rel="alternate" href="https://e.com/digest/atom.xml"><a href="/digest/">Home</a>"#
        );
    }

    #[test]
    fn at_the_domain_root() {
        let out = rewrite(
            r#"<a href="/companies/">c</a><a href="//cdn.e.com/x">x</a>"#,
            "index.html",
            "",
        );
        assert_eq!(
            out,
            r#"<a href="companies/index.html">c</a><a href="//cdn.e.com/x">x</a>"#
        );
    }

    #[test]
    fn text_that_looks_like_an_attribute_is_left_alone() {
        let out = rewrite(
            "<p>x href=/digest/ y</p><p>src = \"/digest/\"</p>",
            "index.html",
            "/digest",
        );
        assert_eq!(out, "<p>x href=/digest/ y</p><p>src = \"/digest/\"</p>");
    }
}
