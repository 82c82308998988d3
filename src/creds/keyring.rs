//! Registry credentials in the OS keyring: `login`, `logout`, `logins` and
//! `create --from-keyring`.
//!
//! Each login is one keyring entry: service `kubectl-regcred`, account the normalised registry
//! key (`ghcr.io`, `https://index.docker.io/v1/`), secret `{"username":…,"secret":…}` (JSON, so
//! the username travels with the password on every platform). Keyrings cannot list their
//! entries portably, so one more entry, account `__index__`, holds the registry keys and
//! usernames, never a secret: `logins` reads only that one. `login` and `logout` keep it in step.
//!
//! On Linux the keyring is the Secret Service (gnome-keyring, KeePassXC, KWallet) on the D-Bus
//! session bus. Before touching it, [`probe`] checks in a moment that a bus is there and that
//! something answers `org.freedesktop.secrets`, so a headless machine gets a clear error instead
//! of a hang. Every keyring call runs on a thread of its own, bounded by [`CALL_TIMEOUT`]: the
//! keyring crate blocks (and its zbus runtime must not run inside ours).

use std::sync::mpsc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::{Request, Sourced};
use crate::dockerconfig::{Credentials, DockerConfig, RegistryKey};

/// The keyring service every entry is stored under.
pub const SERVICE: &str = "kubectl-regcred";

/// The account of the entry listing the logins (no registry key can be spelled so).
const INDEX_ACCOUNT: &str = "__index__";

/// How long the D-Bus probe may take: the bus is local, so an answer comes in milliseconds.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(3);

/// How long one keyring operation may take. Generous: a desktop keyring may be showing its
/// unlock prompt to a person.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(60);

/// What to do when there is no keyring, appended to those errors.
const NO_KEYRING_HINT: &str = "start one (gnome-keyring-daemon --start --components=secrets, \
    or KeePassXC with its Secret Service integration), or give `create` the password with \
    --password-stdin or --password-file";

/// Why the keyring could not be used. Never holds a secret: platform errors are kept as text
/// (the keyring crate's own error can carry the stored bytes in its `Debug`).
#[derive(Debug, thiserror::Error)]
pub enum KeyringError {
    #[error(
        "no Secret Service found: no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set \
         and {fallback} does not exist): {hint}",
        hint = NO_KEYRING_HINT
    )]
    NoSessionBus { fallback: String },

    #[error(
        "no Secret Service found: cannot reach the D-Bus session bus at {address:?} \
         (DBUS_SESSION_BUS_ADDRESS): {reason}: {hint}",
        hint = NO_KEYRING_HINT
    )]
    BusUnreachable { address: String, reason: String },

    #[error(
        "no Secret Service found on the D-Bus session bus: nothing answers \
         org.freedesktop.secrets (no gnome-keyring-daemon or KeePassXC running): {hint}",
        hint = NO_KEYRING_HINT
    )]
    NoSecretService,

    #[error(
        "the OS keyring did not answer within {seconds} s while {doing} \
         (is an unlock prompt waiting?)"
    )]
    TimedOut { doing: &'static str, seconds: u64 },

    #[error("the OS keyring refused access while {doing} (is it locked?): {reason}")]
    Refused { doing: &'static str, reason: String },

    #[error("the OS keyring failed while {doing}: {reason}")]
    Platform { doing: &'static str, reason: String },

    #[error(
        "the OS keyring holds {count} entries for {registry} under service {SERVICE}: \
         delete the extra ones (seahorse, secret-tool) and run `kubectl regcred login {registry}`"
    )]
    Ambiguous { registry: String, count: usize },

    #[error(
        "the keyring entry for {registry} is not one `kubectl regcred login` wrote: \
         run `kubectl regcred login {registry}` again"
    )]
    Unreadable { registry: String },

    /// `create --from-keyring --server X` with no login for X: a usage error.
    #[error(
        "no login for {registry} in the OS keyring: run `kubectl regcred login {registry}` first"
    )]
    NotLoggedIn { registry: String },

    /// `logout X` with no login for X.
    #[error("no login for {registry} in the OS keyring (`kubectl regcred logins` lists them)")]
    NoSuchLogin { registry: String },

    #[error(
        "--from-keyring: name the registries with --server \
         (`kubectl regcred logins` lists the stored ones)"
    )]
    NoServer,

    #[error(
        "--username cannot be used with --from-keyring: the keyring holds the username \
         (`kubectl regcred login` changes it)"
    )]
    WithUsername,

    #[error("--server {registry} is given twice")]
    ServerTwice { registry: String },
}

