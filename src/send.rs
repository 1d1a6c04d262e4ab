//! `digest send`: mails a built edition (`editions/<id>/edition.eml` of the output folder) to
//! each recipient in turn, one message per address, over SMTP with STARTTLS.
//!
//! Every delivery is appended to `.digest-send/<edition>.log` at once, so a run that stops
//! half-way (the server hangs up, the machine sleeps) is resumed by running it again: addresses
//! already in the log are skipped, and nobody receives the edition twice.

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use lettre::address::{Address, Envelope};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{SmtpTransport, Transport};

use crate::error::{Code, Diagnostic, Error, Result};
use crate::render::email;

/// The folder under the site root that keeps the send logs.
pub const LOG_DIR: &str = ".digest-send";

/// The only place a password is read from.
pub const PASSWORD_VAR: &str = "DIGEST_SMTP_PASSWORD";

/// What `digest send` was asked to do.
#[derive(Debug, Clone)]
pub struct SendOptions {
    pub root: PathBuf,
    /// `latest` or an edition id such as `2023-w37`.
    pub edition: String,
    /// `smtp://user@host:587` (STARTTLS) or `smtps://user@host:465` (TLS from the start).
    pub smtp: Option<String>,
    pub to: Vec<String>,
    /// One address a line; blank lines and lines starting with `#` are skipped.
    pub to_file: Option<PathBuf>,
    pub dry_run: bool,
    /// Allow a plain-text connection, to a loopback server only.
    pub insecure_local: bool,
    /// From [`PASSWORD_VAR`], read by the caller.
    pub password: Option<String>,
}

/// What happened to one recipient, as it happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Sent(String),
    /// Already in the log from an earlier run.
    Skipped(String),
    /// The server refused this address (or this message for it); the run goes on.
    Refused {
        address: String,
        reason: String,
    },
}

/// What a run did.
#[derive(Debug, Default)]
pub struct SendReport {
    pub edition: String,
    pub sent: usize,
    pub skipped: usize,
    /// Addresses that could not be parsed, each with where it was given.
    pub invalid: Vec<Diagnostic>,
    pub refused: Vec<String>,
    /// Left unsent because the connection failed; a re-run sends to them.
    pub pending: Vec<String>,
    /// Why the run stopped early, if it did.
    pub stopped: Option<String>,
    /// With `--dry-run`: the message as the first recipient would receive it.
    pub dry_run: Option<String>,
    pub log: PathBuf,
}

impl SendReport {
    pub fn ok(&self) -> bool {
        self.invalid.is_empty()
            && self.refused.is_empty()
            && self.pending.is_empty()
            && self.stopped.is_none()
    }
}

/// Sends the edition, calling `on` after each recipient.
pub fn send(options: &SendOptions, on: &mut dyn FnMut(&Event)) -> Result<SendReport> {
    let (config, _) = crate::load_config(&options.root, None)?;
    let output = options.root.join(&config.output_dir);
    let edition = find_edition(&output, &options.edition)?;
    let eml_path = output
        .join("editions")
        .join(&edition)
        .join(email::MESSAGE_FILE);
    let message = crate::fs::read(&eml_path)?;
    let (recipients, invalid) = recipients(options)?;
    let from = email::sender(&config)?;
    let log = options.root.join(LOG_DIR).join(format!("{edition}.log"));
    let mut report = SendReport {
        edition: edition.clone(),
        invalid,
        log: log.clone(),
        ..SendReport::default()
    };
    if recipients.is_empty() && report.invalid.is_empty() {
        return Err(Error::Other(
            "no recipients: give --to ADDRESS (repeatable) or --to-file FILE".into(),
        ));
    }
    if options.dry_run {
        let first = recipients
            .first()
            .map_or("recipient@example.com", |a| a.as_ref());
        report.dry_run = Some(String::from_utf8_lossy(&addressed(&message, first)).into_owned());
        return Ok(report);
    }
    let transport = transport(options)?;
    let delivered = delivered(&log)?;
    let mut pending = recipients.into_iter();
    for address in pending.by_ref() {
        let shown = address.to_string();
        if delivered.contains(&shown.to_lowercase()) {
            report.skipped += 1;
            on(&Event::Skipped(shown));
            continue;
        }
        let envelope = Envelope::new(Some(from.email.clone()), vec![address.clone()])
            .map_err(|e| Error::Other(format!("cannot address {shown}: {e}")))?;
        match transport.send_raw(&envelope, &addressed(&message, &shown)) {
            Ok(_) => {
                crate::fs::append_line(
                    &log,
                    &format!("sent\t{shown}\t{}", jiff::Timestamp::now()),
                )?;
                report.sent += 1;
                on(&Event::Sent(shown));
            }
            Err(e) if e.is_permanent() => {
                let reason = error_text(&e);
                crate::fs::append_line(&log, &format!("refused\t{shown}\t{reason}"))?;
                report.refused.push(shown.clone());
                on(&Event::Refused {
                    address: shown,
                    reason,
                });
            }
            Err(e) => {
                // The connection or the server failed, not this address: the rest would fail
                // alike, so they are left for the next run.
                report.stopped = Some(format!("sending to {shown} failed: {}", error_text(&e)));
                report.pending.push(shown);
                break;
            }
        }
    }
    report.pending.extend(
        pending
            .map(|a| a.to_string())
            .filter(|a| !delivered.contains(&a.to_lowercase())),
    );
    Ok(report)
}

