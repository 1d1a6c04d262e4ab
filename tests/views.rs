//! What templates are given, so that they carry no logic the code already knows: image
//! addresses and their alt text, edition kinds, website hosts, counts, heading levels.

mod common;

use common::Site;

const SITE: &str = "title = \"Views\"\nbase_url = \"https://example.com/news\"\n";

fn article(name: &str, front: &str) -> (String, String) {
    (
        format!("content/articles/{name}.md"),
        format!("+++\ntitle = \"{name}\"\n{front}\n+++\nBody of {name}.\n"),
    )
}

#[test]
fn images_get_their_address_and_alt_text_everywhere() {
    let site = Site::empty();
    site.write("site.toml", SITE);
    for (path, text) in [
        article(
            "relative",
            "date = 2023-05-02\nimage = \"images/a.png\"\nimage_alt = \"A chip on a wafer\"",
        ),
        article(
            "elsewhere",
            "date = 2023-05-01\nimage = \"https://cdn.example.org/b.png\"",
        ),
    ] {
        site.write(&path, &text);
    }
    let out = site.build_ok(&[]);
    let page = out.page("articles/relative/");
    assert_eq!(page.attr(".article-image", "src"), "/news/images/a.png");
    assert_eq!(page.attr(".article-image", "alt"), "A chip on a wafer");
    assert_eq!(
        page.attr("meta[property=\"og:image\"]", "content"),
        "https://example.com/news/images/a.png"
    );
    assert_eq!(
        page.attr("meta[property=\"og:image:alt\"]", "content"),
        "A chip on a wafer"
    );
    let jsonld: serde_json::Value =
        serde_json::from_str(&page.text("script[type=\"application/ld+json\"]")).unwrap();
    assert_eq!(
        jsonld["image"]["url"],
        "https://example.com/news/images/a.png"
    );
    assert_eq!(jsonld["image"]["caption"], "A chip on a wafer");

    let home = out.page("");
    let srcs = home.attrs(".card-image", "src");
    assert!(srcs.contains(&"/news/images/a.png".to_string()), "{srcs:?}");
    assert!(
        srcs.contains(&"https://cdn.example.org/b.png".to_string()),
        "{srcs:?}"
    );
    let alts = home.attrs(".card-image", "alt");
    assert!(alts.contains(&"A chip on a wafer".to_string()), "{alts:?}");

    // An image without alt text is a check warning at its line.
    let check = site.run(&["check", "--format", "json"]);
    let problems: Vec<serde_json::Value> = serde_json::from_str(&check.stdout).unwrap();
    let missing: Vec<&serde_json::Value> = problems
        .iter()
        .filter(|p| p["code"] == "missing-alt")
        .collect();
    assert_eq!(missing.len(), 1, "{check}");
    assert_eq!(missing[0]["file"], "content/articles/elsewhere.md");
    assert_eq!(missing[0]["line"], 4, "the `image` line");
}

#[test]
fn modified_time_is_a_date_time() {
    let site = Site::empty();
    site.write("site.toml", SITE);
    let (path, text) = article("a", "date = 2023-05-01\nupdated = 2023-05-03");
    site.write(&path, &text);
    let page = site.build_ok(&[]).page("articles/a/");
    let modified = page.attr("meta[property=\"article:modified_time\"]", "content");
    assert!(
        modified.starts_with("2023-05-03T00:00:00") && modified.len() > 19,
        "{modified}"
    );
}

#[test]
fn the_banner_says_this_week_only_for_this_weeks_edition() {
    let site = Site::empty();
    site.write("site.toml", SITE);
    let (path, text) = article("old", "date = 2023-05-01");
    site.write(&path, &text);
    let out = site.build_ok(&[]);
    let banner = out.page("").text(".callout");
    assert!(banner.starts_with("Latest edition:"), "{banner}");
    assert!(banner.contains("1 story"), "{banner}");

    let today = jiff::ZonedDateTime::now()
        .with_time_zone(jiff::tz::TimeZone::UTC)
        .date();
    let (path, text) = article("new", &format!("date = {today}"));
    site.write(&path, &text);
    let out = site.build_ok(&[]);
    let banner = out.page("").text(".callout");
    assert!(banner.starts_with("This week:"), "{banner}");
}

#[test]
fn term_pages_show_the_websites_host() {
    let site = Site::empty();
    site.write("site.toml", SITE);
    site.write(
        "content/companies/alibaba.md",
        "+++\nname = \"Alibaba\"\nwebsite = \"https://www.alibabagroup.com/en-US/about\"\n+++\n",
    );
    let (path, text) = article("a", "date = 2023-05-01\ncompanies = [\"Alibaba\"]");
    site.write(&path, &text);
    let page = site.build_ok(&[]).page("companies/alibaba/");
    assert_eq!(page.text(".profile-website dd a"), "www.alibabagroup.com");
    assert!(page.text(".term-stats").contains("1 story"));
}

#[test]
fn headings_never_skip_a_level_on_list_pages() {
    let site = Site::empty();
    site.write("site.toml", &format!("{SITE}per_page = 2\n"));
    for n in 1..=3 {
        let (path, text) = article(
            &format!("s{n}"),
            &format!("date = 2023-05-0{n}\ncompanies = [\"Alibaba\"]\nregulations = [\"GDPR\"]"),
        );
        site.write(&path, &text);
    }
    let out = site.build_ok(&[]);
    for url in [
        "",
        "page/2/",
        "companies/alibaba/",
        "editions/2023-w18/",
        "matrix/alibaba/gdpr/",
    ] {
        let page = out.page(url);
        let levels: Vec<u8> = page
            .select("main h1, main h2, main h3, main h4, main h5, main h6")
            .into_iter()
            .map(|h| h.value().name()[1..].parse().unwrap())
            .collect();
        assert_eq!(levels.first(), Some(&1), "{url}: {levels:?}");
        for pair in levels.windows(2) {
            assert!(pair[1] <= pair[0] + 1, "{url} skips a level: {levels:?}");
        }
        assert!(
            page.select(".card-title")
                .iter()
                .all(|h| h.value().name() == "h3"),
            "{url}: cards are h3 under an h2"
        );
    }
}
