//! URLs: each post's under the source's rules, the `[permalinks]` pattern that keeps most of
//! them, aliases for the rest, and links in bodies rewritten to what digest writes.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::posts::Mapped;
use super::{Generator, RawPost, Rules, Settings, hugo, jekyll, pelican, zola};
use crate::content::permalink::{self, Pattern};
use crate::content::slug::{is_valid_slug, slug_from_file_stem, slugify};

/// The URL a post had under the source's rules: a path from the site's root (`/x/`).
pub(crate) fn old_url(
    rules: &Rules,
    raw: &RawPost,
    fields: &super::posts::Fields,
    settings: &Settings,
) -> Result<String, String> {
    let tz = settings.tz();
    let url = match rules {
        Rules::Hugo(r) => hugo::url(r, raw, fields, &tz),
        Rules::Zola => zola::url(raw, fields),
        Rules::Jekyll(r) => jekyll::url(r, raw, fields, &tz),
        Rules::Pelican(r) => pelican::url(r, raw, fields, &tz),
    }?;
    Ok(normalize(&url))
}

/// `/x` and `x/` become `/x/`; `/a//b.html` becomes `/a/b.html`.
pub(crate) fn normalize(url: &str) -> String {
    let mut out = String::from("/");
    let segments: Vec<&str> = url.split('/').filter(|s| !s.is_empty()).collect();
    out.push_str(&segments.join("/"));
    let file_like = segments
        .last()
        .is_some_and(|s| s.ends_with(".html") || s.ends_with(".htm") || s.ends_with(".xml"));
    if !segments.is_empty() && (!file_like || url.ends_with('/')) {
        out.push('/');
    }
    out
}

/// A URL cut into what a pattern can say of it: `/blog/:year/:month/:day/` + `Rust-1.0` +
/// `.html`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Shape {
    prefix: String,
    last: String,
    suffix: String,
}

fn shape(url: &str, day: jiff::civil::Date) -> Option<Shape> {
    let (body, suffix) = if let Some(b) = url.strip_suffix('/') {
        (b, "/")
    } else if let Some(b) = url.strip_suffix(".html") {
        (b, ".html")
    } else {
        return None;
    };
    let (dirs, last) = body.rsplit_once('/')?;
    if last.is_empty() || !permalink::is_url_segment(last) {
        return None;
    }
    let mut prefix = String::from("/");
    let (year, month, d) = (
        format!("{:04}", day.year()),
        format!("{:02}", day.month()),
        format!("{:02}", day.day()),
    );
    let mut next = 0;
    for segment in dirs.split('/').filter(|s| !s.is_empty()) {
        let token = match next {
            0 if segment == year => Some(":year"),
            1 if segment == month => Some(":month"),
            2 if segment == d => Some(":day"),
            _ => None,
        };
        match token {
            Some(t) => {
                prefix.push_str(t);
                next += 1;
            }
            None if permalink::is_url_segment(segment) && !segment.contains(':') => {
                prefix.push_str(segment)
            }
            None => return None,
        }
        prefix.push('/');
    }
    Some(Shape {
        prefix,
        last: last.to_string(),
        suffix: suffix.to_string(),
    })
}

/// The URLs chosen for the posts.
#[derive(Debug, Default)]
pub(crate) struct Choice {
    pub pattern: String,
    /// Published posts whose old URL is their new one.
    pub kept: usize,
    pub aliased: Vec<(PathBuf, String, String)>,
    pub lost: Vec<(PathBuf, String, String)>,
}

/// The stem digest names an article by: the file's, or a bundle's folder's.
fn stem_of(dest: &Path) -> String {
    let stem = dest
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if stem == "index"
        && let Some(folder) = dest.parent().and_then(Path::file_name)
    {
        return folder.to_string_lossy().into_owned();
    }
    stem
}

/// The slug digest derives for an article without `slug`.
fn derived_slug(dest: &Path, title: &str) -> String {
    let from_stem = slug_from_file_stem(&stem_of(dest));
    if from_stem.is_empty() {
        slugify(title)
    } else {
        from_stem
    }
}

