// The focus halo in WebKit and Firefox: a radio and a checkbox reached with Tab show the
// yellow halo around their dark outline, counted in a screenshot (lib/focus-halo.mjs); without
// focus they show none. WebKit drops `box-shadow` on natively drawn radios and checkboxes, so
// the stylesheet draws their halo on a box of its own.

import { forEachEngine, journey } from '../lib/webdriver-suite.mjs';
import { find, openSurvey, tabTo } from '../lib/webdriver-pages.mjs';
import { checkHalo, countHalo, haloGeometryInPage } from '../lib/focus-halo.mjs';
import { Q } from '../lib/survey.mjs';

forEachEngine({}, (suite) => {
  journey(suite, 'a radio and a checkbox reached with Tab show the yellow focus halo', async () => {
    const { session, server } = suite;
    await session.setWindowSize(1280, 800);
    const widget = await openSurvey(session, `${server.site}/`, { firstQuestion: Q.heard });
    const heard = await find(session, widget, 'group', Q.heard);
    const radio = await session.execute((group) => group.querySelector('input[type="radio"]'), heard);
    const channels = await find(session, widget, 'group', Q.channels);
    const email = await session.execute((group) => group.querySelector('input[type="checkbox"]'), channels);
    const continueButton = await find(session, widget, 'button', 'Continue');

    // After two frames, so the picture is of the page as it now is (WebKit's screenshot is of
    // the last frame it painted, which may be from before the key press).
    const shotOf = async (control) => {
      await session.executeAsync(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      return countHalo(await session.screenshot(), await session.execute(haloGeometryInPage, control));
    };
    await tabTo(session, radio, `the first radio of "${Q.heard}"`);
    const radioFocused = await shotOf(radio);
    await tabTo(session, email, 'the first checkbox');
    const radioUnfocused = await shotOf(radio);
    const emailFocused = await shotOf(email);
    // Far from the checkbox, so no other control's halo falls in the band around it.
    await tabTo(session, continueButton, '"Continue"');
    const emailUnfocused = await shotOf(email);

    checkHalo('the radio', radioFocused, radioUnfocused);
    checkHalo('the checkbox', emailFocused, emailUnfocused);
  });
});
