//! When a pull secret's token expires, and how we know: one set of rules for `status` and
//! `diagnose`, the reading of the expires-at annotation `refresh` decides on, the one table
//! of provider token lifetimes, and what an ECR host says (that it is one, its region). Pure:
//! the caller passes what it read and the time.
//!
//! The rules, the first that applies winning ([`expiry_of`]):
//!
//! | source ([`ExpirySource`]) | when the token expires |
//! | --- | --- |
//! | `annotation` | the `regcred.kubectl.io/expires-at` annotation (RFC 3339) |
//! | `provider` | `regcred.kubectl.io/minted-at` plus the shortest [`TOKEN_LIFETIMES`] of the providers in `regcred.kubectl.io/provider` |
//! | `jwt` | the earliest `exp` claim of the entries' passwords that are JWTs |
//! | `ecr_age` | an ECR registry (`.dkr.ecr.` in the host): 12 h after the secret was last written |
//!
//! `status` judges a secret by all its entries; `diagnose` by the entry the kubelet uses for the
//! failing image (the first of the secret's keys that match it, in the kubelet's order), with
//! the image's registry for the ECR rule.
//!
//! `refresh` decides on the annotation alone ([`annotated_expiry`]): `create --provider` and
//! `refresh` write it with every token they mint, so a minted secret without a readable one
//! has been edited by hand, and its tokens are re-minted rather than trusted.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as BASE64URL;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::jiff::Timestamp;
use serde::Serialize;
use zeroize::Zeroizing;

use crate::labels::{EXPIRES_AT_ANNOTATION, MINTED_AT_ANNOTATION, PROVIDER_ANNOTATION};

/// How long an Amazon ECR token lasts, in hours.
pub const ECR_TOKEN_HOURS: i64 = 12;

/// How long the tokens of each provider last, in hours: `(provider, hours)`, the provider as
/// the `regcred.kubectl.io/provider` annotation and `create --provider` name it.
pub const TOKEN_LIFETIMES: [(&str, i64); 3] = [("ecr", ECR_TOKEN_HOURS), ("acr", 3), ("gcr", 1)];

/// What marks an Amazon ECR host (`123456789012.dkr.ecr.eu-west-1.amazonaws.com`).
pub const ECR_HOST_MARK: &str = ".dkr.ecr.";

/// A token is "expiring" (a warning in `status`) this long before it expires, in seconds.
pub const EXPIRING_WITHIN_SECONDS: i64 = 3600;

/// How long a provider's tokens last, in hours ([`TOKEN_LIFETIMES`]); none for a provider
/// that mints no expiring token.
pub fn token_lifetime_hours(provider: &str) -> Option<i64> {
    TOKEN_LIFETIMES
        .iter()
        .find(|(name, _)| *name == provider)
        .map(|(_, hours)| *hours)
}

/// When a token a provider minted at `minted_at` (seconds since the epoch) expires.
///
/// ```
/// use kubectl_regcred::expiry::token_expires_at;
/// assert_eq!(token_expires_at("ecr", 1_000), Some(1_000 + 12 * 3600));
/// assert_eq!(token_expires_at("keyring", 1_000), None);
/// ```
pub fn token_expires_at(provider: &str, minted_at: i64) -> Option<i64> {
    token_lifetime_hours(provider).map(|hours| minted_at.saturating_add(hours * 3600))
}

/// Is this registry (a host, a key, or an image's registry) Amazon ECR?
pub fn is_ecr(registry: &str) -> bool {
    registry.contains(ECR_HOST_MARK)
}

/// The AWS region an ECR host names.
///
/// ```
/// use kubectl_regcred::expiry::ecr_region;
/// assert_eq!(ecr_region("123456789012.dkr.ecr.eu-west-1.amazonaws.com"), Some("eu-west-1"));
/// assert_eq!(ecr_region("ghcr.io"), None);
/// ```
pub fn ecr_region(registry: &str) -> Option<&str> {
    let (_, rest) = registry.split_once(ECR_HOST_MARK)?;
    rest.split('.').next().filter(|region| !region.is_empty())
}

