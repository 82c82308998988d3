//! Kubernetes' rules for object names, as the API server applies them. Pure.

/// Checks a namespace name (an RFC 1123 label), as the API server would.
pub fn validate_namespace(name: &str) -> Result<(), String> {
    validate_dns_name(name, 63, false)
}

/// Checks an object name such as a secret's (an RFC 1123 subdomain).
pub fn validate_object_name(name: &str) -> Result<(), String> {
    validate_dns_name(name, 253, true)
}

fn validate_dns_name(name: &str, max_len: usize, dots_allowed: bool) -> Result<(), String> {
    let allowed = if dots_allowed {
        "lowercase letters, digits, '-' and '.'"
    } else {
        "lowercase letters, digits and '-'"
    };
    if name.is_empty() {
        return Err("must not be empty".into());
    }
    if name.len() > max_len {
        return Err(format!("must be at most {max_len} characters"));
    }
    let parts: Vec<&str> = if dots_allowed {
        name.split('.').collect()
    } else {
        vec![name]
    };
    for part in parts {
        let bytes = part.as_bytes();
        let valid_chars = bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-');
        let valid_ends = bytes.first().is_some_and(u8::is_ascii_alphanumeric)
            && bytes.last().is_some_and(u8::is_ascii_alphanumeric);
        if !valid_chars || !valid_ends {
            return Err(format!(
                "must consist of {allowed}, and start and end with a letter or digit"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespace_names_follow_rfc_1123_labels() {
        for ok in ["default", "team-a", "a", "a1", &"x".repeat(63)] {
            assert_eq!(validate_namespace(ok), Ok(()), "{ok}");
        }
        for bad in ["", "Team-A", "team_a", "-a", "a-", "a.b", &"x".repeat(64)] {
            assert!(validate_namespace(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn object_names_follow_rfc_1123_subdomains() {
        for ok in ["regcred", "ghcr.io-pull", "a.b.c"] {
            assert_eq!(validate_object_name(ok), Ok(()), "{ok}");
        }
        for bad in ["", "RegCred", "a..b", ".a", "a_b", "a/b"] {
            assert!(validate_object_name(bad).is_err(), "{bad}");
        }
    }
}