/// `latest` (the newest edition in the output) or an id.
fn find_edition(output: &Path, wanted: &str) -> Result<String> {
    let dir = output.join("editions");
    let mut built: Vec<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .filter(|e| e.path().join(email::MESSAGE_FILE).is_file())
                .filter_map(|e| e.file_name().to_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    // Ids (2023-w37, 2023-09) sort by date.
    built.sort();
    let found = if wanted == "latest" {
        built.last().cloned()
    } else {
        built.iter().find(|id| *id == wanted).cloned()
    };
    found.ok_or_else(|| {
        let message = if built.is_empty() {
            format!("no built edition has an {} in {}", email::MESSAGE_FILE, dir.display())
        } else {
            format!(
                "no edition `{wanted}` in {}; built: {}",
                dir.display(),
                built.iter().rev().take(5).cloned().collect::<Vec<_>>().join(", ")
            )
        };
        Error::Other(format!(
            "{message} (run `digest build` first, with [email] enabled, and give `latest` or an id such as 2023-w37)"
        ))
    })
}

/// Every address of `--to` and `--to-file`, each once, and those that are not addresses.
fn recipients(options: &SendOptions) -> Result<(Vec<Address>, Vec<Diagnostic>)> {
    let mut given: Vec<(String, PathBuf, usize)> = options
        .to
        .iter()
        .map(|a| (a.trim().to_string(), PathBuf::from("--to"), 0))
        .collect();
    if let Some(file) = &options.to_file {
        let text = crate::fs::read_to_string(&options.root.join(file))?;
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if !line.is_empty() && !line.starts_with('#') {
                given.push((line.to_string(), file.clone(), n + 1));
            }
        }
    }
    let mut valid: Vec<Address> = Vec::new();
    let mut invalid = Vec::new();
    for (text, path, line) in given {
        match parse_address(&text) {
            Ok(address) => {
                let key = address.to_string().to_lowercase();
                if !valid.iter().any(|a| a.to_string().to_lowercase() == key) {
                    valid.push(address);
                }
            }
            Err(e) => invalid.push(
                Diagnostic::error(
                    Code::EmailSend,
                    path,
                    format!("`{text}` is not an email address: {e}"),
                )
                .at(line, 0)
                .with_hint(
                    "write one address such as reader@example.com; nothing is sent to this one",
                ),
            ),
        }
    }
    Ok((valid, invalid))
}

/// `a@b.c` or `Name <a@b.c>`.
fn parse_address(text: &str) -> std::result::Result<Address, String> {
    if text.contains('<') {
        return text
            .parse::<lettre::message::Mailbox>()
            .map(|m| m.email)
            .map_err(|e| e.to_string());
    }
    text.parse::<Address>().map_err(|e| e.to_string())
}

/// The message with a `To` header for one recipient and today's `Date`.
fn addressed(message: &[u8], to: &str) -> Vec<u8> {
    let now = jiff::Timestamp::now();
    let date = jiff::fmt::rfc2822::to_string(&now.to_zoned_datetime(jiff::tz::TimeZone::UTC))
        .unwrap_or_default();
    let mut out = format!("To: {to}\r\n").into_bytes();
    let mut in_headers = true;
    for line in message.split_inclusive(|&b| b == b'\n') {
        if in_headers && (line == b"\r\n" || line == b"\n") {
            in_headers = false;
        }
        if in_headers && line.starts_with(b"Date: ") && !date.is_empty() {
            out.extend_from_slice(format!("Date: {date}\r\n").as_bytes());
            continue;
        }
        out.extend_from_slice(line);
    }
    out
}

