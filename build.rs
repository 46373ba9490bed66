//! Build script: `embed_migrations!` reads `migrations/` at compile time but cargo does not
//! notice a newly added file on its own, so ask it to rerun whenever the folder changes.
//! The data files are embedded with `include_str!`, which cargo already tracks.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=data");
}
