//! `digest serve` end to end: a real server on a free port, pages fetched over HTTP, edits
//! followed by reload events, errors shown and cleared, traversal refused, concurrent requests.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const DIGEST: &str = env!("CARGO_BIN_EXE_digest");

struct Server {
    child: Child,
    /// `127.0.0.1:PORT`
    address: String,
    /// `/news` (the base path) or empty.
    base: String,
    /// The folder the server says it watches.
    watched: PathBuf,
    /// The rest of its standard output and error, line by line.
    stdout: mpsc::Receiver<String>,
    stderr: mpsc::Receiver<String>,
}

/// The lines a child writes, read on a thread of their own so that its pipe never fills.
fn lines_of(stream: impl Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    rx
}

/// Waits for the first line containing `needle`.
#[track_caller]
fn wait_for_line(lines: &mpsc::Receiver<String>, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let line = lines
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .unwrap_or_else(|_| panic!("no line with {needle:?}"));
        if line.contains(needle) {
            return line;
        }
    }
}

impl Server {
    fn start(root: &Path) -> Server {
        Server::start_in(Path::new("/"), Some(root.to_str().unwrap()))
    }

    /// `digest serve` typed in the folder `cwd`, with `--root ROOT` when given, as a person runs it.
    // The child is waited for when the Server is dropped or stopped.
    #[allow(clippy::zombie_processes)]
    fn start_in(cwd: &Path, root: Option<&str>) -> Server {
        let mut command = Command::new(DIGEST);
        command.args(["serve", "--port", "0"]);
        if let Some(root) = root {
            command.args(["--root", root]);
        }
        let mut child = command
            .current_dir(cwd)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let rx = lines_of(child.stdout.take().unwrap());
        let stderr = lines_of(child.stderr.take().unwrap());
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut found: Option<(String, String)> = None;
        loop {
            let line = rx
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .expect("serve printed no URL and no watched folder");
            if let Some(url) = line.strip_prefix("Serving http://") {
                let (address, path) = url.split_once('/').unwrap();
                found = Some((
                    address.to_string(),
                    format!("/{}", path.trim_end_matches('/'))
                        .trim_end_matches('/')
                        .to_string(),
                ));
            } else if let Some(watched) = line.strip_prefix("Watching ") {
                let (address, base) = found.expect("the URL comes first");
                let watched = watched.split(" for changes").next().unwrap();
                return Server {
                    child,
                    address,
                    base,
                    watched: PathBuf::from(watched),
                    stdout: rx,
                    stderr,
                };
            }
        }
    }

    fn stop(mut self) -> std::process::ExitStatus {
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGINT);
        }
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "serve did not stop on Ctrl-C");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A raw HTTP/1.1 request: status, headers (lowercased names), body.
fn request(address: &str, method: &str, target: &str) -> (u16, Vec<(String, String)>, String) {
    let (status, headers, body) = request_with(address, method, target, &[]);
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

/// A raw HTTP/1.1 request with extra headers; the body as bytes.
fn request_with(
    address: &str,
    method: &str,
    target: &str,
    extra: &[(&str, &str)],
) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let extra: String = extra
        .iter()
        .map(|(name, value)| format!("{name}: {value}\r\n"))
        .collect();
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: {address}\r\n{extra}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(raw.len());
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let body = raw.get(end + 4..).unwrap_or_default().to_vec();
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(k, v)| (k.to_ascii_lowercase(), v.to_string()))
        .collect();
    (status, headers, body)
}

fn get(server: &Server, path: &str) -> (u16, String) {
    let (status, _, body) = request(&server.address, "GET", &format!("{}{path}", server.base));
    (status, body)
}

/// Reads the event stream in the background; `wait_for` returns the first event containing `needle`.
struct Events(mpsc::Receiver<String>);

