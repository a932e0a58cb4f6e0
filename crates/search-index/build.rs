//! Builds the browser engines and hands their bytes to this crate (`include_bytes!` in lib.rs).
//!
//! Why here and not in the root crate's build.rs: search-index is the crate that writes `public/_search/`,
//! so it owns the engine bytes; the `lotse` binary depends on search-index and so embeds them too, and
//! anything else using search-index (tests, benches) gets the same engines without a second build.
//!
//! For each analyzer (de, en, fr, ar, fa) this runs
//! `$CARGO build --release --target wasm32-unknown-unknown --manifest-path crates/search-wasm/Cargo.toml
//!  --features <lang> --target-dir $OUT_DIR/wasm-target` (its own target dir: the outer build holds the lock
//! of the main one) and copies the module to `$OUT_DIR/lotse_search_<lang>.wasm`.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

const LANGS: [&str; 5] = ["de", "en", "fr", "ar", "fa"];

fn main() {
    let here = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let crates = here.parent().expect("crates/").to_path_buf();
    let wasm_crate = crates.join("search-wasm");
    let core_crate = crates.join("search-core");
    for p in [
        wasm_crate.join("src"),
        wasm_crate.join("Cargo.toml"),
        wasm_crate.join("Cargo.lock"),
        core_crate.join("src"),
        core_crate.join("Cargo.toml"),
    ] {
        println!("cargo:rerun-if-changed={}", p.display());
    }
    let out = PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR"));
    let target_dir = out.join("wasm-target");
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    for lang in LANGS {
        build(&cargo, &wasm_crate, &target_dir, lang);
        let built = target_dir.join("wasm32-unknown-unknown/release/search_wasm.wasm");
        let dest = out.join(format!("lotse_search_{lang}.wasm"));
        std::fs::copy(&built, &dest)
            .unwrap_or_else(|e| panic!("copying {} to {}: {e}", built.display(), dest.display()));
    }
}

fn build(cargo: &str, wasm_crate: &Path, target_dir: &Path, lang: &str) {
    let mut cmd = Command::new(cargo);
    cmd.current_dir(wasm_crate)
        .arg("build")
        .arg("--release")
        .args(["--target", "wasm32-unknown-unknown"])
        .arg("--manifest-path")
        .arg(wasm_crate.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(target_dir)
        .args(["--features", lang]);
    // Flags meant for the host build must not leak into the wasm build.
    for var in [
        "CARGO_ENCODED_RUSTFLAGS",
        "RUSTFLAGS",
        "CARGO_BUILD_RUSTFLAGS",
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_TARGET",
        "CARGO_BUILD_TARGET_DIR",
        "RUSTC_WORKSPACE_WRAPPER",
        "CARGO_PROFILE_RELEASE_DEBUG",
        "CARGO_PROFILE_RELEASE_STRIP",
        "CARGO_PROFILE_RELEASE_PANIC",
        "CARGO_PROFILE_RELEASE_LTO",
        "CARGO_PROFILE_RELEASE_OPT_LEVEL",
        "CARGO_PROFILE_RELEASE_CODEGEN_UNITS",
    ] {
        cmd.env_remove(var);
    }
    let output = cmd.output().unwrap_or_else(|e| panic!("could not run {cargo}: {e}"));
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        if stderr.contains("wasm32-unknown-unknown")
            && (stderr.contains("may not be installed") || stderr.contains("can't find crate for `core`") || stderr.contains("can't find crate for `std`"))
        {
            panic!(
                "\n\nLotse's browser search engine needs the wasm32 target of the Rust compiler.\n\
                 Install it with:\n\n    rustup target add wasm32-unknown-unknown\n\n\
                 (rust-toolchain.toml names it, so rustup normally installs it by itself.)\n\ncargo said:\n{stderr}"
            );
        }
        panic!("building the search engine (crates/search-wasm, --features {lang}) for wasm32 failed:\n{stderr}");
    }
}
