/**
 * Entry point. Wrap with your auth provider's Convex integration (`ConvexProviderWithClerk`, `ConvexAuthProvider`…):
 * every function finds the org from the signed-in identity.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ConvexProvider, ConvexReactClient } from 'convex/react';
import 'autumn-ai-credits/styles.css';
import { App } from './App';

const convex = new ConvexReactClient(import.meta.env.VITE_CONVEX_URL as string);
const threadId = new URLSearchParams(window.location.search).get('thread') ?? '';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConvexProvider client={convex}>
      <App threadId={threadId} />
    </ConvexProvider>
  </StrictMode>,
);
