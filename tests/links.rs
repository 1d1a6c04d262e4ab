//! Links inside the site are followed: `digest check` and `digest build -v` report each body
//! link or image that leads to no page, static file or alias of the build, and each `#fragment`
//! that names no element of its page, at the link's line and column.

mod common;

use common::Site;

fn site() -> Site {
    let site = Site::empty();
    site.write(
        "site.toml",
        "title = \"Links\"\nbase_url = \"https://example.com/news\"\n",
    );
    site.write("static/images/real.png", "png");
    site.write(
        "content/articles/2024-03-01-target.md",
        "+++\ntitle = \"Target\"\naliases = [\"/old/target/\"]\n+++\n## Key points\n\nText.\n",
    );
    site.write(
        "content/articles/2024-03-02-source.md",
        "+++\ntitle = \"Source\"\n+++\n\
         Good: [home](/), [tag index](/tags/), [image](/images/real.png), [alias](/old/target/),\n\
         [other](../target/), [md](2024-03-01-target.md#key-points), [self](#context),\n\
         [folder](/articles/target), [web](https://example.org/nowhere), [mail](mailto:a@b.c).\n\
         \n\
         ## Context\n\
         \n\
         Bad: [about](/about/get-involved/), ![missing](../images/x.png),\n\
         [fragment](2024-03-01-target.md#no-such-heading), [up](../../../../x/).\n",
    );
    site
}

#[test]
fn check_reports_each_broken_link_at_its_place() {
    let site = site();
    let run = site.run(&["check", "--format", "json"]);
    // Warnings only: check passes without --strict.
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let problems: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
    let broken: Vec<(String, String)> = problems
        .iter()
        .filter(|p| p["code"] == "broken-link")
        .map(|p| {
            (
                format!(
                    "{}:{}:{}",
                    p["file"].as_str().unwrap(),
                    p["line"],
                    p["column"]
                ),
                p["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let file = "content/articles/2024-03-02-source.md";
    let expect = [
        (format!("{file}:10:14"), "/about/get-involved/"),
        (format!("{file}:10:48"), "../images/x.png"),
        (format!("{file}:11:12"), "no-such-heading"),
        (format!("{file}:11:56"), "above the site's root"),
    ];
    assert_eq!(broken.len(), expect.len(), "{broken:#?}");
    for ((location, words), (at, message)) in expect.iter().zip(&broken) {
        assert_eq!(at, location, "{broken:#?}");
        assert!(message.contains(words), "{broken:#?}");
    }
    assert!(
        broken[1].1.contains("/articles/images/x.png"),
        "a page-relative link is resolved from the page's address: {broken:#?}"
    );
}

#[test]
fn a_verbose_build_reports_them_a_quiet_one_does_not_look() {
    let site = site();
    let quiet = site.build(&[]);
    quiet.success();
    assert!(
        !quiet.stderr.contains("broken-link") && !quiet.stderr.contains("leads nowhere"),
        "{}",
        quiet.stderr
    );
    // A second, verbose build does the work (no no-op) to follow the links.
    let verbose = site.build(&["-v"]);
    verbose.success();
    let count = verbose.stderr.matches("leads nowhere").count();
    assert_eq!(count, 2, "{}", verbose.stderr);
    assert!(
        verbose.stderr.contains("no-such-heading"),
        "{}",
        verbose.stderr
    );
}

#[test]
fn the_example_site_has_no_broken_links() {
    let site = Site::example();
    let run = site.run(&["check", "--format", "json"]);
    let problems: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
    let broken: Vec<_> = problems
        .iter()
        .filter(|p| p["code"] == "broken-link")
        .collect();
    assert!(broken.is_empty(), "{broken:#?}");
}