/// Where an expiry time comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExpirySource {
    /// The `regcred.kubectl.io/expires-at` annotation.
    Annotation,
    /// `regcred.kubectl.io/provider` + `minted-at` and the provider's token lifetime.
    Provider,
    /// The `exp` claim of a password that is a JWT.
    Jwt,
    /// An ECR host: 12 hours after the secret was last written.
    EcrAge,
}

impl ExpirySource {
    /// How the time is known, for messages: `by the token's exp claim`.
    pub fn describe(self) -> String {
        match self {
            ExpirySource::Annotation => format!("by its {EXPIRES_AT_ANNOTATION} annotation"),
            ExpirySource::Provider => "by when its provider minted it".to_string(),
            ExpirySource::Jwt => "by the token's exp claim".to_string(),
            ExpirySource::EcrAge => {
                format!("{ECR_TOKEN_HOURS} h after the secret was written (ECR)")
            }
        }
    }
}

/// When a token expires (seconds since the epoch), and how we know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expiry {
    pub at: i64,
    pub source: ExpirySource,
}

impl Expiry {
    /// How long ago the token expired, if it has: a token is no longer valid at its expiry.
    pub fn expired_for(&self, now: i64) -> Option<i64> {
        (now >= self.at).then(|| now.saturating_sub(self.at))
    }
}

/// What a secret's metadata says about when its tokens expire. Read once per secret; holds
/// no token.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Evidence {
    /// The expires-at annotation, when it names a time.
    pub expires_at: Option<i64>,
    /// minted-at plus the shortest lifetime of the providers annotation, when both are known.
    pub provider_expires_at: Option<i64>,
    /// When the secret was last written ([`written_at`]).
    pub written_at: Option<i64>,
}

impl Evidence {
    /// The evidence in a secret's annotations, and when it was last written.
    pub fn from_annotations(
        annotations: &BTreeMap<String, String>,
        written_at: Option<i64>,
    ) -> Self {
        let minted_at = annotations
            .get(MINTED_AT_ANNOTATION)
            .and_then(|text| text.parse::<Timestamp>().ok())
            .map(Timestamp::as_second);
        let provider_expires_at = annotations.get(PROVIDER_ANNOTATION).and_then(|providers| {
            providers
                .split(',')
                .filter_map(|provider| token_expires_at(provider.trim(), minted_at?))
                .min()
        });
        Self {
            expires_at: annotated_expiry(annotations)
                .and_then(Result::ok)
                .map(Timestamp::as_second),
            provider_expires_at,
            written_at,
        }
    }

    /// The evidence in a secret's metadata.
    pub fn of_secret(metadata: &ObjectMeta) -> Self {
        let none = BTreeMap::new();
        let annotations = metadata.annotations.as_ref().unwrap_or(&none);
        Self::from_annotations(annotations, written_at(metadata))
    }
}

/// The expires-at annotation: none when there is none; the text when it names no time.
pub fn annotated_expiry(annotations: &BTreeMap<String, String>) -> Option<Result<Timestamp, &str>> {
    let text = annotations.get(EXPIRES_AT_ANNOTATION)?;
    Some(text.parse::<Timestamp>().map_err(|_| text.as_str()))
}

/// When the token expires, by the rules of the module doc. `entries`: for each entry that
/// counts, its registry and, when its password is a JWT, the JWT's `exp` ([`jwt_expiry`]).
pub fn expiry_of<'a>(
    evidence: &Evidence,
    entries: impl IntoIterator<Item = (&'a str, Option<i64>)>,
) -> Option<Expiry> {
    let expiry = |at, source| Some(Expiry { at, source });
    if let Some(at) = evidence.expires_at {
        return expiry(at, ExpirySource::Annotation);
    }
    if let Some(at) = evidence.provider_expires_at {
        return expiry(at, ExpirySource::Provider);
    }
    let (mut earliest_jwt, mut has_ecr) = (None::<i64>, false);
    for (registry, jwt_expires_at) in entries {
        earliest_jwt = earliest_jwt.into_iter().chain(jwt_expires_at).min();
        has_ecr |= is_ecr(registry);
    }
    if let Some(at) = earliest_jwt {
        return expiry(at, ExpirySource::Jwt);
    }
    match (has_ecr, evidence.written_at) {
        (true, Some(written)) => expiry(
            written.saturating_add(ECR_TOKEN_HOURS * 3600),
            ExpirySource::EcrAge,
        ),
        _ => None,
    }
}

