//! The preview server. Files come from tower-http's `ServeDir` (MIME types, `Range`, `ETag`,
//! `Last-Modified` and conditional requests, `index.html` for folders, `/dir` -> `/dir/`);
//! around it sits what is digest's own: the base path, the header limit, the traversal rules,
//! the site's 404 page, the live-reload script injected into HTML, and the server-sent events
//! that tell open pages to reload.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, RwLock};
use std::task::{Context, Poll};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio::io::{AsyncRead, AsyncSeek, ReadBuf};
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;
use tokio_stream::{Stream, StreamExt};
use tower_http::services::ServeDir;
use tower_http::services::fs::Backend;

pub const EVENTS_PATH: &str = "/__digest/events";
pub const SCRIPT_PATH: &str = "/__digest/livereload.js";
const SCRIPT: &str = include_str!("livereload.js");
/// What is added to every served HTML page.
const SCRIPT_TAG: &str = "<script src=\"/__digest/livereload.js\" defer></script>";
/// A browser sends a few kilobytes of headers; a preview server has no use for more.
const MAX_HEADER_BYTES: usize = 16 * 1024;

/// What the watcher tells open pages.
#[derive(Debug, Clone)]
pub enum Message {
    /// These page links changed; `all` when any page may have.
    Reload { paths: Vec<String>, all: bool },
    /// Only stylesheets changed.
    Css,
    /// The last edit did not build: `(location, message, hint)` per error.
    Errors(Vec<(String, String, Option<String>)>),
    /// The site builds again.
    Ok,
}

impl Message {
    fn event(&self) -> Event {
        let (name, data) = match self {
            Message::Reload { paths, all } => ("reload", serde_json::json!({ "paths": paths, "all": all })),
            Message::Css => ("css", serde_json::json!({})),
            Message::Errors(errors) => (
                "errors",
                serde_json::Value::Array(
                    errors
                        .iter()
                        .map(|(location, message, hint)| serde_json::json!({ "location": location, "message": message, "hint": hint }))
                        .collect(),
                ),
            ),
            Message::Ok => ("ok", serde_json::json!({})),
        };
        // Compact JSON has no newline, which an event's data line may not hold.
        Event::default().event(name).data(data.to_string())
    }
}

/// Shared with the watcher: where the current build is, and the channel to open pages.
#[derive(Clone)]
pub struct Shared {
    /// Replaced by a new folder when site.toml changes, so it is read on every request.
    /// Canonical (symlinks resolved): served files' real paths are checked against it.
    pub dir: Arc<RwLock<PathBuf>>,
    /// The path under which the site lives (`/digest`, or empty).
    pub base_path: String,
    pub events: broadcast::Sender<Message>,
    /// The errors of the last rebuild, for pages opened while it is broken.
    pub errors: Arc<RwLock<Option<Message>>>,
}

pub fn router(shared: Shared) -> Router {
    Router::new().fallback(handle).with_state(shared)
}

