//! One file per subcommand.

pub mod init;
pub mod rubric;
pub mod score;
