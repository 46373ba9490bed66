//! Extraction alone, pass after pass over the same releases: a steady-state harness for
//! profilers, beside the criterion benchmark (`benches/extraction.rs`).
//!
//!     cargo run --release --example extraction_passes -- [PASSES] [FOLDER]
//!
//! Without a folder it reads the fixtures (`raw/`, `tests/fixtures/{corpus,written,written2}`);
//! with one, its first 2,000 `.txt` files. One pass warms the regex engines' caches first;
//! then each pass is timed and the median and best are printed. `measured` holds only the
//! timed passes, so an instruction count of them alone is
//!
//!     valgrind --tool=callgrind --toggle-collect='extraction_passes::measured' \
//!         target/release/examples/extraction_passes 3
//!
//! (instructions per pass = the total / 3).

use communique::extract::{self, SourceMeta};
use communique::gazetteer::Gazetteer;
use communique::text::{clean, decode};
use std::path::{Path, PathBuf};
use std::time::Instant;

// The allocator the `communique` binary ships with (src/main.rs), so that extraction is
// measured as it runs there.
#[global_allocator]
static GLOBAL: communique::alloc::Mimalloc = communique::alloc::Mimalloc;

fn text_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            text_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "txt") {
            out.push(path);
        }
    }
}

/// Extract every body once; the number of meetings found keeps the work from being elided.
#[inline(never)]
fn measured(bodies: &[String], source: &SourceMeta, gazetteer: &Gazetteer) -> usize {
    bodies
        .iter()
        .map(|body| extract::extract(body, source, gazetteer).meetings.len())
        .sum()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let passes: usize = args.next().map_or(Ok(20), |p| p.parse())?;
    let mut files = Vec::new();
    match args.next() {
        Some(folder) => text_files(Path::new(&folder), &mut files),
        None => {
            let root = Path::new(env!("CARGO_MANIFEST_DIR"));
            for dir in [
                "raw",
                "tests/fixtures/corpus",
                "tests/fixtures/written",
                "tests/fixtures/written2",
            ] {
                text_files(&root.join(dir), &mut files);
            }
        }
    }
    files.sort();
    files.truncate(2000);
    let mut bytes = 0;
    let mut bodies = Vec::new();
    for path in &files {
        let raw = std::fs::read(path)?;
        bytes += raw.len();
        if let Ok(decoded) = decode::decode(&raw) {
            bodies.push(clean::normalise(&decoded.text));
        }
    }
    let gazetteer = Gazetteer::load(None)?;
    let source = SourceMeta::default();
    // the warm-up pass stays outside `measured`, so a profiler counts only the timed passes
    let mut meetings: usize = bodies
        .iter()
        .map(|body| extract::extract(body, &source, &gazetteer).meetings.len())
        .sum();
    let mut seconds = Vec::with_capacity(passes);
    for _ in 0..passes.max(1) {
        let clock = Instant::now();
        meetings += measured(&bodies, &source, &gazetteer);
        seconds.push(clock.elapsed().as_secs_f64());
    }
    seconds.sort_by(f64::total_cmp);
    let mib_per_s = |s: f64| bytes as f64 / s / (1024.0 * 1024.0);
    println!(
        "{} releases, {bytes} bytes, {} passes: median {:.2} MiB/s, best {:.2} MiB/s ({meetings} meetings)",
        bodies.len(),
        seconds.len(),
        mib_per_s(seconds[seconds.len() / 2]),
        mib_per_s(seconds[0]),
    );
    Ok(())
}