async fn handle(State(shared): State<Shared>, request: Request) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
        )
            .into_response();
    }
    let header_bytes: usize = request
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len())
        .sum();
    if header_bytes > MAX_HEADER_BYTES {
        return StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE.into_response();
    }
    match request.uri().path() {
        EVENTS_PATH => events(&shared).into_response(),
        SCRIPT_PATH => (
            [
                (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            SCRIPT,
        )
            .into_response(),
        _ => site_file(&shared, &request.into_parts().0).await,
    }
}

/// A file of the current build, or the site's 404 page.
async fn site_file(shared: &Shared, request: &axum::http::request::Parts) -> Response {
    let dir = shared.dir.read().unwrap_or_else(|e| e.into_inner()).clone();
    let base = shared.base_path.as_str();
    let raw_path = request.uri.path();
    let site_path = match raw_path.strip_prefix(base) {
        Some("") => return redirect(&format!("{base}/")),
        Some(path) if path.starts_with('/') => path,
        _ if raw_path == "/" => return redirect(&format!("{base}/")),
        _ => return not_found(&dir, &request.method).await,
    };
    if safe_relative_path(site_path).is_none() {
        return not_found(&dir, &request.method).await;
    }
    // The query goes along so that a `/dir` -> `/dir/` redirect keeps it.
    let target = match request.uri.query() {
        Some(query) => format!("{site_path}?{query}"),
        None => site_path.to_string(),
    };
    let Ok(uri) = target.parse::<Uri>() else {
        return not_found(&dir, &request.method).await;
    };
    let mut headers = request.headers.clone();
    let html = is_html_path(site_path);
    if html {
        // A byte range of the file is not a byte range of the page served (the script is
        // added), so pages are always sent whole.
        headers.remove(header::RANGE);
        headers.remove(header::IF_RANGE);
    }
    let response = serve_from(&dir, &request.method, uri, headers, base).await;
    match response {
        Ok(response) if response.status() == StatusCode::NOT_FOUND => {
            not_found(&dir, &request.method).await
        }
        Ok(response) => finish(response, html, &request.method).await,
        Err(error) => {
            if is_missing(&error) {
                return not_found(&dir, &request.method).await;
            }
            log::warn!("serve: cannot read {raw_path}: {error}");
            (StatusCode::INTERNAL_SERVER_ERROR, format!("{error}\n")).into_response()
        }
    }
}

/// One request to `ServeDir` over the build folder `dir`, through `InsideBuild`.
async fn serve_from(
    dir: &Path,
    method: &Method,
    uri: Uri,
    headers: HeaderMap,
    base: &str,
) -> io::Result<Response> {
    // The folder is swapped on a restart, so the service is made for each request (it is only
    // a few fields).
    let backend = InsideBuild { root: dir.into() };
    let mut service = ServeDir::with_backend(dir, backend).redirect_path_prefix(base);
    let mut inner = axum::http::Request::new(Body::empty());
    *inner.method_mut() = method.clone();
    *inner.uri_mut() = uri;
    *inner.headers_mut() = headers;
    let response = service.try_call(inner).await?;
    Ok(response.map(Body::new))
}

/// The headers digest adds to every file, and the live-reload script in HTML pages.
async fn finish(response: Response, html_path: bool, method: &Method) -> Response {
    let (mut parts, body) = response.into_parts();
    let headers = &mut parts.headers;
    // Browsers keep the files but ask each time: a reload then costs a 304 per unchanged file.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    if let Some(with_charset) = with_utf8_charset(&content_type) {
        headers.insert(header::CONTENT_TYPE, with_charset);
    }
    let is_html = content_type == "text/html";
    if !is_html || !html_path || parts.status != StatusCode::OK {
        return Response::from_parts(parts, body);
    }
    if method == Method::HEAD {
        // The length of the page as a GET sends it.
        let length = headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        if let Some(length) = length {
            headers.insert(header::CONTENT_LENGTH, (length + SCRIPT_TAG.len()).into());
        }
        return Response::from_parts(parts, body);
    }
    match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => {
            let page = inject_script(&bytes);
            parts
                .headers
                .insert(header::CONTENT_LENGTH, page.len().into());
            Response::from_parts(parts, Body::from(page))
        }
        Err(error) => {
            log::warn!("serve: cannot read a page: {error}");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The Content-Type with `charset=utf-8` for text that has none (digest writes UTF-8).
fn with_utf8_charset(content_type: &str) -> Option<HeaderValue> {
    let text = content_type.starts_with("text/")
        || content_type == "application/javascript"
        || content_type == "application/json"
        || content_type == "image/svg+xml";
    if !text || content_type.contains(';') {
        return None;
    }
    HeaderValue::from_str(&format!("{content_type}; charset=utf-8")).ok()
}

/// Whether `ServeDir` will answer the path with an HTML file: a folder (its index.html) or
/// a name ending in .html or .htm, as `mime_guess` reads it.
fn is_html_path(site_path: &str) -> bool {
    if site_path.ends_with('/') {
        return true;
    }
    let name = site_path.rsplit('/').next().unwrap_or_default();
    Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
}

/// The request path as a relative path with normal components only, or None for anything that
/// could leave the folder: `..` (also percent-encoded), backslashes, NUL, drive prefixes.
/// `ServeDir` decodes the path the same way (`percent-encoding`, once), so what it opens is
/// what passed here.
pub fn safe_relative_path(path: &str) -> Option<PathBuf> {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    if decoded.contains('\0') || decoded.contains('\\') {
        return None;
    }
    let mut out = PathBuf::new();
    for part in decoded.split('/').filter(|p| !p.is_empty()) {
        let component = Path::new(part).components().next()?;
        match component {
            Component::Normal(name) if Path::new(name) == Path::new(part) => out.push(name),
            _ => return None,
        }
    }
    Some(out)
}

/// Errors that mean "no such file here" rather than a fault of the server.
fn is_missing(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::NotFound
            | io::ErrorKind::NotADirectory
            | io::ErrorKind::PermissionDenied
            | io::ErrorKind::InvalidFilename
            | io::ErrorKind::InvalidInput
    )
}

/// `ServeDir`'s file access, refusing any file whose real location (symlinks resolved) is
/// outside the build: a link placed in the served folder must not be followed out. The check
/// and the call it guards share one blocking task, as each hop to the blocking pool costs.
#[derive(Clone)]
struct InsideBuild {
    /// The build folder, canonical.
    root: Arc<Path>,
}

type Boxed<T> = Pin<Box<dyn Future<Output = io::Result<T>> + Send>>;

/// The real path of `path` when it lies inside `root` (blocking).
fn inside(root: &Path, path: &Path) -> io::Result<PathBuf> {
    let real = std::fs::canonicalize(path)?;
    if real.starts_with(root) {
        Ok(real)
    } else {
        Err(io::Error::new(
            io::ErrorKind::NotFound,
            "leads outside the build",
        ))
    }
}

/// Runs blocking file-system work off the async workers.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> io::Result<T> + Send + 'static,
) -> io::Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(io::Error::other)?
}

