//! Any text as a manifest: parsed or refused with an error, never a panic.
#![no_main]

use communique::raw::parse_manifest;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let text = String::from_utf8_lossy(bytes);
    if let Ok(manifest) = parse_manifest(&text, "fuzz/manifest.csv") {
        for (name, entry) in &manifest.entries {
            assert!(!name.is_empty());
            let _ = entry.to_json();
        }
    }
});
