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
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        links.permalink("sitemap.xml")
    )
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
        let small = sitemaps(&entries[..2], &links);
        assert_eq!(small.len(), 1);
        assert!(
            small[0]
                .1
                .contains("<loc>https://e.com/d/articles/1/</loc>")
        );
    }
}
