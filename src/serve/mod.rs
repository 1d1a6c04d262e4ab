//! `digest serve`: build, serve the output over HTTP, watch the site, rebuild what changed and
//! tell open pages to reload. On a bad edit the pages show the errors while the server keeps
//! serving the last good build.

pub mod http;
pub mod site;
pub mod watch;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, RwLock, mpsc};
use std::time::Instant;

use axum::serve::ListenerExt;
use tokio::sync::broadcast;

use crate::error::{Diagnostic, Error, Result};
use http::{Message, Shared};
use site::{LiveSite, Outcome, SearchUpdate, ServeOptions};

#[derive(Debug, Clone)]
pub struct ServeArgs {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub open: bool,
    pub drafts: bool,
    pub future: bool,
}

/// What `digest serve` reports as it goes; `main` prints it.
#[derive(Debug)]
pub enum Event<'a> {
    /// The server listens here (`http://127.0.0.1:1111/digest/`).
    Serving {
        url: &'a str,
        not_loopback: bool,
    },
    Rebuilt(&'a Outcome),
    /// A rebuild failed; the last good build is still served.
    Failed(&'a Error),
    /// The watcher stopped seeing edits (the site folder was removed or moved, or it failed).
    WatchFailed(&'a Error),
    Stopped,
}

/// Runs until Ctrl-C.
pub fn serve(args: &ServeArgs, report: &(dyn Fn(Event<'_>) + Sync)) -> Result<()> {
    let address = SocketAddr::new(args.bind, args.port);
    let listener = TcpListener::bind(address).map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => Error::Other(format!(
            "port {} on {} is already in use: stop the other server, or pass --port N (--port 0 picks a free one)",
            args.port, args.bind
        )),
        _ => Error::Other(format!("cannot listen on {address}: {e}")),
    })?;
    let local = listener
        .local_addr()
        .map_err(|e| Error::Other(e.to_string()))?;
    let origin = match local.ip() {
        IpAddr::V6(ip) => format!("http://[{ip}]:{}", local.port()),
        IpAddr::V4(ip) => format!("http://{ip}:{}", local.port()),
    };
    let (runtime, mut interrupt, mut terminate) = runtime_with_signals()?;
    let options = ServeOptions {
        root: args.root.clone(),
        drafts: args.drafts,
        future: args.future,
        local_origin: Some(origin.clone()),
    };
    let out = fresh_dir()?;
    let mut site = LiveSite::open(options.clone(), &out)?;
    let base_path = site.config().base_path().to_string();
    let output_dir = args.root.join(&site.config().output_dir);
    let (events, _) = broadcast::channel(64);
    let shared = Shared {
        dir: Arc::new(RwLock::new(out.clone())),
        base_path: base_path.clone(),
        events,
        errors: Arc::new(RwLock::new(None)),
    };
    // Watching starts before the first build: an edit saved while it runs is not lost, and
    // "Watching" is true when it is printed.
    let (sender, batches) = mpsc::channel();
    let ignore = vec![
        output_dir,
        args.root.join(crate::cache::CACHE_DIR),
        args.root.join(".git"),
        args.root.join("target"),
    ];
    let watcher = watch::watch(&args.root, ignore, sender)?;
    // What the site folder is, taken as the watch starts: a folder removed even before the
    // rebuild loop runs is still told apart from the one being watched.
    let identity = watch::identity(&args.root);
    match site.rebuild(&[]) {
        Ok(outcome) => report(Event::Rebuilt(&outcome)),
        Err(error) => {
            set_errors(&shared, &error);
            report(Event::Failed(&error));
        }
    }

    let url = format!("{origin}{base_path}/");
    report(Event::Serving {
        url: &url,
        not_loopback: !args.bind.is_loopback(),
    });
    if args.open {
        let _ = opener::open(&url);
    }

    // The search index is built on its own thread, after the first build and after each
    // reload is sent: a search reflects an edit a moment after the page does.
    let (indexes, index_queue) = mpsc::channel();
    if let Some(update) = site.search_update() {
        let _ = indexes.send(update);
    }
    let watcher_shared = shared.clone();
    let site = &mut site;
    let options = &options;
    std::thread::scope(move |scope| -> Result<()> {
        let indexer = scope.spawn(move || build_indexes(&index_queue));
        let follower = scope.spawn(move || {
            follow_edits(
                site,
                options,
                identity,
                &batches,
                &watcher_shared,
                &indexes,
                report,
            )
        });
        let served = runtime.block_on(async {
            listener.set_nonblocking(true)?;
            // Files are streamed in pieces; without TCP_NODELAY a piece can wait for the
            // client's delayed ACK (tens of milliseconds per file).
            let listener = tokio::net::TcpListener::from_std(listener)?.tap_io(|tcp| {
                if let Err(e) = tcp.set_nodelay(true) {
                    log::debug!("serve: cannot set TCP_NODELAY: {e}");
                }
            });
            // A signal ends the server at once: open event streams never end by themselves, so
            // waiting for connections to close would wait forever.
            tokio::select! {
                served = axum::serve(listener, http::router(shared.clone())) => served,
                _ = interrupt.recv() => Ok(()),
                _ = terminate.recv() => Ok(()),
            }
        });
        runtime.shutdown_background();
        // Dropping the watcher closes its channel, which ends the rebuild thread.
        drop(watcher);
        // The rebuild loop ends with the watcher, and the indexer with it once its index is
        // written: nothing writes into the folder after it is removed.
        let _ = follower.join();
        let _ = indexer.join();
        report(Event::Stopped);
        let current = shared.dir.read().unwrap_or_else(|e| e.into_inner()).clone();
        crate::fs::remove_dir_all_logged(&current);
        served.map_err(|e| Error::Other(format!("the server stopped: {e}")))
    })
}

/// Builds each search index asked for, skipping those a newer one replaces, until the rebuild
/// loop ends.
fn build_indexes(queue: &mpsc::Receiver<SearchUpdate>) {
    while let Ok(first) = queue.recv() {
        let update = queue.try_iter().last().unwrap_or(first);
        // A restart moved the site to a new folder and removed this one.
        if !update.dir.is_dir() {
            continue;
        }
        let started = Instant::now();
        match update.write() {
            Ok(()) => log::debug!(
                "search index of {} stories in {} ms",
                update.records.len(),
                started.elapsed().as_millis()
            ),
            Err(e) => log::warn!("{e}"),
        }
    }
}

/// The server's runtime, and Ctrl-C and SIGTERM taken over. First of all: a signal from a
/// person or a process manager at any moment, even during the first build, ends the server
/// and removes its folder.
fn runtime_with_signals() -> Result<(
    tokio::runtime::Runtime,
    tokio::signal::unix::Signal,
    tokio::signal::unix::Signal,
)> {
    use tokio::signal::unix::{SignalKind, signal};
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Other(format!("cannot start the server: {e}")))?;
    // Signal streams are made inside the runtime that will poll them.
    let entered = runtime.enter();
    let listen =
        |kind| signal(kind).map_err(|e| Error::Other(format!("cannot listen for signals: {e}")));
    let interrupt = listen(SignalKind::interrupt())?;
    let terminate = listen(SignalKind::terminate())?;
    drop(entered);
    Ok((runtime, interrupt, terminate))
}

/// The rebuild loop: one rebuild per burst of changes, until the watcher is dropped. Also
/// notices, every second, a site folder that was removed or moved without an event saying so.
fn follow_edits(
    site: &mut LiveSite,
    options: &ServeOptions,
    identity: Option<(u64, u64)>,
    batches: &mpsc::Receiver<watch::Change>,
    shared: &Shared,
    indexes: &mpsc::Sender<SearchUpdate>,
    report: &(dyn Fn(Event<'_>) + Sync),
) {
    let mut reported = std::collections::HashSet::new();
    let mut fail = |message: String| {
        if reported.insert(message.clone()) {
            let error = Error::Other(message);
            set_errors(shared, &error);
            report(Event::WatchFailed(&error));
        }
    };
    let mut root_gone = false;
    loop {
        let first = match batches.recv_timeout(std::time::Duration::from_secs(1)) {
            Ok(change) => change,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if !root_gone && watch::identity(&options.root) != identity {
                    root_gone = true;
                    fail(watch::lost_message(&options.root));
                }
                continue;
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                // The watcher is gone: dropped at shutdown, or ended by itself when the
                // folder it watched went away, which must still be said.
                if !root_gone && watch::identity(&options.root) != identity {
                    fail(watch::lost_message(&options.root));
                }
                return;
            }
        };
        // Take what arrived meanwhile too: one rebuild for a burst of saves.
        let mut changed = Vec::new();
        let mut rescan = false;
        for change in std::iter::once(first).chain(batches.try_iter()) {
            match change {
                watch::Change::Paths(paths) => changed.extend(paths),
                watch::Change::Rescan => rescan = true,
                watch::Change::Failed(message) => fail(message),
                watch::Change::RootGone => root_gone = true,
            }
        }
        root_gone |= watch::identity(&options.root) != identity;
        if root_gone {
            // Nothing to rebuild from: say so once, and keep serving the last build.
            fail(watch::lost_message(&options.root));
            continue;
        }
        if rescan {
            // Some events were lost: read everything again, as for a site.toml edit.
            changed.push(options.root.join(crate::config::CONFIG_FILE));
        }
        if !changed.is_empty() {
            rebuild(site, options, &changed, shared, report);
            if let Some(update) = site.search_update() {
                let _ = indexes.send(update);
            }
        }
    }
}

fn rebuild(
    site: &mut LiveSite,
    options: &ServeOptions,
    changed: &[PathBuf],
    shared: &Shared,
    report: &(dyn Fn(Event<'_>) + Sync),
) {
    let started = Instant::now();
    let result = if site::needs_restart(&options.root, changed) {
        restart(site, options, shared)
    } else {
        site.rebuild(changed).map(|outcome| {
            let message = if outcome.css_only {
                Message::Css
            } else {
                Message::Reload {
                    paths: outcome.changed.clone(),
                    all: false,
                }
            };
            (outcome, message)
        })
    };
    match result {
        Ok((mut outcome, message)) => {
            let was_broken = shared
                .errors
                .write()
                .unwrap_or_else(|e| e.into_inner())
                .take()
                .is_some();
            if was_broken {
                let _ = shared.events.send(Message::Ok);
            }
            let _ = shared.events.send(message);
            outcome.took = started.elapsed();
            report(Event::Rebuilt(&outcome));
        }
        Err(error) => {
            set_errors(shared, &error);
            report(Event::Failed(&error));
        }
    }
}

/// site.toml changed: read the whole site again into a new folder, and switch to it when it
/// builds.
fn restart(
    site: &mut LiveSite,
    options: &ServeOptions,
    shared: &Shared,
) -> Result<(Outcome, Message)> {
    let out = fresh_dir()?;
    // A site that does not open or build leaves no folder behind.
    let built = LiveSite::open(options.clone(), &out)
        .and_then(|mut fresh| fresh.rebuild(&[]).map(|outcome| (fresh, outcome)));
    let (fresh, outcome) = match built {
        Ok(built) => built,
        Err(e) => {
            crate::fs::remove_dir_all_logged(&out);
            return Err(e);
        }
    };
    let old = std::mem::replace(
        &mut *shared.dir.write().unwrap_or_else(|e| e.into_inner()),
        out,
    );
    crate::fs::remove_dir_all_logged(&old);
    *site = fresh;
    Ok((
        outcome,
        Message::Reload {
            paths: Vec::new(),
            all: true,
        },
    ))
}

fn set_errors(shared: &Shared, error: &Error) {
    let errors = match error {
        Error::Site(diagnostics) => diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d: &Diagnostic| (d.location(), d.message.clone(), d.hint.clone()))
            .collect(),
        other => vec![(String::from("digest"), other.to_string(), None)],
    };
    let message = Message::Errors(errors);
    *shared.errors.write().unwrap_or_else(|e| e.into_inner()) = Some(message.clone());
    let _ = shared.events.send(message);
}

/// A new, empty folder for a served build, outside the site; canonical, as the server checks
/// the real path of each file it sends against it.
fn fresh_dir() -> Result<PathBuf> {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("digest-serve-{}-{n}", std::process::id()));
    if dir.exists() {
        crate::fs::remove_dir_all(&dir)?;
    }
    crate::fs::create_dir_all(&dir)?;
    dir.canonicalize().map_err(|e| Error::io(&dir, e))
}

/// Where a site's served build lives (for tests and messages).
pub fn served_dir(shared: &Shared) -> PathBuf {
    shared.dir.read().unwrap_or_else(|e| e.into_inner()).clone()
}
