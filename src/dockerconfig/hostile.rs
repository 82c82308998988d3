//! Hostile inputs for the parsers' property tests: arbitrary JSON shapes and bytes, broken
//! base64, adversarial registry hosts and image references, secrets to look for in errors.
//!
//! Shared by the `#[cfg(test)]` modules of `dockerconfig`, `creds::docker_config`, `registry`
//! and `status`. Test-only: nothing here is compiled into the plugin.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::Value;

/// A secret that no error, `Debug` output or report may show. Letters, digits and `-` only, so
/// it survives JSON escaping and base64url unchanged and a search finds it wherever it leaks.
pub const SENTINEL: &str = "s3cr3t-sentinel-Zq9";

/// `cases` cases per property and no regression files: proptest would write them into the
/// source tree.
pub fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

/// Text that stresses parsers: control characters, quotes and backslashes, HTML characters Go
/// escapes, line and paragraph separators, astral-plane and combining characters. Never holds
/// [`SENTINEL`]: it stands for what may be shown (usernames, keys, junk).
pub fn hostile_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[a-z0-9]{0,8}",
        ".{0,6}",
        Just("\u{0}".to_string()),
        Just("\"".to_string()),
        Just("\\".to_string()),
        Just("<>&".to_string()),
        Just("\u{2028}\u{2029}".to_string()),
        Just("é🦀\u{301}".to_string()),
        Just("\u{feff}".to_string()),
        Just("\r\n\t".to_string()),
        Just(":".to_string()),
    ];
    prop::collection::vec(piece, 0..6).prop_map(|pieces| pieces.concat())
}

/// Arbitrary JSON values: every scalar (huge and fractional numbers, hostile strings), and
/// arrays and objects nested up to six levels.
pub fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("JSON has no NaN or infinity", |f| {
            serde_json::Number::from_f64(f).map(Value::Number)
        }),
        hostile_text().prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(hostile_text(), inner, 0..6)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// JSON text a `Value` cannot hold, or nearly JSON: numbers beyond `f64`, nesting past
/// serde_json's recursion limit, lone surrogates, invalid UTF-8, truncation.
pub fn json_oddity() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("1e400".to_string()),
        Just("-1e400".to_string()),
        Just("123456789012345678901234567890123456789".to_string()),
        Just("-0".to_string()),
        Just("0.0000000000000000000000000001".to_string()),
        Just(r#""\ud800""#.to_string()),
        Just(r#""\udc00\ud800""#.to_string()),
        Just(r#""\u0000""#.to_string()),
        (1usize..300).prop_map(|depth| format!("{}{}", "[".repeat(depth), "]".repeat(depth))),
        (1usize..300).prop_map(|depth| format!(
            "{}1{}",
            "{\"a\":".repeat(depth),
            "}".repeat(depth)
        )),
        Just("[".repeat(2000)),
        Just("{".to_string()),
        Just("nul".to_string()),
        Just("\"unterminated".to_string()),
        Just("[1,]".to_string()),
        Just("{\"a\":1,}".to_string()),
    ]
}

/// A JSON text: a serialised arbitrary value, or an oddity.
pub fn json_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => json_value().prop_map(|v| v.to_string()),
        1 => json_oddity(),
    ]
}