impl KeyringError {
    /// Errors of the command line rather than of the keyring.
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            KeyringError::NotLoggedIn { .. }
                | KeyringError::NoServer
                | KeyringError::WithUsername
                | KeyringError::ServerTwice { .. }
        )
    }
}

/// A stored login as `logins` shows it: where and who, never the secret.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Login {
    pub registry: String,
    pub username: String,
}

/// The secret of one login entry. Wiped when dropped; no `Debug`.
#[derive(Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
struct StoredLogin {
    username: String,
    secret: String,
}

/// The index entry: every login, sorted by registry.
#[derive(Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Index {
    logins: Vec<Login>,
}

// --- pure parts ---------------------------------------------------------------------------

/// The entry secret for a login, built in a buffer that is wiped when dropped (sized so that
/// it never reallocates and leaves a copy behind).
fn encode_login(username: &str, secret: &str) -> Zeroizing<Vec<u8>> {
    // Worst case every character becomes a six-byte `\uXXXX` escape.
    let capacity = 6 * (username.len() + secret.len()) + 64;
    let mut buffer = Zeroizing::new(Vec::with_capacity(capacity));
    let stored = StoredLogin {
        username: username.to_owned(),
        secret: secret.to_owned(),
    };
    // Writing strings into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *buffer, &stored);
    buffer
}

/// The username and secret of a login entry, or None when the entry holds something else.
fn decode_login(bytes: &[u8]) -> Option<(String, Zeroizing<String>)> {
    let mut stored: StoredLogin = serde_json::from_slice(bytes).ok()?;
    if stored.username.is_empty() || stored.secret.is_empty() {
        return None;
    }
    Some((
        std::mem::take(&mut stored.username),
        Zeroizing::new(std::mem::take(&mut stored.secret)),
    ))
}

impl Index {
    /// Reads the index entry; an unreadable one counts as empty (it is rebuilt by `login`).
    fn parse(bytes: &[u8]) -> Self {
        serde_json::from_slice(bytes).unwrap_or_else(|_| {
            tracing::warn!("the keyring's list of logins is unreadable; starting a new one");
            Index::default()
        })
    }

    fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// Records `login`, replacing an earlier login for the same registry.
    fn with(mut self, login: Login) -> Self {
        self.logins.retain(|l| l.registry != login.registry);
        self.logins.push(login);
        self.logins.sort();
        self
    }

    /// Forgets the login for `registry`; tells whether there was one.
    fn without(&mut self, registry: &str) -> bool {
        let before = self.logins.len();
        self.logins.retain(|l| l.registry != registry);
        self.logins.len() != before
    }
}

// --- the keyring --------------------------------------------------------------------------

/// Stores a login (replacing any for the same registry) and records it in the index.
pub fn store(
    registry: &RegistryKey,
    username: &str,
    secret: Zeroizing<String>,
) -> Result<(), KeyringError> {
    probe()?;
    let registry = registry.as_str().to_owned();
    let username = username.to_owned();
    call("storing the login", move |doing| {
        let value = encode_login(&username, &secret);
        entry(&registry, doing)?
            .set_secret(&value)
            .map_err(|e| platform_error(&registry, doing, e))?;
        let login = Login { registry, username };
        // Another `login` may rewrite the list between our read and write: check, and
        // record again if it lost ours.
        for _ in 0..3 {
            write_index(&read_index(doing)?.with(login.clone()), doing)?;
            if read_index(doing)?.logins.contains(&login) {
                break;
            }
        }
        Ok(())
    })
}

/// Deletes the login for `registry`.
pub fn remove(registry: &RegistryKey) -> Result<(), KeyringError> {
    probe()?;
    let registry = registry.as_str().to_owned();
    call("removing the login", move |doing| {
        let deleted = match entry(&registry, doing)?.delete_credential() {
            Ok(()) => true,
            Err(::keyring::Error::NoEntry) => false,
            Err(e) => return Err(platform_error(&registry, doing, e)),
        };
        let mut index = read_index(doing)?;
        let listed = index.without(&registry);
        if listed {
            write_index(&index, doing)?;
        }
        if deleted || listed {
            Ok(())
        } else {
            Err(KeyringError::NoSuchLogin { registry })
        }
    })
}

