//! `digest import`: a small Hugo, Zola, Jekyll and Pelican site each (tests/fixtures/import/),
//! imported from inside the new site's folder, built, and every URL the source generator would
//! have written (worked out here from that generator's rules) resolves in the output, to the
//! article itself or to a redirect page pointing at it.

mod common;

use common::{Output, Run, Site, copy_dir, fixtures_dir, run_digest};

/// The source site beside an empty site folder, both in one temporary folder: `../src` from
/// inside the site.
fn source(generator: &str) -> Site {
    let site = Site::empty();
    copy_dir(
        &fixtures_dir().join("import").join(generator),
        &site.tmp().join("src"),
    );
    site
}

/// `digest import <args> ../src` typed inside the new site's folder.
fn import(site: &Site, args: &[&str]) -> Run {
    let mut all: Vec<String> = vec!["import".into()];
    all.extend(args.iter().map(|a| a.to_string()));
    all.push("../src".into());
    run_digest(&site.root, &all)
}

/// Asserts that an import exited with 0 and said what it imported.
#[track_caller]
fn ok(run: &Run) -> &Run {
    assert_eq!(run.code, Some(0), "expected success\n{run}");
    assert!(run.stdout.contains("Imported "), "{run}");
    run
}

/// `digest build --output ../out` typed inside the site's folder.
fn build(site: &Site) -> Output {
    site.run(&["build", "--output", "../out"]).success();
    site.output()
}

/// Asserts that `url` (a path from the site's root, as the source published it) serves the
/// article titled `title`, itself or through a redirect page; or, with no title, a file.
#[track_caller]
fn assert_resolves(out: &Output, url: &str, title: Option<&str>) {
    let site_path = url.trim_start_matches('/');
    out.assert_exists(site_path);
    let Some(title) = title else { return };
    let page = out.page(site_path);
    let article = if page.count("meta[http-equiv=refresh]") > 0 {
        let refresh = page.attr("meta[http-equiv=refresh]", "content");
        let target = refresh
            .split_once("url=")
            .map(|(_, t)| t.to_string())
            .unwrap_or_else(|| panic!("{url}: refresh without a URL: {refresh}"));
        assert_eq!(page.attr("link[rel=canonical]", "href"), target, "{url}");
        out.page(&target)
    } else {
        page
    };
    assert_eq!(article.h1(), title, "{url} resolves to another page");
}

/// `YYYY/MM/DD` of a date.
fn ymd(date: &str) -> String {
    date.replace('-', "/")
}

#[test]
fn hugo_site_keeps_every_url() {
    let site = source("hugo");
    let run = import(
        &site,
        &["--from", "hugo", "--companies", "OpenAI, Alibaba Cloud"],
    );
    ok(&run);
    assert!(
        run.stdout.contains("Imported 4 posts of 6 found"),
        "{}",
        run.stdout
    );
    let out = build(&site);
    // hugo.toml: [permalinks] posts = "/:year/:month/:slug/" (:slug is `slug`, else the title
    // urlized), dates in America/New_York, paths lowercased; `url` wins; `aliases` redirect.
    let posts = [
        // (date in New York, slug or urlized title, title)
        ("2023/01", "first-post", "First post"),
        ("2023/02", "my-bundle", "A page bundle"),
    ];
    for (month, slug, title) in posts {
        assert_resolves(&out, &format!("/{month}/{slug}/"), Some(title));
    }
    assert_resolves(&out, "/special/json/", Some("Written in JSON"));
    assert_resolves(&out, "/old/first/", Some("First post"));
    // The bundle's files where Hugo published them, and the static folder at the root.
    assert_resolves(&out, "/2023/02/my-bundle/diagram.png", None);
    assert_resolves(&out, "/images/logo.png", None);
    // The draft stays out, as in Hugo.
    out.assert_missing("2023/03/not-yet/");
    // Shortcodes became Markdown: the figure, the ref to the first post, the code block.
    let bundle = out.page("2023/02/my-bundle/");
    assert!(
        bundle
            .attrs("article img", "src")
            .contains(&"diagram.png".to_string())
    );
    assert!(
        bundle
            .attrs("article a", "href")
            .contains(&"/2023/01/first-post/".to_string())
    );
    assert!(bundle.text("article pre").contains("fn main() {}"));
    // The cover image is published with the bundle and used by cards.
    assert_eq!(
        bundle.attr("meta[property=\"og:image\"]", "content"),
        "https://example.org/2023/02/my-bundle/cover.png"
    );
    // --companies filed OpenAI on both posts that mention it.
    let company = out.page("companies/openai/");
    let mut cards = company.texts("main article .card-title a");
    cards.sort();
    assert_eq!(cards, ["A page bundle", "First post"]);
    // A term page with content became a profile.
    let profile = std::fs::read_to_string(site.path("content/tags/rust.md")).unwrap();
    assert!(
        profile.contains("name = \"Rust\"") && profile.contains("The Rust programming language.")
    );
    // Unknown keys are kept for templates, declared in site.toml.
    let toml = std::fs::read_to_string(site.path("site.toml")).unwrap();
    assert!(
        toml.contains("extra_keys = [\"toc\", \"weight\"]"),
        "{toml}"
    );
    assert!(toml.contains("timezone = \"America/New_York\""));
}

