//! sitemap.xml (an index of several files past the 50,000-URL limit of sitemaps.org) and robots.txt.

use crate::text::escape_xml;
use crate::urls::Urls;

/// sitemaps.org allows at most this many URLs in one file.
pub const MAX_URLS_PER_FILE: usize = 50_000;

pub struct Entry {
    /// Site-relative path.
    pub path: String,
    /// `YYYY-MM-DD`.
    pub lastmod: Option<String>,
}

/// The files to write: `sitemap.xml`, plus `sitemap-N.xml` parts when there are too many URLs.
pub fn sitemaps(entries: &[Entry], links: &Urls) -> Vec<(String, String)> {
    if entries.len() <= MAX_URLS_PER_FILE {
        return vec![("sitemap.xml".into(), urlset(entries, links))];
    }
    let mut files = Vec::new();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (n, chunk) in entries.chunks(MAX_URLS_PER_FILE).enumerate() {
        let name = format!("sitemap-{}.xml", n + 1);
        index.push_str(&format!(
            "  <sitemap><loc>{}</loc></sitemap>\n",
            escape_xml(&links.permalink(&name))
        ));
        files.push((name, urlset(chunk, links)));
    }
    index.push_str("</sitemapindex>\n");
    files.push(("sitemap.xml".into(), index));
    files
}

fn urlset(entries: &[Entry], links: &Urls) -> String {
    let mut xml = String::with_capacity(entries.len() * 100 + 200);
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for entry in entries {
        xml.push_str("  <url><loc>");
        xml.push_str(&escape_xml(&links.permalink(&entry.path)));
        xml.push_str("</loc>");
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
pub struct NewsEntry<'a> {
    pub path: String,
    pub title: &'a str,
    /// RFC 3339.
    pub published: String,
    pub language: &'a str,
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
        let files = sitemaps(&entries, &links);
        assert_eq!(files.len(), 3);
        assert_eq!(files[2].0, "sitemap.xml");
        assert!(files[2].1.contains("<sitemapindex"));
        assert!(files[2].1.contains("https://e.com/d/sitemap-2.xml"));
        assert_eq!(news_language("en-GB"), "en");
        assert_eq!(news_language("zh-Hans"), "zh-cn");
        let small = sitemaps(&entries[..2], &links);
        assert_eq!(small.len(), 1);
        assert!(
            small[0]
                .1
                .contains("<loc>https://e.com/d/articles/1/</loc>")
        );
    }
}
