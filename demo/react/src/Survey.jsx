// The survey as a React component: the widget is mounted into a <div> React renders and never
// touches again, and destroyed in the effect's cleanup, when the route changes or the props do.

import { useEffect, useRef } from 'react';
import { mount } from 'survey-widget';

/**
 * Props are the widget's mount options (survey, endpoint, lang, anonymous, hidden, render,
 * headingLevel) plus `onComplete`, called with the `survey:complete` detail.
 */
export function Survey({ onComplete, ...options }) {
  const host = useRef(null);
  // Remount only when an option really changes, not when a parent renders a new object.
  const key = JSON.stringify(options);
  const completed = useRef(onComplete);
  completed.current = onComplete;

  useEffect(() => {
    const element = host.current;
    const onCompleteEvent = (event) => completed.current?.(event.detail);
    element.addEventListener('survey:complete', onCompleteEvent);

    // The cleanup can run before mount() has resolved (a quick route change, StrictMode):
    // then the widget is destroyed as soon as it arrives.
    let handle = null;
    let cleanedUp = false;
    mount(element, JSON.parse(key)).then(
      (mounted) => {
        if (cleanedUp) mounted.destroy();
        else handle = mounted;
      },
      // The widget has already put a plain message in the element and dispatched survey:error.
      () => {},
    );

    return () => {
      cleanedUp = true;
      handle?.destroy();
      element.removeEventListener('survey:complete', onCompleteEvent);
    };
  }, [key]);

  return <div className="react-survey" ref={host} />;
}