/// The `exp` claim of a JWT (`header.payload.signature`, base64url), seconds since the epoch.
/// None for anything that is not a JWT with a numeric `exp` a timestamp can hold. Never logs
/// the token.
///
/// ```
/// use kubectl_regcred::expiry::jwt_expiry;
/// // {"exp":1600000000}
/// assert_eq!(jwt_expiry("e30.eyJleHAiOjE2MDAwMDAwMDB9.c2ln"), Some(1_600_000_000));
/// assert_eq!(jwt_expiry("not-a-jwt"), None);
/// ```
pub fn jwt_expiry(token: &str) -> Option<i64> {
    let mut parts = token.trim().split('.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    // Some issuers pad; base64url without padding is the standard.
    let payload = Zeroizing::new(BASE64URL.decode(payload.trim_end_matches('=')).ok()?);
    let claims: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&payload).ok()?;
    let exp = claims.get("exp")?;
    let seconds = exp.as_i64().or_else(|| exp.as_f64().map(|f| f as i64))?;
    // `exp: -1e300` names no time a timestamp can hold (years -9999 to 9999): no expiry, and
    // no overflow when it is compared with now.
    Timestamp::from_second(seconds).ok().map(|_| seconds)
}

/// When an object was last written: its newest managed-field time, else its creation;
/// seconds since the epoch.
pub fn written_at(metadata: &ObjectMeta) -> Option<i64> {
    metadata
        .managed_fields
        .iter()
        .flatten()
        .filter_map(|field| field.time.as_ref().map(|t| t.0.as_second()))
        .max()
        .or_else(|| {
            metadata
                .creation_timestamp
                .as_ref()
                .map(|t| t.0.as_second())
        })
}

