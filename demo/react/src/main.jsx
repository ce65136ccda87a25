// Entry point: renders the app into #app. StrictMode runs every effect's cleanup once more in
// development, which is exactly the mount/destroy race the Survey component must survive.

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.jsx';

createRoot(document.getElementById('app')).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
