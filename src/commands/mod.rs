//! One module per subcommand: each opens what it needs, calls the library and reports.
//! This module also maps outcomes and errors to the documented exit codes.

pub mod export;
pub mod ingest;
pub mod progress;
pub mod reingest;
pub mod validate;

use crate::db::DbError;
use std::process::ExitCode;

/// Exit codes (documented in the README).
pub mod exit {
    /// Success.
    pub const OK: u8 = 0;
    /// The command could not run: bad data files, an unreadable raw folder, a database error.
    /// Nothing was written.
    pub const ERROR: u8 = 1;
    /// Bad command line (unknown flag, bad value).
    pub const USAGE: u8 = 2;
    /// The run finished, but some files could not be ingested (see the summary and the
    /// `ingest_failures` table).
    pub const SOME_FILES_FAILED: u8 = 3;
    /// The database cannot be used: not a SQLite file, not communique's, written by a newer
    /// version, or unreadable. It was left untouched.
    pub const DATABASE_UNUSABLE: u8 = 4;
    /// Another run holds the database's write lock and did not finish within `--wait`.
    pub const DATABASE_BUSY: u8 = 5;
    /// `validate` found errors (or warnings, with `--strict`).
    pub const VALIDATION_FAILED: u8 = 6;
}

/// The exit code for an error that ended a command.
pub fn exit_code_for(error: &anyhow::Error) -> ExitCode {
    if error.chain().any(|c| {
        matches!(
            c.downcast_ref::<crate::lock::LockError>(),
            Some(crate::lock::LockError::Busy { .. })
        )
    }) {
        return ExitCode::from(exit::DATABASE_BUSY);
    }
    let unusable = error.chain().any(|cause| {
        matches!(
            cause.downcast_ref::<DbError>(),
            Some(
                DbError::NotADatabase { .. }
                    | DbError::Foreign { .. }
                    | DbError::TooNew { .. }
                    | DbError::Open { .. }
                    | DbError::Io { .. }
            )
        )
    });
    ExitCode::from(if unusable {
        exit::DATABASE_UNUSABLE
    } else {
        exit::ERROR
    })
}
