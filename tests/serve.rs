//! `digest serve` end to end: a real server on a free port, pages fetched over HTTP, edits
//! followed by reload events, errors shown and cleared, traversal refused, concurrent requests.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
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
}

impl Server {
    // The child is waited for when the Server is dropped or stopped.
    #[allow(clippy::zombie_processes)]
    fn start(root: &Path) -> Server {
        let mut child = Command::new(DIGEST)
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let line = rx
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .expect("serve printed no URL");
            if let Some(url) = line.strip_prefix("Serving http://") {
                let (address, path) = url.split_once('/').unwrap();
                return Server {
                    child,
                    address: address.to_string(),
                    base: format!("/{}", path.trim_end_matches('/'))
                        .trim_end_matches('/')
                        .to_string(),
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
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
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
    (status, headers, body.to_string())
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
    assert_eq!(status, 302, "a folder without its slash redirects");
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
