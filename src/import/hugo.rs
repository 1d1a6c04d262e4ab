//! Hugo: `hugo.toml`/`config.toml` (or YAML, JSON), `content/` with sections, page bundles
//! (`x/index.md` with its files) and `_index.md` list pages, `static/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::posts::Fields;
use super::{Place, Profile, RawPost, Rules as AnyRules, Settings, Source};
use crate::content::slug::slugify;
use crate::error::{Error, Result};

/// Hugo's rules for a page's URL.
#[derive(Debug, Clone, Default)]
pub(crate) struct Rules {
    /// Section → pattern (`posts = "/:year/:month/:slug/"`).
    pub permalinks: BTreeMap<String, String>,
    pub ugly_urls: bool,
    pub keep_case: bool,
    /// `[frontmatter]` lists `:filename`: a `YYYY-MM-DD-` file name gives the date, and the
    /// rest of it the slug.
    pub filename_dates: bool,
}

const CONFIG_NAMES: &[&str] = &[
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "hugo.json",
    "config.toml",
    "config.yaml",
    "config.yml",
    "config.json",
    // Hugo's configuration folder (its main file; per-key files beside it are not read).
    "config/_default/hugo.toml",
    "config/_default/hugo.yaml",
    "config/_default/hugo.yml",
    "config/_default/hugo.json",
    "config/_default/config.toml",
    "config/_default/config.yaml",
    "config/_default/config.yml",
];

/// Reads a Hugo site: its configuration (settings and URL rules), then its content and static
/// files.
pub(crate) fn read(src: &Path) -> Result<(Source, AnyRules)> {
    let config_path = find_config(src)?;
    let config = super::lowercase_keys(super::read_config(&config_path)?);
    let settings = settings(&config);
    let rules = rules(&config);
    let content_dir =
        src.join(super::string(&config, "contentdir").unwrap_or_else(|| "content".into()));
    let static_dir =
        src.join(super::string(&config, "staticdir").unwrap_or_else(|| "static".into()));
    let mut source = Source {
        statics: super::statics(&static_dir, Path::new("")),
        ..Source::default()
    };
    read_content(src, &content_dir, &settings.taxonomies, &rules, &mut source)?;
    source.settings = settings;
    Ok((source, AnyRules::Hugo(rules)))
}

/// The site's main configuration file, by the names Hugo looks for.
fn find_config(src: &Path) -> Result<PathBuf> {
    CONFIG_NAMES
        .iter()
        .map(|n| src.join(n))
        .find(|p| p.is_file())
        .ok_or_else(|| {
            Error::Other(format!(
                "{} has no hugo.toml or config.toml (nor config/_default/hugo.toml); is it a Hugo site?",
                src.display()
            ))
        })
}

/// The site-wide settings, and what became of each configuration key for the report.
fn settings(config: &toml::Table) -> Settings {
    let mut settings = Settings::default();
    let mut keys = Vec::new();
    for key in config.keys() {
        let fate = match key.as_str() {
            "title" => "title",
            "baseurl" => "base_url",
            "languagecode" | "defaultcontentlanguage" => "language",
            "timezone" => "timezone",
            "paginate" | "pagination" => "per_page",
            "taxonomies" => "companies/regulations/tags",
            "permalinks" | "uglyurls" | "disablepathtolower" => "[permalinks] and aliases",
            "params" => "description (params.description)",
            "contentdir" | "staticdir" => "read",
            _ => "dropped",
        };
        keys.push((key.clone(), fate.to_string()));
    }
    settings.config_keys = keys;
    settings.title = super::string(config, "title");
    settings.base_url =
        super::string(config, "baseurl").map(|u| u.trim_end_matches('/').to_string());
    settings.language = super::string(config, "languagecode")
        .or_else(|| super::string(config, "defaultcontentlanguage"));
    settings.timezone = super::time_zone(super::string(config, "timezone"));
    let params = config.get("params").and_then(|p| p.as_table());
    settings.description = params
        .and_then(|p| super::string(p, "description"))
        .or_else(|| super::string(config, "description"));
    settings.per_page = config
        .get("paginate")
        .and_then(|v| v.as_integer())
        .or_else(|| {
            config
                .get("pagination")
                .and_then(|p| p.get("pagersize"))
                .and_then(|v| v.as_integer())
        })
        .and_then(|n| usize::try_from(n).ok())
        .filter(|n| *n > 0);
    settings.taxonomies = match config.get("taxonomies").and_then(|t| t.as_table()) {
        Some(t) => t
            .values()
            .filter_map(|v| v.as_str().map(str::to_lowercase))
            .collect(),
        None => vec!["tags".into(), "categories".into()],
    };
    settings
}

