//! Defence in depth: a bug met while processing one file (a panic in a parser or the Markdown
//! renderer) becomes an error naming that file, and the build fails cleanly (exit 1, the previous
//! output untouched) instead of aborting the whole process with exit 101. rayon would otherwise
//! carry the panic out of the parallel loop and take the process down.

use std::any::Any;
use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::Once;

use crate::error::{Code, Diagnostic};

thread_local! {
    /// How many contained calls this thread is inside: their panics print nothing, as the
    /// error that names the file says it all.
    static CONTAINING: Cell<usize> = const { Cell::new(0) };
}

/// Runs `work` for the file `display` (site-relative), turning a panic into an
/// `internal-error` diagnostic. `stage` names the step (`read`, `render`) for
/// `DIGEST_FORCE_PANIC`.
pub fn contained<T>(
    stage: &str,
    display: &Path,
    work: impl FnOnce() -> T,
) -> Result<T, Diagnostic> {
    quiet_hook();
    CONTAINING.with(|c| c.set(c.get() + 1));
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        force_panic(stage, display);
        work()
    }));
    CONTAINING.with(|c| c.set(c.get() - 1));
    outcome.map_err(|payload| {
        Diagnostic::error(
            Code::InternalError,
            display,
            format!(
                "internal error while reading {}: {}; please report it",
                display.display(),
                panic_message(payload.as_ref())
            ),
        )
        .with_hint("this is a bug in digest; the file's name and text help to reproduce it")
    })
}

/// Installs, once, a panic hook that stays silent inside [`contained`] and defers to the
/// previous hook everywhere else.
fn quiet_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if CONTAINING.with(Cell::get) == 0 {
                previous(info);
            }
        }));
    });
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

/// Tests only (debug builds): `DIGEST_FORCE_PANIC=<stage>:<file name>` panics at that stage for
/// that file, so the containment can be tested end to end without a real bug.
#[cfg(debug_assertions)]
fn force_panic(stage: &str, display: &Path) {
    if let Ok(spec) = std::env::var("DIGEST_FORCE_PANIC")
        && let Some((want_stage, name)) = spec.split_once(':')
        && want_stage == stage
        && display.file_name() == Some(std::ffi::OsStr::new(name))
    {
        panic!("forced by DIGEST_FORCE_PANIC={spec}");
    }
}

#[cfg(not(debug_assertions))]
fn force_panic(_stage: &str, _display: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_naming_the_file() {
        let path = Path::new("content/articles/x.md");
        let err = contained("test", path, || -> u32 { panic!("boom {}", 1) }).unwrap_err();
        assert_eq!(err.code, Code::InternalError);
        assert_eq!(err.path, path);
        assert_eq!(
            err.message,
            "internal error while reading content/articles/x.md: boom 1; please report it"
        );
        assert_eq!(contained("test", path, || 7).unwrap(), 7);
    }
}