impl Backend for InsideBuild {
    type File = BuildFile;
    type Metadata = std::fs::Metadata;
    type OpenFuture = Boxed<BuildFile>;
    type MetadataFuture = Boxed<std::fs::Metadata>;

    fn open(&self, path: PathBuf) -> Self::OpenFuture {
        let root = self.root.clone();
        Box::pin(blocking(move || {
            let file = std::fs::File::open(inside(&root, &path)?)?;
            let metadata = file.metadata()?;
            Ok(BuildFile {
                file: tokio::fs::File::from_std(file),
                metadata,
            })
        }))
    }

    fn metadata(&self, path: PathBuf) -> Self::MetadataFuture {
        let root = self.root.clone();
        Box::pin(blocking(move || std::fs::metadata(inside(&root, &path)?)))
    }
}

/// A file opened by `InsideBuild`, with the metadata read when it was opened (`ServeDir` asks
/// for it next; reading it then would be one more hop to the blocking pool).
struct BuildFile {
    file: tokio::fs::File,
    metadata: std::fs::Metadata,
}

impl AsyncRead for BuildFile {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.file).poll_read(cx, buf)
    }
}

impl AsyncSeek for BuildFile {
    fn start_seek(mut self: Pin<&mut Self>, position: io::SeekFrom) -> io::Result<()> {
        Pin::new(&mut self.file).start_seek(position)
    }

    fn poll_complete(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<u64>> {
        Pin::new(&mut self.file).poll_complete(cx)
    }
}

impl tower_http::services::fs::File for BuildFile {
    type Metadata = std::fs::Metadata;
    type MetadataFuture<'a> = std::future::Ready<io::Result<std::fs::Metadata>>;

    fn metadata(&self) -> Self::MetadataFuture<'_> {
        std::future::ready(Ok(self.metadata.clone()))
    }
}

