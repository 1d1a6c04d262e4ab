//! Typed errors of the library and the diagnostics users read.
//!
//! Library code returns [`Error`]; only `main` turns it into text and an exit code. Problems with
//! the site's own files are [`Diagnostic`]s: positioned, with a hint, and collected so that one run
//! reports every bad file instead of stopping at the first.

use std::fmt;
use std::path::{Path, PathBuf};

/// How serious a diagnostic is: errors fail the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// What kind of problem a diagnostic is: stable names for `check --format json`, editors and
/// CI, given where the problem is found (never read back from the message).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// A key site.toml or front matter does not know.
    UnknownKey,
    /// One term spelled two ways.
    TermSpelling,
    /// A term used once or twice whose name is a small edit away from an established one.
    PossibleTypo,
    DuplicateSource,
    TrackingParameter,
    /// A link in a body that leads nowhere.
    BrokenLink,
    UnfiledMention,
    /// A fresh article still as `digest new` wrote it (placeholder body, empty summary).
    Unfinished,
    /// An image without the text that describes it (`image_alt`).
    MissingAlt,
    ParseError,
    MissingField,
    InvalidValue,
    InvalidUrl,
    /// Two articles with one URL.
    DuplicateUrl,
    /// A name or alias claimed twice, or an old URL (alias) that cannot redirect.
    AliasConflict,
    UnknownLanguage,
    /// A translation (`x.zh.md`) without its original (`x.md`).
    MissingOriginal,
    /// A translation last updated before its original was.
    StaleTranslation,
    ConfigError,
    OutputDir,
    TemplateError,
    Io,
    /// A bug in digest met while processing a file.
    InternalError,
    /// An edition's email past the size at which Gmail clips messages.
    EmailSize,
    /// `[email]` without what a newsletter needs (a `from` address, a valid subject).
    EmailConfig,
    /// `digest send`: an address that cannot be parsed, or a server that refused one.
    EmailSend,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::UnknownKey => "unknown-key",
            Code::TermSpelling => "term-spelling",
            Code::PossibleTypo => "possible-typo",
            Code::DuplicateSource => "duplicate-source",
            Code::TrackingParameter => "tracking-parameter",
            Code::BrokenLink => "broken-link",
            Code::UnfiledMention => "unfiled-mention",
            Code::Unfinished => "unfinished",
            Code::MissingAlt => "missing-alt",
            Code::ParseError => "parse-error",
            Code::MissingField => "missing-field",
            Code::InvalidValue => "invalid-value",
            Code::InvalidUrl => "invalid-url",
            Code::DuplicateUrl => "duplicate-url",
            Code::AliasConflict => "alias-conflict",
            Code::UnknownLanguage => "unknown-language",
            Code::MissingOriginal => "missing-original",
            Code::StaleTranslation => "stale-translation",
            Code::ConfigError => "config-error",
            Code::OutputDir => "output-dir",
            Code::TemplateError => "template-error",
            Code::Io => "io",
            Code::InternalError => "internal-error",
            Code::EmailSize => "email-size",
            Code::EmailConfig => "email-config",
            Code::EmailSend => "email-send",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem in one of the site's files, pointing at a line and column when known.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    /// Path relative to the site root when the file is inside it.
    pub path: PathBuf,
    /// 1-based; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based; 0 when unknown.
    pub col: usize,
    pub message: String,
    pub hint: Option<String>,
    /// What the problem is about (the unknown key, the unknown language), so that one warning
    /// repeated across many files can be shown once (see [`crate::report::fold_repeats`]).
    #[serde(skip)]
    pub subject: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            path: path.into(),
            line: 0,
            col: 0,
            message: message.into(),
            hint: None,
            subject: None,
        }
    }

    pub fn warning(code: Code, path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, path, message)
        }
    }

    pub fn at(mut self, line: usize, col: usize) -> Self {
        self.line = line;
        self.col = col;
        self
    }

    pub fn about(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:col` as editors and terminals recognise it.
    pub fn location(&self) -> String {
        let path = self.path.display();
        match (self.line, self.col) {
            (0, _) => format!("{path}"),
            (line, 0) => format!("{path}:{line}"),
            (line, col) => format!("{path}:{line}:{col}"),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{label}: {}: {}", self.location(), self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A copy or a move that failed: both paths, since either may be the cause.
    #[error("cannot {action} {} to {}: {source}", .from.display(), .to.display())]
    IoPair {
        action: &'static str,
        from: PathBuf,
        to: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Bad files in the site; every one of them, errors and warnings.
    #[error("{} error(s) in the site", .0.iter().filter(|d| d.is_error()).count())]
    Site(Vec<Diagnostic>),
    /// A template failed to compile or render; the message carries Tera's positioned report.
    #[error("template {name}: {message}")]
    Template { name: String, message: String },
    /// The output folder is unsafe to write to or replace.
    #[error("{0}")]
    Output(String),
    /// Anything else that stops a command, e.g. `digest serve` cannot bind its port.
    #[error("{0}")]
    Other(String),
}

impl Error {
    pub fn io(path: impl AsRef<Path>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.as_ref().to_path_buf(),
            source,
        }
    }

    pub(crate) fn io_pair(
        action: &'static str,
        from: &Path,
        to: &Path,
        source: std::io::Error,
    ) -> Self {
        Error::IoPair {
            action,
            from: from.to_path_buf(),
            to: to.to_path_buf(),
            source,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
