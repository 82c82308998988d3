//! One module per subcommand: read the arguments, call the layers below, render.

pub mod create;
