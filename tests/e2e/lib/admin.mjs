// The collector's admin side as the end-to-end tests use it: signing in through the form, and
// what the editor's API has stored.

/**
 * Opens `url` (an admin page) signed out, signs in through the form it shows, and waits to be
 * back at `url`.
 */
export async function signInAt(page, server, url) {
  await page.goto(url);
  await page.getByLabel('Admin token').fill(server.token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(url);
}

/** The survey's stored draft, parsed, as the API gives it to a signed-in `context`; null if none is kept. */
export async function storedDraft(context, server, surveyId) {
  const response = await context.request.get(`${server.url}/admin/api/surveys/${surveyId}/draft`);
  if (response.status() !== 200) throw new Error(`GET …/draft answered ${response.status()}`);
  const body = await response.json();
  return body.draft ? JSON.parse(body.source) : null;
}

/** The editor's line that says where saving stands. */
export function saveStatus(page) {
  return page.locator('.save-status');
}
