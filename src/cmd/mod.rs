//! One file per subcommand, each with `run(&Settings, &Args) -> ExitStatus`; glue
//! they share lives in `common`.

pub mod check;
pub mod common;
pub mod compare;
pub mod form;
pub mod init;
pub mod interview;
pub mod plan;
pub mod report;
pub mod rubric;
pub mod score;
pub mod serve;
pub mod workshop;
