//! A generated corpus as a site of one flavor: its scaffolding (configuration, and for Hugo
//! and Zola minimal templates, real files under scaffold/) and each article as TOML front
//! matter followed by its Markdown body.

use std::path::{Path, PathBuf};

use digest::fs;

use crate::article::Article;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Flavor {
    /// content/articles/YYYY-MM-DD-<slug>.md and site.toml (the built-in theme)
    Digest,
    /// hugo.toml and hand-written layouts (no theme)
    Hugo,
    /// zola.toml (Zola >= 0.22) and minimal templates
    Zola,
}

/// (path in the site, contents) of the files besides the articles.
fn scaffold(flavor: Flavor) -> &'static [(&'static str, &'static str)] {
    macro_rules! files {
        ($flavor:literal: $($path:literal),* $(,)?) => {
            &[$(($path, include_str!(concat!("scaffold/", $flavor, "/", $path)))),*]
        };
    }
    match flavor {
        Flavor::Digest => files!("digest": "site.toml"),
        Flavor::Hugo => files!("hugo":
            "hugo.toml",
            "layouts/baseof.html",
            "layouts/_partials/terms.html",
            "layouts/_partials/item.html",
            "layouts/_partials/pager.html",
            "layouts/home.html",
            "layouts/page.html",
            "layouts/taxonomy.html",
            "layouts/term.html",
            "layouts/404.html",
            "layouts/rss.xml",
        ),
        Flavor::Zola => files!("zola":
            "zola.toml",
            "content/_index.md",
            "content/articles/_index.md",
            "templates/base.html",
            "templates/macros.html",
            "templates/index.html",
            "templates/section.html",
            "templates/page.html",
            "templates/taxonomy_list.html",
            "templates/taxonomy_single.html",
            "templates/404.html",
            "templates/rss.xml",
        ),
    }
}

/// Writes the scaffolding and creates content/articles/.
pub fn start(out: &Path, flavor: Flavor) -> digest::Result<()> {
    fs::create_dir_all(out)?;
    for (path, text) in scaffold(flavor) {
        fs::write_creating_dirs(&out.join(path), text)?;
    }
    if flavor == Flavor::Zola {
        fs::create_dir_all(&out.join("static"))?;
    }
    fs::create_dir_all(&articles_dir(out))
}

fn articles_dir(out: &Path) -> PathBuf {
    out.join("content").join("articles")
}

pub fn write_article(out: &Path, article: &Article, flavor: Flavor) -> digest::Result<()> {
    let mut text = front_matter(article, flavor);
    text.push_str(&article.body);
    fs::write(&articles_dir(out).join(article.filename()), text)
}

/// digest and Hugo share one layout; Zola wants `description`, `[taxonomies]` and `[extra]`.
fn front_matter(a: &Article, flavor: Flavor) -> String {
    let mut lines = vec!["+++".to_string(), format!("title = {}", toml_str(&a.title))];
    let date = a.date.iso();
    let authors = toml_list(&a.authors);
    match flavor {
        Flavor::Zola => lines.extend([
            format!("description = {}", toml_str(&a.summary)),
            format!("date = {date}"),
            format!("authors = {authors}"),
            "[taxonomies]".to_string(),
            format!("companies = {}", toml_list(&a.companies)),
            format!("regulations = {}", toml_list(&a.regulations)),
            format!("tags = {}", toml_list(&a.tags)),
            "[extra.source]".to_string(),
            format!("name = {}", toml_str(a.source_name)),
            format!("url = {}", toml_str(&a.source_url)),
        ]),
        Flavor::Digest | Flavor::Hugo => lines.extend([
            format!("date = {date}"),
            format!("authors = {authors}"),
            format!("summary = {}", toml_str(&a.summary)),
            format!("companies = {}", toml_list(&a.companies)),
            format!("regulations = {}", toml_list(&a.regulations)),
            format!("tags = {}", toml_list(&a.tags)),
            "[source]".to_string(),
            format!("name = {}", toml_str(a.source_name)),
            format!("url = {}", toml_str(&a.source_url)),
        ]),
    }
    lines.push("+++".to_string());
    lines.join("\n") + "\n\n"
}

/// A TOML basic string: quotes and backslashes escaped, control characters as \uXXXX.
fn toml_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn toml_list<S: AsRef<str>>(items: &[S]) -> String {
    let items: Vec<String> = items.iter().map(|s| toml_str(s.as_ref())).collect();
    format!("[{}]", items.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_strings_escape_like_the_shared_generator() {
        assert_eq!(toml_str(r#"a "b" \c"#), r#""a \"b\" \\c""#);
        assert_eq!(toml_str("tab\there\u{7f}"), r#""tab\u0009here\u007f""#);
        assert_eq!(
            toml_list(&["Société Générale", "AT&T"]),
            r#"["Société Générale", "AT&T"]"#
        );
        assert_eq!(toml_list::<&str>(&[]), "[]");
    }

    /// Every flavor's front matter parses as TOML, with the dates as local dates.
    #[test]
    fn front_matter_is_valid_toml() {
        let weights = crate::article::Weights::new();
        let article = crate::article::gen_article(42, 3, &weights);
        for flavor in [Flavor::Digest, Flavor::Hugo, Flavor::Zola] {
            let text = front_matter(&article, flavor);
            let inner = text
                .strip_prefix("+++\n")
                .and_then(|t| t.strip_suffix("+++\n\n"))
                .expect("front matter fenced by +++");
            let table: toml::Table = inner.parse().expect("valid TOML");
            assert!(table["date"].is_datetime(), "{flavor:?}: {inner}");
            assert_eq!(table["title"].as_str(), Some(article.title.as_str()));
        }
    }
}