/// Every stored login, sorted by registry. Reads no secret.
pub fn logins() -> Result<Vec<Login>, KeyringError> {
    probe()?;
    call("listing the logins", |doing| {
        read_index(doing).map(|index| index.logins)
    })
}

/// `create --from-keyring`: the credentials of every `--server` from its login.
pub fn sourced(request: &Request, keys: &[RegistryKey]) -> Result<Sourced, KeyringError> {
    if keys.is_empty() {
        return Err(KeyringError::NoServer);
    }
    if !request.usernames.is_empty() {
        return Err(KeyringError::WithUsername);
    }
    for (i, key) in keys.iter().enumerate() {
        if keys[..i].contains(key) {
            return Err(KeyringError::ServerTwice {
                registry: key.to_string(),
            });
        }
    }
    probe()?;
    let registries: Vec<String> = keys.iter().map(|k| k.as_str().to_owned()).collect();
    let found = call("reading the logins", move |doing| {
        registries
            .iter()
            .map(|registry| read_login(registry, doing))
            .collect::<Result<Vec<_>, _>>()
    })?;
    let mut config = DockerConfig::new();
    for (key, login) in keys.iter().zip(found) {
        let Some((username, password)) = login else {
            return Err(KeyringError::NotLoggedIn {
                registry: key.to_string(),
            });
        };
        tracing::debug!(registry = %key, %username, "credentials from the OS keyring");
        config.insert(
            key.clone(),
            Credentials {
                username,
                password,
                email: request.email.clone(),
            },
        );
    }
    Ok(Sourced {
        config,
        annotations: Default::default(),
    })
}

/// One login's username and secret, or None when there is none.
fn read_login(
    registry: &str,
    doing: &'static str,
) -> Result<Option<(String, Zeroizing<String>)>, KeyringError> {
    let bytes = match entry(registry, doing)?.get_secret() {
        Ok(bytes) => Zeroizing::new(bytes),
        Err(::keyring::Error::NoEntry) => return Ok(None),
        Err(e) => return Err(platform_error(registry, doing, e)),
    };
    decode_login(&bytes)
        .map(Some)
        .ok_or_else(|| KeyringError::Unreadable {
            registry: registry.to_owned(),
        })
}

fn read_index(doing: &'static str) -> Result<Index, KeyringError> {
    match entry(INDEX_ACCOUNT, doing)?.get_secret() {
        Ok(bytes) => Ok(Index::parse(&bytes)),
        Err(::keyring::Error::NoEntry) => Ok(Index::default()),
        Err(e) => Err(platform_error(INDEX_ACCOUNT, doing, e)),
    }
}

fn write_index(index: &Index, doing: &'static str) -> Result<(), KeyringError> {
    let entry = entry(INDEX_ACCOUNT, doing)?;
    let result = if index.logins.is_empty() {
        match entry.delete_credential() {
            Err(::keyring::Error::NoEntry) => Ok(()),
            other => other,
        }
    } else {
        entry.set_secret(&index.to_bytes())
    };
    result.map_err(|e| platform_error(INDEX_ACCOUNT, doing, e))
}

fn entry(account: &str, doing: &'static str) -> Result<::keyring::Entry, KeyringError> {
    ::keyring::Entry::new(SERVICE, account).map_err(|e| platform_error(account, doing, e))
}

/// The keyring crate's error as ours, without its payloads (`BadEncoding` holds the bytes).
fn platform_error(account: &str, doing: &'static str, err: ::keyring::Error) -> KeyringError {
    use ::keyring::Error as K;
    match err {
        K::NoStorageAccess(source) => KeyringError::Refused {
            doing,
            reason: source.to_string(),
        },
        K::PlatformFailure(source) => KeyringError::Platform {
            doing,
            reason: source.to_string(),
        },
        K::BadEncoding(_) => KeyringError::Unreadable {
            registry: account.to_owned(),
        },
        K::Ambiguous(found) => KeyringError::Ambiguous {
            registry: account.to_owned(),
            count: found.len(),
        },
        K::TooLong(attribute, limit) => KeyringError::Platform {
            doing,
            reason: format!("{attribute} is longer than the keyring allows ({limit})"),
        },
        K::Invalid(attribute, reason) => KeyringError::Platform {
            doing,
            reason: format!("invalid {attribute}: {reason}"),
        },
        K::NoEntry => KeyringError::Platform {
            doing,
            reason: "no such entry".into(),
        },
        other => KeyringError::Platform {
            doing,
            reason: other.to_string(),
        },
    }
}

