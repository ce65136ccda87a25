// Bundles the React demo into demo/site/pages/react/app.js (an ES module the page loads with
// <script type="module">; no inline script, so the demo server's strict policy holds).
//
// `import { mount } from "survey-widget"` stays an import of the bundle the demo server hosts
// at /survey-widget/index.mjs, as a site that serves the widget's files itself would write it:
// the widget finds its glue, .wasm and stylesheet next to that file at run time.

import * as esbuild from 'esbuild';
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

const widgetFromTheServer = {
  name: 'survey-widget-from-the-server',
  setup(build) {
    build.onResolve({ filter: /^survey-widget$/ }, () => ({ path: '{{collector}}/survey-widget/index.mjs', external: true }));
  },
};

const result = await esbuild.build({
  entryPoints: [here('src/main.jsx')],
  outfile: here('../site/pages/react/app.js'),
  bundle: true,
  format: 'esm',
  target: 'es2020',
  jsx: 'automatic',
  minify: true,
  sourcemap: false,
  define: { 'process.env.NODE_ENV': '"production"' },
  plugins: [widgetFromTheServer],
  logLevel: 'warning',
  metafile: true,
});

const [output] = Object.values(result.metafile.outputs);
console.log(`demo/site/pages/react/app.js: ${output.bytes} bytes`);
