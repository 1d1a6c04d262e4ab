//! sitemap.xml (an index of several files past the 50,000-URL limit of sitemaps.org) and robots.txt.

use serde::Serialize;

use crate::error::Result;
use crate::text::escape_xml;
use crate::urls::Urls;

/// sitemaps.org allows at most this many URLs in one file.
pub const MAX_URLS_PER_FILE: usize = 50_000;

#[derive(Serialize)]
pub struct Entry {
    /// Site-relative path.
    pub path: String,
    /// `YYYY-MM-DD`.
    pub lastmod: Option<String>,
}

/// One file of [`sitemaps`]: the `part`-th of `parts`, made from all the entries.
#[derive(Serialize)]
pub struct SitemapPart<'a> {
    pub entries: &'a [Entry],
    /// For each entry, its pages in the site's languages (hreflang, site-relative path).
    pub alternates: &'a [Vec<(String, String)>],
    pub links: &'a Urls,
    pub part: usize,
    pub parts: usize,
}

pub fn write_sitemap_part(part: &SitemapPart<'_>) -> Result<Vec<u8>> {
    let SitemapPart {
        entries,
        alternates,
        links,
        part,
        parts,
    } = *part;
    let xml = if parts == 1 {
        urlset(entries, alternates, links)
    } else if part + 1 < parts {
        let chunk =
            |n: usize| n * MAX_URLS_PER_FILE..((n + 1) * MAX_URLS_PER_FILE).min(entries.len());
        urlset(
            entries.get(chunk(part)).unwrap_or_default(),
            alternates.get(chunk(part)).unwrap_or_default(),
            links,
        )
    } else {
        index(entries.len().div_ceil(MAX_URLS_PER_FILE), links)
    };
    Ok(xml.into_bytes())
}

pub fn write_robots_txt(links: &&Urls) -> Result<Vec<u8>> {
    Ok(robots_txt(links).into_bytes())
}

/// The files to write for this many entries: `sitemap.xml`, preceded by `sitemap-N.xml` parts
/// (which it then indexes) when there are too many URLs for one file.
pub fn file_names(entries: usize) -> Vec<String> {
    if entries <= MAX_URLS_PER_FILE {
        return vec!["sitemap.xml".into()];
    }
    let mut names: Vec<String> = (0..entries.div_ceil(MAX_URLS_PER_FILE))
        .map(part_name)
        .collect();
    names.push("sitemap.xml".into());
    names
}

fn part_name(n: usize) -> String {
    format!("sitemap-{}.xml", n + 1)
}

/// `sitemap.xml` as the index of `parts` files.
fn index(parts: usize, links: &Urls) -> String {
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for n in 0..parts {
        index.push_str(&format!(
            "  <sitemap><loc>{}</loc></sitemap>\n",
            escape_xml(&links.permalink(&part_name(n)))
        ));
    }
    index.push_str("</sitemapindex>\n");
    index
}

fn urlset(entries: &[Entry], alternates: &[Vec<(String, String)>], links: &Urls) -> String {
    let mut xml = String::with_capacity(entries.len() * 100 + 200);
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"");
    if alternates.iter().any(|a| !a.is_empty()) {
        xml.push_str(" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"");
    }
    xml.push_str(">\n");
    for (i, entry) in entries.iter().enumerate() {
        xml.push_str("  <url><loc>");
        xml.push_str(&escape_xml(&links.permalink(&entry.path)));
        xml.push_str("</loc>");
        for (hreflang, path) in alternates.get(i).into_iter().flatten() {
            xml.push_str(&format!(
                "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                escape_xml(hreflang),
                escape_xml(&links.permalink(path))
            ));
        }
        if let Some(lastmod) = &entry.lastmod {
            xml.push_str("<lastmod>");
            xml.push_str(&escape_xml(lastmod));
            xml.push_str("</lastmod>");
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

pub fn robots_txt(links: &Urls) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\nSitemap: {}\n",
        links.permalink("sitemap.xml"),
        links.permalink(NEWS_SITEMAP)
    )
}

pub const NEWS_SITEMAP: &str = "news-sitemap.xml";

/// Google News allows at most this many articles in a news sitemap.
const MAX_NEWS_URLS: usize = 1000;

/// One article of a Google News sitemap.
#[derive(Serialize)]
pub struct NewsEntry<'a> {
    pub path: String,
    pub title: &'a str,
    /// RFC 3339.
    pub published: String,
    pub language: &'a str,
}

/// What `news-sitemap.xml` is made from.
#[derive(Serialize)]
pub struct NewsSitemap<'a> {
    pub publication: &'a str,
    pub entries: Vec<NewsEntry<'a>>,
    pub links: &'a Urls,
}

pub fn write_news_sitemap(news: &NewsSitemap<'_>) -> Result<Vec<u8>> {
    Ok(news_sitemap(news.publication, &news.entries, news.links).into_bytes())
}

/// `news-sitemap.xml` in Google's `news:` schema; `entries` are the recent articles, newest first.
pub fn news_sitemap(publication: &str, entries: &[NewsEntry<'_>], links: &Urls) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\n",
    );
    for entry in entries.iter().take(MAX_NEWS_URLS) {
        xml.push_str(&format!(
            "  <url>\n    <loc>{}</loc>\n    <news:news>\n      <news:publication><news:name>{}</news:name><news:language>{}</news:language></news:publication>\n      <news:publication_date>{}</news:publication_date>\n      <news:title>{}</news:title>\n    </news:news>\n  </url>\n",
            escape_xml(&links.permalink(&entry.path)),
            escape_xml(publication),
            escape_xml(&news_language(entry.language)),
            escape_xml(&entry.published),
            escape_xml(entry.title),
        ));
    }
    xml.push_str("</urlset>\n");
    xml
}

/// Google News wants ISO 639 codes, with `zh-cn`/`zh-tw` as the only regional ones.
fn news_language(lang: &str) -> String {
    let lower = lang.to_ascii_lowercase().replace('_', "-");
    match lower.as_str() {
        "zh-cn" | "zh-hans" | "zh-sg" => "zh-cn".into(),
        "zh-tw" | "zh-hant" | "zh-hk" => "zh-tw".into(),
        other => other.split('-').next().unwrap_or("en").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_past_the_limit() {
        let links = Urls::new("https://e.com/d", "/d");
        let entries: Vec<Entry> = (0..MAX_URLS_PER_FILE + 1)
            .map(|i| Entry {
                path: format!("articles/{i}/"),
                lastmod: None,
            })
            .collect();
        let sitemaps = |entries: &[Entry]| -> Vec<(String, String)> {
            let names = file_names(entries.len());
            let parts = names.len();
            names
                .into_iter()
                .enumerate()
                .map(|(part, name)| {
                    let xml = write_sitemap_part(&SitemapPart {
                        entries,
                        alternates: &[],
                        links: &links,
                        part,
                        parts,
                    })
                    .unwrap();
                    (name, String::from_utf8(xml).unwrap())
                })
                .collect()
        };
        let files = sitemaps(&entries);
        assert_eq!(files.len(), 3);
        assert_eq!(files[2].0, "sitemap.xml");
        assert!(files[2].1.contains("<sitemapindex"));
        assert!(files[2].1.contains("https://e.com/d/sitemap-2.xml"));
        assert_eq!(news_language("en-GB"), "en");
        assert_eq!(news_language("zh-Hans"), "zh-cn");
        let small = sitemaps(&entries[..2]);
        assert_eq!(small.len(), 1);
        assert!(
            small[0]
                .1
                .contains("<loc>https://e.com/d/articles/1/</loc>")
        );
    }
}
