//! Shell-style globs: `*` any run of characters, `?` one character, anything else literal.
//!
//! One matcher for `--exclude team-*` (namespaces) and for the kubelet's host labels in pull
//! secret keys (`*.azurecr.io`, Go's `filepath.Match` on one label, which holds no `/`).
//! Character classes are not supported: `[` matches itself. Pure.

/// Does `pattern` match all of `text`?
///
/// ```
/// use kubectl_regcred::glob;
/// assert!(glob::matches("team-*", "team-a"));
/// assert!(glob::matches("t?am", "team"));
/// assert!(!glob::matches("team-*", "teams"));
/// ```
pub fn matches(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    // Iterative two-pointer match, backtracking to the last `*`: no recursion, and linear
    // in practice even for star-heavy patterns.
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((star_p, star_t)) = star {
            pi = star_p + 1;
            ti = star_t + 1;
            star = Some((star_p, star_t + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    use crate::dockerconfig::hostile;

    #[test]
    fn globs_match_like_a_shell() {
        assert!(matches("team-*", "team-a"));
        assert!(matches("team-*", "team-"));
        assert!(matches("*-prod", "payments-prod"));
        assert!(matches("t?am", "team"));
        assert!(matches("a*b*c", "aXbYbZc"));
        assert!(!matches("team-*", "teams"));
        assert!(!matches("kube-system", "kube-system2"));
        assert!(matches("*", ""));
    }

    #[test]
    fn globs_follow_filepath_match_on_one_label() {
        assert!(matches("*", "anything"));
        assert!(matches("a*c", "abbbc"));
        assert!(matches("a*c*", "abcx"));
        assert!(!matches("a*c", "abcd"));
        assert!(matches("?", "x"));
        assert!(!matches("?", ""));
        assert!(matches("", ""));
        assert!(matches("[ab]", "[ab]"));
        assert!(!matches("[ab]", "a"));
    }

    #[test]
    fn star_heavy_globs_stay_fast() {
        let pattern = "*a".repeat(2000);
        let text = "a".repeat(4000);
        let started = std::time::Instant::now();
        assert!(matches(&pattern, &text));
        assert!(!matches(&format!("{pattern}b"), &text));
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
    }

    proptest! {
        #![proptest_config(hostile::config(1024))]

        #[test]
        fn globs_never_panic_and_match_what_they_spell(
            pattern in "[a-c*?.é-]{0,40}",
            text in "[a-c.é-]{0,40}",
        ) {
            let _ = matches(&pattern, &text);
            prop_assert!(matches("*", &text));
            prop_assert!(matches(&text, &text));
            prop_assert!(matches(&"?".repeat(text.chars().count()), &text));
        }
    }
}
