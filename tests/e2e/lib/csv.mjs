// The collector's CSV export read back as records, for checks that need a column by name: the
// reference a respondent was shown lives there (and in the database), not in the payload.

import { storedResponsesCsv } from './server.mjs';

/** Parses CSV text (RFC 4180: quoted fields, doubled quotes, CRLF) into rows of fields. */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** The export as objects keyed by the header's column names. */
export async function storedRecords(server, surveyId) {
  const [header, ...rows] = parseCsv(await storedResponsesCsv(server, surveyId));
  return rows.map((fields) => Object.fromEntries(header.map((name, i) => [name, fields[i]])));
}

/** The reference the collector stored for one submission, or undefined. */
export async function storedReference(server, surveyId, submissionId) {
  const records = await storedRecords(server, surveyId);
  return records.find((r) => r.submission_id === submissionId)?.reference;
}