#[test]
fn a_hugo_site_configured_in_its_config_folder_is_detected_and_keeps_every_url() {
    let site = source("hugo");
    // Hugo's configuration folder instead of a hugo.toml at the top.
    let src = site.tmp().join("src");
    std::fs::create_dir_all(src.join("config/_default")).unwrap();
    std::fs::rename(src.join("hugo.toml"), src.join("config/_default/hugo.toml")).unwrap();
    let run = import(&site, &[]);
    ok(&run);
    assert!(
        run.stdout.contains("Detected a Hugo site"),
        "{}",
        run.stdout
    );
    let out = build(&site);
    assert_resolves(&out, "/2023/01/first-post/", Some("First post"));
    assert_resolves(&out, "/old/first/", Some("First post"));
}

#[test]
fn zola_site_is_detected_and_keeps_every_url() {
    let site = source("zola");
    let run = import(&site, &[]);
    ok(&run);
    assert!(
        run.stdout.contains("Detected a Zola site in ../src"),
        "{}",
        run.stdout
    );
    let out = build(&site);
    assert_eq!(out.base_path, "/blog/");
    // Zola: the section's path, then `slug`, else the file name without its date, slugified;
    // `path` wins; `aliases` redirect. Paths are under base_url's /blog.
    for (url, title) in [
        ("/news/hello-world/", "Hello world"),
        ("/news/colocated/", "With its own files"),
        ("/news/weird-name/", "Weird name"),
        ("/special/path/", "Somewhere else"),
        ("/old-colocated/", "With its own files"),
    ] {
        assert_resolves(&out, url, Some(title));
    }
    assert_resolves(&out, "/news/colocated/diagram.svg", None);
    assert_resolves(&out, "/site.css", None);
    out.assert_missing("news/draft/");
    // `@/` links point at the article, under the base path.
    let page = out.page("news/colocated/");
    assert!(
        page.attrs("article a", "href")
            .contains(&"/blog/news/hello-world/#top".to_string())
    );
    let site_toml = std::fs::read_to_string(site.path("site.toml")).unwrap();
    assert!(site_toml.contains("per_page = 4"), "{site_toml}");
}

#[test]
fn jekyll_site_keeps_every_url() {
    let site = source("jekyll");
    ok(&import(&site, &["--from", "jekyll"]));
    let out = build(&site);
    // _config.yml: permalink `date` = /:categories/:year/:month/:day/:title:output_ext, with
    // :title the file name's as written, dates in Asia/Tokyo.
    let jekyll = |categories: &str, date: &str, title: &str| {
        let categories = if categories.is_empty() {
            String::new()
        } else {
            format!("/{}", categories.to_lowercase())
        };
        format!("{categories}/{}/{title}.html", ymd(date))
    };
    for (url, title) in [
        (jekyll("", "2015-05-15", "Rust-1.0"), "Announcing Rust 1.0"),
        (jekyll("", "2014-09-15", "Rust-1.0"), "Road to Rust 1.0"),
        // Folder `news/` and front matter `Release` are both categories.
        (
            jekyll("news/Release", "2016-01-02", "hello"),
            "Hello from the news folder",
        ),
        // 20:00 in San Francisco on Dec 31 is Jan 1 in Tokyo.
        (jekyll("", "2017-01-01", "new-year"), "New year"),
        ("/old-new-year/".to_string(), "New year"),
    ] {
        assert_resolves(&out, &url, Some(title));
    }
    assert_resolves(&out, "/assets/img/logo.png", None);
    out.assert_missing("2016/06/01/unpublished.html");
    // {% post_url %} became the link, {% highlight %} a code block.
    let page = out.page("2015/05/15/Rust-1.0.html");
    assert!(
        page.attrs("article a", "href")
            .contains(&"/2014/09/15/Rust-1.0.html".to_string())
    );
    assert!(page.text("article pre").contains("println!"));
    // `layout` is kept for templates.
    let toml = std::fs::read_to_string(site.path("site.toml")).unwrap();
    assert!(toml.contains("extra_keys = [\"layout\"]"), "{toml}");
}

