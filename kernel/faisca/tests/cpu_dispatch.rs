//! The baseline build hands `kernel` and `train` to the x86-64-v3 build beside it, when the
//! CPU can run it; never `install`, never with `FAISCA_CPU=baseline`.
#![cfg(all(target_arch = "x86_64", unix))]

use std::os::unix::fs::PermissionsExt;
use std::process::Command;

fn cpu_has_v3() -> bool {
    std::is_x86_feature_detected!("avx2")
        && std::is_x86_feature_detected!("fma")
        && std::is_x86_feature_detected!("bmi1")
        && std::is_x86_feature_detected!("bmi2")
        && std::is_x86_feature_detected!("lzcnt")
        && std::is_x86_feature_detected!("movbe")
        && std::is_x86_feature_detected!("f16c")
        && std::is_x86_feature_detected!("pclmulqdq")
}

fn run(dir: &std::path::Path, args: &[&str], baseline: bool) -> String {
    let mut cmd = Command::new(dir.join("faisca"));
    cmd.args(args).env_remove("FAISCA_CPU");
    if baseline {
        cmd.env("FAISCA_CPU", "baseline");
    }
    let out = cmd.output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_kernel_runs_the_v3_build_beside_it_when_the_cpu_allows() {
    if cfg!(target_feature = "avx2") {
        return; // this is the v3 build itself: it hands over to nothing
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_faisca"), dir.path().join("faisca")).unwrap();
    // Without a v3 build beside it, the baseline runs.
    assert!(run(dir.path(), &["kernel", "--help"], false).contains("connection file"));
    let fast = dir.path().join("faisca-x86-64-v3");
    std::fs::write(&fast, "#!/bin/sh\necho \"v3 build: $*\"\n").unwrap();
    std::fs::set_permissions(&fast, std::fs::Permissions::from_mode(0o755)).unwrap();
    let kernel = run(dir.path(), &["kernel", "--help"], false);
    if cpu_has_v3() {
        assert_eq!(kernel.trim(), "v3 build: kernel --help");
        assert_eq!(
            run(dir.path(), &["train", "-x"], false).trim(),
            "v3 build: train -x"
        );
    } else {
        assert!(kernel.contains("connection file"), "{kernel}");
    }
    assert!(run(dir.path(), &["kernel", "--help"], true).contains("connection file"));
    assert!(run(dir.path(), &["install", "--help"], false).contains("kernelspec"));
}
