//! One retry policy for every API request: what is worth trying again, how long to wait, and
//! when to give up.
//!
//! It sits in the client's tower stack, so every call (reads, writes, lists, watches) gets it
//! without each call site looping on its own. Retried: connection refused/reset/closed and
//! timeouts (an API server restarting), 429 (API Priority and Fairness; its `Retry-After` is
//! honoured, capped), 502/503/504, and a 500 that carries `Retry-After`. Never retried: any
//! other 4xx, which would come back the same. 409 conflicts are not transient in this sense:
//! the write's caller re-reads and re-decides (see `secrets` and `accounts`).
//!
//! Retrying a write whose first attempt may have reached the server is safe here because every
//! write this tool makes is guarded (a resourceVersion precondition on apply, a `test` op in
//! JSON patches): a repeat of a write that landed fails with 409 and is re-read, never applied
//! twice.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use http::{Request, Response, StatusCode};
use kube::client::Body;
use tower::BoxError;
use tower::retry::Policy;

/// How often and how long to retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// The first backoff; doubles each retry, up to `max_delay`, with full jitter.
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// The longest `Retry-After` obeyed; a longer one is cut to this.
    pub max_retry_after: Duration,
}

impl Default for Settings {
    /// Eight attempts over 12 to 24 s: long enough to ride out an API server restart or a
    /// burst of throttling, short enough that a cluster that is gone is reported soon.
    fn default() -> Self {
        Settings {
            max_retries: 7,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(10),
        }
    }
}

/// What one client's requests share: the settings and whether the server was found gone.
#[derive(Debug, Default)]
struct Shared {
    settings: Settings,
    /// Set when a request used up its retries on a connection error; later requests then
    /// fail at their first connection error instead of each waiting out the whole budget.
    /// Cleared by any answer from the server.
    server_gone: AtomicBool,
    /// Whether the server has answered anything yet. Before it has, a refused connection
    /// most likely means a wrong or stopped server, not a restart: one quick retry, then
    /// the error, as kubectl would show it.
    answered: AtomicBool,
}

/// The tower retry policy; cloned per request, so `attempt` counts that request's tries.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    shared: Arc<Shared>,
    attempt: u32,
    /// The retries this request may make, as last decided.
    budget: u32,
}

impl RetryPolicy {
    pub fn new(settings: Settings) -> Self {
        RetryPolicy {
            shared: Arc::new(Shared {
                settings,
                ..Default::default()
            }),
            attempt: 0,
            budget: settings.max_retries,
        }
    }

    /// The wait before the next try, or None to give up with this result.
    fn decide(&mut self, outcome: Attempt) -> Option<Duration> {
        let settings = self.shared.settings;
        let server_hint = match outcome {
            Attempt::Answered { status, .. } => {
                self.shared.server_gone.store(false, Ordering::Relaxed);
                self.shared.answered.store(true, Ordering::Relaxed);
                if !is_transient(status, outcome.retry_after().is_some()) {
                    return None;
                }
                outcome.retry_after()
            }
            Attempt::Unreachable if self.shared.server_gone.load(Ordering::Relaxed) => return None,
            Attempt::Unreachable => None,
            Attempt::Other => return None,
        };
        let budget = match outcome {
            Attempt::Unreachable if !self.shared.answered.load(Ordering::Relaxed) => 1,
            _ => settings.max_retries,
        };
        self.budget = budget;
        if self.attempt >= budget {
            if outcome == Attempt::Unreachable {
                self.shared.server_gone.store(true, Ordering::Relaxed);
            }
            return None;
        }
        self.attempt += 1;
        let backoff = backoff(&settings, self.attempt, jitter());
        Some(match server_hint {
            // The server's wait, plus the random half of ours: clients told "1 s" at the same
            // moment must not all come back at the same moment.
            Some(wait) => wait.min(settings.max_retry_after) + backoff / 2,
            None => backoff,
        })
    }
}

/// How one attempt ended, as far as retrying goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Attempt {
    /// The server answered with this status (and maybe a Retry-After in seconds).
    Answered {
        status: StatusCode,
        retry_after: Option<u64>,
    },
    /// No answer: refused, reset, closed, timed out.
    Unreachable,
    /// Anything else (a TLS certificate refused, an exec credential plugin failing): trying
    /// again would fail the same way.
    Other,
}

impl Attempt {
    fn retry_after(self) -> Option<Duration> {
        match self {
            Attempt::Answered {
                retry_after: Some(seconds),
                ..
            } => Some(Duration::from_secs(seconds)),
            _ => None,
        }
    }
}

/// 429 and the gateway-ish 5xx always; a 500 only when the server says when to come back
/// (the API server does so for its own transient failures, e.g. etcd timeouts).
fn is_transient(status: StatusCode, has_retry_after: bool) -> bool {
    match status {
        StatusCode::TOO_MANY_REQUESTS
        | StatusCode::BAD_GATEWAY
        | StatusCode::SERVICE_UNAVAILABLE
        | StatusCode::GATEWAY_TIMEOUT => true,
        StatusCode::INTERNAL_SERVER_ERROR => has_retry_after,
        _ => false,
    }
}

