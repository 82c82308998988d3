//! Kubernetes label and annotation syntax, and the presets this tool knows.

/// Run:ai copies secrets carrying this label (value "true") from the `runai` namespace into
/// every project's namespace when the cluster sets `clusterWideSecret: true`.
pub const RUNAI_CLUSTER_WIDE: (&str, &str) = ("runai/cluster-wide", "true");

/// Checks a label or annotation key: an optional DNS-subdomain prefix and `/`, then a name of
/// at most 63 characters of alphanumerics, `-`, `_` and `.`, starting and ending alphanumeric.
pub fn validate_key(key: &str) -> Result<(), String> {
    let (prefix, name) = match key.split_once('/') {
        Some((prefix, name)) => (Some(prefix), name),
        None => (None, key),
    };
    if let Some(prefix) = prefix
        && crate::cluster::validate_object_name(prefix).is_err()
    {
        return Err(format!(
            "invalid key {key:?}: the prefix must be a DNS subdomain"
        ));
    }
    if name.is_empty() || name.len() > 63 || !is_label_word(name) {
        return Err(format!(
            "invalid key {key:?}: the name must be 1-63 letters, digits, '-', '_' or '.', \
             starting and ending with a letter or digit"
        ));
    }
    Ok(())
}

/// Checks a label value: empty, or at most 63 characters as for a key's name.
pub fn validate_label_value(value: &str) -> Result<(), String> {
    if value.is_empty() || (value.len() <= 63 && is_label_word(value)) {
        Ok(())
    } else {
        Err(format!(
            "invalid label value {value:?}: at most 63 letters, digits, '-', '_' or '.', \
             starting and ending with a letter or digit"
        ))
    }
}

fn is_label_word(word: &str) -> bool {
    let bytes = word.as_bytes();
    bytes
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && bytes.first().is_some_and(u8::is_ascii_alphanumeric)
        && bytes.last().is_some_and(u8::is_ascii_alphanumeric)
}

/// Shell-style glob match with `*` and `?`, for `--exclude team-*`.
pub fn glob_matches(pattern: &str, name: &str) -> bool {
    let (p, n): (Vec<char>, Vec<char>) = (pattern.chars().collect(), name.chars().collect());
    // Iterative matcher with backtracking to the last `*`: linear in practice, no recursion.
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ni));
            pi += 1;
        } else if let Some((star_pi, star_ni)) = star {
            pi = star_pi + 1;
            ni = star_ni + 1;
            star = Some((star_pi, star_ni + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_follow_kubernetes_rules() {
        for ok in ["app", "runai/cluster-wide", "example.com/a_b.c", "A1"] {
            assert_eq!(validate_key(ok), Ok(()), "{ok}");
        }
        for bad in ["", "-a", "a b", "Bad_Prefix/x", "x/", &"a".repeat(64)] {
            assert!(validate_key(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn label_values_follow_kubernetes_rules() {
        for ok in ["", "true", "a-b_c.d"] {
            assert_eq!(validate_label_value(ok), Ok(()), "{ok}");
        }
        for bad in ["a b", "-x", &"v".repeat(64)] {
            assert!(validate_label_value(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn globs_match_like_a_shell() {
        assert!(glob_matches("team-*", "team-a"));
        assert!(glob_matches("team-*", "team-"));
        assert!(glob_matches("*-prod", "payments-prod"));
        assert!(glob_matches("t?am", "team"));
        assert!(glob_matches("a*b*c", "aXbYbZc"));
        assert!(!glob_matches("team-*", "teams"));
        assert!(!glob_matches("kube-system", "kube-system2"));
        assert!(glob_matches("*", ""));
    }
}