impl Events {
    fn open(server: &Server) -> Events {
        let mut stream = TcpStream::connect(&server.address).unwrap();
        write!(stream, "GET /__digest/events HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut event = String::new();
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if line.is_empty() && !event.is_empty() {
                    let _ = tx.send(std::mem::take(&mut event));
                } else if line.starts_with("event:") || line.starts_with("data:") {
                    event.push_str(&line);
                    event.push('\n');
                }
            }
        });
        Events(rx)
    }

    #[track_caller]
    fn wait_for(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let event = self
                .0
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .unwrap_or_else(|_| panic!("no event with {needle:?}"));
            if event.contains(needle) {
                return event;
            }
        }
    }
}

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("site.toml"),
        "title = \"Served\"\nbase_url = \"https://example.com/news\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("content/articles")).unwrap();
    for n in 1..=3 {
        std::fs::write(
            root.join(format!("content/articles/2023-09-0{n}-story-{n}.md")),
            format!("+++\ntitle = \"Story {n}\"\ndate = 2023-09-0{n}\ncompanies = [\"Alibaba\"]\n+++\nBody {n}.\n"),
        )
        .unwrap();
    }
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::fs::write(root.join("static/extra.css"), "body { margin: 0 }\n").unwrap();
    dir
}

#[test]
fn serves_pages_with_live_reload_and_follows_edits() {
    let dir = site();
    let root = dir.path();
    let server = Server::start(root);
    assert_eq!(server.base, "/news");

    let (status, home) = get(&server, "/");
    assert_eq!(status, 200);
    assert!(home.contains("Story 3"));
    assert!(
        home.contains("/__digest/livereload.js"),
        "the script is injected into served pages"
    );
    // Links point at the local server, keeping base_url's path.
    assert!(
        home.contains(&format!("http://{}/news/", server.address)),
        "canonical uses the local origin"
    );

    let (status, headers, _) = request(&server.address, "HEAD", "/news/style.css");
    assert_eq!(status, 200);
    assert!(
        headers
            .iter()
            .any(|(k, v)| k == "content-type" && v.starts_with("text/css"))
    );
    let (status, headers, _) = request(&server.address, "GET", "/news/articles/story-1");
    assert_eq!(status, 307, "a folder without its slash redirects");
    assert!(
        headers
            .iter()
            .any(|(k, v)| k == "location" && v == "/news/articles/story-1/")
    );
    let (status, page) = get(&server, "/nothing/here/");
    assert_eq!(status, 404);
    assert!(page.contains("Page not found"), "the site's 404 page");

    let events = Events::open(&server);
    std::fs::write(
        root.join("content/articles/2023-09-01-story-1.md"),
        "+++\ntitle = \"Story 1\"\ndate = 2023-09-01\ncompanies = [\"Alibaba\"]\n+++\nA new body for story one.\n",
    )
    .unwrap();
    let event = events.wait_for("event: reload");
    assert!(event.contains("/news/articles/story-1/"), "{event}");
    assert!(
        get(&server, "/articles/story-1/")
            .1
            .contains("A new body for story one.")
    );

    // A bad edit: errors with their location; the last good build is still served.
    std::fs::write(
        root.join("content/articles/2023-09-02-story-2.md"),
        "+++\ntitle = \"Story 2\"\ndate = = 3\n+++\n",
    )
    .unwrap();
    let event = events.wait_for("event: errors");
    assert!(
        event.contains("content/articles/2023-09-02-story-2.md:3"),
        "{event}"
    );
    assert_eq!(get(&server, "/articles/story-2/").0, 200);
    std::fs::write(
        root.join("content/articles/2023-09-02-story-2.md"),
        "+++\ntitle = \"Story two\"\ndate = 2023-09-02\n+++\nFixed.\n",
    )
    .unwrap();
    events.wait_for("event: ok");
    assert!(get(&server, "/articles/story-2/").1.contains("Story two"));

    // A stylesheet: swapped without a reload.
    std::fs::write(root.join("static/extra.css"), "body { margin: 1px }\n").unwrap();
    events.wait_for("event: css");
    assert!(get(&server, "/extra.css").1.contains("1px"));

    // A new article appears on the home page.
    std::fs::write(
        root.join("content/articles/2023-09-05-story-5.md"),
        "+++\ntitle = \"Story 5\"\ndate = 2023-09-05\n+++\nNew.\n",
    )
    .unwrap();
    events.wait_for("/news/articles/story-5/");
    assert!(get(&server, "/").1.contains("Story 5"));

    let status = server.stop();
    assert!(
        status.success(),
        "Ctrl-C stops the server cleanly: {status:?}"
    );
}

