import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './index.css';
import { App } from './App';
// Added by `npx shadcn add @autumn-ai-credits/credits-provider` (a file this app owns, with lib/credits.ts).
import { AppCreditsProvider } from '@/components/credits/credits-provider';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppCreditsProvider locale="en-US">
      <App />
    </AppCreditsProvider>
  </StrictMode>,
);
