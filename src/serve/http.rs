//! The preview server: the built site's files (and nothing outside them), the live-reload
//! script injected into HTML pages, and a server-sent event stream that tells pages to reload.

use std::convert::Infallible;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tokio::sync::broadcast;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

pub const EVENTS_PATH: &str = "/__digest/events";
pub const SCRIPT_PATH: &str = "/__digest/livereload.js";
const SCRIPT: &str = include_str!("livereload.js");
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
    fn event(&self) -> String {
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
        format!("event: {name}\ndata: {data}\n\n")
    }
}

/// Shared with the watcher: where the current build is, and the channel to open pages.
#[derive(Clone)]
pub struct Shared {
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
    let raw_path = request.uri().path().to_string();
    match raw_path.as_str() {
        EVENTS_PATH => return events(shared),
        SCRIPT_PATH => {
            return (
                [
                    (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
                    (header::CACHE_CONTROL, "no-store"),
                ],
                SCRIPT,
            )
                .into_response();
        }
        _ => {}
    }
    let dir = shared.dir.read().unwrap_or_else(|e| e.into_inner()).clone();
    let Some(site_path) = raw_path
        .strip_prefix(&shared.base_path)
        .filter(|p| p.is_empty() || p.starts_with('/'))
    else {
        if raw_path == "/" && !shared.base_path.is_empty() {
            return redirect(&format!("{}/", shared.base_path));
        }
        return not_found(&dir, &shared);
    };
    let Some(relative) = safe_relative_path(site_path) else {
        return not_found(&dir, &shared);
    };
    let mut file = dir.join(&relative);
    if file.is_dir() {
        if !raw_path.ends_with('/') {
            return redirect(&format!("{raw_path}/"));
        }
        file = file.join("index.html");
    }
    match read_inside(&dir, &file) {
        Some(bytes) => file_response(&file, bytes, StatusCode::OK, &shared),
        None => not_found(&dir, &shared),
    }
}

/// The request path as a relative path with normal components only, or None for anything that
/// could leave the folder: `..` (also percent-encoded), backslashes, NUL, drive prefixes.
pub fn safe_relative_path(path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(path)?;
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

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = |b: u8| (b as char).to_digit(16);
            let (hi, lo) = (hex(*bytes.get(i + 1)?)?, hex(*bytes.get(i + 2)?)?);
            out.push((hi * 16 + lo) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The file's bytes when it really lies inside `dir` once symlinks are resolved.
fn read_inside(dir: &Path, file: &Path) -> Option<Vec<u8>> {
    let root = dir.canonicalize().ok()?;
    let real = file.canonicalize().ok()?;
    if !real.starts_with(&root) || !real.is_file() {
        return None;
    }
    std::fs::read(real).ok()
}

fn file_response(file: &Path, bytes: Vec<u8>, status: StatusCode, shared: &Shared) -> Response {
    let is_html = file.extension().is_some_and(|e| e == "html" || e == "htm");
    let mime = if is_html {
        "text/html; charset=utf-8".to_string()
    } else {
        let guess = mime_guess::from_path(file).first_or_octet_stream();
        match guess.type_() {
            mime_guess::mime::TEXT => format!("{guess}; charset=utf-8"),
            _ if guess.essence_str() == "application/javascript"
                || guess.essence_str() == "application/json" =>
            {
                format!("{guess}; charset=utf-8")
            }
            _ => guess.to_string(),
        }
    };
    let body = if is_html {
        inject_script(bytes, shared)
    } else {
        bytes
    };
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&mime)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// Adds the live-reload script before `</body>` (or at the end).
fn inject_script(mut html: Vec<u8>, _shared: &Shared) -> Vec<u8> {
    let tag = format!("<script src=\"{SCRIPT_PATH}\" defer></script>");
    let text = String::from_utf8_lossy(&html);
    match text.rfind("</body>") {
        Some(at) => {
            let mut out = Vec::with_capacity(html.len() + tag.len());
            out.extend_from_slice(&html[..at]);
            out.extend_from_slice(tag.as_bytes());
            out.extend_from_slice(&html[at..]);
            out
        }
        None => {
            html.extend_from_slice(tag.as_bytes());
            html
        }
    }
}

fn not_found(dir: &Path, shared: &Shared) -> Response {
    let page = dir.join("404.html");
    match read_inside(dir, &page) {
        Some(bytes) => file_response(&page, bytes, StatusCode::NOT_FOUND, shared),
        None => (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Not found\n",
        )
            .into_response(),
    }
}

fn redirect(to: &str) -> Response {
    let mut response = StatusCode::FOUND.into_response();
    if let Ok(location) = HeaderValue::from_str(to) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

fn events(shared: Shared) -> Response {
    let current = shared
        .errors
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let first = tokio_stream::iter(current.map(|m| Ok::<_, Infallible>(m.event())));
    let updates = BroadcastStream::new(shared.events.subscribe())
        .filter_map(|m| m.ok().map(|m| Ok::<_, Infallible>(m.event())));
    // A comment first, so the browser knows the stream is open.
    let hello = tokio_stream::iter([Ok::<_, Infallible>(": digest\n\n".to_string())]);
    let stream = hello.chain(first).chain(updates);
    Response::builder()
        .header(header::CONTENT_TYPE, "text/event-stream")
        .header(header::CACHE_CONTROL, "no-store")
        .body(Body::from_stream(stream))
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
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
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/x",
            "/a/..%2f..%2fx",
            "/%2E%2E/x",
            "/a%5c..%5cx",
            "/x%00",
            "/./a",
            "/%zz",
            "/%c0%ae%c0%ae/x",
        ] {
            assert_eq!(safe_relative_path(bad), None, "{bad}");
        }
    }
}