#[test]
fn pelican_site_keeps_every_url() {
    let site = source("pelican");
    ok(&import(&site, &["--from", "pelican"]));
    let out = build(&site);
    // pelicanconf.py: ARTICLE_SAVE_AS = blog/{date:%Y}/{date:%m}/{date:%d}/{slug}/index.html,
    // {slug} = the title slugified the Pelican way (punctuation dropped); `save_as` wins.
    let pelican = |date: &str, slug: &str| format!("/blog/{}/{slug}/", ymd(date));
    for (url, title) in [
        (
            pelican("2013-06-07", "this-week-in-rust"),
            "This Week in Rust",
        ),
        (
            pelican("2013-06-15", "this-week-in-rust"),
            "This Week in Rust",
        ),
        (
            pelican("2015-05-15", "rust-10-is-here"),
            "Rust 1.0 is here!",
        ),
        ("/legacy/moved.html".to_string(), "An old page"),
    ] {
        assert_resolves(&out, &url, Some(title));
    }
    assert_resolves(&out, "/images/logo.png", None);
    out.assert_missing("blog/2014/02/01/work-in-progress/");
    // {filename} and {static} links point where digest publishes.
    let page = out.page("blog/2013/06/15/this-week-in-rust/");
    assert!(
        page.attrs("article a", "href")
            .contains(&"/blog/2013/06/07/this-week-in-rust/".to_string())
    );
    let site_toml = std::fs::read_to_string(site.path("site.toml")).unwrap();
    assert!(site_toml.contains("base_url = \"https://this-week.example\""));
    assert!(site_toml.contains("timezone = \"Europe/Paris\""));
    // reStructuredText and pages are listed, not imported.
    let report = std::fs::read_to_string(site.path("import-report.md")).unwrap();
    assert!(
        report.contains(
            "reStructuredText: convert it to Markdown to import it (1): content/notes.rst"
        ),
        "{report}"
    );
    assert!(report.contains("content/pages/about.md"));
}

#[test]
fn report_lists_what_was_not_carried() {
    let site = source("hugo");
    ok(&import(&site, &["--from", "hugo"]));
    let report = std::fs::read_to_string(site.path("import-report.md")).unwrap();
    // Shortcodes by name with counts, and where the ones kept as text are.
    assert!(report.contains("| `tweet` | 1 | 0 | 1 |"), "{report}");
    assert!(report.contains("| `figure` | 1 | 1 | 0 |"));
    assert!(report.contains("- `tweet`: content/posts/first-post.md:13"));
    // Keys by fate.
    assert!(report.contains("| `weight` | 0 | 0 | 1 | 0 |"));
    assert!(report.contains("| `url` | 0 | 1 | 0 | 0 |"));
    // Skipped files with their reason; the post without a date is named.
    assert!(report.contains("content/posts/_index.md"));
    assert!(report.contains("no date in the front matter or the file name (1): content/about.md"));
    assert!(report.contains("| URLs lost | 0 |"));
    // The body is kept byte for byte where nothing needed converting.
    let first = std::fs::read_to_string(site.path("content/articles/posts/first-post.md")).unwrap();
    assert!(first.ends_with(
        "+++\nHello from Hugo. OpenAI and Alibaba Cloud were not involved; OpenAI never is.\n\n{{< tweet user=\"someone\" id=\"123\" >}}\n"
    ));
    // Names mentioned by two posts that are no terms yet are candidates.
    assert!(report.contains("- OpenAI (2 posts)"), "{report}");
}

#[test]
fn import_never_overwrites_and_force_adds_only_missing_files() {
    let site = source("zola");
    site.write("site.toml", "title = \"Mine\"\n");
    let run = import(&site, &["--from", "zola"]);
    run.failure().stderr_has("is not empty");
    assert!(!site.path("content").exists());
    let run = import(&site, &["--from", "zola", "--force"]);
    ok(&run);
    assert!(
        run.stdout
            .contains("site.toml (already there, kept as it was)"),
        "{}",
        run.stdout
    );
    assert_eq!(
        std::fs::read_to_string(site.path("site.toml")).unwrap(),
        "title = \"Mine\"\n"
    );
    assert!(site.path("content/articles/news/custom.md").is_file());
    let report = std::fs::read_to_string(site.path("import-report.md")).unwrap();
    assert!(report.contains("## Files kept\n") && report.contains("- site.toml"));
    // Again: every file is kept, the report too.
    let again = import(&site, &["--from", "zola", "--force"]);
    ok(&again);
    assert!(again.stdout.contains("Wrote 0 files"), "{}", again.stdout);
}

#[test]
fn an_unknown_layout_asks_for_from() {
    let site = Site::empty();
    std::fs::create_dir_all(site.tmp().join("src")).unwrap();
    import(&site, &[])
        .failure()
        .stderr_has("pass --from hugo|zola|jekyll|pelican");
}
