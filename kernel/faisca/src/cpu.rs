//! One install for any x86-64, the faster build where the CPU allows it. A build for
//! x86-64-v3 (AVX2, FMA, BMI1/2, LZCNT, MOVBE) plus `pclmulqdq` (Polars' CSV quote scan
//! uses carry-less multiply only when compiled with it) may sit beside this binary as
//! `faisca-x86-64-v3`; the baseline build hands the kernel over to it on a CPU that has
//! those features, as Polars' own runtime packages choose their build at import.

/// The file name of the x86-64-v3 build, beside the baseline one.
#[cfg_attr(target_feature = "avx2", allow(dead_code))]
pub const FAST_BUILD: &str = "faisca-x86-64-v3";

/// What this build was compiled for.
pub fn build_name() -> &'static str {
    if cfg!(target_feature = "avx2") {
        "x86-64-v3 + pclmulqdq"
    } else {
        "x86-64 baseline"
    }
}

/// Replaces this process with the x86-64-v3 build when this is the baseline build, the
/// CPU can run the other, it is installed beside this one, and `FAISCA_CPU` is not
/// `baseline`. Returns when it does not (or the hand-over fails).
pub fn run_fastest_build() {
    #[cfg(all(target_arch = "x86_64", unix, not(target_feature = "avx2")))]
    {
        use std::os::unix::process::CommandExt;

        if std::env::var_os("FAISCA_CPU").is_some_and(|v| v == "baseline") || !cpu_has_v3() {
            return;
        }
        let Some(fast) = std::env::current_exe()
            .ok()
            .map(|me| me.with_file_name(FAST_BUILD))
            .filter(|p| p.is_file())
        else {
            return;
        };
        // `exec` only returns on failure.
        let err = std::process::Command::new(&fast)
            .args(std::env::args_os().skip(1))
            .exec();
        eprintln!(
            "faisca: cannot run {} ({err}); staying on the baseline build",
            fast.display()
        );
    }
}

#[cfg(all(target_arch = "x86_64", unix, not(target_feature = "avx2")))]
fn cpu_has_v3() -> bool {
    std::is_x86_feature_detected!("avx2")
        && std::is_x86_feature_detected!("fma")
        && std::is_x86_feature_detected!("bmi1")
        && std::is_x86_feature_detected!("bmi2")
        && std::is_x86_feature_detected!("lzcnt")
        && std::is_x86_feature_detected!("movbe")
        && std::is_x86_feature_detected!("f16c")
        && std::is_x86_feature_detected!("popcnt")
        && std::is_x86_feature_detected!("sse4.2")
        && std::is_x86_feature_detected!("pclmulqdq")
}