#[test]
fn never_serves_a_file_outside_the_build() {
    let dir = site();
    let root = dir.path();
    std::os::unix::fs::symlink("/etc/passwd", root.join("static/passwd")).unwrap();
    std::fs::write(dir.path().join("secret.txt"), "top secret").unwrap();
    let server = Server::start(root);
    for target in [
        "/news/../secret.txt",
        "/news/%2e%2e/secret.txt",
        "/news/%2E%2E%2Fsecret.txt",
        "/news/..%2fsecret.txt",
        "/news/..%5csecret.txt",
        "/news//..//secret.txt",
        "/news/passwd",
        "/news/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/etc/passwd",
        "/news/..\\secret.txt",
        "/news/%00",
    ] {
        let (status, _, body) = request(&server.address, "GET", target);
        assert!(status == 404 || status == 400, "{target}: {status}");
        assert!(
            !body.contains("top secret") && !body.contains("root:"),
            "{target} leaked a file"
        );
    }
    // Oversized headers are refused, and the server keeps serving.
    let mut stream = TcpStream::connect(&server.address).unwrap();
    write!(
        stream,
        "GET /news/ HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\nConnection: close\r\n\r\n",
        "a".repeat(50_000)
    )
    .unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    assert!(
        answer.starts_with("HTTP/1.1 431"),
        "{}",
        &answer[..answer.len().min(80)]
    );
    assert_eq!(request(&server.address, "GET", "/news/").0, 200);
    // Many requests at once.
    let address = server.address.clone();
    let handles: Vec<_> = (0..16)
        .map(|i| {
            let address = address.clone();
            std::thread::spawn(move || {
                for _ in 0..10 {
                    let path = if i % 2 == 0 {
                        "/news/"
                    } else {
                        "/news/style.css"
                    };
                    assert_eq!(request(&address, "GET", path).0, 200);
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    server.stop();
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let dir = site();
    let output = Command::new(DIGEST)
        .args(["serve", "--port", &port, "--root"])
        .arg(dir.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("port {port}")) && stderr.contains("in use"),
        "{stderr}"
    );
}

/// A site with what an editor touches: an article, a company profile, a template of its own.
fn editable_site(root: &Path) {
    std::fs::create_dir_all(root.join("content/articles")).unwrap();
    std::fs::create_dir_all(root.join("content/companies")).unwrap();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(
        root.join("site.toml"),
        "title = \"Served v0\"\nbase_url = \"https://example.com/news\"\n",
    )
    .unwrap();
    write_story(root, "Body v0.");
    write_profile(root, "Profile v0.");
    write_404(root, "Gone v0.");
}

fn write_story(root: &Path, body: &str) {
    std::fs::write(
        root.join("content/articles/2023-09-01-story.md"),
        format!(
            "+++\ntitle = \"Story\"\ndate = 2023-09-01\ncompanies = [\"Alibaba\"]\n+++\n{body}\n"
        ),
    )
    .unwrap();
}

fn write_profile(root: &Path, text: &str) {
    std::fs::write(
        root.join("content/companies/alibaba.md"),
        format!("+++\nname = \"Alibaba\"\n+++\n{text}\n"),
    )
    .unwrap();
}

fn write_404(root: &Path, text: &str) {
    std::fs::write(
        root.join("templates/404.html"),
        format!("{{% extends \"base.html\" %}}{{% block content %}}<h1>{text}</h1>{{% endblock content %}}"),
    )
    .unwrap();
}

/// Polls `path` until its page holds `needle` (a rebuild may take a moment to land).
#[track_caller]
fn wait_for_content(server: &Server, path: &str, needle: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (_, body) = get(server, path);
        if body.contains(needle) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{path} never showed {needle:?}; last body:\n{body}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Edits a body (in place, as `sed -i` does, and by rewriting), a profile, a template and
/// site.toml, and waits for each to be served.
#[track_caller]
fn follows_every_kind_of_edit(server: &Server, root: &Path) {
    let events = Events::open(server);
    wait_for_content(server, "/articles/story/", "Body v0.");
    write_story(root, "Body v1.");
    events.wait_for("/news/articles/story/");
    wait_for_content(server, "/articles/story/", "Body v1.");
    // `sed -i` writes a new file beside the old one and renames it over it.
    let story = root.join("content/articles/2023-09-01-story.md");
    let text = std::fs::read_to_string(&story).unwrap();
    std::fs::write(
        root.join("content/articles/.sed-tmp"),
        text.replace("v1", "v2"),
    )
    .unwrap();
    std::fs::rename(root.join("content/articles/.sed-tmp"), &story).unwrap();
    wait_for_content(server, "/articles/story/", "Body v2.");
    write_profile(root, "Profile v1.");
    wait_for_content(server, "/companies/alibaba/", "Profile v1.");
    write_404(root, "Gone v1.");
    wait_for_content(server, "/no/such/page/", "Gone v1.");
    std::fs::write(
        root.join("site.toml"),
        "title = \"Served v1\"\nbase_url = \"https://example.com/news\"\n",
    )
    .unwrap();
    wait_for_content(server, "/", "Served v1");
}

#[test]
fn rebuilds_every_kind_of_edit_however_the_root_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let top = dir.path().canonicalize().unwrap();
    let site = top.join("site");
    let elsewhere = top.join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let absolute = site.to_str().unwrap().to_string();
    // (the folder the command is typed in, --root as typed)
    let ways: [(&Path, Option<&str>); 6] = [
        (&site, None),
        (&site.join("content/articles"), None),
        (&site, Some(".")),
        (&elsewhere, Some("../site")),
        (&top, Some("site/")),
        (&elsewhere, Some(&absolute)),
    ];
    for (cwd, root) in ways {
        if site.exists() {
            std::fs::remove_dir_all(&site).unwrap();
        }
        editable_site(&site);
        let server = Server::start_in(cwd, root);
        assert_eq!(
            server.watched, site,
            "serve in {cwd:?} with --root {root:?} names the folder it watches by its absolute path"
        );
        follows_every_kind_of_edit(&server, &site);
        assert!(server.stop().success());
    }
}

#[test]
fn a_site_folder_removed_or_moved_is_reported_in_the_log_and_the_page() {
    for how in ["removed", "moved"] {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        editable_site(&site);
        let server = Server::start_in(&site, None);
        let events = Events::open(&server);
        match how {
            "removed" => std::fs::remove_dir_all(&site).unwrap(),
            _ => std::fs::rename(&site, dir.path().join("renamed")).unwrap(),
        }
        // (A rebuild may fail first, when the folder's files go before the folder itself.)
        let event = events.wait_for("removed or moved");
        assert!(event.starts_with("event: errors"), "{how}: {event}");
        let line = wait_for_line(&server.stderr, "removed or moved");
        assert!(line.contains("no longer sees edits"), "{how}: {line}");
        // The last good build is still served, and says what happened.
        assert_eq!(get(&server, "/articles/story/").0, 200);
        assert!(server.stop().success());
    }
}

#[test]
fn sigterm_stops_the_server_and_removes_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    editable_site(&site);
    let mut server = Server::start_in(&site, None);
    let pid = server.child.id();
    let served: Vec<PathBuf> = std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().is_some_and(|n| {
                n.to_string_lossy()
                    .starts_with(&format!("digest-serve-{pid}-"))
            })
        })
        .collect();
    assert!(!served.is_empty(), "serve builds into a temporary folder");
    unsafe {
        libc::kill(pid as i32, libc::SIGTERM);
    }
    let status = server.child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    for folder in served {
        assert!(!folder.exists(), "{} was left behind", folder.display());
    }
    let _ = &server.stdout;
}

/// The value of a response header.
fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// A site with a binary file in static/, as a video would be: 1,000 bytes, each its index mod 256.
fn site_with_media() -> (tempfile::TempDir, Vec<u8>) {
    let dir = site();
    let bytes: Vec<u8> = (0..1000u32).map(|i| (i % 256) as u8).collect();
    std::fs::write(dir.path().join("static/clip.mp4"), &bytes).unwrap();
    (dir, bytes)
}

#[test]
fn range_requests_get_the_bytes_asked_for() {
    let (dir, bytes) = site_with_media();
    let server = Server::start_in(dir.path(), None);
    let address = &server.address;

    let (status, headers, body) = request_with(
        address,
        "GET",
        "/news/clip.mp4",
        &[("Range", "bytes=100-199")],
    );
    assert_eq!(status, 206);
    assert_eq!(
        header(&headers, "content-range"),
        Some("bytes 100-199/1000")
    );
    assert_eq!(header(&headers, "content-length"), Some("100"));
    assert_eq!(header(&headers, "content-type"), Some("video/mp4"));
    assert_eq!(body, &bytes[100..200]);

    // The last 10 bytes, as a player seeking to the end asks.
    let (status, headers, body) =
        request_with(address, "GET", "/news/clip.mp4", &[("Range", "bytes=-10")]);
    assert_eq!(status, 206);
    assert_eq!(
        header(&headers, "content-range"),
        Some("bytes 990-999/1000")
    );
    assert_eq!(body, &bytes[990..]);

    // Beyond the end: 416, saying how long the file is.
    let (status, headers, _) = request_with(
        address,
        "GET",
        "/news/clip.mp4",
        &[("Range", "bytes=5000-")],
    );
    assert_eq!(status, 416);
    assert_eq!(header(&headers, "content-range"), Some("bytes */1000"));

    // Without a Range: the whole file, and the server says it takes ranges.
    let (status, headers, body) = request_with(address, "GET", "/news/clip.mp4", &[]);
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "accept-ranges"), Some("bytes"));
    assert_eq!(body, bytes);
    assert!(server.stop().success());
}

