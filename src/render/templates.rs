//! Tera setup: built-in templates under a fallback prefix so that a site's own file of the
//! same name wins, plus digest's functions (`url`, `term_url`) and filters (`date`).

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use tera::{Kwargs, State, Tera, TeraResult};
use walkdir::WalkDir;

use super::builtin;
use crate::content::slug::term_key;
use crate::error::{Error, Result};
use crate::library::Library;
use crate::urls::{self, Urls};

const BUILTIN_PREFIX: &str = "builtin/";
pub use crate::layout::TEMPLATES_DIR;

/// Compiles built-in and site templates (`sources`) once for the whole build.
pub fn load(
    sources: Vec<(String, String)>,
    links: &Urls,
    library: &Library,
    tz: jiff::tz::TimeZone,
    language: Language<'_>,
) -> Result<Tera> {
    let mut tera = Tera::new();
    tera.set_fallback_prefixes([BUILTIN_PREFIX])
        .map_err(|e| template_error("(setup)", &e))?;
    tera.set_escape_fn(escape_markup);
    // Templates are checked against the known functions and filters as they are added.
    register_functions(&mut tera, links, library, tz, language);
    tera.add_raw_templates(sources)
        .map_err(|e| compile_error(&e))?;
    Ok(tera)
}

/// The term URLs `term_url()` answers with, by taxonomy and name key.
fn term_links(links: &Urls, library: &Library) -> HashMap<(String, String), String> {
    let mut term_links: HashMap<(String, String), String> = HashMap::new();
    for taxonomy in &library.taxonomies {
        for term in &taxonomy.terms {
            let link = links.link(&urls::term(&taxonomy.name, &term.slug));
            term_links.insert((taxonomy.name.clone(), term.key.clone()), link.clone());
            for alias in term.profile.iter().flat_map(|p| &p.aliases) {
                term_links.insert((taxonomy.name.clone(), term_key(alias)), link.clone());
            }
        }
    }
    term_links
}

/// What templates read besides their inputs through `term_url()`, hashed: only when a template
/// calls it, since every term's URL changes with any new term.
pub fn term_links_key(sources: &[(String, String)], links: &Urls, library: &Library) -> u64 {
    if !sources.iter().any(|(_, body)| body.contains("term_url")) {
        return 0;
    }
    let mut all: Vec<_> = term_links(links, library).into_iter().collect();
    all.sort();
    super::key::hash(all)
}

/// Tera's HTML escaping, minus the characters XML 1.0 cannot carry at all (C0 controls other
/// than tab, newline and carriage return; U+FFFE and U+FFFF). Front matter can hold them
/// (`title = "a\u0001b"`), and one of them in a title would make every feed that lists the
/// article ill-formed XML, which feed readers reject whole. HTML forbids them as well.
fn escape_markup(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    fn forbidden(c: char) -> bool {
        matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
    }
    // A byte scan first: such characters are rare, and most strings are only escaped.
    let suspect = input
        .bytes()
        .any(|b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0xEF);
    if !suspect || !input.contains(forbidden) {
        return tera::escape_html(input, out);
    }
    let cleaned: String = input.chars().filter(|&c| !forbidden(c)).collect();
    tera::escape_html(&cleaned, out)
}

/// A template that does not compile, named by the site's file to mend when Tera says which.
fn compile_error(error: &tera::Error) -> Error {
    use tera::ErrorKind;
    let shown = |name: &str| shown_name(name);
    let (names, message): (Vec<&str>, Option<String>) = match error.kind() {
        // `chain` runs from the template being checked to the one that closes the loop.
        ErrorKind::CircularInclude { tpl, include_chain } => (
            std::iter::once(tpl.as_str())
                .chain(include_chain.iter().map(String::as_str))
                .collect(),
            Some(format!(
                "`{{% include %}}` loop: {}; a template cannot include itself, directly or through others",
                include_chain
                    .iter()
                    .map(|n| shown(n))
                    .collect::<Vec<_>>()
                    .join(" → ")
            )),
        ),
        // `inheritance_chain` holds the parents of `tpl`, the last one being `tpl` again.
        ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => {
            let chain: Vec<&str> = std::iter::once(tpl.as_str())
                .chain(inheritance_chain.iter().map(String::as_str))
                .collect();
            let message = format!(
                "`{{% extends %}}` loop: {}; a template cannot extend itself, directly or through others",
                chain
                    .iter()
                    .map(|n| shown(n))
                    .collect::<Vec<_>>()
                    .join(" → ")
            );
            (chain, Some(message))
        }
        ErrorKind::SyntaxError(report) => (vec![report.filename()], None),
        _ => (Vec::new(), None),
    };
    let name = names
        .into_iter()
        .find(|n| !n.is_empty() && !n.starts_with(BUILTIN_PREFIX));
    match (message, name) {
        (Some(message), name) => Error::Template {
            name: name.map_or(TEMPLATES_DIR.to_string(), shown_name),
            message,
        },
        (None, Some(name)) => template_error(name, error),
        (None, None) => template_error(TEMPLATES_DIR, error),
    }
}