/// Runs `work` on a thread of its own and waits at most [`CALL_TIMEOUT`] for it. A thread that
/// does not answer is left behind; it ends with the process.
fn call<T, F>(doing: &'static str, work: F) -> Result<T, KeyringError>
where
    T: Send + 'static,
    F: FnOnce(&'static str) -> Result<T, KeyringError> + Send + 'static,
{
    within(CALL_TIMEOUT, doing, move || work(doing))
}

fn within<T, F>(limit: Duration, doing: &'static str, work: F) -> Result<T, KeyringError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, KeyringError> + Send + 'static,
{
    let (sender, receiver) = mpsc::sync_channel(1);
    std::thread::Builder::new()
        .name("keyring".into())
        .spawn(move || {
            let _ = sender.send(work());
        })
        .map_err(|e| KeyringError::Platform {
            doing,
            reason: format!("cannot start a thread: {e}"),
        })?;
    match receiver.recv_timeout(limit) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => Err(KeyringError::TimedOut {
            doing,
            seconds: limit.as_secs(),
        }),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(KeyringError::Platform {
            doing,
            reason: "the keyring call stopped unexpectedly".into(),
        }),
    }
}

/// Checks that a Secret Service is there to talk to, within [`PROBE_TIMEOUT`].
#[cfg(target_os = "linux")]
pub fn probe() -> Result<(), KeyringError> {
    linux::probe()
}

/// Other platforms' keyrings are part of the OS: nothing to probe.
#[cfg(not(target_os = "linux"))]
pub fn probe() -> Result<(), KeyringError> {
    Ok(())
}

#[cfg(target_os = "linux")]
mod linux {
    use std::os::unix::fs::MetadataExt;
    use std::path::PathBuf;

    use super::{KeyringError, PROBE_TIMEOUT, within};

    /// The well-known name a Secret Service owns on the session bus.
    const SECRETS_NAME: &str = "org.freedesktop.secrets";

    pub(super) fn probe() -> Result<(), KeyringError> {
        let address = std::env::var("DBUS_SESSION_BUS_ADDRESS")
            .ok()
            .filter(|a| !a.trim().is_empty());
        let shown_address = match address {
            Some(address) => address,
            None => {
                // zbus falls back to the socket of a systemd user session.
                let fallback = fallback_socket();
                if !fallback.exists() {
                    return Err(KeyringError::NoSessionBus {
                        fallback: fallback.display().to_string(),
                    });
                }
                format!("unix:path={}", fallback.display())
            }
        };
        let unreachable = |reason: String| KeyringError::BusUnreachable {
            address: shown_address.clone(),
            reason,
        };
        let answer = within(PROBE_TIMEOUT, "looking for a Secret Service", || {
            Ok(secret_service_answers())
        });
        match answer {
            Ok(Ok(true)) => Ok(()),
            Ok(Ok(false)) => Err(KeyringError::NoSecretService),
            Ok(Err(e)) => Err(unreachable(e.to_string())),
            Err(KeyringError::TimedOut { seconds, .. }) => {
                Err(unreachable(format!("no answer within {seconds} s")))
            }
            Err(other) => Err(other),
        }
    }

    /// `$XDG_RUNTIME_DIR/bus`, else `/run/user/UID/bus`, as zbus and libdbus look for it.
    fn fallback_socket() -> PathBuf {
        let runtime_dir = std::env::var_os("XDG_RUNTIME_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                // /proc/self belongs to the effective user.
                let uid = std::fs::metadata("/proc/self")
                    .map(|m| m.uid())
                    .unwrap_or(0);
                PathBuf::from(format!("/run/user/{uid}"))
            });
        runtime_dir.join("bus")
    }

    /// Does anything own `org.freedesktop.secrets`, or can the bus start something that will?
    fn secret_service_answers() -> zbus::Result<bool> {
        let connection = zbus::blocking::Connection::session()?;
        let bus = zbus::blocking::fdo::DBusProxy::new(&connection)?;
        let name = zbus::names::BusName::try_from(SECRETS_NAME)?;
        if bus.name_has_owner(name)? {
            return Ok(true);
        }
        Ok(bus
            .list_activatable_names()?
            .iter()
            .any(|n| n.as_str() == SECRETS_NAME))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_of_a_decoded_login_is_redacted() {
        use crate::dockerconfig::shows_secret;
        const SECRET: &str = "Unit-Sentinel-Pa55word-a9b8c7d6";
        let decoded = decode_login(&encode_login("octocat", SECRET));
        assert_eq!(decoded.as_ref().map(|(_, s)| s.as_str()), Some(SECRET));
        let shown = format!("{decoded:?}");
        assert!(!shows_secret(&shown, SECRET), "{shown}");
    }

    #[test]
    fn a_login_round_trips_through_its_entry_secret() {
        let bytes = encode_login("octocat", "s3cr\"et\n");
        let (username, secret) = decode_login(&bytes).unwrap();
        assert_eq!(username, "octocat");
        assert_eq!(secret.as_str(), "s3cr\"et\n");
    }

    #[test]
    fn entries_not_written_by_login_are_refused() {
        assert!(decode_login(b"plain password").is_none());
        assert!(decode_login(br#"{"username":"u"}"#).is_none());
        assert!(decode_login(br#"{"username":"","secret":"x"}"#).is_none());
        assert!(decode_login(br#"{"username":"u","secret":""}"#).is_none());
    }

    #[test]
    fn the_entry_buffer_never_reallocates() {
        let secret = "\u{1}".repeat(100);
        let bytes = encode_login("u", &secret);
        assert!(bytes.len() <= bytes.capacity());
        assert!(bytes.len() <= 6 * (1 + secret.len()) + 64);
    }

    #[test]
    fn the_index_replaces_and_forgets_logins_by_registry() {
        let login = |registry: &str, username: &str| Login {
            registry: registry.into(),
            username: username.into(),
        };
        let index = Index::default()
            .with(login("quay.io", "robot"))
            .with(login("ghcr.io", "octocat"))
            .with(login("quay.io", "robot2"));
        assert_eq!(
            index.logins,
            [login("ghcr.io", "octocat"), login("quay.io", "robot2")]
        );
        let mut index = Index::parse(&index.to_bytes());
        assert!(index.without("ghcr.io"));
        assert!(!index.without("ghcr.io"));
        assert_eq!(index.logins, [login("quay.io", "robot2")]);
    }

    #[test]
    fn an_unreadable_index_is_empty() {
        assert_eq!(Index::parse(b"not json"), Index::default());
        assert_eq!(Index::parse(b"{}"), Index::default());
    }

    #[test]
    fn the_index_account_is_no_registry_key() {
        assert!(RegistryKey::parse(INDEX_ACCOUNT).is_err());
    }

    #[test]
    fn only_a_missing_login_or_a_wrong_flag_is_a_usage_error() {
        let missing = KeyringError::NotLoggedIn {
            registry: "ghcr.io".into(),
        };
        assert!(missing.is_usage());
        assert!(!KeyringError::NoSecretService.is_usage());
        let keys = [RegistryKey::parse("ghcr.io").unwrap()];
        let twice = [keys[0].clone(), keys[0].clone()];
        let alice = Request {
            usernames: vec!["alice".into()],
            ..Request::default()
        };
        // Checked before the keyring is looked for.
        for (request, keys, message) in [
            (
                Request::default(),
                &[][..],
                "--from-keyring: name the registries with --server",
            ),
            (
                alice,
                &keys[..],
                "--username cannot be used with --from-keyring",
            ),
            (
                Request::default(),
                &twice[..],
                "--server ghcr.io is given twice",
            ),
        ] {
            let err = sourced(&request, keys).unwrap_err();
            assert!(err.is_usage(), "{err}");
            assert!(err.to_string().starts_with(message), "{err}");
        }
        assert!(
            missing
                .to_string()
                .contains("kubectl regcred login ghcr.io")
        );
    }

    #[test]
    fn a_slow_call_times_out() {
        let result = within(Duration::from_millis(50), "waiting", || {
            std::thread::sleep(Duration::from_secs(5));
            Ok(())
        });
        assert!(matches!(result, Err(KeyringError::TimedOut { .. })));
    }

    #[test]
    fn a_stored_bad_encoding_never_shows_its_bytes() {
        let err = platform_error(
            "ghcr.io",
            "reading",
            ::keyring::Error::BadEncoding(b"hunter2".to_vec()),
        );
        assert!(!format!("{err} {err:?}").contains("hunter2"));
    }
}
