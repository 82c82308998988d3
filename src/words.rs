//! How counts are written: one place, so every report and every finding says `1 pod` and
//! `2 pods` alike. Pure. `output` re-exports [`counted`]; feature logic below `output` (the
//! findings of `status`) uses it from here.

/// A count and its noun, in the plural unless the count is one: `1 namespace`,
/// `0 namespaces`, `3 pull secrets`. Every count in our output goes through here.
///
/// ```
/// use kubectl_regcred::output::counted;
/// assert_eq!(kubectl_regcred::words::counted(0, "pod"), "0 pods");
/// assert_eq!(counted(1, "pull secret"), "1 pull secret");
/// assert_eq!(counted(2, "context"), "2 contexts");
/// ```
pub fn counted(n: usize, noun: &str) -> String {
    match n {
        1 => format!("1 {noun}"),
        n => format!("{n} {noun}s"),
    }
}
