// Answers for the accessibility walks: for each demo survey, `good` answers that show every
// conditional question and page they can (and pass validation), and `bad` ones that fail it,
// by question id. Shapes are those `answer()` in a11y-walk.mjs takes.

/** Answers that show every conditional question and page of gp-experience, and ones that fail. */
export const GP_PLAN = {
  bad: {
    contact_date: ['31', '2', '2026'],
    email: 'sam.example.org',
    age: '12',
    group: 'N',
    group_site: 'walkers',
    member_code: '1234AB',
  },
  good: {
    contact_method: { value: 'other', detail: 'A text message to the surgery' },
    practice: 'hillview',
    contact_date: ['12', '3', '2026'],
    ease: 2,
    difficulties: { values: ['booking', 'other'], detail: 'The recorded message' },
    difficulty_detail: 'The phone line was engaged every morning for a week.',
    aspects: { booking: 'poor', reception: 'good', information: 'neither' },
    recommend: 5,
    why_low: 'Appointments in the evening.',
    priorities: 1,
    follow_up: 'yes',
    email: 'sam@example.org',
    phone: '01632 960 123',
    postcode: 'NF1 2AB',
    age: '42',
    group: 'Northfield Walkers',
    group_site: 'https://walkers.example.org',
    member_code: 'AB1234',
    use_answers: true,
  },
};

export const DE_PLAN = {
  bad: {},
  good: {
    heard: { value: 'other', detail: 'A poster at the library' },
    channels: ['email', 'webform'],
    ease: 4,
    improve: 'Shorter surveys.',
    area: 'Northfield',
    consent: true,
  },
};