#[test]
fn unchanged_files_are_not_sent_again() {
    let (dir, _) = site_with_media();
    let root = dir.path();
    let server = Server::start_in(root, None);
    let address = &server.address;

    for path in [
        "/news/extra.css",
        "/news/clip.mp4",
        "/news/articles/story-1/",
    ] {
        let (status, headers, _) = request_with(address, "GET", path, &[]);
        assert_eq!(status, 200, "{path}");
        assert_eq!(
            header(&headers, "cache-control"),
            Some("no-cache"),
            "{path}"
        );
        let etag = header(&headers, "etag").expect("an ETag").to_string();
        let modified = header(&headers, "last-modified")
            .expect("a Last-Modified")
            .to_string();

        let (status, headers, body) =
            request_with(address, "GET", path, &[("If-None-Match", &etag)]);
        assert_eq!(status, 304, "{path} with its ETag");
        assert!(body.is_empty(), "{path}: a 304 has no body");
        assert_eq!(header(&headers, "etag"), Some(etag.as_str()));

        let (status, _, body) =
            request_with(address, "GET", path, &[("If-Modified-Since", &modified)]);
        assert_eq!(status, 304, "{path} with its Last-Modified");
        assert!(body.is_empty());

        let (status, _, _) = request_with(
            address,
            "GET",
            path,
            &[("If-None-Match", "\"not-this-one\"")],
        );
        assert_eq!(status, 200, "{path} with another ETag");
    }

    // An edit gives the page a new ETag: the browser's copy is not taken for current.
    let (_, headers, _) = request_with(address, "GET", "/news/articles/story-1/", &[]);
    let etag = header(&headers, "etag").unwrap().to_string();
    let events = Events::open(&server);
    std::fs::write(
        root.join("content/articles/2023-09-01-story-1.md"),
        "+++\ntitle = \"Story 1\"\ndate = 2023-09-01\ncompanies = [\"Alibaba\"]\n+++\nEdited.\n",
    )
    .unwrap();
    events.wait_for("/news/articles/story-1/");
    let (status, _, body) = request_with(
        address,
        "GET",
        "/news/articles/story-1/",
        &[("If-None-Match", &etag)],
    );
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&body).contains("Edited."));
    assert!(server.stop().success());
}