/// Each template's key: a hash of its source and of every template it may use (named in it as
/// a string, for `extends`, `include` and `import`; and any template defining components, which
/// every template can call), so that an edit of one template re-renders only what uses it.
pub fn closure_keys(sources: &[(String, String)]) -> HashMap<String, u64> {
    // What renders under each name: a site's own file replaces the built-in of that name.
    let mut effective: HashMap<&str, &str> = HashMap::new();
    for (name, body) in sources {
        match name.strip_prefix(BUILTIN_PREFIX) {
            Some(builtin) => {
                effective.entry(builtin).or_insert(body);
            }
            None => {
                effective.insert(name, body);
            }
        }
    }
    let with_components: Vec<&str> = effective
        .iter()
        .filter(|(_, body)| body.contains("{% component") || body.contains("{%- component"))
        .map(|(name, _)| *name)
        .collect();
    let uses = |body: &str| -> Vec<&str> {
        quoted_strings(body)
            .filter_map(|s| {
                let name = s.strip_prefix(BUILTIN_PREFIX).unwrap_or(s);
                effective.get_key_value(name).map(|(k, _)| *k)
            })
            .chain(with_components.iter().copied())
            .collect()
    };
    effective
        .keys()
        .map(|&name| {
            let mut seen = std::collections::BTreeSet::from([name]);
            let mut todo = vec![name];
            while let Some(next) = todo.pop() {
                for used in uses(effective[next]) {
                    if seen.insert(used) {
                        todo.push(used);
                    }
                }
            }
            let closure: Vec<(&str, &str)> = seen.into_iter().map(|n| (n, effective[n])).collect();
            (name.to_string(), super::key::hash(closure))
        })
        .collect()
}

/// The contents of every `"…"` and `'…'` in a template's source.
fn quoted_strings(body: &str) -> impl Iterator<Item = &str> {
    let mut rest = body;
    std::iter::from_fn(move || {
        loop {
            let start = rest.find(['"', '\''])?;
            let quote = &rest[start..start + 1];
            let after = &rest[start + 1..];
            match after.find(quote) {
                Some(end) => {
                    rest = &after[end + 1..];
                    let inside = &after[..end];
                    if !inside.is_empty() && !inside.contains('\n') {
                        return Some(inside);
                    }
                }
                None => return None,
            }
        }
    })
}

/// Built-in templates under their prefix, then the site's own.
pub fn sources(root: &Path) -> Result<Vec<(String, String)>> {
    let mut sources: Vec<(String, String)> = builtin::TEMPLATES
        .iter()
        .map(|(name, body)| (format!("{BUILTIN_PREFIX}{name}"), body.to_string()))
        .collect();
    let dir = root.join(TEMPLATES_DIR);
    if dir.is_dir() {
        // Symlinked templates and folders count (as in content/); hidden ones do not.
        let walker = WalkDir::new(&dir)
            .follow_links(true)
            .sort_by(crate::fs::by_file_name)
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0 || !crate::fs::is_ignored_name(&e.file_name().to_string_lossy())
            });
        for entry in walker.flatten() {
            let path = entry.path();
            let name = path
                .strip_prefix(&dir)
                .unwrap_or(path)
                .to_string_lossy()
                .replace('\\', "/");
            if !entry.file_type().is_file() {
                continue;
            }
            let body = crate::fs::read_to_string(path)?;
            // A copy of a built-in (the example site's own theme) adds nothing.
            if builtin::TEMPLATES
                .iter()
                .any(|(n, b)| *n == name && *b == body)
            {
                continue;
            }
            sources.push((name, body));
        }
    }
    Ok(sources)
}

