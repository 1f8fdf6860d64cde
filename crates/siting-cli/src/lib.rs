//! The `siting` command line: argument parsing and the embedded data set.
//!
//! The binary holds no planning logic; it hands over to `siting-engine` and
//! `siting-synth`.
//!
//! - [`embedded`]: the Chongqing data set compiled into the binary.
//! - [`cli`]: the subcommands and their flags.
//! - [`progress`]: progress bars for the engine's stages, and the log writer beside them.

#![warn(missing_docs)]

pub mod cli;
pub mod embedded;
pub mod progress;