/// A duration for people: `42s`, `17m`, `5h`, `3d`.
pub fn human_duration(seconds: i64) -> String {
    match seconds {
        s if s < 120 => format!("{s}s"),
        s if s < 7200 => format!("{}m", s / 60),
        s if s < 172_800 => format!("{}h", s / 3600),
        s => format!("{}d", s / 86_400),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ManagedFieldsEntry, Time};
    use proptest::prelude::*;
    use serde_json::{Value, json};

    use super::*;
    use crate::dockerconfig::hostile;

    const NOW: i64 = 1_795_000_000; // 2026-11-18T11:06:40Z
    const ECR: &str = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

    fn jwt(exp: i64) -> String {
        let header = BASE64URL.encode(br#"{"alg":"RS256","typ":"JWT"}"#);
        let payload = BASE64URL.encode(format!(r#"{{"sub":"robot","exp":{exp}}}"#));
        format!("{header}.{payload}.c2lnbmF0dXJl")
    }

    fn annotations(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_first_rule_that_applies_wins() {
        let all = annotations(&[
            (EXPIRES_AT_ANNOTATION, "2026-11-18T12:00:00Z"),
            (PROVIDER_ANNOTATION, "ecr,gcr"),
            (MINTED_AT_ANNOTATION, "2026-11-18T11:00:00Z"),
        ]);
        let at = |h: i64, m: i64| 1_794_960_000 + 11 * 3600 + h * 3600 + m * 60;
        let entries = [(ECR, Some(NOW + 50)), ("ghcr.io", Some(NOW + 90))];
        let expiry = |annotations: &BTreeMap<String, String>, entries: &[(&str, Option<i64>)]| {
            let evidence = Evidence::from_annotations(annotations, Some(NOW));
            expiry_of(&evidence, entries.iter().copied()).map(|e| (e.at, e.source))
        };
        assert_eq!(
            expiry(&all, &entries),
            Some((at(1, 0), ExpirySource::Annotation))
        );
        let mut provider = all.clone();
        provider.remove(EXPIRES_AT_ANNOTATION);
        // gcr's 1 h is the shortest of the two providers.
        assert_eq!(
            expiry(&provider, &entries),
            Some((at(1, 0), ExpirySource::Provider))
        );
        let none = BTreeMap::new();
        assert_eq!(expiry(&none, &entries), Some((NOW + 50, ExpirySource::Jwt)));
        assert_eq!(
            expiry(&none, &[(ECR, None)]),
            Some((NOW + 12 * 3600, ExpirySource::EcrAge))
        );
        assert_eq!(expiry(&none, &[("ghcr.io", None)]), None);
        // Provider without minted-at, minted-at without a known provider: no provider rule.
        let half = annotations(&[(PROVIDER_ANNOTATION, "ecr")]);
        assert_eq!(expiry(&half, &[("ghcr.io", None)]), None);
        let unknown = annotations(&[
            (PROVIDER_ANNOTATION, "keyring"),
            (MINTED_AT_ANNOTATION, "2026-11-18T11:00:00Z"),
        ]);
        assert_eq!(expiry(&unknown, &[("ghcr.io", None)]), None);
    }

    #[test]
    fn an_unreadable_annotation_counts_as_none_and_says_what_it_held() {
        let bad = annotations(&[(EXPIRES_AT_ANNOTATION, "soon")]);
        assert_eq!(annotated_expiry(&bad), Some(Err("soon")));
        assert_eq!(annotated_expiry(&BTreeMap::new()), None);
        assert_eq!(Evidence::from_annotations(&bad, None), Evidence::default());
    }

    #[test]
    fn a_token_is_expired_from_its_expiry_on() {
        let expiry = Expiry {
            at: NOW,
            source: ExpirySource::Jwt,
        };
        assert_eq!(expiry.expired_for(NOW - 1), None);
        assert_eq!(expiry.expired_for(NOW), Some(0));
        assert_eq!(expiry.expired_for(NOW + 90), Some(90));
        let ancient = Expiry {
            at: i64::MIN,
            ..expiry
        };
        assert_eq!(ancient.expired_for(NOW), Some(i64::MAX));
    }

    #[test]
    fn one_lifetime_table() {
        assert_eq!(token_lifetime_hours("ecr"), Some(12));
        assert_eq!(token_lifetime_hours("acr"), Some(3));
        assert_eq!(token_lifetime_hours("gcr"), Some(1));
        assert_eq!(token_lifetime_hours("ECR"), None);
        assert!(is_ecr(ECR) && !is_ecr("ghcr.io"));
    }

    #[test]
    fn last_written_is_the_newest_managed_field_else_creation() {
        let time = |s: i64| Time(Timestamp::from_second(s).unwrap());
        let mut meta = ObjectMeta {
            creation_timestamp: Some(time(10)),
            ..Default::default()
        };
        assert_eq!(written_at(&meta), Some(10));
        meta.managed_fields = Some(vec![
            ManagedFieldsEntry {
                time: Some(time(30)),
                ..Default::default()
            },
            ManagedFieldsEntry {
                time: Some(time(20)),
                ..Default::default()
            },
        ]);
        assert_eq!(written_at(&meta), Some(30));
        assert_eq!(written_at(&ObjectMeta::default()), None);
    }

    #[test]
    fn jwt_exp_is_read_from_the_payload_and_anything_else_is_none() {
        assert_eq!(jwt_expiry(&jwt(1_600_000_000)), Some(1_600_000_000));
        assert_eq!(jwt_expiry("not-a-jwt"), None);
        assert_eq!(jwt_expiry("a.b"), None);
        assert_eq!(jwt_expiry("a.b.c.d"), None);
        let no_exp = format!("x.{}.y", BASE64URL.encode(br#"{"sub":"a"}"#));
        assert_eq!(jwt_expiry(&no_exp), None);
        let padded = format!("x.{}==.y", BASE64URL.encode(br#"{"exp":5}"#));
        assert_eq!(jwt_expiry(&padded), Some(5));
    }

    #[test]
    fn issue_9_an_exp_beyond_the_calendar_is_no_expiry() {
        for exp in ["-1e300", "-9223372036854775808", "1e300", "253402207201"] {
            let payload = BASE64URL.encode(format!(r#"{{"exp":{exp}}}"#));
            assert_eq!(jwt_expiry(&format!("e30.{payload}.c2ln")), None, "{exp}");
        }
    }

    #[test]
    fn durations_read_as_people_write_them() {
        assert_eq!(human_duration(42), "42s");
        assert_eq!(human_duration(17 * 60), "17m");
        assert_eq!(human_duration(5 * 3600), "5h");
        assert_eq!(human_duration(3 * 86_400), "3d");
    }

    /// The range of times a timestamp can hold (years -9999 to 9999), in seconds.
    pub(crate) const EARLIEST: i64 = -377_705_023_201;
    pub(crate) const LATEST: i64 = 253_402_207_200;

    #[test]
    fn the_timestamp_range_is_jiffs() {
        assert_eq!(
            (EARLIEST, LATEST),
            (Timestamp::MIN.as_second(), Timestamp::MAX.as_second())
        );
    }

    /// What an `exp` claim may hold: any number (beyond i64 too), or something else.
    pub(crate) fn exp_claim() -> impl Strategy<Value = Value> {
        prop_oneof![
            2 => (EARLIEST..=LATEST).prop_map(Value::from),
            1 => any::<i64>().prop_map(Value::from),
            1 => prop::sample::select(vec![i64::MIN, i64::MAX, EARLIEST - 1, LATEST + 1, 0, -1]).prop_map(Value::from),
            1 => any::<u64>().prop_map(Value::from),
            1 => any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f).map(Value::Number)),
            1 => prop::sample::select(vec![1e300, -1e300, 1.5e9, -0.5, 9.3e18, -9.3e18]).prop_map(Value::from),
            1 => hostile::json_value(),
        ]
    }

    proptest! {
        #![proptest_config(hostile::config(1024))]

        #[test]
        fn jwt_exp_is_read_exactly_or_not_at_all(exp in exp_claim(), padded in any::<bool>()) {
            let header = BASE64URL.encode(br#"{"alg":"RS256","typ":"JWT"}"#);
            let mut payload = BASE64URL.encode(json!({ "sub": "robot", "exp": exp }).to_string());
            if padded {
                payload.push_str("==");
            }
            let token = format!("{header}.{payload}.{}", hostile::SENTINEL);
            let seconds = exp.as_i64().or_else(|| exp.as_f64().map(|f| f as i64));
            let want = seconds.filter(|s| (EARLIEST..=LATEST).contains(s));
            prop_assert_eq!(jwt_expiry(&token), want);
        }

        #[test]
        fn jwt_reading_never_panics_on_any_token(
            token in prop_oneof![
                any::<String>(),
                (hostile::json_text(), ".{0,8}").prop_map(|(claims, tail)| {
                    format!("e30.{}{tail}.sig", BASE64URL.encode(claims))
                }),
                "[A-Za-z0-9_=.-]{0,60}",
            ],
        ) {
            let _ = jwt_expiry(&token);
        }

        #[test]
        fn expiry_never_overflows(
            written in proptest::option::of(any::<i64>()),
            jwt in proptest::option::of(any::<i64>()),
            now in any::<i64>(),
        ) {
            let evidence = Evidence { written_at: written, ..Evidence::default() };
            if let Some(expiry) = expiry_of(&evidence, [(ECR, jwt)]) {
                let _ = expiry.expired_for(now);
            }
        }
    }
}
