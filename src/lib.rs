//! communique: press releases about diplomatic meetings in, a normalised SQLite database out.
//!
//! The pipeline is a chain of small stages, each a module: `text` (decode, normalise, segment),
//! `extract` (dates, times, people, places, topics, meetings), `resolve` (who is who, which
//! reports are one meeting) and `db` (schema, migrations, loading). `gazetteer` loads the data
//! files the stages run on; `commands` are the command-line entry points.

pub mod alloc;
pub mod cli;
pub mod commands;
pub mod config;
pub mod db;
pub mod export;
pub mod extract;
pub mod gazetteer;
pub mod lock;
pub mod parallel;
pub mod raw;
pub mod resolve;
pub mod text;
pub mod validate;
