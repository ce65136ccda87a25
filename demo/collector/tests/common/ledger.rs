//! What load-generating test clients sent and what the collector told them, for the tests that
//! kill a collector mid-load (crash.rs, instances.rs) and then check nothing acknowledged was lost.

use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// What the clients sent and were told.
#[derive(Default)]
pub struct Ledger {
    /// Every response sent, by submission id.
    pub sent: HashMap<String, Value>,
    /// Acknowledged (201, or 200 for a resend), with the reference given.
    pub acknowledged: HashMap<String, String>,
    /// Sent without a complete answer: in flight at a kill, or sent to a killed collector.
    pub unanswered: HashSet<String>,
    /// Any other answer, which no valid response should get.
    pub unexpected: Vec<(u16, String)>,
}

impl Ledger {
    /// Notes the collector's answer to a first POST of `id`; true if it was acknowledged.
    pub fn record(&mut self, id: String, answer: std::io::Result<(u16, String)>) -> bool {
        match answer {
            Ok((201, body)) => match reference_of(&body) {
                Some(reference) => {
                    self.acknowledged.insert(id, reference);
                    return true;
                }
                None => self.unexpected.push((201, body)),
            },
            Ok((status, body)) => self.unexpected.push((status, body)),
            Err(_) => {
                self.unanswered.insert(id);
            }
        }
        false
    }
}

/// The `reference` of a collector's JSON answer.
pub fn reference_of(body: &str) -> Option<String> {
    serde_json::from_str::<Value>(body).ok()?.get("reference")?.as_str().map(str::to_owned)
}
