//! Small sets and maps kept as sorted `Vec`s.
//!
//! Every key type of a `BTreeSet`, `BTreeMap` or `HashMap` compiles its own copy of the
//! collection's code into the widget's Wasm (several KB each before wasm-opt). The sets and maps
//! here hold a survey's ids (a few hundred at most) or a question's options, built once per
//! definition or per visibility pass, so a sorted `Vec` searched by halves does the same job with
//! far less code; inserting shifts the items after it, which costs nothing measurable at that size.

/// Adds `item` to the sorted, repeat-free `set`, keeping it so; `false` when it was already there
/// (as `BTreeSet::insert`).
pub(crate) fn insert<T: Ord>(set: &mut Vec<T>, item: T) -> bool {
    match set.binary_search(&item) {
        Ok(_) => false,
        Err(at) => {
            set.insert(at, item);
            true
        }
    }
}

/// Adds `key` with `value` to the map `map` (sorted by key, one entry per key) unless the key is
/// already there: the first value stays (as `entry(key).or_insert(value)`).
pub(crate) fn insert_first<K: Ord, V>(map: &mut Vec<(K, V)>, key: K, value: V) {
    if let Err(at) = map.binary_search_by(|(k, _)| k.cmp(&key)) {
        map.insert(at, (key, value));
    }
}

/// The value of `key` in a map made by [`insert_first`].
pub(crate) fn get<'m, K: Ord, V>(map: &'m [(K, V)], key: &K) -> Option<&'m V> {
    map.binary_search_by(|(k, _)| k.cmp(key)).ok().map(|at| &map[at].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_set_sorted_and_refuses_repeats() {
        let mut set = Vec::new();
        assert!(insert(&mut set, "b"));
        assert!(insert(&mut set, "a"));
        assert!(insert(&mut set, "c"));
        assert!(!insert(&mut set, "a"), "a repeat is refused");
        assert_eq!(set, ["a", "b", "c"]);
    }

    #[test]
    fn two_sets_are_equal_when_they_hold_the_same_items_in_any_order_of_insertion() {
        let (mut x, mut y) = (Vec::new(), Vec::new());
        for i in ["q", "p", "q", "r"] {
            insert(&mut x, i);
        }
        for i in ["r", "q", "p"] {
            insert(&mut y, i);
        }
        assert_eq!(x, y);
    }

    #[test]
    fn a_map_keeps_the_first_value_of_each_key() {
        let mut map = Vec::new();
        insert_first(&mut map, "q2", 1);
        insert_first(&mut map, "q1", 2);
        insert_first(&mut map, "q2", 3);
        assert_eq!(map, [("q1", 2), ("q2", 1)]);
        assert_eq!(get(&map, &"q2"), Some(&1));
        assert_eq!(get(&map, &"q3"), None);
    }
}
