//! One sort for everything the page orders. Each `sort_by` with its own closure is another
//! copy of the standard library's sort in the wasm (about 4 KB each); sorting (key, key, index)
//! triples here keeps one copy.

/// Indices of `keys` in ascending order: f64 total order on the first key, then the second;
/// equal keys keep their input order (so the result is a stable sort).
pub fn order(keys: &[(f64, f64)]) -> Vec<usize> {
    let mut t: Vec<(f64, f64, usize)> = keys.iter().enumerate().map(|(i, &(a, b))| (a, b, i)).collect();
    t.sort_unstable_by(|x, y| x.0.total_cmp(&y.0).then(x.1.total_cmp(&y.1)).then(x.2.cmp(&y.2)));
    t.into_iter().map(|x| x.2).collect()
}

/// Sorts `v` stably by `key`. Integer keys go through f64, exact below 2^53 (9 PB, 9e15
/// parameters); above that, values closer than one f64 step keep their input order.
pub fn sort_by_key<T>(v: &mut Vec<T>, key: impl Fn(&T) -> (f64, f64)) {
    let keys: Vec<(f64, f64)> = v.iter().map(key).collect();
    let mut slots: Vec<Option<T>> = std::mem::take(v).into_iter().map(Some).collect();
    v.extend(order(&keys).into_iter().filter_map(|i| slots[i].take()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_by_both_keys_and_keeps_ties_in_input_order() {
        let keys = [(2.0, 0.0), (1.0, 5.0), (1.0, 3.0), (f64::NAN, 0.0), (-0.0, 1.0), (0.0, 1.0), (1.0, 3.0)];
        // total_cmp: −0 before +0, NaN (positive) after everything.
        assert_eq!(order(&keys), vec![4, 5, 2, 6, 1, 0, 3]);
    }

    #[test]
    fn sorts_values_stably() {
        let mut v = vec![("c", 3u64), ("a", 1), ("b", 3), ("d", 0)];
        sort_by_key(&mut v, |x| (x.1 as f64, 0.0));
        assert_eq!(v, vec![("d", 0), ("a", 1), ("c", 3), ("b", 3)]);
        let mut empty: Vec<u8> = Vec::new();
        sort_by_key(&mut empty, |&x| (x as f64, 0.0));
        assert!(empty.is_empty());
    }
}
