//! Docker Hub's pull limits: the `ratelimit-limit` and `ratelimit-remaining` headers it sends
//! on manifest requests, and what an anonymous pull may do. Pure.
//!
//! Docker's "Docker Hub pull usage and limits" page: a manifest response carries
//! `ratelimit-limit: 100;w=21600` and `ratelimit-remaining: 76;w=21600` (100 pulls per
//! 21600 s, 76 left) and `docker-ratelimit-source` (the address counted); no such header means
//! the pull is not limited (a paid account, or an image of a partner program).

use serde::Serialize;

/// The header with the number of pulls allowed per window.
pub const LIMIT_HEADER: &str = "ratelimit-limit";
/// The header with the number of pulls left in the current window.
pub const REMAINING_HEADER: &str = "ratelimit-remaining";

/// What Docker Hub allows, for messages: anonymous pulls are counted per IP address (every
/// node behind one NAT address shares them), an account's per account.
pub const DOCKER_HUB_LIMITS: &str = "Docker Hub allows 10 anonymous pulls an hour per IP \
    address (shared by every node behind it), and 100 an hour to a Docker Personal account";

/// A registry's pull limit as its headers state it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RateLimit {
    /// Pulls allowed per window.
    pub limit: u64,
    /// Pulls left in the current window, when the registry said.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remaining: Option<u64>,
    /// The window, in seconds (`w=`), when the registry said.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window_seconds: Option<u64>,
}

impl RateLimit {
    /// The limit from the two header values (`ratelimit-limit`, `ratelimit-remaining`); none
    /// without a readable `ratelimit-limit`. The window is the limit's, else the remaining's.
    ///
    /// ```
    /// use kubectl_regcred::registry::RateLimit;
    /// let limit = RateLimit::from_headers(Some("100;w=21600"), Some("76;w=21600")).unwrap();
    /// assert_eq!((limit.limit, limit.remaining, limit.window_seconds), (100, Some(76), Some(21600)));
    /// assert_eq!(RateLimit::from_headers(None, Some("76;w=21600")), None);
    /// ```
    pub fn from_headers(limit: Option<&str>, remaining: Option<&str>) -> Option<Self> {
        let (limit, limit_window) = parse_value(limit?)?;
        let (remaining, remaining_window) = match remaining.and_then(parse_value) {
            Some((n, window)) => (Some(n), window),
            None => (None, None),
        };
        Some(Self {
            limit,
            remaining,
            window_seconds: limit_window.or(remaining_window),
        })
    }

    /// `76 of 100 pulls left per 6h`, or `100 pulls per 6h` without a remaining count.
    pub fn describe(&self) -> String {
        let per = match self.window_seconds {
            Some(seconds) => format!(
                " per {}",
                crate::expiry::human_duration(i64::try_from(seconds).unwrap_or(i64::MAX))
            ),
            None => String::new(),
        };
        match self.remaining {
            Some(left) => format!("{left} of {} pulls left{per}", self.limit),
            None => format!("{} pulls{per}", self.limit),
        }
    }
}

/// `100;w=21600` → (100, Some(21600)). The first item is the count; of the parameters after
/// `;` only `w` is read (others, as RFC drafts allow, are skipped); spaces are allowed around
/// each part. None when the count is no number.
fn parse_value(value: &str) -> Option<(u64, Option<u64>)> {
    let mut parts = value.split(';');
    let count = parts.next()?.trim().parse::<u64>().ok()?;
    let window = parts.find_map(|part| {
        let (key, value) = part.split_once('=')?;
        (key.trim().eq_ignore_ascii_case("w"))
            .then(|| value.trim().parse::<u64>().ok())
            .flatten()
    });
    Some((count, window))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_hub_headers_are_read() {
        let hub = RateLimit::from_headers(Some("100;w=21600"), Some("76;w=21600")).unwrap();
        assert_eq!(
            hub,
            RateLimit {
                limit: 100,
                remaining: Some(76),
                window_seconds: Some(21600)
            }
        );
        assert_eq!(hub.describe(), "76 of 100 pulls left per 6h");
        // Docker's docs print a space before the parameter.
        let spaced = RateLimit::from_headers(Some("100;w=3600"), Some("20 ;w=3600")).unwrap();
        assert_eq!(
            (spaced.remaining, spaced.window_seconds),
            (Some(20), Some(3600))
        );
        assert_eq!(spaced.describe(), "20 of 100 pulls left per 60m");
        assert_eq!(
            serde_json::to_value(hub).unwrap(),
            serde_json::json!({"limit": 100, "remaining": 76, "windowSeconds": 21600})
        );
    }

    #[test]
    fn missing_or_odd_headers_give_what_can_be_read() {
        assert_eq!(RateLimit::from_headers(None, None), None);
        assert_eq!(RateLimit::from_headers(Some("many"), Some("3")), None);
        assert_eq!(RateLimit::from_headers(Some(""), None), None);
        let bare = RateLimit::from_headers(Some("100"), None).unwrap();
        assert_eq!(
            (bare.remaining, bare.window_seconds, bare.describe()),
            (None, None, "100 pulls".to_string())
        );
        let other_params = RateLimit::from_headers(Some("5;x=1;W=60"), Some("-1;w=60")).unwrap();
        assert_eq!(
            (
                other_params.limit,
                other_params.remaining,
                other_params.window_seconds
            ),
            (5, None, Some(60))
        );
        let window_from_remaining = RateLimit::from_headers(Some("7"), Some("2;w=600")).unwrap();
        assert_eq!(window_from_remaining.window_seconds, Some(600));
        assert_eq!(
            RateLimit::from_headers(Some("1;w=99999999999999999999999"), None)
                .unwrap()
                .window_seconds,
            None
        );
    }
}