/// Exponential backoff with "equal jitter": a wait between half and all of
/// min(max, base * 2^(attempt-1)), so many namespaces failing at once do not come back at
/// once, yet the whole budget stays predictable. `unit` is a random number in [0, 1).
fn backoff(settings: &Settings, attempt: u32, unit: f64) -> Duration {
    let exponent = attempt.saturating_sub(1).min(16);
    let ceiling = settings
        .base_delay
        .saturating_mul(1 << exponent)
        .min(settings.max_delay);
    ceiling / 2 + (ceiling / 2).mul_f64(unit)
}

/// Waits a little (jittered, growing with `attempt`) before re-reading after a lost write
/// race (409, or a JSON patch `test` that no longer holds), so two writers on one object do
/// not keep colliding in lockstep.
pub async fn after_lost_race(attempt: usize) {
    const RACE: Settings = Settings {
        max_retries: 0,
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(500),
        max_retry_after: Duration::ZERO,
    };
    let attempt = u32::try_from(attempt).unwrap_or(u32::MAX);
    tokio::time::sleep(backoff(&RACE, attempt, jitter())).await;
}

/// A number in [0, 1), from the process's random hash keys and a counter: enough to spread
/// retries, with no random-number crate.
fn jitter() -> f64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    static STATE: std::sync::OnceLock<RandomState> = std::sync::OnceLock::new();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let hash = STATE.get_or_init(RandomState::new).hash_one(n);
    (hash >> 11) as f64 / (1u64 << 53) as f64
}

/// Whether an error from the HTTP stack means the server did not answer.
fn is_unreachable(err: &BoxError) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(err.as_ref());
    while let Some(err) = cause {
        if err.is::<tower::timeout::error::Elapsed>() {
            return true;
        }
        if let Some(err) = err.downcast_ref::<hyper::Error>()
            && (err.is_closed() || err.is_incomplete_message() || err.is_timeout())
        {
            return true;
        }
        // An io::Error may wrap another (kind Other around the OS error): look on down.
        if let Some(err) = err.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind::*;
            if matches!(
                err.kind(),
                ConnectionRefused
                    | ConnectionReset
                    | ConnectionAborted
                    | BrokenPipe
                    | UnexpectedEof
                    | TimedOut
                    | NotConnected
            ) {
                return true;
            }
            // io::Error::source skips the error it wraps; step into it.
            if let Some(inner) = err.get_ref() {
                cause = Some(inner);
                continue;
            }
        }
        if let Some(err) = err.downcast_ref::<hyper_util::client::legacy::Error>()
            && err.is_connect()
            && std::error::Error::source(err).is_none()
        {
            return true;
        }
        cause = err.source();
    }
    false
}

impl<Res> Policy<Request<Body>, Response<Res>, BoxError> for RetryPolicy {
    type Future = tokio::time::Sleep;

    fn retry(
        &mut self,
        request: &mut Request<Body>,
        result: &mut Result<Response<Res>, BoxError>,
    ) -> Option<Self::Future> {
        let (outcome, cause) = match result {
            Ok(response) => {
                let retry_after = response
                    .headers()
                    .get(http::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok());
                let status = response.status();
                let outcome = Attempt::Answered {
                    status,
                    retry_after,
                };
                (outcome, status.to_string())
            }
            Err(err) if is_unreachable(err) => {
                (Attempt::Unreachable, super::error::root_cause(err.as_ref()))
            }
            Err(_) => (Attempt::Other, String::new()),
        };
        let Some(wait) = self.decide(outcome) else {
            // Say that the budget ran out, so a failure after retries reads as one.
            if self.attempt > 0
                && let Err(err) = result
            {
                let gave_up = GaveUp {
                    cause: super::error::root_cause(err.as_ref()),
                    retries: self.attempt,
                };
                *result = Err(Box::new(gave_up));
            }
            return None;
        };
        tracing::info!(
            "retrying {} {} in {} ms (retry {} of {}): {cause}",
            request.method(),
            request.uri().path(),
            wait.as_millis(),
            self.attempt,
            self.budget
        );
        Some(tokio::time::sleep(wait))
    }

    fn clone_request(&mut self, request: &Request<Body>) -> Option<Request<Body>> {
        // Every request this tool sends has a whole body in memory; a streamed one would not
        // be retried.
        let body = request.body().try_clone()?;
        let mut clone = Request::new(body);
        *clone.method_mut() = request.method().clone();
        *clone.uri_mut() = request.uri().clone();
        *clone.version_mut() = request.version();
        *clone.headers_mut() = request.headers().clone();
        *clone.extensions_mut() = request.extensions().clone();
        Some(clone)
    }
}

/// The last error of a request that used up its retries. It has no source, so that error
/// reports that walk to the innermost cause print this whole line.
#[derive(Debug)]
struct GaveUp {
    cause: String,
    retries: u32,
}

impl std::fmt::Display for GaveUp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} (gave up after {} {})",
            self.cause,
            self.retries,
            if self.retries == 1 {
                "retry"
            } else {
                "retries"
            }
        )
    }
}