/// The SMTP transport for `--smtp`: STARTTLS required, or TLS from the start with `smtps`;
/// plain text only with `--insecure-local` to a loopback host.
fn transport(options: &SendOptions) -> Result<SmtpTransport> {
    let Some(url) = &options.smtp else {
        return Err(Error::Other(
            "give the mail server with --smtp smtp://user@host:587".into(),
        ));
    };
    let bad = |why: &str| {
        Error::Other(format!(
            "--smtp {url}: {why} (write smtp://user@host:587, or smtps://user@host:465)"
        ))
    };
    let (scheme, rest) = url.split_once("://").ok_or_else(|| bad("no scheme"))?;
    let implicit_tls = match scheme {
        "smtp" => false,
        "smtps" => true,
        _ => return Err(bad("the scheme is neither smtp nor smtps")),
    };
    let authority = rest.split('/').next().unwrap_or(rest);
    let (user, host_port) = match authority.rsplit_once('@') {
        Some((user, hp)) => (Some(user), hp),
        None => (None, authority),
    };
    if user.is_some_and(|u| u.contains(':')) {
        return Err(Error::Other(format!(
            "--smtp carries a password; a password on the command line is seen by every user of the machine: put it in {PASSWORD_VAR} instead"
        )));
    }
    let (host, port) = match host_port.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || p.parse::<u16>().is_ok() => (
            h,
            p.parse::<u16>()
                .map_err(|_| bad("the port is not a number"))?,
        ),
        _ => (host_port, if implicit_tls { 465 } else { 587 }),
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.is_empty() {
        return Err(bad("no host"));
    }
    let tls = if options.insecure_local {
        if !is_loopback(host) {
            return Err(Error::Other(format!(
                "--insecure-local sends in plain text, which is allowed to a loopback server only, not to {host}"
            )));
        }
        Tls::None
    } else {
        let parameters = TlsParameters::new(host.to_string())
            .map_err(|e| Error::Other(format!("cannot set up TLS for {host}: {e}")))?;
        if implicit_tls {
            Tls::Wrapper(parameters)
        } else {
            Tls::Required(parameters)
        }
    };
    let mut builder = SmtpTransport::builder_dangerous(host)
        .port(port)
        .tls(tls)
        .timeout(Some(Duration::from_secs(30)));
    if let Some(user) = user {
        let user = percent_decode(user);
        let Some(password) = &options.password else {
            return Err(Error::Other(format!(
                "--smtp names the user {user}: set the password in the environment variable {PASSWORD_VAR}"
            )));
        };
        builder = builder.credentials(Credentials::new(user, password.clone()));
    }
    Ok(builder.build())
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// `%40` in a user name such as `me%40example.com`.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(byte) = text
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The addresses a log records as delivered, lowercased.
fn delivered(log: &Path) -> Result<std::collections::HashSet<String>> {
    if !log.is_file() {
        return Ok(Default::default());
    }
    Ok(crate::fs::read_to_string(log)?
        .lines()
        .filter_map(|line| line.strip_prefix("sent\t"))
        .filter_map(|rest| rest.split('\t').next())
        .map(str::to_lowercase)
        .collect())
}

/// lettre's error with its causes, on one line.
fn error_text(error: &lettre::transport::smtp::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(s) = source {
        let more = s.to_string();
        if !text.contains(&more) {
            text.push_str(&format!(": {more}"));
        }
        source = s.source();
    }
    text.replace(['\r', '\n'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recipient_and_the_date_are_set_per_message() {
        let eml = b"From: a@b.c\r\nDate: Mon, 1 Jan 2024 00:00:00 +0000\r\nSubject: x\r\n\r\nDate: in the body\r\n";
        let out = String::from_utf8(addressed(eml, "r@example.com")).unwrap();
        assert!(out.starts_with("To: r@example.com\r\nFrom: a@b.c\r\nDate: "));
        assert!(!out.contains("1 Jan 2024"));
        assert!(out.ends_with("\r\n\r\nDate: in the body\r\n"));
    }

    #[test]
    fn only_loopback_may_go_without_tls() {
        let options = |smtp: &str| SendOptions {
            root: PathBuf::new(),
            edition: "latest".into(),
            smtp: Some(smtp.into()),
            to: Vec::new(),
            to_file: None,
            dry_run: false,
            insecure_local: true,
            password: None,
        };
        assert!(transport(&options("smtp://127.0.0.1:2525")).is_ok());
        assert!(transport(&options("smtp://[::1]:2525")).is_ok());
        let err = transport(&options("smtp://mail.example.com:25"))
            .err()
            .unwrap();
        assert!(err.to_string().contains("loopback"), "{err}");
        let err = transport(&options("smtp://me:secret@127.0.0.1"))
            .err()
            .unwrap();
        assert!(err.to_string().contains(PASSWORD_VAR), "{err}");
        let err = transport(&options("smtp://me@127.0.0.1")).err().unwrap();
        assert!(err.to_string().contains(PASSWORD_VAR), "{err}");
    }

    #[test]
    fn addresses_are_parsed_with_or_without_a_name() {
        assert_eq!(
            parse_address("Ann <ann@example.com>").unwrap().to_string(),
            "ann@example.com"
        );
        assert!(parse_address("ann@").is_err());
        assert!(parse_address("not an address").is_err());
        assert_eq!(percent_decode("me%40example.com"), "me@example.com");
    }
}
