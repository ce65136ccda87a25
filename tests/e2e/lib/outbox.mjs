// The widget's outbox as a page of the site sees it (docs/submission.md, "The outbox"): each
// submission under its own localStorage key, `survey-widget:outbox:{submission_id}`, and, as
// earlier releases kept it, one JSON list under `survey-widget:outbox`. Tests read the outbox
// only through these, so that they follow its layout rather than repeat it.

/** The earlier releases' key, and the start of every key of the outbox. */
export const OUTBOX = 'survey-widget:outbox';

/** The key a submission is kept under. */
export const outboxKey = (submissionId) => `${OUTBOX}:${submissionId}`;

/** The outbox's keys in the page's localStorage, sorted ([] once nothing is kept). */
export function outboxKeys(page) {
  return page.evaluate(
    (prefix) => Object.keys(localStorage).filter((key) => key === prefix || key.startsWith(`${prefix}:`)).sort(),
    OUTBOX,
  );
}

/**
 * Every entry of the outbox, across its keys, parsed ([] when there is none); each element of
 * an earlier release's list is one entry. A value that is not JSON is returned as its text.
 */
export function outboxEntries(page) {
  return page.evaluate((prefix) => {
    const entries = [];
    for (const key of Object.keys(localStorage).sort()) {
      if (key !== prefix && !key.startsWith(`${prefix}:`)) continue;
      const text = localStorage.getItem(key);
      let value;
      try {
        value = JSON.parse(text);
      } catch {
        value = text;
      }
      if (key === prefix && Array.isArray(value)) entries.push(...value);
      else entries.push(value);
    }
    return entries;
  }, OUTBOX);
}

/** The submission ids waiting in the outbox, in key order. */
export async function outboxIds(page) {
  return (await outboxEntries(page)).map((entry) => entry?.submission_id ?? null);
}