/// What the functions and filters of one language's templates need of it.
pub struct Language<'a> {
    /// Links from the site's root, where static files are for every language.
    pub root: &'a Urls,
    pub strings: &'a crate::i18n::Strings,
    /// The `date` filter's format when a template gives none.
    pub date_format: &'a str,
}

fn register_functions(
    tera: &mut Tera,
    links: &Urls,
    library: &Library,
    tz: jiff::tz::TimeZone,
    language: Language<'_>,
) {
    let base = links.clone();
    let root = language.root.clone();
    // `url(path=…)` links into this language's pages; `root=true` into the site's root, for
    // the stylesheets and icons every language shares.
    tera.register_function(
        "url",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let path: &str = kwargs.must_get("path")?;
            let from_root: bool = kwargs.get("root")?.unwrap_or(false);
            Ok(if from_root {
                root.link(path)
            } else {
                base.link(path)
            })
        },
    );

    let term_links = Arc::new(term_links(links, library));
    tera.register_function(
        "term_url",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let taxonomy: &str = kwargs.must_get("taxonomy")?;
            let name: &str = kwargs.must_get("name")?;
            term_links
                .get(&(taxonomy.to_string(), term_key(name)))
                .cloned()
                .ok_or_else(|| {
                    tera::Error::message(format!(
                        "term_url: no term {name:?} in taxonomy {taxonomy:?}"
                    ))
                })
        },
    );

    // "1 story", "3 stories": counts in the built-in theme, in the page's language.
    let strings = language.strings.clone();
    tera.register_filter(
        "stories",
        move |count: i64, _: Kwargs, _: &State| -> String {
            crate::i18n::stories(&strings, usize::try_from(count).unwrap_or(0))
        },
    );

    let default_format = language.date_format.to_string();
    tera.register_filter(
        "date",
        move |value: &str, kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let format: &str = kwargs.get("format")?.unwrap_or(&default_format);
            let zoned = parse_template_date(value, &tz)
                .ok_or_else(|| tera::Error::message(format!("date: {value:?} is not a date")))?;
            jiff::fmt::strtime::format(format, &zoned).map_err(|e| {
                tera::Error::message(format!("date: cannot format with {format:?}: {e}"))
            })
        },
    );
}

fn parse_template_date(value: &str, tz: &jiff::tz::TimeZone) -> Option<jiff::ZonedDateTime> {
    if let Ok(date) = value.parse::<jiff::civil::Date>() {
        return date.to_zoned_datetime(tz.clone()).ok();
    }
    if let Ok(ts) = value.parse::<jiff::Timestamp>() {
        return Some(ts.to_zoned_datetime(tz.clone()));
    }
    None
}

/// A template as the user sees it: `templates/article.html` for a site's own file (the one to
/// open), `built-in article.html` for one embedded in digest.
pub fn shown_name(name: &str) -> String {
    match name.strip_prefix(BUILTIN_PREFIX) {
        Some(builtin) => format!("built-in {builtin}"),
        None if name == TEMPLATES_DIR || name.starts_with(&format!("{TEMPLATES_DIR}/")) => {
            name.to_string()
        }
        None => format!("{TEMPLATES_DIR}/{name}"),
    }
}

