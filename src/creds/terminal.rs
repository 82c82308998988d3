//! Whether a person is there to answer a prompt.

use std::io::IsTerminal;

/// True when a person is there to answer: stdin and stderr (where prompts go) are terminals.
pub fn can_ask() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}