/// A `config.json`/`.dockerconfigjson` document: `auths` with keys of any spelling and entries
/// of any shape (secrets inside), a `credsStore` of any JSON, and junk beside them.
pub fn config_document() -> impl Strategy<Value = String> {
    let entry = prop_oneof![
        json_text(),
        (auth_field(), hostile_text(), json_text()).prop_map(|(auth, user, junk)| {
            serde_json::json!({
                "auth": auth,
                "username": user,
                "password": SENTINEL,
                "identitytoken": format!("{SENTINEL}-token"),
                "junk": serde_json::from_str::<Value>(&junk).unwrap_or(Value::Null),
            })
            .to_string()
        }),
    ];
    let auths = prop::collection::vec((host_text(), entry), 0..6).prop_map(|entries| {
        let body: Vec<String> = entries
            .iter()
            .map(|(key, entry)| format!("{}:{entry}", Value::String(key.clone())))
            .collect();
        format!("{{{}}}", body.join(","))
    });
    let store = prop_oneof![
        3 => Just("null".to_string()),
        1 => Just(r#""pass""#.to_string()),
        1 => json_text(),
    ];
    (auths, store, json_text()).prop_map(|(auths, store, junk)| {
        format!(r#"{{"auths":{auths},"credsStore":{store},"HttpHeaders":{junk}}}"#)
    })
}

/// Bytes that are, or are near, a `.dockerconfigjson`/`config.json`: a [`config_document`],
/// JSON of any shape, one byte of a document replaced (often invalid UTF-8), a truncated
/// document, or noise.
pub fn config_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => config_document().prop_map(String::into_bytes),
        1 => json_text().prop_map(String::into_bytes),
        1 => (config_document(), any::<prop::sample::Index>(), any::<u8>()).prop_map(
            |(doc, at, byte)| {
                let mut bytes = doc.into_bytes();
                let at = at.index(bytes.len());
                bytes[at] = byte;
                bytes
            }
        ),
        1 => (json_value(), any::<prop::sample::Index>()).prop_map(|(v, at)| {
            let text = serde_json::json!({ "auths": v }).to_string().into_bytes();
            text[..at.index(text.len() + 1)].to_vec()
        }),
        1 => any::<Vec<u8>>(),
    ]
}

/// What an `auth` field may hold: base64 of `user:password` padded or not, base64 without a
/// colon, base64 of invalid UTF-8, broken base64, whitespace around it, or any text.
pub fn auth_field() -> impl Strategy<Value = String> {
    prop_oneof![
        (username(), password()).prop_map(|(u, p)| STANDARD.encode(format!("{u}:{p}"))),
        (username(), password()).prop_map(|(u, p)| STANDARD_NO_PAD.encode(format!("{u}:{p}"))),
        (username(), password())
            .prop_map(|(u, p)| format!(" {}\n", STANDARD.encode(format!("{u}:{p}")))),
        password().prop_map(|p| STANDARD.encode(p.replace(':', ""))),
        Just(STANDARD.encode([0xff, 0xfe, b':', 0xc3])),
        Just("!!!".to_string()),
        Just("====".to_string()),
        Just("a".to_string()),
        Just("YQ=".to_string()),
        Just("éé==".to_string()),
        Just(String::new()),
        hostile_text(),
    ]
}

/// A username as `docker login` accepts it: no colon, no control character, not blank.
pub fn username() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9_.@$+é-]{1,16}"
}

/// A password that always holds [`SENTINEL`], plus any characters after it (colons too).
pub fn password() -> impl Strategy<Value = String> {
    ".{0,12}".prop_map(|tail| format!("{SENTINEL}{tail}"))
}

/// A well-formed registry host: a DNS name (Docker Hub's aliases among them), `localhost`, an
/// IPv4 address, or a bracketed IPv6 literal; lower-case.
pub fn valid_host() -> impl Strategy<Value = String> {
    let label = "[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?";
    prop_oneof![
        prop::collection::vec(label, 2..5).prop_map(|labels| labels.join(".")),
        Just("docker.io".to_string()),
        Just("index.docker.io".to_string()),
        Just("registry-1.docker.io".to_string()),
        Just("ghcr.io".to_string()),
        Just("localhost".to_string()),
        (any::<u8>(), any::<u8>(), any::<u8>(), any::<u8>())
            .prop_map(|(a, b, c, d)| format!("{a}.{b}.{c}.{d}")),
        Just("[::1]".to_string()),
        Just("[fe80::1]".to_string()),
        Just("[2001:db8::42:1]".to_string()),
    ]
}

