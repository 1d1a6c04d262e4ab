//! Tracking parameters in links: `utm_*`, `fbclid`, `gclid` and their kind say who shared a
//! link, not where it goes. They are safe to remove.

/// Query parameters that only track (besides every `utm_*`), compared without case.
pub const TRACKING_PARAMETERS: &[&str] = &[
    "fbclid",
    "gclid",
    "gclsrc",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "mc_cid",
    "mc_eid",
    "igshid",
    "yclid",
    "twclid",
    "ttclid",
    "li_fat_id",
    "_hsenc",
    "_hsmi",
    "mkt_tok",
    "oly_anon_id",
    "oly_enc_id",
    "vero_id",
    "wickedid",
    "_ga",
    "_gl",
    "srsltid",
];

/// Whether a query parameter's name is a tracking parameter.
pub fn is_tracking(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.starts_with("utm_") || TRACKING_PARAMETERS.contains(&name.as_str())
}

/// The URL without its tracking parameters, and the names removed; `None` when it has none.
/// Everything else (other parameters, their order, the fragment) is kept as written.
pub fn strip(url: &str) -> Option<(String, Vec<String>)> {
    let (before_fragment, fragment) = match url.find('#') {
        Some(i) => (&url[..i], Some(&url[i..])),
        None => (url, None),
    };
    let (base, query) = before_fragment.split_once('?')?;
    let mut removed = Vec::new();
    let kept: Vec<&str> = query
        .split('&')
        .filter(|param| {
            let name = param.split('=').next().unwrap_or("");
            if is_tracking(name) {
                removed.push(name.to_string());
                false
            } else {
                true
            }
        })
        .collect();
    if removed.is_empty() {
        return None;
    }
    let mut clean = base.to_string();
    let kept: Vec<&str> = kept.into_iter().filter(|p| !p.is_empty()).collect();
    if !kept.is_empty() {
        clean.push('?');
        clean.push_str(&kept.join("&"));
    }
    if let Some(fragment) = fragment {
        clean.push_str(fragment);
    }
    Some((clean, removed))
}

/// A URL reduced to what identifies the page it leads to, to notice two articles with one
/// source: no tracking parameters, no fragment, http and https alike, host without `www.` and
/// case, no trailing slash.
pub fn identity(url: &str) -> String {
    let url = url.trim();
    let url = strip(url).map_or_else(|| url.to_string(), |(clean, _)| clean);
    let url = url.split('#').next().unwrap_or("");
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .or_else(|| url.strip_prefix("HTTPS://"))
        .or_else(|| url.strip_prefix("HTTP://"))
        .unwrap_or(url);
    let (host, path) = match rest.find(['/', '?']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let host = host.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let path = path.trim_end_matches('/');
    format!("{host}{path}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_only_tracking_parameters() {
        for (url, expected, removed) in [
            (
                "https://e.com/a?utm_source=x&id=3&utm_medium=y#top",
                "https://e.com/a?id=3#top",
                &["utm_source", "utm_medium"][..],
            ),
            ("https://e.com/a?fbclid=abc", "https://e.com/a", &["fbclid"]),
            (
                "https://e.com/?GCLID=1&q=a",
                "https://e.com/?q=a",
                &["GCLID"],
            ),
            (
                "https://e.com/a?mc_eid=1#x",
                "https://e.com/a#x",
                &["mc_eid"],
            ),
        ] {
            let (clean, names) = strip(url).unwrap_or_else(|| panic!("{url}"));
            assert_eq!(clean, expected, "{url}");
            assert_eq!(names, removed, "{url}");
        }
        for untouched in [
            "https://e.com/a",
            "https://e.com/a?id=3&ref=home",
            "https://e.com/a#utm_source=x",
            "../x.md",
        ] {
            assert_eq!(strip(untouched), None, "{untouched}");
        }
    }

    #[test]
    fn identity_ignores_what_does_not_change_the_page() {
        assert_eq!(
            identity("https://www.Example.org/news/x/?utm_source=tw#top"),
            identity("http://example.org/news/x")
        );
        assert_ne!(
            identity("https://e.org/a?id=1"),
            identity("https://e.org/a?id=2")
        );
    }
}
