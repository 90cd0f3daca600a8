//! One file per subcommand.

pub mod init;
pub mod report;
pub mod rubric;
pub mod score;
pub mod workshop;