/// A valid host with an optional port (1 to 65535).
pub fn valid_authority() -> impl Strategy<Value = String> {
    (valid_host(), proptest::option::of(1u16..)).prop_map(|(host, port)| match port {
        Some(port) => format!("{host}:{port}"),
        None => host,
    })
}

/// Registry servers as people type them and as files spell them, mostly wrong: schemes and
/// scheme typos, case, ports out of range, IPv6 with and without brackets, zone ids, paths,
/// query strings, unicode, globs, empty labels, overlong labels, whitespace.
pub fn host_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[a-z0-9-]{1,8}",
        1 => "[A-Z]{1,3}",
        2 => Just(".".to_string()),
        2 => Just(":".to_string()),
        1 => (0u32..100_000).prop_map(|p| format!(":{p}")),
        1 => Just("/".to_string()),
        1 => Just("/v1/".to_string()),
        1 => Just("/v2".to_string()),
        1 => Just("https://".to_string()),
        1 => Just("http://".to_string()),
        1 => Just("HTTPS://".to_string()),
        1 => Just("htps://".to_string()),
        1 => Just("https:/".to_string()),
        1 => Just("[".to_string()),
        1 => Just("]".to_string()),
        1 => Just("::1".to_string()),
        1 => Just("%eth0".to_string()),
        1 => Just("docker.io".to_string()),
        1 => Just("index.docker.io".to_string()),
        1 => Just("@sha256:".to_string()),
        1 => Just("?#*".to_string()),
        1 => Just(" ".to_string()),
        1 => Just("é".to_string()),
        1 => Just("xn--".to_string()),
        1 => Just("a".repeat(64)),
        1 => ".{1,3}",
    ];
    prop::collection::vec(piece, 0..10).prop_map(|pieces| pieces.concat())
}

/// A string that is a valid host most of the time and hostile text otherwise.
pub fn host_or_hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => valid_authority(),
        3 => host_text(),
        1 => any::<String>(),
    ]
}

/// A valid image reference and what a runtime reads from it: `(text, registry, repository,
/// tag, digest)`, with Docker Hub's defaults applied (`docker.io`, `library/`, `latest`).
pub fn valid_reference()
-> impl Strategy<Value = (String, String, String, Option<String>, Option<String>)> {
    let component = "[a-z0-9]{1,6}((\\.|_|__|-{1,3})[a-z0-9]{1,6}){0,2}";
    let path = prop::collection::vec(component, 1..4).prop_map(|parts| parts.join("/"));
    let host = prop_oneof![1 => Just(None), 3 => valid_authority().prop_map(Some)];
    let tag = proptest::option::of("[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}");
    let digest = proptest::option::of(prop_oneof!["sha256:[0-9a-f]{64}", "sha512:[0-9a-f]{128}"]);
    (host, path, tag, digest).prop_map(|(host, path, tag, digest)| {
        // Without a host, a first component with a '.' would be read as one.
        let path = match host {
            Some(_) => path,
            None => match path.split_once('/') {
                Some((first, rest)) => format!("{}/{rest}", first.replace('.', "-")),
                None => path.replace('.', "-"),
            },
        };
        let mut text = match &host {
            Some(host) => format!("{host}/{path}"),
            None => path.clone(),
        };
        if let Some(tag) = &tag {
            text = format!("{text}:{tag}");
        }
        if let Some(digest) = &digest {
            text = format!("{text}@{digest}");
        }
        let on_hub = |path: String| {
            if path.contains('/') {
                path
            } else {
                format!("library/{path}")
            }
        };
        let (registry, repository) = match host.as_deref() {
            None | Some("docker.io" | "index.docker.io") => ("docker.io".to_string(), on_hub(path)),
            Some(host) => (host.to_string(), path),
        };
        let tag = match (tag, &digest) {
            (None, None) => Some("latest".to_string()),
            (tag, _) => tag,
        };
        (text, registry, repository, tag, digest)
    })
}