/// Chooses the `[permalinks]` pattern that keeps the most old URLs, names files and slugs so
/// that it does, and makes every other old URL an alias.
pub(crate) fn choose(posts: &mut [Mapped<'_>], tz: &jiff::tz::TimeZone) -> Choice {
    let day_of = |p: &Mapped<'_>| {
        p.fields
            .date
            .as_ref()
            .map(|w| w.at.with_time_zone(tz.clone()).date())
            .unwrap_or_default()
    };
    let shapes: Vec<Option<Shape>> = posts
        .iter()
        .map(|p| match &p.old_url {
            Ok(url) if !p.fields.draft => shape(url, day_of(p)),
            _ => None,
        })
        .collect();
    let mut counts: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for s in shapes.iter().flatten() {
        *counts.entry((&s.prefix, &s.suffix)).or_default() += 1;
    }
    let winner = counts
        .iter()
        .max_by_key(|(_, n)| **n)
        .map(|((p, s), _)| (p.to_string(), s.to_string()));
    let Some((prefix, suffix)) = winner else {
        return assign(posts, permalink::DEFAULT, |_| false, false, tz);
    };
    let in_group = |s: &Option<Shape>| {
        s.as_ref()
            .is_some_and(|s| s.prefix == prefix && s.suffix == suffix)
    };
    // `:slug` when every post of the pattern has a slug digest accepts; else `:filename`, and
    // the files are named by the URLs' last segments.
    let by_filename = shapes
        .iter()
        .filter(|s| in_group(s))
        .flatten()
        .any(|s| !is_valid_slug(&s.last));
    let token = if by_filename { ":filename" } else { ":slug" };
    let pattern = format!("{prefix}{token}{suffix}");
    let members: Vec<bool> = shapes.iter().map(in_group).collect();
    let lasts: Vec<Option<String>> = shapes.into_iter().map(|s| s.map(|s| s.last)).collect();
    // Named by their URLs' last segments, by year, when the pattern uses file names.
    if by_filename {
        let mut taken = HashSet::new();
        for (i, post) in posts.iter_mut().enumerate() {
            // Named by its old URL's last segment, else by its slug as the pattern's other
            // files are by theirs; a second one in a year goes under its day.
            let name = match (members[i], &lasts[i]) {
                (true, Some(last)) => last.clone(),
                _ => {
                    let title = post.fields.title.clone().unwrap_or_default();
                    derived_slug(&post.dest, &title)
                }
            };
            let day = day_of(post);
            let mut dest = PathBuf::from(format!("{:04}/{name}.md", day.year()));
            if taken.contains(&dest) {
                dest = PathBuf::from(format!(
                    "{:04}/{:02}-{:02}/{name}.md",
                    day.year(),
                    day.month(),
                    day.day()
                ));
            }
            taken.insert(dest.clone());
            post.dest = dest;
        }
    } else {
        for (i, post) in posts.iter_mut().enumerate() {
            if let (true, Some(last)) = (members[i], &lasts[i]) {
                let title = post.fields.title.clone().unwrap_or_default();
                if derived_slug(&post.dest, &title) != *last {
                    post.slug = Some(last.clone());
                }
            }
        }
    }
    assign(posts, &pattern, |i| members[i], by_filename, tz)
}