/// Hugo's rules for URLs: `[permalinks]` by section, `uglyUrls`, `disablePathToLower`, and
/// whether file names carry dates.
fn rules(config: &toml::Table) -> Rules {
    let mut rules = Rules {
        ugly_urls: config
            .get("uglyurls")
            .and_then(|v| v.as_bool())
            .unwrap_or(false),
        keep_case: config
            .get("disablepathtolower")
            .and_then(|v| v.as_bool())
            .unwrap_or(false),
        ..Rules::default()
    };
    if let Some(p) = config.get("permalinks").and_then(|p| p.as_table()) {
        for (section, pattern) in p {
            match pattern {
                toml::Value::String(s) => {
                    rules.permalinks.insert(section.clone(), s.clone());
                }
                // Hugo 0.119+: `[permalinks.page] posts = "…"`.
                toml::Value::Table(t) if section == "page" => {
                    for (section, pattern) in t {
                        if let Some(s) = pattern.as_str() {
                            rules.permalinks.insert(section.clone(), s.to_string());
                        }
                    }
                }
                _ => {}
            }
        }
    }

    rules.filename_dates = config
        .get("frontmatter")
        .and_then(|f| f.as_table())
        .is_some_and(|f| {
            f.values().any(|v| {
                v.as_array()
                    .is_some_and(|a| a.iter().any(|x| x.as_str() == Some(":filename")))
            })
        });
    rules
}

/// Every file under content/: pages become posts or profiles; other files are published where
/// they are, unless they belong to a page bundle, whose files go with its page.
fn read_content(
    src: &Path,
    content_dir: &Path,
    taxonomies: &[String],
    rules: &Rules,
    source: &mut Source,
) -> Result<()> {
    let files = super::files_under(content_dir);
    // Leaf bundles: folders with an index.md; every other file in them is the page's own.
    let bundles: Vec<PathBuf> = files
        .iter()
        .filter(|f| f.file_name().is_some_and(|n| n == "index.md"))
        .filter_map(|f| f.parent().map(Path::to_path_buf))
        .collect();
    let bundle_of = |f: &Path| bundles.iter().find(|b| f.starts_with(b)).cloned();
    for file in &files {
        if !super::is_markdown(file) {
            if bundle_of(file).is_none() {
                // A file beside pages, not in a bundle: published where it is.
                let under = super::rel(file, content_dir);
                source.statics.push((file.clone(), under));
            }
            continue;
        }
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Some(bundle) = bundle_of(file)
            && file.parent() != Some(bundle.as_path())
        {
            continue;
        }
        if bundle_of(file).is_some_and(|b| file.parent() == Some(b.as_path())) && name != "index.md"
        {
            continue;
        }
        read_page(src, content_dir, file, &name, taxonomies, rules, source)?;
    }
    Ok(())
}

