// What the benchmark measures inside the page. `installProbes` runs in every page before any of
// its scripts (added through the DevTools protocol), the same code on both sides, so the widget
// and SurveyJS are timed by one clock and one rule:
// - first question: the first animation frame in which the first question's title is in the
//   document (the widget's is in its open shadow root), i.e. the frame that paints it;
// - long tasks (over 50 ms), from which the runner works out when the page became interactive;
// - keystrokes: from a key's event time stamp to the end of the next frame (a task posted from
//   that frame's requestAnimationFrame callback runs once the frame has been produced).

/** Serialisable into the page with `addInitScript`: must not use anything from this module. */
export function installProbes(firstTitle) {
  const bench = { firstQuestion: null, longTasks: [], keys: [] };
  window.__bench = bench;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) bench.longTasks.push([entry.startTime, entry.startTime + entry.duration]);
  }).observe({ type: 'longtask', buffered: true });

  const shown = () => {
    const widget = document.querySelector('survey-widget');
    const roots = [document.body, widget && widget.shadowRoot].filter(Boolean);
    return roots.some((root) => (root.textContent || '').includes(firstTitle));
  };
  const frame = () => {
    if (shown()) bench.firstQuestion = performance.now();
    else requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);

  addEventListener(
    'keydown',
    (event) => {
      const start = event.timeStamp;
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => bench.keys.push(performance.now() - start);
        channel.port2.postMessage(null);
      });
    },
    true,
  );
}
