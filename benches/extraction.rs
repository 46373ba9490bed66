//! Stage-level throughput of the pure pipeline stages, on real releases (the fixtures) and,
//! when `COMMUNIQUE_BENCH_CORPUS` names a folder, on its first 2,000 `.txt` files (for
//! example a corpus written by `cargo run --release --example generate`).
//!
//!     cargo bench --bench extraction
//!
//! Throughput is reported in bytes of input per second, on one core.

use communique::extract::{self, SourceMeta};
use communique::gazetteer::Gazetteer;
use communique::text::{clean, decode, segment};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;

// The allocator the `communique` binary ships with (src/main.rs), so that extraction is
// measured as it runs there.
#[global_allocator]
static GLOBAL: communique::alloc::Mimalloc = communique::alloc::Mimalloc;

fn texts_in(dir: &Path, limit: usize, out: &mut Vec<Vec<u8>>) {
    let mut stack = vec![dir.to_path_buf()];
    let mut files = Vec::new();
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "txt") {
                files.push(path);
            }
        }
    }
    files.sort();
    for path in files.into_iter().take(limit) {
        if let Ok(bytes) = std::fs::read(&path) {
            out.push(bytes);
        }
    }
}

fn corpora() -> Vec<(String, Vec<Vec<u8>>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut real = Vec::new();
    for dir in [
        "raw",
        "tests/fixtures/corpus",
        "tests/fixtures/written",
        "tests/fixtures/written2",
    ] {
        texts_in(&root.join(dir), usize::MAX, &mut real);
    }
    let mut sets = vec![("fixtures".to_owned(), real)];
    if let Ok(dir) = std::env::var("COMMUNIQUE_BENCH_CORPUS") {
        let mut generated = Vec::new();
        texts_in(Path::new(&dir), 2000, &mut generated);
        if !generated.is_empty() {
            sets.push(("generated".to_owned(), generated));
        }
    }
    sets
}

fn stages(c: &mut Criterion) {
    let gazetteer = Gazetteer::load(None).expect("the built-in data files load");
    for (name, texts) in corpora() {
        let bytes: usize = texts.iter().map(Vec::len).sum();
        let bodies: Vec<String> = texts
            .iter()
            .filter_map(|b| decode::decode(b).ok())
            .map(|d| clean::normalise(&d.text))
            .collect();
        let source = SourceMeta::default();
        let mut group = c.benchmark_group(format!("{name} ({} releases)", texts.len()));
        group.throughput(Throughput::Bytes(bytes as u64));
        group.sample_size(10);
        group.bench_function("decode + normalise", |b| {
            b.iter(|| {
                for t in &texts {
                    if let Ok(d) = decode::decode(black_box(t)) {
                        black_box(clean::normalise(&d.text));
                    }
                }
            })
        });
        group.bench_function("segment", |b| {
            b.iter(|| {
                for body in &bodies {
                    black_box(segment::segment(black_box(body), &gazetteer.line_rules));
                }
            })
        });
        group.bench_function("extract (all stages)", |b| {
            b.iter(|| {
                for body in &bodies {
                    black_box(extract::extract(black_box(body), &source, &gazetteer));
                }
            })
        });
        group.bench_function("read to extraction (decode, normalise, extract)", |b| {
            b.iter(|| {
                for t in &texts {
                    if let Ok(d) = decode::decode(black_box(t)) {
                        let body = clean::normalise(&d.text);
                        black_box(extract::extract(&body, &source, &gazetteer));
                    }
                }
            })
        });
        group.finish();
    }
}

criterion_group!(benches, stages);
criterion_main!(benches);
