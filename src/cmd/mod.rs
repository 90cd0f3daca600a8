//! One file per subcommand.

pub mod check;
pub mod init;
pub mod interview;
pub mod report;
pub mod rubric;
pub mod score;
pub mod workshop;
