import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AutumnProvider } from 'autumn-js/react';
import { AutumnCreditsProvider } from 'autumn-ai-credits/autumn';
import './index.css'; // Tailwind, shadcn/ui's theme and the kit's styles (@import "autumn-ai-credits/tailwind.css")
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