/// Gives every post a file of its own: a second `x.md` in one folder becomes `x-2.md` (a
/// bundle's folder `x/` becomes `x-2/`).
fn unique_dests(posts: &mut [Mapped<'_>]) {
    let mut taken = HashSet::new();
    for post in posts.iter_mut() {
        let original = post.dest.clone();
        let mut n = 1;
        while !taken.insert(post.dest.clone()) {
            n += 1;
            let is_index = original.file_name().is_some_and(|f| f == "index.md");
            post.dest = match (is_index, original.parent()) {
                (true, Some(folder)) => folder
                    .with_file_name(format!("{}-{n}", stem_of(&original)))
                    .join("index.md"),
                _ => original.with_file_name(format!("{}-{n}.md", stem_of(&original))),
            };
        }
    }
}

/// Fills the pattern in for every post, separates any two that would share a URL, and turns
/// old URLs that differ into aliases.
fn assign(
    posts: &mut [Mapped<'_>],
    pattern_text: &str,
    _member: impl Fn(usize) -> bool,
    by_filename: bool,
    tz: &jiff::tz::TimeZone,
) -> Choice {
    let mut choice = Choice {
        pattern: pattern_text.to_string(),
        ..Choice::default()
    };
    let Ok(pattern) = Pattern::parse(pattern_text) else {
        return choice;
    };
    unique_dests(posts);
    let used = new_urls(posts, &pattern, by_filename, tz);
    old_urls(posts, &used, &mut choice);
    choice
}

/// Fills the pattern in for every post; when two would share a URL, the later one gets a
/// numbered slug (or file name, when the pattern uses `:filename`). Returns every URL used.
fn new_urls(
    posts: &mut [Mapped<'_>],
    pattern: &Pattern,
    by_filename: bool,
    tz: &jiff::tz::TimeZone,
) -> HashSet<String> {
    let mut used: HashSet<String> = HashSet::new();
    for post in posts.iter_mut() {
        let day = post
            .fields
            .date
            .as_ref()
            .map(|w| w.at.with_time_zone(tz.clone()).date())
            .unwrap_or_default();
        let title = post.fields.title.clone().unwrap_or_default();
        let mut n = 1;
        loop {
            let slug = post
                .slug
                .clone()
                .unwrap_or_else(|| derived_slug(&post.dest, &title));
            let url = format!(
                "/{}",
                pattern.fill(&permalink::Fill {
                    date: day,
                    slug: &slug,
                    filename: &stem_of(&post.dest),
                })
            );
            if used.insert(url.clone()) {
                post.new_url = url;
                break;
            }
            // Another article has this URL: a numbered slug or file name separates them.
            n += 1;
            let base = derived_slug(&post.dest, &title);
            if by_filename {
                let stem = stem_of(&post.dest);
                let stem = stem.trim_end_matches(&format!("-{}", n - 1)).to_string();
                post.dest = post.dest.with_file_name(format!("{stem}-{n}.md"));
            } else {
                post.slug = Some(format!("{base}-{n}"));
            }
        }
    }
    used
}

/// What becomes of each post's old URLs: kept (the same as the new one), an alias (it
/// differs), or lost (another article is published there, or a second post claims it), and
/// the same for the source's own aliases; counted in `choice` for the report.
fn old_urls(posts: &mut [Mapped<'_>], used: &HashSet<String>, choice: &mut Choice) {
    let mut claimed: HashMap<String, PathBuf> = HashMap::new();
    for post in posts.iter_mut() {
        let path = post.raw.path.clone();
        let mut aliases = Vec::new();
        match &post.old_url {
            Ok(old) if *old == post.new_url => {
                if !post.fields.draft {
                    choice.kept += 1;
                }
            }
            Ok(old) => {
                if used.contains(old) {
                    if !post.fields.draft {
                        choice.lost.push((
                            path.clone(),
                            old.clone(),
                            "another article is published there".into(),
                        ));
                    }
                } else {
                    aliases.push(old.clone());
                    if !post.fields.draft {
                        choice
                            .aliased
                            .push((path.clone(), old.clone(), post.new_url.clone()));
                    }
                }
            }
            Err(reason) => {
                if !post.fields.draft {
                    choice
                        .lost
                        .push((path.clone(), String::new(), reason.clone()));
                }
            }
        }
        for alias in &post.fields.aliases {
            let alias = normalize(alias);
            if alias == "/" || alias == post.new_url || aliases.contains(&alias) {
                continue;
            }
            if used.contains(&alias) {
                choice.lost.push((
                    path.clone(),
                    alias,
                    "an alias at the URL of another article".into(),
                ));
                continue;
            }
            aliases.push(alias);
        }
        aliases.retain(|a| match claimed.get(a) {
            Some(first) => {
                choice.lost.push((
                    path.clone(),
                    a.clone(),
                    format!("claimed by {} too", first.display()),
                ));
                false
            }
            None => {
                claimed.insert(a.clone(), path.clone());
                true
            }
        });
        post.aliases = aliases;
    }
}

/// Where each post is published now, by the names other posts link it with.
#[derive(Debug, Default)]
pub(crate) struct Index {
    /// Source path (`content/blog/x.md`, `_posts/2020-01-01-x.md`) → new URL with base path.
    pub by_path: HashMap<String, String>,
    /// File stem (`2020-01-01-x`, `x`) → new URL with base path.
    pub by_stem: HashMap<String, String>,
}

impl Index {
    /// The URL of the post a link names by path (with or without the content folder, with or
    /// without extension) or by file name.
    pub fn find(&self, target: &str) -> Option<&String> {
        let t = target
            .trim()
            .trim_start_matches("./")
            .trim_start_matches('/');
        if let Some(url) = self.by_path.get(t) {
            return Some(url);
        }
        for prefix in ["content/", "_posts/"] {
            if let Some(url) = self.by_path.get(&format!("{prefix}{t}")) {
                return Some(url);
            }
        }
        let name = t.rsplit('/').next().unwrap_or(t);
        let stem = name
            .strip_suffix(".md")
            .or_else(|| name.strip_suffix(".markdown"))
            .unwrap_or(name);
        if stem == "index" || stem == "_index" {
            let folder = t.rsplit('/').nth(1)?;
            return self.by_stem.get(folder);
        }
        self.by_stem.get(stem)
    }
}

pub(crate) fn index(posts: &[Mapped<'_>], base_path: &str) -> Index {
    let mut index = Index::default();
    for post in posts {
        let url = format!("{base_path}{}", post.new_url);
        let path = post.raw.path.to_string_lossy().replace('\\', "/");
        index.by_path.insert(path.clone(), url.clone());
        if let Some(no_ext) = path.rsplit_once('.').map(|(a, _)| a.to_string()) {
            index.by_path.insert(no_ext, url.clone());
        }
        index
            .by_stem
            .entry(post.raw.place.stem.clone())
            .or_insert(url);
    }
    index
}

/// The folder, from the site's root, a post's own files are published in: its old URL's (so
/// that the old addresses of its images keep working), else its new one's.
fn resource_dir(post: &Mapped<'_>) -> String {
    let url = post.old_url.as_deref().unwrap_or(&post.new_url);
    match url.rfind('/') {
        Some(i) => url[..=i].to_string(),
        None => "/".into(),
    }
}

/// The post's own files, as (source, path under static/).
pub(crate) fn resource_copies(post: &Mapped<'_>) -> Vec<(PathBuf, PathBuf)> {
    let dir = resource_dir(post);
    let dir = dir.trim_start_matches('/');
    post.raw
        .resources
        .iter()
        .map(|(from, rel)| (from.clone(), Path::new(dir).join(rel)))
        .collect()
}

/// The URL under which a post's own file `rel` is published, if it is one of them.
pub(crate) fn resource_url(post: &Mapped<'_>, rel: &str, base_path: &str) -> Option<String> {
    let rel = rel.trim_start_matches("./");
    post.raw
        .resources
        .iter()
        .any(|(_, r)| r.to_string_lossy().replace('\\', "/") == rel)
        .then(|| format!("{base_path}{}{rel}", resource_dir(post)))
}

/// Links to other posts written in the source's own syntax (Zola `@/x.md`, Pelican
/// `{filename}x.md`, `{static}`, `{attach}`), and links to the post's own files when its URL
/// changed, rewritten to what digest publishes. Everything else is left byte for byte.
pub(crate) fn rewrite_links(
    generator: Generator,
    body: &str,
    post: &Mapped<'_>,
    index: &Index,
    base_path: &str,
) -> String {
    let markers: &[&str] = match generator {
        Generator::Zola => &["@/"],
        Generator::Pelican => &[
            "{filename}",
            "{static}",
            "{attach}",
            "|filename|",
            "|static|",
            "|attach|",
        ],
        _ => &[],
    };
    let moved = post.old_url.as_deref() != Ok(post.new_url.as_str());
    let mut out = String::with_capacity(body.len());
    let mut pos = 0;
    // Link targets follow `](`, `="`, `='` or `]: `: found by their first byte, in one pass.
    while let Some(found) = body[pos..].find([']', '=']) {
        let i = pos + found;
        let Some(opener) = ["](", "=\"", "='", "]: "]
            .iter()
            .find(|o| body[i..].starts_with(**o))
        else {
            out.push_str(&body[pos..=i]);
            pos = i + 1;
            continue;
        };
        let start = i + opener.len();
        out.push_str(&body[pos..start]);
        pos = start;
        let rest = &body[start..];
        let end = rest
            .find(|c: char| c == ')' || c == '"' || c == '\'' || c.is_whitespace() || c == '>')
            .unwrap_or(rest.len());
        let target = &rest[..end];
        let (path, fragment) = match target.find(['#', '?']) {
            Some(j) => (&target[..j], &target[j..]),
            None => (target, ""),
        };
        let mut replacement = None;
        for marker in markers {
            if let Some(linked) = path.strip_prefix(marker) {
                replacement = match *marker {
                    "@/" | "{filename}" | "|filename|" => index.find(linked).cloned(),
                    _ => Some(format!("{base_path}/{}", linked.trim_start_matches('/'))),
                };
                break;
            }
        }
        if replacement.is_none()
            && moved
            && !path.is_empty()
            && !path.contains(':')
            && !path.starts_with('/')
        {
            replacement = resource_url(post, path, base_path);
        }
        if let Some(url) = replacement {
            out.push_str(&url);
            out.push_str(fragment);
            pos = start + end;
        }
    }
    out.push_str(&body[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_normalise() {
        assert_eq!(normalize("posts/x"), "/posts/x/");
        assert_eq!(
            normalize("/2015/05/15/Rust-1.0.html"),
            "/2015/05/15/Rust-1.0.html"
        );
        assert_eq!(normalize("/a//b/"), "/a/b/");
    }

    #[test]
    fn shapes_find_the_dates() {
        let day = jiff::civil::date(2013, 6, 7);
        let s = shape("/blog/2013/06/07/this-week-in-rust/", day).unwrap();
        assert_eq!(s.prefix, "/blog/:year/:month/:day/");
        assert_eq!(s.last, "this-week-in-rust");
        assert_eq!(s.suffix, "/");
        let s = shape("/2013/06/07/Rust-1.0.html", day).unwrap();
        assert_eq!(s.prefix, "/:year/:month/:day/");
        assert_eq!(s.suffix, ".html");
        // A month folder equal to the day's number is still the month.
        let s = shape("/2013/06/06/x/", jiff::civil::date(2013, 6, 6)).unwrap();
        assert_eq!(s.prefix, "/:year/:month/:day/");
        assert!(shape("/x y/", day).is_none());
    }
}
