import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AutumnProvider } from 'autumn-js/react';
import { AutumnCreditsProvider } from 'autumn-ai-credits/autumn';
import 'autumn-ai-credits/styles.css'; // the kit's precompiled styles: this app has no Tailwind
import './app.css';
import { LOCALE, credits } from '../credits.js';
import { App } from './App';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {/* autumn-js talks to this app's backend (server.js) at /api/autumn/*; the kit reads the customer from it. */}
    <AutumnProvider>
      <AutumnCreditsProvider config={credits} locale={LOCALE}>
        <App />
      </AutumnCreditsProvider>
    </AutumnProvider>
  </StrictMode>,
);