/// One Markdown page: a post (a bundle's `index.md` with its files), a term's own page
/// (`_index.md` under a taxonomy's folder), or a section's list page, which is skipped.
fn read_page(
    src: &Path,
    content_dir: &Path,
    file: &Path,
    name: &str,
    taxonomies: &[String],
    rules: &Rules,
    source: &mut Source,
) -> Result<()> {
    let rel_src = super::rel(file, src);
    let text = crate::fs::read_to_string(file)?;
    let (table, body, body_line) = match super::front_matter(&text) {
        Ok(parts) => parts,
        Err(e) => {
            source.skipped.push((rel_src, e));
            return Ok(());
        }
    };
    let rel_content = super::rel(file, content_dir);
    let mut dirs: Vec<String> = rel_content
        .parent()
        .map(|p| p.iter().map(|s| s.to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    if name == "_index.md" {
        // A list page; under a taxonomy's folder, the term's own page.
        if dirs.len() == 2 && taxonomies.contains(&dirs[0]) {
            source.profiles.push(Profile {
                source_taxonomy: dirs[0].clone(),
                term: dirs[1].clone(),
                name: super::string(&table, "title"),
                body: body.to_string(),
            });
        } else {
            source.skipped.push((
                rel_src,
                "a section's list page (_index.md): digest makes its own lists".into(),
            ));
        }
        return Ok(());
    }
    let mut stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut resources = Vec::new();
    let mut dest = PathBuf::from(&rel_content);
    if name == "index.md" {
        stem = dirs.pop().unwrap_or_default();
        if let Some(dir) = file.parent() {
            for f in super::files_under(dir) {
                if f != *file && !super::is_markdown(&f) {
                    resources.push((f.clone(), super::rel(&f, dir)));
                }
            }
        }
    } else {
        dest.set_extension("md");
    }
    source.posts.push(RawPost {
        path: rel_src,
        dest,
        table,
        body: body.to_string(),
        body_line,
        file_date: rules
            .filename_dates
            .then(|| super::dated_stem(&stem).map(|(d, _)| d))
            .flatten(),
        resources,
        place: Place { dirs, stem },
    });
    Ok(())
}

/// Hugo's `urlize`: lowercase words joined by `-` (as digest's slugs, for Latin text).
fn urlize(text: &str) -> String {
    slugify(text)
}

/// A page's URL under Hugo's rules: `url`, else the section's `[permalinks]` pattern, else
/// its path in `content/` with `slug` for the last part.
pub(crate) fn url(
    rules: &Rules,
    raw: &RawPost,
    fields: &Fields,
    tz: &jiff::tz::TimeZone,
) -> std::result::Result<String, String> {
    if let Some(url) = &fields.url {
        return Ok(format!("/{}", url.trim_start_matches('/')));
    }
    let section = raw.place.dirs.first().cloned().unwrap_or_default();
    let title = fields.title.clone().unwrap_or_default();
    let slug = fields.slug.clone().or_else(|| {
        rules
            .filename_dates
            .then(|| super::dated_stem(&raw.place.stem).map(|(_, rest)| rest.to_string()))
            .flatten()
    });
    let mut path = match rules.permalinks.get(&section) {
        Some(pattern) => {
            let date = fields
                .date
                .as_ref()
                .map(|w| w.at.with_time_zone(tz.clone()))
                .ok_or("no date")?;
            let mut out = String::new();
            let mut rest = pattern.as_str();
            while let Some(i) = rest.find(':') {
                out.push_str(&rest[..i]);
                let after = &rest[i + 1..];
                let len = after
                    .find(|c: char| !c.is_ascii_alphanumeric())
                    .unwrap_or(after.len());
                let token = &after[..len];
                let value = match token {
                    "year" => format!("{:04}", date.year()),
                    "month" => format!("{:02}", date.month()),
                    "monthname" => date.strftime("%B").to_string().to_lowercase(),
                    "day" => format!("{:02}", date.day()),
                    "weekday" => date.weekday().to_sunday_zero_offset().to_string(),
                    "yearday" => format!("{:03}", date.day_of_year()),
                    "section" => section.clone(),
                    "sections" => raw.place.dirs.join("/"),
                    "title" => urlize(&title),
                    "slug" => slug.clone().unwrap_or_else(|| urlize(&title)),
                    "filename" | "contentbasename" => raw.place.stem.clone(),
                    "slugorfilename" | "slugorcontentbasename" => {
                        slug.clone().unwrap_or_else(|| raw.place.stem.clone())
                    }
                    other => {
                        return Err(format!("Hugo permalink token `:{other}` is not known here"));
                    }
                };
                out.push_str(&value);
                rest = &after[len..];
            }
            out.push_str(rest);
            out
        }
        None => {
            let mut parts = raw.place.dirs.clone();
            parts.push(slug.unwrap_or_else(|| raw.place.stem.clone()));
            format!("/{}/", parts.join("/"))
        }
    };
    // Hugo writes paths with spaces as dashes, and lowercase unless told otherwise.
    path = path.replace(' ', "-");
    if !rules.keep_case {
        path = path.to_lowercase();
    }
    if rules.ugly_urls && path.ends_with('/') && path.len() > 1 {
        path = format!("{}.html", path.trim_end_matches('/'));
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::posts::When;

    fn post(dirs: &[&str], stem: &str) -> RawPost {
        RawPost {
            path: PathBuf::from("content/x.md"),
            dest: PathBuf::from("x.md"),
            table: toml::Table::new(),
            body: String::new(),
            body_line: 1,
            file_date: None,
            resources: Vec::new(),
            place: Place {
                dirs: dirs.iter().map(|d| d.to_string()).collect(),
                stem: stem.into(),
            },
        }
    }

    fn fields(title: &str, slug: Option<&str>) -> Fields {
        let tz = jiff::tz::TimeZone::UTC;
        Fields {
            title: Some(title.into()),
            slug: slug.map(str::to_string),
            date: Some(When {
                at: jiff::civil::date(2024, 3, 9).to_zoned_datetime(tz).unwrap(),
                date_only: true,
            }),
            ..Fields::default()
        }
    }

    #[test]
    fn urls_follow_hugos_rules() {
        let tz = jiff::tz::TimeZone::UTC;
        let plain = Rules::default();
        let p = post(&["Posts"], "My-Post");
        // The path in content/, lowercased; `slug` replaces the last part.
        assert_eq!(
            url(&plain, &p, &fields("T", None), &tz).unwrap(),
            "/posts/my-post/"
        );
        assert_eq!(
            url(&plain, &p, &fields("T", Some("Other")), &tz).unwrap(),
            "/posts/other/"
        );
        let mut rules = Rules {
            ugly_urls: true,
            ..Rules::default()
        };
        rules
            .permalinks
            .insert("Posts".into(), "/:year/:monthname/:title/".into());
        assert_eq!(
            url(&rules, &p, &fields("Hello World", None), &tz).unwrap(),
            "/2024/march/hello-world.html"
        );
        // [frontmatter] date = [":filename", …]: the file name's date is no part of the slug.
        let dated = Rules {
            filename_dates: true,
            ..Rules::default()
        };
        let p = post(&["blog"], "2024-03-09-launch");
        assert_eq!(
            url(&dated, &p, &fields("T", None), &tz).unwrap(),
            "/blog/launch/"
        );
    }
}
