use std::collections::BTreeMap;

use k8s_openapi::ByteString;
use k8s_openapi::api::core::v1::{Container, LocalObjectReference, PodSpec, Secret};

use super::*;
use crate::registry::HostMatch;

fn pull_secret(auths: &[(&str, &str, &str)]) -> Secret {
    let auths: serde_json::Map<String, serde_json::Value> = auths
        .iter()
        .map(|(key, user, password)| {
            let entry = serde_json::json!({"username": user, "password": password});
            (key.to_string(), entry)
        })
        .collect();
    let content = serde_json::json!({ "auths": auths }).to_string();
    Secret {
        type_: Some("kubernetes.io/dockerconfigjson".into()),
        data: Some(BTreeMap::from([(
            ".dockerconfigjson".to_string(),
            ByteString(content.into_bytes()),
        )])),
        ..Default::default()
    }
}

fn subject(images: &[&str], secrets: &[&str], admitted: bool) -> Subject {
    let containers = images
        .iter()
        .enumerate()
        .map(|(i, image)| Container {
            name: format!("c{i}"),
            image: Some(image.to_string()),
            ..Default::default()
        })
        .collect();
    Subject {
        kind: if admitted {
            Kind::Pod
        } else {
            Kind::Deployment
        },
        name: "web".into(),
        namespace: None,
        spec: PodSpec {
            containers,
            image_pull_secrets: Some(
                secrets
                    .iter()
                    .map(|s| LocalObjectReference {
                        name: s.to_string(),
                    })
                    .collect(),
            ),
            ..Default::default()
        },
        admitted,
    }
}

const IMAGE: &str = "127.0.0.1:5000/team/app:1.0";

/// The acceptance scenario: host-only key, a path-prefix key, a key for another path.
fn scenario() -> Secrets {
    vec![
        (
            "host-only".into(),
            SecretRead::of(Some(&pull_secret(&[(
                "127.0.0.1:5000",
                "right-user",
                "p1",
            )]))),
        ),
        (
            "path-prefix".into(),
            SecretRead::of(Some(&pull_secret(&[(
                "127.0.0.1:5000/team",
                "other-user",
                "bad",
            )]))),
        ),
        (
            "other-path".into(),
            SecretRead::of(Some(&pull_secret(&[(
                "127.0.0.1:5000/elsewhere",
                "x",
                "y",
            )]))),
        ),
    ]
}

