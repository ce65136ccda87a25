// A small single-page app: a home view and a "Have your say" view with the survey. Navigation
// uses the History API, so moving between views unmounts one React tree and mounts the other,
// as in any client-side router; the survey's cleanup then destroys the widget.

import { useCallback, useEffect, useState } from 'react';
import { Survey } from './Survey.jsx';

const SURVEY = {
  survey: '{{collector}}/surveys/digital-engagement.json',
  endpoint: '{{collector}}/api/responses',
  hidden: { channel: 'react' },
  headingLevel: 2,
};

const VIEWS = {
  home: { path: '?view=home', label: 'Home' },
  survey: { path: '?view=survey', label: 'Have your say' },
};

function viewOf(location) {
  return new URLSearchParams(location.search).get('view') === 'survey' ? 'survey' : 'home';
}

export function App() {
  const [view, setView] = useState(() => viewOf(window.location));
  const [reference, setReference] = useState(null);

  useEffect(() => {
    const onPopState = () => setView(viewOf(window.location));
    window.addEventListener('popstate', onPopState);
    return () => window.removeEventListener('popstate', onPopState);
  }, []);

  // Views are changed like a router does: a new history entry, then focus on the new heading.
  const go = useCallback((next) => (event) => {
    event.preventDefault();
    if (next === viewOf(window.location)) return;
    window.history.pushState(null, '', VIEWS[next].path);
    setView(next);
  }, []);

  useEffect(() => {
    document.title = `${VIEWS[view].label} – Northfield health app`;
    document.getElementById('view-heading')?.focus({ preventScroll: true });
  }, [view]);

  return (
    <>
      <nav className="app-nav" aria-label="App">
        <ul>
          {Object.entries(VIEWS).map(([name, { path, label }]) => (
            <li key={name}>
              <a href={path} onClick={go(name)} aria-current={view === name ? 'page' : undefined}>
                {label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {view === 'survey' ? (
        <section className="app-view" aria-labelledby="view-heading">
          <h1 id="view-heading" tabIndex={-1}>Have your say</h1>
          <p className="post__lead">
            This view is rendered by React. The survey below is mounted in an effect and destroyed
            in its cleanup when you move to another view.
          </p>
          <Survey {...SURVEY} onComplete={(detail) => setReference(detail.reference)} />
        </section>
      ) : (
        <section className="app-view" aria-labelledby="view-heading">
          <h1 id="view-heading" tabIndex={-1}>Your local health services</h1>
          <p className="post__lead">
            Opening times, vaccine clinics and news from the Northfield Community Health Partnership,
            in one place.
          </p>
          {reference ? (
            <p className="app-note" role="status">
              Thank you for answering our survey. Your reference is {reference}.
            </p>
          ) : (
            <p>
              We are asking how we should talk with you online.{' '}
              <a href={VIEWS.survey.path} onClick={go('survey')}>Have your say</a> – it takes about
              3 minutes and is anonymous.
            </p>
          )}
          <h2>This week</h2>
          <ul>
            <li>Flu and COVID-19 vaccines at Northfield Library, Tuesday 10am to 12 noon.</li>
            <li>The Eastgate pharmacy is open until 8pm on weekdays.</li>
            <li>Drop-in session with the engagement team, Thursday 2pm to 4pm.</li>
          </ul>
        </section>
      )}
    </>
  );
}
