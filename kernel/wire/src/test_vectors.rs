//! Signatures computed by jupyter_client's `Codec(key=b"faisca-test-key").sign` over the
//! frames in `signing.rs`' tests; `python/tests/test_signing_vectors.py` recomputes them
//! with jupyter_client so these constants cannot drift from the reference implementation.

/// kernel_info_request header, `{}`, `{}`, `{}`.
pub const KERNEL_INFO_SIGNATURE: &str =
    "7a1236ef314840d53c5596af5f3660c5adf378410d0e55fd266a6d19736681c8";
/// Same header, `{}`, `{}`, `{"code":"1+1"}`.
pub const EXECUTE_SIGNATURE: &str =
    "d07af089421f0a88a4c5fc032060db9bf27a62ce41624460994fecd22c727e28";