/// Adds the live-reload script before the last `</body>` (or at the end).
fn inject_script(html: &[u8]) -> Vec<u8> {
    let at = html
        .windows(b"</body>".len())
        .rposition(|w| w == b"</body>")
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + SCRIPT_TAG.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(SCRIPT_TAG.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The build's 404.html with status 404 (through the same checks as any file), or a line of
/// text when the build has none.
async fn not_found(dir: &Path, method: &Method) -> Response {
    let page = serve_from(
        dir,
        method,
        Uri::from_static("/404.html"),
        HeaderMap::new(),
        "",
    )
    .await;
    match page {
        Ok(page) if page.status() == StatusCode::OK => {
            let mut response = finish(page, true, method).await;
            *response.status_mut() = StatusCode::NOT_FOUND;
            // The page stands for a missing file, not for 404.html: nothing to revalidate.
            let headers = response.headers_mut();
            headers.remove(header::ETAG);
            headers.remove(header::LAST_MODIFIED);
            headers.remove(header::ACCEPT_RANGES);
            response
        }
        _ => (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Not found\n",
        )
            .into_response(),
    }
}

fn redirect(to: &str) -> Response {
    let mut response = StatusCode::TEMPORARY_REDIRECT.into_response();
    if let Ok(location) = HeaderValue::from_str(to) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// The event stream of one open page: a comment first (so the browser knows the stream is
/// open), the current errors if the site is broken, then every message as it comes.
fn events(shared: &Shared) -> Sse<impl Stream<Item = Result<Event, Infallible>> + use<>> {
    // Subscribed before the current errors are read: errors set in between are then either
    // read or received (or both), never lost as they were when read first.
    let subscribed = shared.events.subscribe();
    let current = shared
        .errors
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let hello = tokio_stream::iter([Event::default().comment("digest")]);
    let first = tokio_stream::iter(current.map(|m| m.event()));
    let updates = BroadcastStream::new(subscribed).map(|m| match m {
        Ok(message) => message.event(),
        // A page that fell behind missed some reloads: it reloads.
        Err(BroadcastStreamRecvError::Lagged(_)) => Message::Reload {
            paths: Vec::new(),
            all: true,
        }
        .event(),
    });
    Sse::new(hello.chain(first).chain(updates).map(Ok)).keep_alive(KeepAlive::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths_pass() {
        assert_eq!(
            safe_relative_path("/articles/x/"),
            Some(PathBuf::from("articles/x"))
        );
        assert_eq!(
            safe_relative_path("/a%20b.css"),
            Some(PathBuf::from("a b.css"))
        );
        assert_eq!(safe_relative_path("//x"), Some(PathBuf::from("x")));
        // A malformed escape stays as it is written (as ServeDir reads it too): a name, not a
        // step out; and a double-encoded `..` is decoded once, into a name.
        assert_eq!(safe_relative_path("/%zz"), Some(PathBuf::from("%zz")));
        assert_eq!(
            safe_relative_path("/%252e%252e/x"),
            Some(PathBuf::from("%2e%2e/x"))
        );
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/x",
            "/a/..%2f..%2fx",
            "/%2E%2E/x",
            "/.%2e/x",
            "/a%5c..%5cx",
            "/x%00",
            "/./a",
            "/%c0%ae%c0%ae/x",
        ] {
            assert_eq!(safe_relative_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn pages_are_told_apart_by_the_path_servedir_opens() {
        for page in ["/", "/articles/x/", "/404.html", "/A.HTM"] {
            assert!(is_html_path(page), "{page}");
        }
        for other in [
            "/style.css",
            "/feed.xml",
            "/video.mp4",
            "/html",
            "/x.html/y",
        ] {
            assert!(!is_html_path(other), "{other}");
        }
    }

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let page = inject_script(b"<body><p>&lt;/body&gt;</p></body></html>");
        assert_eq!(
            String::from_utf8(page).unwrap(),
            format!("<body><p>&lt;/body&gt;</p>{SCRIPT_TAG}</body></html>")
        );
        let bare = inject_script(b"<p>no body end");
        assert!(bare.ends_with(SCRIPT_TAG.as_bytes()));
        assert!(SCRIPT_TAG.contains(&format!("\"{SCRIPT_PATH}\"")));
    }

    #[test]
    fn text_types_say_utf8() {
        assert_eq!(
            with_utf8_charset("text/css").unwrap(),
            "text/css; charset=utf-8"
        );
        assert_eq!(with_utf8_charset("text/html; charset=utf-8"), None);
        assert_eq!(with_utf8_charset("image/png"), None);
    }
}
