//! Splitting a list of articles into pages, with the links between them.

use serde::Serialize;

use crate::urls::{self, Urls};

#[derive(Debug, Clone, Serialize)]
pub struct Paginator {
    pub number: usize,
    pub total: usize,
    pub per_page: usize,
    pub items: usize,
    pub first_url: String,
    pub last_url: String,
    pub previous_url: Option<String>,
    pub next_url: Option<String>,
}

/// One page of a list: which items it holds and where it is written.
pub struct Page<'a, T> {
    pub items: &'a [T],
    /// Site-relative path of the page ("companies/alibaba/page/2/").
    pub path: String,
    pub paginator: Paginator,
}

/// Pages of `items`, `per_page` each; an empty list still has one (empty) first page.
pub fn paginate<'a, T>(
    items: &'a [T],
    per_page: usize,
    first: &str,
    links: &Urls,
) -> Vec<Page<'a, T>> {
    let per_page = per_page.max(1);
    let total = items.len().div_ceil(per_page).max(1);
    (1..=total)
        .map(|number| {
            let start = (number - 1) * per_page;
            let end = (start + per_page).min(items.len());
            let link = |n: usize| links.link(&urls::page(first, n));
            Page {
                items: &items[start.min(end)..end],
                path: urls::page(first, number),
                paginator: Paginator {
                    number,
                    total,
                    per_page,
                    items: items.len(),
                    first_url: link(1),
                    last_url: link(total),
                    previous_url: (number > 1).then(|| link(number - 1)),
                    next_url: (number < total).then(|| link(number + 1)),
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagination_edges() {
        let urls = Urls::new("https://e.com/d", "/d");
        let items: Vec<u32> = (0..21).collect();
        let pages = paginate(&items, 10, "", &urls);
        assert_eq!(pages.len(), 3);
        assert_eq!(pages[2].items, [20]);
        assert_eq!(pages[0].paginator.previous_url, None);
        assert_eq!(pages[0].paginator.next_url.as_deref(), Some("/d/page/2/"));
        assert_eq!(pages[1].paginator.previous_url.as_deref(), Some("/d/"));
        assert_eq!(pages[2].path, "page/3/");
        assert_eq!(pages[2].paginator.next_url, None);

        assert_eq!(paginate(&items[..20], 10, "", &urls).len(), 2);
        let empty = paginate::<u32>(&[], 10, "tags/x/", &urls);
        assert_eq!(empty.len(), 1);
        assert!(empty[0].items.is_empty());
        assert_eq!(empty[0].path, "tags/x/");
    }
}
