//! Where every page lives. Paths here are relative to the site root ("articles/x/"); [`Urls`]
//! puts them under base_url's path for links, or makes them absolute for feeds and canonicals.

#[derive(Debug, Clone, serde::Serialize)]
pub struct Urls {
    /// `https://example.com/digest`, no trailing slash.
    base_url: String,
    /// `/digest`, or empty at a domain root.
    base_path: String,
}

impl Urls {
    pub fn new(base_url: &str, base_path: &str) -> Self {
        Urls {
            base_url: base_url.trim_end_matches('/').to_string(),
            base_path: base_path.trim_end_matches('/').to_string(),
        }
    }

    /// A link from the host root: `/digest/articles/x/`.
    pub fn link(&self, path: &str) -> String {
        format!("{}/{}", self.base_path, path.trim_start_matches('/'))
    }

    /// An absolute URL: `https://example.com/digest/articles/x/`.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}/{}", self.base_url, path.trim_start_matches('/'))
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn base_path(&self) -> &str {
        &self.base_path
    }
}

pub fn taxonomy(taxonomy: &str) -> String {
    format!("{taxonomy}/")
}

pub fn term(taxonomy: &str, slug: &str) -> String {
    format!("{taxonomy}/{slug}/")
}

pub fn edition(id: &str) -> String {
    format!("editions/{id}/")
}

pub const MATRIX: &str = "matrix/";

/// The page of the articles about both a row term and a column term.
pub fn matrix_cell(row_slug: &str, column_slug: &str) -> String {
    format!("matrix/{row_slug}/{column_slug}/")
}

/// Page `n` (1-based) of a paginated list whose first page is at `first`.
pub fn page(first: &str, n: usize) -> String {
    if n <= 1 {
        first.to_string()
    } else {
        format!("{first}page/{n}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_permalinks_keep_the_base_path() {
        let urls = Urls::new("https://u.github.io/digest", "/digest");
        assert_eq!(urls.link("articles/x/"), "/digest/articles/x/");
        assert_eq!(urls.permalink(""), "https://u.github.io/digest/");
        let root = Urls::new("https://example.com", "");
        assert_eq!(root.link(""), "/");
        assert_eq!(root.link(&page("", 2)), "/page/2/");
        assert_eq!(
            root.link(&page(&term("companies", "alibaba"), 3)),
            "/companies/alibaba/page/3/"
        );
    }
}