/// How many live-reload script elements an HTML page holds.
fn reload_scripts(html: &str) -> usize {
    let selector = scraper::Selector::parse("script[src=\"/__digest/livereload.js\"]").unwrap();
    scraper::Html::parse_document(html)
        .select(&selector)
        .count()
}

#[test]
fn the_reload_script_goes_into_pages_only() {
    let (dir, bytes) = site_with_media();
    let server = Server::start_in(dir.path(), None);
    let address = &server.address;

    for page in ["/news/", "/news/articles/story-1/", "/news/no/such/page/"] {
        let (status, headers, body) = request_with(address, "GET", page, &[]);
        let html = String::from_utf8(body).unwrap();
        assert_eq!(reload_scripts(&html), 1, "{page}: {status}");
        assert_eq!(
            header(&headers, "content-type"),
            Some("text/html; charset=utf-8"),
            "{page}"
        );
        assert_eq!(
            header(&headers, "content-length"),
            Some(html.len().to_string().as_str()),
            "{page}: the length is the page's with the script"
        );
        // HEAD announces the length GET sends.
        let (_, head, _) = request_with(address, "HEAD", page, &[]);
        assert_eq!(
            header(&head, "content-length"),
            header(&headers, "content-length"),
            "{page}"
        );
    }
    for (file, kind) in [
        ("/news/extra.css", "text/css"),
        ("/news/atom.xml", "xml"),
        ("/news/sitemap.xml", "xml"),
    ] {
        let (status, headers, body) = request_with(address, "GET", file, &[]);
        assert_eq!(status, 200, "{file}");
        assert!(
            header(&headers, "content-type").is_some_and(|t| t.contains(kind)),
            "{file}: {headers:?}"
        );
        assert!(
            !String::from_utf8_lossy(&body).contains("livereload"),
            "{file} is left as it was built"
        );
    }
    let (_, _, body) = request_with(address, "GET", "/news/clip.mp4", &[]);
    assert_eq!(body, bytes, "binary files are sent as they are");
    assert!(server.stop().success());
}

