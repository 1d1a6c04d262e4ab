//! The built-in theme, embedded so that a site with only site.toml and content/ builds. Each
//! file is a real file under templates/ or static/ of this repository; a site overrides one by
//! putting a file of the same name in its own templates/ or static/.

/// Built-in templates by name.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("article.html", include_str!("../../templates/article.html")),
    ("edition.html", include_str!("../../templates/edition.html")),
    (
        "editions.html",
        include_str!("../../templates/editions.html"),
    ),
    (
        "taxonomy.html",
        include_str!("../../templates/taxonomy.html"),
    ),
    ("term.html", include_str!("../../templates/term.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("search.html", include_str!("../../templates/search.html")),
    ("matrix.html", include_str!("../../templates/matrix.html")),
    (
        "matrix_cell.html",
        include_str!("../../templates/matrix_cell.html"),
    ),
    (
        "partials/card.html",
        include_str!("../../templates/partials/card.html"),
    ),
    (
        "partials/pagination.html",
        include_str!("../../templates/partials/pagination.html"),
    ),
    (
        "redirect.html",
        include_str!("../../templates/redirect.html"),
    ),
    ("atom.xml", include_str!("../../templates/atom.xml")),
    ("rss.xml", include_str!("../../templates/rss.xml")),
    ("email.html", include_str!("../../templates/email.html")),
];

/// Built-in static files by output path.
pub const STATIC_FILES: &[(&str, &str)] = &[
    ("style.css", include_str!("../../static/style.css")),
    ("favicon.svg", include_str!("../../static/favicon.svg")),
];