impl std::error::Error for GaveUp {}

#[cfg(test)]
mod tests {
    use super::*;

    fn answered(code: u16, retry_after: Option<u64>) -> Attempt {
        Attempt::Answered {
            status: StatusCode::from_u16(code).unwrap(),
            retry_after,
        }
    }

    #[test]
    fn only_transient_answers_are_retried() {
        for code in [429, 502, 503, 504] {
            assert!(
                RetryPolicy::new(Settings::default())
                    .decide(answered(code, None))
                    .is_some(),
                "{code}"
            );
        }
        for code in [200, 400, 401, 403, 404, 409, 410, 422, 500, 501] {
            assert_eq!(
                RetryPolicy::new(Settings::default()).decide(answered(code, None)),
                None,
                "{code}"
            );
        }
        assert!(
            RetryPolicy::new(Settings::default())
                .decide(answered(500, Some(1)))
                .is_some()
        );
        assert_eq!(
            RetryPolicy::new(Settings::default()).decide(Attempt::Other),
            None
        );
    }

    #[test]
    fn retry_after_is_obeyed_up_to_a_cap_with_a_little_jitter() {
        let settings = Settings::default();
        let mut policy = RetryPolicy::new(settings);
        let wait = policy.decide(answered(429, Some(2))).unwrap();
        let slack = settings.base_delay;
        assert!(
            wait >= Duration::from_secs(2) && wait <= Duration::from_secs(2) + slack,
            "{wait:?}"
        );
        let wait = policy.decide(answered(429, Some(3600))).unwrap();
        assert!(wait >= settings.max_retry_after, "{wait:?}");
        assert!(wait <= settings.max_retry_after + 2 * slack, "{wait:?}");
    }

    #[test]
    fn a_server_that_never_answered_gets_one_quick_retry() {
        let mut policy = RetryPolicy::new(Settings::default());
        assert!(policy.decide(Attempt::Unreachable).is_some());
        assert_eq!(policy.decide(Attempt::Unreachable), None);
    }

    #[test]
    fn the_budget_is_bounded() {
        let settings = Settings::default();
        let mut policy = RetryPolicy::new(settings);
        policy.clone().decide(answered(200, None));
        let waits: Vec<Duration> = std::iter::from_fn(|| policy.decide(Attempt::Unreachable))
            .take(100)
            .collect();
        assert_eq!(waits.len() as u32, settings.max_retries);
        assert!(waits.iter().all(|w| *w <= settings.max_delay));
    }

    #[test]
    fn once_the_server_is_gone_others_stop_waiting_until_it_answers_again() {
        let first = RetryPolicy::new(Settings::default());
        first.clone().decide(answered(200, None));
        let mut exhausted = first.clone();
        while exhausted.decide(Attempt::Unreachable).is_some() {}
        // A request that starts now gives up at its first connection error...
        assert_eq!(first.clone().decide(Attempt::Unreachable), None);
        // ...until any request gets an answer.
        assert_eq!(first.clone().decide(answered(200, None)), None);
        assert!(first.clone().decide(Attempt::Unreachable).is_some());
    }

    #[test]
    fn backoff_doubles_with_jitter_under_a_ceiling() {
        let settings = Settings::default();
        let ms = |n| Duration::from_millis(n);
        assert_eq!(backoff(&settings, 1, 0.0), ms(125));
        assert_eq!(
            backoff(&settings, 1, 0.5),
            ms(187) + Duration::from_micros(500)
        );
        assert_eq!(backoff(&settings, 3, 0.0), ms(500));
        assert_eq!(backoff(&settings, 30, 0.0), settings.max_delay / 2);
        assert!(backoff(&settings, 30, 0.999_999) < settings.max_delay);
        let budget: Duration = (1..=settings.max_retries)
            .map(|attempt| backoff(&settings, attempt, 0.0))
            .sum();
        assert!(
            budget >= Duration::from_secs(10),
            "rides out a restart: {budget:?}"
        );
        let spread: std::collections::HashSet<u64> =
            (0..50).map(|_| (jitter() * 1e6) as u64).collect();
        assert!(spread.len() > 40, "jitter varies");
        assert!((0..1000).map(|_| jitter()).all(|j| (0.0..1.0).contains(&j)));
    }

    #[test]
    fn connection_failures_are_told_from_other_errors() {
        let refused: BoxError =
            Box::new(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
        assert!(is_unreachable(&refused));
        let reset: BoxError = Box::new(std::io::Error::from(std::io::ErrorKind::ConnectionReset));
        assert!(is_unreachable(&reset));
        let tls: BoxError = Box::new(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "invalid peer certificate: UnknownIssuer",
        ));
        assert!(!is_unreachable(&tls));
        let timeout: BoxError = Box::new(tower::timeout::error::Elapsed::new());
        assert!(is_unreachable(&timeout));
        let wrapped: BoxError = Box::new(std::io::Error::other(std::io::Error::from(
            std::io::ErrorKind::ConnectionReset,
        )));
        assert!(is_unreachable(&wrapped));
        let other: BoxError = "exec plugin failed".into();
        assert!(!is_unreachable(&other));
    }
}