/// A template error, named and positioned at the file the user must open: Tera's report points
/// at its own names (`article.html:5:30`, `builtin/base.html:3:1`), which become
/// `templates/article.html:5:30` and `built-in base.html:3:1`.
pub fn template_error(name: &str, error: &tera::Error) -> Error {
    // Tera's positioned reports start with their own "error: ", which ours already says.
    let text = error.to_string();
    let text = text.strip_prefix("error: ").unwrap_or(&text);
    let mut located = None;
    let mut lines = Vec::new();
    for line in text.lines() {
        match line.trim_start().strip_prefix("--> ") {
            Some(place) => {
                let (file, position) = place.split_once(':').unwrap_or((place, ""));
                let file = shown_name(file);
                located.get_or_insert_with(|| file.clone());
                let indent = &line[..line.len() - line.trim_start().len()];
                let colon = if position.is_empty() { "" } else { ":" };
                lines.push(format!("{indent}--> {file}{colon}{position}"));
            }
            None => lines.push(line.to_string()),
        }
    }
    let mut message = lines.join("\n");
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(&format!("\n  caused by: {cause}"));
        source = cause.source();
    }
    Error::Template {
        name: located.unwrap_or_else(|| shown_name(name)),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(input: &str) -> String {
        let mut out = Vec::new();
        escape_markup(input, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn escaping_drops_what_xml_cannot_carry() {
        assert_eq!(escaped(r#"<a href="x">'&'</a>"#), {
            let mut out = Vec::new();
            tera::escape_html(r#"<a href="x">'&'</a>"#, &mut out).unwrap();
            String::from_utf8(out).unwrap()
        });
        assert_eq!(escaped("a\u{1}b\u{b}c\u{1f}d\u{fffe}e\u{ffff}"), "abcde");
        assert_eq!(escaped("tab\tnew\nline\r"), "tab\tnew\nline\r");
        assert_eq!(escaped("<\u{0}>"), "&lt;&gt;");
    }

    #[test]
    fn symlinked_templates_count_and_hidden_ones_do_not() {
        let dir = tempfile::tempdir().unwrap();
        let templates = dir.path().join("site").join(TEMPLATES_DIR);
        let shared = dir.path().join("shared");
        std::fs::create_dir_all(templates.join(".hidden")).unwrap();
        std::fs::create_dir_all(shared.join("partials")).unwrap();
        std::fs::write(shared.join("article.html"), "linked").unwrap();
        std::fs::write(shared.join("partials/x.html"), "in a linked folder").unwrap();
        std::fs::write(templates.join(".hidden/index.html"), "hidden").unwrap();
        std::fs::write(templates.join("own.html"), "own").unwrap();
        std::os::unix::fs::symlink(shared.join("article.html"), templates.join("article.html"))
            .unwrap();
        std::os::unix::fs::symlink(shared.join("partials"), templates.join("partials")).unwrap();
        let site: Vec<(String, String)> = sources(&dir.path().join("site"))
            .unwrap()
            .into_iter()
            .filter(|(name, _)| !name.starts_with(BUILTIN_PREFIX))
            .collect();
        let site: Vec<(&str, &str)> = site.iter().map(|(n, b)| (n.as_str(), b.as_str())).collect();
        assert_eq!(
            site,
            [
                ("article.html", "linked"),
                ("own.html", "own"),
                ("partials/x.html", "in a linked folder")
            ]
        );
    }

    fn compile(templates: &[(&str, &str)]) -> Error {
        let mut tera = Tera::new();
        tera.set_fallback_prefixes([BUILTIN_PREFIX]).unwrap();
        let err = tera
            .add_raw_templates(
                templates
                    .iter()
                    .map(|(n, b)| (n.to_string(), b.to_string())),
            )
            .expect_err("the templates should not compile");
        compile_error(&err)
    }

    #[test]
    fn template_loops_name_the_template() {
        let Error::Template { name, message } =
            compile(&[("article.html", r#"{% include "article.html" %}"#)])
        else {
            panic!("not a template error");
        };
        assert_eq!(name, "templates/article.html");
        assert!(
            message.contains("templates/article.html → templates/article.html"),
            "{message}"
        );
        assert!(message.contains("include"), "{message}");

        let Error::Template { name, message } = compile(&[
            ("a.html", r#"{% extends "b.html" %}"#),
            ("b.html", r#"{% extends "a.html" %}"#),
        ]) else {
            panic!("not a template error");
        };
        assert!(
            name == "templates/a.html" || name == "templates/b.html",
            "{name}"
        );
        assert!(
            message.contains("templates/a.html → templates/b.html → templates/a.html")
                || message.contains("templates/b.html → templates/a.html → templates/b.html"),
            "{message}"
        );

        let Error::Template { name, message } = compile(&[("index.html", "{{ oops }")]) else {
            panic!("not a template error");
        };
        assert_eq!(name, "templates/index.html");
        assert!(message.contains("--> templates/index.html:1"), "{message}");
        assert!(!message.starts_with("error:"), "{message}");
    }

    #[test]
    fn shown_names_are_the_files_to_open() {
        assert_eq!(shown_name("article.html"), "templates/article.html");
        assert_eq!(shown_name("builtin/base.html"), "built-in base.html");
        assert_eq!(shown_name("templates"), "templates");
    }
}
