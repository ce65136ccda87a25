//! The display order of a choice question's options (`Question::option_order`).

mod common;

use common::*;
use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use survey_model::Question;

/// A question of type `ty` with `n` options, the ones at `exclusive` marked exclusive.
fn choice_question(id: &str, ty: &str, n: usize, exclusive: &[usize], shuffle: bool) -> Question {
    let opts: Vec<Value> = (0..n)
        .map(|i| {
            let mut o = json!({ "value": format!("o{i}"), "label": format!("Option {i}") });
            if exclusive.contains(&i) {
                o["exclusive"] = json!(true);
            }
            o
        })
        .collect();
    let q = question(id, ty, json!({ "options": opts, "shuffle": shuffle }));
    parse(&with_questions(json!([q]))).pages[0].questions[0].clone()
}

fn is_permutation(order: &[usize], n: usize) -> bool {
    order.len() == n && order.iter().copied().collect::<BTreeSet<_>>() == (0..n).collect()
}

#[test]
fn a_shuffle_is_a_permutation_stable_for_its_seed() {
    for ty in ["single_choice", "multiple_choice"] {
        let q = choice_question("q", ty, 8, &[], true);
        let order = q.option_order(12345);
        assert!(is_permutation(&order, 8), "{order:?}");
        assert_eq!(order, q.option_order(12345), "the same seed gives the same order");
        assert_eq!(order, q.clone().option_order(12345), "and does not depend on anything but the seed and question");
    }
}

#[test]
fn different_seeds_and_different_questions_give_different_orders() {
    let q = choice_question("q", "single_choice", 8, &[], true);
    let orders: BTreeSet<Vec<usize>> = (0..50).map(|seed| q.option_order(seed)).collect();
    // 8! = 40320 orders: 50 seeds giving fewer than 45 distinct ones would mean a broken shuffle.
    assert!(orders.len() >= 45, "only {} distinct orders from 50 seeds", orders.len());
    assert!(orders.iter().any(|o| o[0] != 0), "the first option does not always stay first");
    let other = choice_question("r", "single_choice", 8, &[], true);
    let same = (0..50).filter(|&seed| q.option_order(seed) == other.option_order(seed)).count();
    assert!(same <= 2, "two questions share the order for {same} of 50 seeds");
}

#[test]
fn every_option_reaches_every_place() {
    let q = choice_question("q", "single_choice", 4, &[], true);
    let mut seen = [[0u32; 4]; 4];
    for seed in 0..4000 {
        for (place, &option) in q.option_order(seed).iter().enumerate() {
            seen[option][place] += 1;
        }
    }
    // Expect 1000 each; a fair shuffle stays well within 800..1200.
    for (option, places) in seen.iter().enumerate() {
        for (place, &count) in places.iter().enumerate() {
            assert!((800..=1200).contains(&count), "option {option} was at place {place} {count} times of 4000");
        }
    }
}

#[test]
fn exclusive_options_stay_last_in_their_written_order() {
    let q = choice_question("q", "multiple_choice", 7, &[1, 5], true);
    for seed in [0, 1, 2, 99, u64::MAX] {
        let order = q.option_order(seed);
        assert!(is_permutation(&order, 7), "{order:?}");
        assert_eq!(&order[5..], &[1, 5], "seed {seed}: {order:?}");
    }
}

#[test]
fn without_shuffle_the_written_order_is_kept() {
    for ty in ["single_choice", "multiple_choice"] {
        let q = choice_question("q", ty, 5, &[], false);
        assert_eq!(q.option_order(7), [0, 1, 2, 3, 4]);
    }
    // Exclusive options are not moved either: the author's order is the order.
    let q = choice_question("q", "multiple_choice", 3, &[0], false);
    assert_eq!(q.option_order(7), [0, 1, 2]);
    let ranking = parse(&with_questions(json!([question("k", "ranking", json!({ "options": options(&["a", "b", "c"]) }))])));
    assert_eq!(ranking.pages[0].questions[0].option_order(7), [0, 1, 2]);
}

#[test]
fn a_question_without_options_has_an_empty_order() {
    let s = parse(&with_questions(json!([question("t", "text", json!({})), question("r", "rating", json!({}))])));
    for q in &s.pages[0].questions {
        assert_eq!(q.option_order(3), Vec::<usize>::new());
    }
}

#[test]
fn a_single_option_or_only_exclusive_options_shuffle_to_themselves() {
    assert_eq!(choice_question("q", "single_choice", 1, &[], true).option_order(9), [0]);
    assert_eq!(choice_question("q", "multiple_choice", 2, &[0, 1], true).option_order(9), [0, 1]);
}

proptest! {
    #[test]
    fn any_seed_and_size_give_a_permutation_with_exclusive_options_last_when_shuffled(
        n in 1usize..20,
        seed in any::<u64>(),
        marks in prop::collection::vec(any::<bool>(), 20),
        shuffle in any::<bool>(),
    ) {
        let exclusive: Vec<usize> = (0..n).filter(|&i| marks[i]).collect();
        let q = choice_question("q", "multiple_choice", n, &exclusive, shuffle);
        let order = q.option_order(seed);
        prop_assert!(is_permutation(&order, n), "{:?}", order);
        prop_assert_eq!(&order, &q.option_order(seed));
        if shuffle {
            prop_assert_eq!(&order[n - exclusive.len()..], &exclusive[..]);
        } else {
            prop_assert_eq!(order, (0..n).collect::<Vec<_>>());
        }
    }
}
