//! A small stable sort for the short lists of a sheet.
//!
//! `slice::sort_by` is fast, but every call site with its own element type and comparison gets
//! its own copy of the standard library's sort (quicksort, drift sort, small-sort networks):
//! 3–5 KB of WebAssembly each, about 45 KB for this crate's fourteen sorts. The lists sorted here
//! (goals, milestones, check-ins, objections, sheets on a device) have tens of entries, so a
//! binary insertion sort does the same job at a fraction of the code.

use std::cmp::Ordering;

/// Sorts `v` by `cmp`, keeping equal elements in their order (like `slice::sort_by`).
///
/// `O(n log n)` comparisons and `O(n²)` swaps: meant for lists of at most a few hundred.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    insertion_sort(v, &mut cmp);
}

/// Sorts `v` by the key `f` gives each element, stable (like `slice::sort_by_key`).
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut f: impl FnMut(&T) -> K) {
    insertion_sort(v, &mut |a: &T, b: &T| f(a).cmp(&f(b)));
}

// One copy per element type, whatever the comparison.
#[inline(never)]
fn insertion_sort<T>(v: &mut [T], cmp: &mut dyn FnMut(&T, &T) -> Ordering) {
    for i in 1..v.len() {
        // The first place in v[..i] whose element is greater than v[i]: v[i] goes after every
        // element equal to it, which keeps the sort stable.
        let (mut lo, mut hi) = (0, i);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if cmp(&v[mid], &v[i]) == Ordering::Greater {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        let mut j = i;
        while j > lo {
            v.swap(j - 1, j);
            j -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_stable_sort() {
        let mut seed = 12345u32;
        for len in 0..60 {
            let mut v: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    ((seed >> 16) as u8 % 7, i)
                })
                .collect();
            let mut expected = v.clone();
            expected.sort_by_key(|x| x.0);
            sort_by(&mut v, |a, b| a.0.cmp(&b.0));
            assert_eq!(v, expected);
            let mut w = expected.clone();
            w.reverse();
            let mut expected_rev = w.clone();
            expected_rev.sort_by_key(|x| x.0);
            sort_by_key(&mut w, |x| x.0);
            assert_eq!(w, expected_rev);
        }
    }
}