#[test]
fn the_path_prefix_key_is_tried_before_the_host_only_key() {
    let secrets = scenario();
    let subject = subject(&[IMAGE], &["host-only", "path-prefix", "other-path"], true);
    let explained = explain(&subject, "team-a", "cluster", None, &secrets);
    let image = &explained.images[0];
    let tried: Vec<(usize, &str, &str, Option<&str>)> = image
        .credentials
        .iter()
        .map(|c| {
            (
                c.order,
                c.secret.as_str(),
                c.key.as_str(),
                c.user.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        tried,
        [
            (1, "path-prefix", "127.0.0.1:5000/team", Some("other-user")),
            (2, "host-only", "127.0.0.1:5000", Some("right-user")),
        ]
    );
    assert_eq!(
        image.credentials[0].reason,
        "host matches exactly, port 5000, path prefix /team"
    );
    assert_eq!(image.not_matching.len(), 1);
    assert_eq!(image.not_matching[0].secret, "other-path");
    assert_eq!(
        image.not_matching[0].reason,
        "path /elsewhere is not a prefix of the image's path /team/app"
    );
    assert!(!image.anonymous);
    assert!(image.fallback.contains("does not fall back"));
    assert_eq!(explained.pull_secrets.from, Origin::Pod);
}

#[test]
fn missing_and_wrong_type_secrets_are_shown_and_skipped() {
    let opaque = Secret {
        type_: Some("Opaque".into()),
        ..Default::default()
    };
    let secrets: Secrets = vec![
        ("gone".into(), SecretRead::of(None)),
        ("opaque".into(), SecretRead::of(Some(&opaque))),
    ];
    let subject = subject(&["ghcr.io/acme/app:1"], &["gone", "opaque"], true);
    let explained = explain(&subject, "ns", "cluster", None, &secrets);
    let states: Vec<SecretStatus> = explained.secrets.iter().map(|s| s.status).collect();
    assert_eq!(states, [SecretStatus::Missing, SecretStatus::WrongType]);
    assert!(explained.images[0].anonymous);
    assert!(!explained.images[0].docker_hub_rate_limited);
}

#[test]
fn an_unreadable_secret_blocks_every_pull() {
    let mut broken = pull_secret(&[]);
    broken.data = Some(BTreeMap::from([(
        ".dockerconfigjson".to_string(),
        ByteString(b"{not json".to_vec()),
    )]));
    let secrets: Secrets = vec![("broken".into(), SecretRead::of(Some(&broken)))];
    let explained = explain(
        &subject(&[IMAGE], &["broken"], true),
        "ns",
        "-",
        None,
        &secrets,
    );
    assert_eq!(explained.secrets[0].status, SecretStatus::Unreadable);
    assert!(explained.warnings[0].contains("every pull of the pod fails"));
}

#[test]
fn anonymous_docker_hub_pulls_are_flagged() {
    let secrets = scenario();
    let explained = explain(
        &subject(&["docker.io/library/busybox", IMAGE], &["host-only"], true),
        "ns",
        "cluster",
        None,
        &secrets[..1].to_vec(),
    );
    let hub = &explained.images[0];
    assert!(hub.anonymous && hub.docker_hub_rate_limited);
    assert!(
        hub.warnings[0].contains("10 anonymous pulls an hour"),
        "{:?}",
        hub.warnings
    );
    assert_eq!(hub.pull_policy.policy, "Always");
    assert!(hub.pull_policy.defaulted);
    let private = &explained.images[1];
    assert!(!private.docker_hub_rate_limited);
    assert_eq!(private.pull_policy.policy, "IfNotPresent");
}

#[test]
fn a_glob_key_is_tried_as_a_glob() {
    let secrets: Secrets = vec![(
        "glob".into(),
        SecretRead::of(Some(&pull_secret(&[("*.regcred.test:5000", "u", "p")]))),
    )];
    let explained = explain(
        &subject(&["trusted.regcred.test:5000/team/app:1.0"], &["glob"], true),
        "ns",
        "cluster",
        None,
        &secrets,
    );
    let credential = &explained.images[0].credentials[0];
    assert_eq!(credential.matched.host, HostMatch::Glob);
    assert_eq!(
        credential.reason,
        "host matches by glob, port 5000, any path"
    );
}

#[test]
fn every_container_kind_is_explained_in_order() {
    let mut subject = subject(&["app:1"], &[], false);
    subject.spec.init_containers = Some(vec![Container {
        name: "init".into(),
        image: Some("init:1".into()),
        ..Default::default()
    }]);
    subject.spec.ephemeral_containers =
        Some(vec![k8s_openapi::api::core::v1::EphemeralContainer {
            name: "debug".into(),
            image: Some("debug:1".into()),
            ..Default::default()
        }]);
    let explained = explain(&subject, "ns", "cluster", None, &Vec::new());
    let kinds: Vec<(ContainerKind, &str)> = explained
        .images
        .iter()
        .map(|i| (i.kind, i.container.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            (ContainerKind::Init, "init"),
            (ContainerKind::Regular, "c0"),
            (ContainerKind::Ephemeral, "debug"),
        ]
    );
    // A template without an existing service account: the pods are refused.
    assert!(explained.warnings[0].contains("does not exist"));
}

#[test]
fn no_password_reaches_the_report() {
    let secrets = scenario();
    let subject = subject(&[IMAGE], &["host-only", "path-prefix"], true);
    let explained = explain(&subject, "ns", "cluster", None, &secrets);
    let text = serde_json::to_string(&explained).unwrap();
    for password in ["\"p1\"", "\"bad\""] {
        assert!(!text.contains(password), "{text}");
    }
}
