//! Reach, returns and drop-off: what the engagement team reads to see how many people saw a
//! survey, started it, got to each page and sent it, per channel and per day.
//!
//! Views, starts and pages reached come from the widget's reach events, which the collector
//! keeps as counters only (store `reach`). Completions are counted from the stored responses
//! themselves, so an answer queued offline and delivered days later still counts, and a
//! completion is never counted twice. The same numbers are the `metrics.json` answer and the
//! "Reach" section of the results page ([`page`]).

pub mod page;

use crate::store::{CompletionCount, ReachCount};
use serde::Serialize;
use std::collections::BTreeMap;
use survey_model::{ReachKind, Survey};

/// The `by_channel` key of embeds that gave no channel. Parentheses cannot be part of a
/// channel's name, so it never collides with one.
pub const NO_CHANNEL: &str = "(none)";

/// Views, starts and completions: the funnel, for a channel, a day or the whole survey.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Funnel {
    pub views: u64,
    pub starts: u64,
    pub completions: u64,
}

/// The funnel of one UTC day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Day {
    /// `YYYY-MM-DD`.
    pub date: String,
    #[serde(flatten)]
    pub funnel: Funnel,
}

/// How many times a page was reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageReach {
    /// The page's id.
    pub page: String,
    pub reached: u64,
}

/// Everything `GET /admin/surveys/{id}/metrics.json` answers (docs/collector.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Metrics {
    #[serde(flatten)]
    pub total: Funnel,
    pub by_channel: BTreeMap<String, Funnel>,
    /// Oldest first; only days with something to count.
    pub by_day: Vec<Day>,
    /// The current version's pages in their order (even those nobody reached), then pages that
    /// only older versions had.
    pub by_page: Vec<PageReach>,
}

impl Metrics {
    /// Adds up the counters and the completions of one survey.
    pub fn tally(survey: &Survey, reach: &[ReachCount], completions: &[CompletionCount]) -> Metrics {
        let mut total = Funnel::default();
        let mut by_channel: BTreeMap<String, Funnel> = BTreeMap::new();
        let mut by_day: BTreeMap<String, Funnel> = BTreeMap::new();
        let mut pages: BTreeMap<String, u64> = BTreeMap::new();
        for r in reach {
            let slot = |f: &mut Funnel| -> Option<()> {
                match r.kind.as_str() {
                    k if k == ReachKind::Viewed.as_str() => f.views += r.count,
                    k if k == ReachKind::Started.as_str() => f.starts += r.count,
                    _ => return None,
                }
                Some(())
            };
            if r.kind == ReachKind::Page.as_str() {
                *pages.entry(r.page.clone()).or_default() += r.count;
                continue;
            }
            slot(&mut total);
            slot(by_channel.entry(channel_key(&r.channel)).or_default());
            slot(by_day.entry(r.day.clone()).or_default());
        }
        for c in completions {
            total.completions += c.count;
            by_channel.entry(channel_key(&c.channel)).or_default().completions += c.count;
            by_day.entry(c.day.clone()).or_default().completions += c.count;
        }
        Metrics {
            total,
            by_channel,
            by_day: by_day.into_iter().map(|(date, funnel)| Day { date, funnel }).collect(),
            by_page: pages_in_order(survey, pages),
        }
    }
}

impl Funnel {
    /// `part` of `whole` as a whole percentage, or `None` when there is nothing to divide by.
    /// Above 100 is possible and shown as it is: respondents whose browser blocked the reach
    /// events still complete.
    pub fn percent(part: u64, whole: u64) -> Option<u64> {
        (whole > 0).then(|| (part.saturating_mul(100) + whole / 2) / whole)
    }
}

fn channel_key(stored: &str) -> String {
    if stored.is_empty() { NO_CHANNEL.to_owned() } else { stored.to_owned() }
}

/// The current pages first, in the survey's order, then the rest by id.
fn pages_in_order(survey: &Survey, mut counted: BTreeMap<String, u64>) -> Vec<PageReach> {
    let mut out: Vec<PageReach> = survey
        .pages
        .iter()
        .map(|p| PageReach { page: p.id.clone(), reached: counted.remove(&p.id).unwrap_or(0) })
        .collect();
    out.extend(counted.into_iter().map(|(page, reached)| PageReach { page, reached }));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn survey() -> Survey {
        Survey::parse(
            r#"{"format": 1, "id": "s", "title": "S", "pages": [
                {"id": "one", "questions": [{"id": "a", "type": "text", "title": "A"}]},
                {"id": "two", "questions": [{"id": "b", "type": "text", "title": "B"}]},
                {"id": "three", "questions": [{"id": "c", "type": "text", "title": "C"}]}]}"#,
        )
        .expect("a valid survey")
    }

    fn reach(channel: &str, day: &str, kind: &str, page: &str, count: u64) -> ReachCount {
        ReachCount { channel: channel.into(), day: day.into(), kind: kind.into(), page: page.into(), count }
    }

    #[test]
    fn counters_and_completions_add_up_per_channel_day_and_page() {
        let counted = [
            reach("", "2026-12-01", "viewed", "", 4),
            reach("newsletter", "2026-12-01", "viewed", "", 6),
            reach("newsletter", "2026-12-02", "started", "", 3),
            reach("newsletter", "2026-12-02", "page", "one", 3),
            reach("newsletter", "2026-12-02", "page", "two", 2),
            reach("", "2026-12-02", "page", "gone", 1),
        ];
        let done = [CompletionCount { channel: "newsletter".into(), day: "2026-12-03".into(), count: 2 }];
        let m = Metrics::tally(&survey(), &counted, &done);
        assert_eq!(m.total, Funnel { views: 10, starts: 3, completions: 2 });
        assert_eq!(m.by_channel[NO_CHANNEL], Funnel { views: 4, starts: 0, completions: 0 });
        assert_eq!(m.by_channel["newsletter"], Funnel { views: 6, starts: 3, completions: 2 });
        let days: Vec<_> = m.by_day.iter().map(|d| (d.date.as_str(), d.funnel.views, d.funnel.starts, d.funnel.completions)).collect();
        assert_eq!(days, [("2026-12-01", 10, 0, 0), ("2026-12-02", 0, 3, 0), ("2026-12-03", 0, 0, 2)]);
        let pages: Vec<_> = m.by_page.iter().map(|p| (p.page.as_str(), p.reached)).collect();
        assert_eq!(pages, [("one", 3), ("two", 2), ("three", 0), ("gone", 1)]);
    }

    #[test]
    fn the_json_has_the_documented_shape() {
        let m = Metrics::tally(&survey(), &[reach("web", "2026-12-01", "viewed", "", 1)], &[]);
        let json = serde_json::to_value(&m).expect("serialises");
        assert_eq!(json["views"], 1);
        assert_eq!(json["by_channel"]["web"], serde_json::json!({"views": 1, "starts": 0, "completions": 0}));
        assert_eq!(json["by_day"][0], serde_json::json!({"date": "2026-12-01", "views": 1, "starts": 0, "completions": 0}));
        assert_eq!(json["by_page"][0], serde_json::json!({"page": "one", "reached": 0}));
    }

    #[test]
    fn percentages_round_and_never_divide_by_zero() {
        assert_eq!(Funnel::percent(1, 3), Some(33));
        assert_eq!(Funnel::percent(2, 3), Some(67));
        assert_eq!(Funnel::percent(5, 4), Some(125));
        assert_eq!(Funnel::percent(1, 0), None);
    }
}
