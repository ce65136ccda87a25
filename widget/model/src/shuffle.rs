//! The order a choice question's options are shown in.
//!
//! `shuffle` counters order bias (people favour the first options they read), but an order that
//! changed on every render or reload would move options under a respondent's finger. So the
//! order is a pure function of a seed the widget keeps per respondent in its draft: stable while
//! answering and after a reload, different between respondents. No `rand`: a few lines of
//! SplitMix64 shuffle well enough for this and cost the Wasm bundle nothing.

use crate::definition::{ChoiceOption, Question, QuestionKind};

impl Question {
    /// The order to show this question's options in, as indexes into its `options`.
    ///
    /// For a single or multiple choice with `shuffle: true`, a shuffle decided by `seed` and the
    /// question's id (so one respondent's seed gives each question its own order); otherwise,
    /// and for every other type, the written order. Exclusive options ("None of these") always
    /// come last, in their written order, where people expect them. The "other" option is not
    /// in `options`, so it is last anyway. A question without options gives an empty list.
    ///
    /// ```
    /// # use survey_model::Survey;
    /// let survey = Survey::parse(r#"{"format": 1, "id": "s", "title": "T", "pages": [{"id": "p",
    ///   "questions": [{"id": "q", "type": "multiple_choice", "title": "Q", "shuffle": true,
    ///     "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"},
    ///                 {"value": "c", "label": "C"}, {"value": "none", "label": "None", "exclusive": true}]}]}]}"#).unwrap();
    /// let q = &survey.pages[0].questions[0];
    /// let order = q.option_order(42);
    /// assert_eq!(order, q.option_order(42), "the same seed, the same order");
    /// assert_eq!(order[3], 3, "the exclusive option stays last");
    /// let mut sorted = order.clone();
    /// sorted.sort();
    /// assert_eq!(sorted, [0, 1, 2, 3]);
    /// ```
    pub fn option_order(&self, seed: u64) -> Vec<usize> {
        let (options, shuffle): (&[ChoiceOption], bool) = match &self.kind {
            QuestionKind::SingleChoice { options, shuffle, .. }
            | QuestionKind::MultipleChoice { options, shuffle, .. } => (options, *shuffle),
            QuestionKind::Ranking { options } => (options, false),
            _ => (&[], false),
        };
        if !shuffle {
            return (0..options.len()).collect();
        }
        let mut order: Vec<usize> = (0..options.len()).filter(|&i| !options[i].exclusive).collect();
        let mut rng = SplitMix64(seed ^ fnv1a(self.id.as_bytes()));
        // Fisher–Yates: every order equally likely (but for the negligible bias of `below`).
        for i in (1..order.len()).rev() {
            let j = rng.below(i as u64 + 1) as usize;
            order.swap(i, j);
        }
        order.extend((0..options.len()).filter(|&i| options[i].exclusive));
        order
    }
}

/// SplitMix64 (Steele, Lea and Flood): tiny, fast, and good enough for display order.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` ≥ 1), by multiply-and-shift rather than `%`, whose bias towards
    /// small numbers would be larger.
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }
}

/// FNV-1a: turns a question id into a number to mix with the seed, stable across platforms and
/// releases (unlike `std`'s hasher, which must not be relied on for that).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xCBF2_9CE4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01B3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_matches_its_published_first_outputs() {
        // The reference implementation seeded with 0 starts with these.
        let mut r = SplitMix64(0);
        assert_eq!(r.next(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn below_stays_in_range() {
        let mut r = SplitMix64(7);
        for n in 1..50 {
            assert!(r.below(n) < n);
        }
    }
}
