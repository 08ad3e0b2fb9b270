//! A seeded, reproducible train/test split (the CLI's and the benchmark's shared split).

/// SplitMix64: tiny, well-known and stable across versions, unlike a crate's RNG stream.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Shuffles `0..n` with `seed` (Fisher–Yates) and returns `(train, test)`, the test part
/// holding `ceil(n * test_fraction)` rows like scikit-learn's `train_test_split`.
pub fn train_test_indices(n: usize, test_fraction: f64, seed: u64) -> (Vec<usize>, Vec<usize>) {
    let mut order: Vec<usize> = (0..n).collect();
    let mut state = seed;
    for i in (1..n).rev() {
        let j = (splitmix64(&mut state) % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    let n_test = ((n as f64) * test_fraction.clamp(0.0, 1.0)).ceil() as usize;
    let test = order[..n_test].to_vec();
    let train = order[n_test..].to_vec();
    (train, test)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_is_a_seeded_partition() {
        let (train, test) = train_test_indices(2916, 0.2, 10);
        assert_eq!((train.len(), test.len()), (2332, 584));
        let mut all: Vec<usize> = train.iter().chain(&test).copied().collect();
        all.sort();
        assert_eq!(all, (0..2916).collect::<Vec<_>>());
        assert_eq!(train_test_indices(2916, 0.2, 10).1, test);
        assert_ne!(train_test_indices(2916, 0.2, 11).1, test);
    }
}
