//! The answer of `check`, as it is printed: never a password or token.

use serde::Serialize;

use super::{Outcome, RateLimit};

/// What `check` found for one image, with a pull secret or anonymously.
#[derive(Debug, Serialize)]
pub struct CheckReport {
    /// The pull secret checked; absent for an anonymous check.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// The image, normalised (`nginx` is `docker.io/library/nginx:latest`).
    pub image: String,
    /// The image's registry (`docker.io`, `127.0.0.1:5000`).
    pub registry: String,
    /// The key of the secret's entry that was used, absent for an anonymous pull.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry: Option<String>,
    pub result: Outcome,
    pub detail: String,
    /// The manifest digest, for `ok`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// The pull limit the registry stated with the manifest (Docker Hub's `ratelimit-*`
    /// headers); absent when it stated none.
    #[serde(rename = "rateLimit", skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<RateLimit>,
}

impl CheckReport {
    /// `secret/NAME`, or `an anonymous pull`: who the answer is for.
    pub fn who(&self) -> String {
        match &self.secret {
            Some(name) => format!("secret/{name}"),
            None => "an anonymous pull".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_fields_are_stable() {
        let report = CheckReport {
            secret: Some("regcred".into()),
            namespace: Some("team-a".into()),
            image: "127.0.0.1:5000/team/app:1.0".into(),
            registry: "127.0.0.1:5000".into(),
            entry: Some("127.0.0.1:5000".into()),
            result: Outcome::NotFound,
            detail: "no tag".into(),
            digest: None,
            rate_limit: None,
        };
        assert_eq!(
            serde_json::to_value(report).unwrap(),
            serde_json::json!({
                "secret": "regcred",
                "namespace": "team-a",
                "image": "127.0.0.1:5000/team/app:1.0",
                "registry": "127.0.0.1:5000",
                "entry": "127.0.0.1:5000",
                "result": "not_found",
                "detail": "no tag",
            })
        );
    }
}
