//! `WWW-Authenticate` challenges (RFC 7235) as registries send them on `GET /v2/`.
//!
//! Pure: no I/O.

/// One authentication challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Challenge {
    /// `Basic realm="..."`: send the credentials with every request.
    Basic,
    /// `Bearer realm="https://auth.example/token",service="...",scope="..."`: trade the
    /// credentials for a token at `realm`.
    Bearer {
        realm: String,
        service: Option<String>,
        scope: Option<String>,
    },
    /// Any other scheme (`Negotiate`, ...), or a Bearer challenge without a realm.
    Other { scheme: String },
}

/// The challenges of one or more `WWW-Authenticate` header values, in order.
///
/// ```
/// use kubectl_regcred::registry::{Challenge, parse_challenges};
/// assert_eq!(
///     parse_challenges(r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io""#),
///     [Challenge::Bearer {
///         realm: "https://auth.docker.io/token".into(),
///         service: Some("registry.docker.io".into()),
///         scope: None,
///     }]
/// );
/// ```
pub fn parse_challenges(header: &str) -> Vec<Challenge> {
    let mut parser = Parser {
        bytes: header.as_bytes(),
        pos: 0,
    };
    let mut challenges = Vec::new();
    loop {
        parser.skip(|b| b == b' ' || b == b'\t' || b == b',');
        let scheme = parser.token();
        if scheme.is_empty() {
            break;
        }
        let params = parser.params();
        challenges.push(challenge(scheme, &params));
    }
    challenges
}

/// The challenge a runtime answers: Bearer (a token) over Basic, as containerd prefers.
pub fn preferred(challenges: &[Challenge]) -> Option<&Challenge> {
    challenges
        .iter()
        .find(|c| matches!(c, Challenge::Bearer { .. }))
        .or_else(|| challenges.iter().find(|c| matches!(c, Challenge::Basic)))
        .or_else(|| challenges.first())
}

fn challenge(scheme: &str, params: &[(String, String)]) -> Challenge {
    let param = |name: &str| {
        params
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.clone())
    };
    if scheme.eq_ignore_ascii_case("basic") {
        Challenge::Basic
    } else if scheme.eq_ignore_ascii_case("bearer")
        && let Some(realm) = param("realm").filter(|r| !r.is_empty())
    {
        Challenge::Bearer {
            realm,
            service: param("service"),
            scope: param("scope"),
        }
    } else {
        Challenge::Other {
            scheme: scheme.to_string(),
        }
    }
}

struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip(&mut self, what: impl Fn(u8) -> bool) {
        while self.peek().is_some_and(&what) {
            self.pos += 1;
        }
    }

    /// An RFC 7230 token (and '/', which token68 values hold).
    fn token(&mut self) -> &'a str {
        let start = self.pos;
        self.skip(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~/".contains(&b));
        std::str::from_utf8(&self.bytes[start..self.pos]).unwrap_or_default()
    }

    /// `name=value` pairs up to the next challenge (a token not followed by '=') or the end.
    fn params(&mut self) -> Vec<(String, String)> {
        let mut params = Vec::new();
        loop {
            self.skip(|b| b == b' ' || b == b'\t' || b == b',');
            let before = self.pos;
            let name = self.token();
            if name.is_empty() {
                // Not a parameter: skip one byte so malformed input cannot loop forever.
                if self.peek().is_some() && self.pos == before {
                    self.pos += 1;
                    continue;
                }
                return params;
            }
            self.skip(|b| b == b' ' || b == b'\t');
            if self.peek() != Some(b'=') {
                // The next challenge's scheme (or a token68, which registries do not send).
                self.pos = before;
                return params;
            }
            self.pos += 1;
            self.skip(|b| b == b' ' || b == b'\t');
            let value = if self.peek() == Some(b'"') {
                self.quoted()
            } else {
                self.token().to_string()
            };
            params.push((name.to_string(), value));
        }
    }

    /// A quoted-string with backslash escapes; an unterminated one runs to the end.
    fn quoted(&mut self) -> String {
        self.pos += 1;
        let mut value = Vec::new();
        while let Some(b) = self.peek() {
            self.pos += 1;
            match b {
                b'"' => break,
                b'\\' => {
                    if let Some(escaped) = self.peek() {
                        value.push(escaped);
                        self.pos += 1;
                    }
                }
                _ => value.push(b),
            }
        }
        String::from_utf8_lossy(&value).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bearer(realm: &str, service: Option<&str>, scope: Option<&str>) -> Challenge {
        Challenge::Bearer {
            realm: realm.into(),
            service: service.map(Into::into),
            scope: scope.map(Into::into),
        }
    }

    #[test]
    fn registry_challenges_as_sent_in_the_wild() {
        let cases: Vec<(&str, Vec<Challenge>)> = vec![
            (r#"Basic realm="regcred-test""#, vec![Challenge::Basic]),
            (r#"basic realm=Registry"#, vec![Challenge::Basic]),
            (
                r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull""#,
                vec![bearer(
                    "https://auth.docker.io/token",
                    Some("registry.docker.io"),
                    Some("repository:library/nginx:pull"),
                )],
            ),
            (
                r#"Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:user/image:pull""#,
                vec![bearer(
                    "https://ghcr.io/token",
                    Some("ghcr.io"),
                    Some("repository:user/image:pull"),
                )],
            ),
            (
                r#"Bearer realm = "https://h/service/token" , service = "harbor-registry""#,
                vec![bearer(
                    "https://h/service/token",
                    Some("harbor-registry"),
                    None,
                )],
            ),
            (
                r#"Bearer realm="https://a/t\"x\\",service=reg"#,
                vec![bearer(r#"https://a/t"x\"#, Some("reg"), None)],
            ),
            (
                r#"Basic realm="r", Bearer realm="https://a/t",service="s""#,
                vec![Challenge::Basic, bearer("https://a/t", Some("s"), None)],
            ),
            (
                r#"Bearer service="s""#,
                vec![Challenge::Other {
                    scheme: "Bearer".into(),
                }],
            ),
            (
                "Negotiate",
                vec![Challenge::Other {
                    scheme: "Negotiate".into(),
                }],
            ),
            ("", vec![]),
            (
                r#"Bearer realm="unterminated"#,
                vec![bearer("unterminated", None, None)],
            ),
            (
                r#"Bearer ,,, realm="https://a/t" ;;"#,
                vec![bearer("https://a/t", None, None)],
            ),
        ];
        for (header, want) in cases {
            assert_eq!(parse_challenges(header), want, "{header}");
        }
    }

    #[test]
    fn bearer_is_preferred_over_basic() {
        let both = parse_challenges(r#"Basic realm="r", Bearer realm="https://a/t""#);
        assert!(matches!(preferred(&both), Some(Challenge::Bearer { .. })));
        assert_eq!(preferred(&[]), None);
    }

    // -----------------------------------------------------------------------------------------
    // Hostile input (issue 9): property tests.

    use proptest::prelude::*;

    use crate::dockerconfig::hostile;

    /// Headers built from the pieces challenges are made of.
    fn header_like() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            2 => "[A-Za-z0-9]{1,8}",
            1 => Just("Bearer ".to_string()),
            1 => Just("Basic ".to_string()),
            1 => Just("realm".to_string()),
            2 => Just("=".to_string()),
            2 => Just("\"".to_string()),
            1 => Just("\\".to_string()),
            2 => Just(",".to_string()),
            1 => Just(" ".to_string()),
            1 => Just("\t".to_string()),
            1 => Just(";".to_string()),
            1 => Just("é🦀".to_string()),
            1 => Just("\u{0}".to_string()),
        ];
        prop::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
    }

    fn quoted(value: &str) -> String {
        format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
    }

    proptest! {
        #![proptest_config(hostile::config(1024))]

        #[test]
        fn challenges_never_panic_and_are_never_more_than_the_header_holds(
            header in prop_oneof![3 => header_like(), 1 => any::<String>()],
        ) {
            let found = parse_challenges(&header);
            prop_assert!(found.len() <= header.len());
            for challenge in &found {
                match challenge {
                    Challenge::Bearer { realm, .. } => prop_assert!(!realm.is_empty()),
                    Challenge::Other { scheme } => prop_assert!(!scheme.is_empty()),
                    Challenge::Basic => {}
                }
            }
            let _ = preferred(&found);
        }

        #[test]
        fn bearer_parameters_round_trip_whatever_they_hold(
            realm in ".{1,40}",
            service in proptest::option::of(".{0,20}"),
            scope in proptest::option::of(".{0,40}"),
            space in prop::sample::select(vec!["", " ", "\t", "  "]),
            comma in prop::sample::select(vec![",", ", ", " , ", ",,"]),
            scheme in prop::sample::select(vec!["Bearer", "bearer", "BEARER"]),
            basic_first in any::<bool>(),
        ) {
            let mut params = vec![format!("realm{space}={space}{}", quoted(&realm))];
            if let Some(service) = &service {
                params.push(format!("service={}", quoted(service)));
            }
            if let Some(scope) = &scope {
                params.push(format!("scope={}", quoted(scope)));
            }
            let mut header = format!("{scheme} {}", params.join(comma));
            if basic_first {
                header = format!("Basic realm=\"r\"{comma}{header}");
            }
            let found = parse_challenges(&header);
            prop_assert_eq!(found.len(), 1 + usize::from(basic_first));
            let want = Challenge::Bearer { realm, service, scope };
            prop_assert_eq!(found.last(), Some(&want));
            prop_assert_eq!(preferred(&found), Some(&want));
        }
    }
}
