//! An error and its causes as one line, the way every message of ours ends: `cannot X: Y: Z`.
//! A leaf: any layer may use it.

/// An error and its causes on one line, each cause once.
pub fn chain(err: &dyn std::error::Error) -> String {
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}
