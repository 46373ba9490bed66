//! One writer at a time: `ingest` and `reingest` hold an exclusive lock on `<db>.lock` for the
//! whole run. A second writer waits up to `--wait` seconds, then gives up with its own exit
//! code. Readers (the sqlite3 shell, `export`) never take it: WAL lets them read alongside.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum LockError {
    #[error(
        "another communique run is writing to the database (it holds {path}); gave up after waiting {waited} s (--wait)"
    )]
    Busy { path: PathBuf, waited: u64 },
    #[error("cannot open the lock file {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Held while a run writes; released when dropped (or when the process dies).
#[derive(Debug)]
pub struct WriteLock {
    _file: File,
    pub path: PathBuf,
}

/// The lock file of a database: `communique.db` -> `communique.db.lock`.
pub fn lock_path(db: &Path) -> PathBuf {
    let mut name = db.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".lock");
    db.with_file_name(name)
}

/// Take the write lock, waiting up to `wait`.
pub fn acquire(db: &Path, wait: Duration) -> Result<WriteLock, LockError> {
    let path = lock_path(db);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|source| LockError::Io {
            path: path.clone(),
            source,
        })?;
    let started = Instant::now();
    let mut announced = false;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(WriteLock { _file: file, path }),
            Err(TryLockError::WouldBlock) => {
                if started.elapsed() >= wait {
                    return Err(LockError::Busy {
                        path,
                        waited: wait.as_secs(),
                    });
                }
                if !announced {
                    tracing::info!(
                        "waiting for another run to finish writing ({})",
                        path.display()
                    );
                    announced = true;
                }
                std::thread::sleep(
                    Duration::from_millis(100)
                        .min(wait.saturating_sub(started.elapsed()))
                        .max(Duration::from_millis(1)),
                );
            }
            Err(TryLockError::Error(source)) => return Err(LockError::Io { path, source }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_waits_then_gives_up() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("c.db");
        let first = acquire(&db, Duration::ZERO).unwrap();
        assert_eq!(first.path, dir.path().join("c.db.lock"));
        let started = Instant::now();
        let second = acquire(&db, Duration::from_millis(300));
        assert!(matches!(second, Err(LockError::Busy { .. })));
        assert!(started.elapsed() >= Duration::from_millis(300));
        drop(first);
        assert!(acquire(&db, Duration::ZERO).is_ok());
    }
}