#[test]
fn a_page_asked_for_in_part_is_sent_whole() {
    let dir = site();
    let server = Server::start_in(dir.path(), None);
    let address = &server.address;
    let (_, _, whole) = request_with(address, "GET", "/news/", &[]);
    // A byte range of the file is not one of the page served (the script is added to it), so
    // a page is always sent whole, with the script.
    let (status, headers, body) = request_with(address, "GET", "/news/", &[("Range", "bytes=0-9")]);
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "content-range"), None);
    assert_eq!(body, whole);
    assert_eq!(reload_scripts(&String::from_utf8(body).unwrap()), 1);
    assert!(server.stop().success());
}

/// The folders `digest serve` with this process id builds into.
fn served_folders(pid: u32) -> Vec<PathBuf> {
    std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().is_some_and(|n| {
                n.to_string_lossy()
                    .starts_with(&format!("digest-serve-{pid}-"))
            })
        })
        .collect()
}

#[test]
fn a_symlink_in_the_build_is_followed_only_inside_it() {
    let dir = site();
    let secret = tempfile::tempdir().unwrap();
    std::fs::write(secret.path().join("key.txt"), "top secret").unwrap();
    let server = Server::start_in(dir.path(), None);
    let served = served_folders(server.child.id());
    assert_eq!(served.len(), 1, "{served:?}");
    let out = &served[0];
    // Links made in the served folder itself (the build never copies links out of static/).
    std::os::unix::fs::symlink(secret.path().join("key.txt"), out.join("key.txt")).unwrap();
    std::os::unix::fs::symlink(secret.path(), out.join("secret")).unwrap();
    std::os::unix::fs::symlink(out.join("extra.css"), out.join("same.css")).unwrap();
    for target in ["/news/key.txt", "/news/secret/key.txt", "/news/secret/"] {
        let (status, _, body) = request(&server.address, "GET", target);
        assert_eq!(status, 404, "{target}");
        assert!(!body.contains("top secret"), "{target} leaked a file");
        let (status, _, _) = request(&server.address, "HEAD", target);
        assert_eq!(status, 404, "HEAD {target}");
    }
    let (status, _, body) = request(&server.address, "GET", "/news/same.css");
    assert_eq!(status, 200);
    assert!(body.contains("margin"));
    assert!(server.stop().success());
}
