/**
 * `autumn-ai-credits/server` — the server helper. Node and edge safe: no React, no DOM, no secrets of its own
 * (you pass your autumn-js client).
 */
export * from './server/index.js';
export * from './core/errors.js';
export * from './core/config.js';
export * from './core/money.js';
export * from './core/billing-controls.js';
// A build-time tool (writes an autumn.config.ts for `atmn push`): server side only, so the React entry stays small.
export * from './core/autumn-config.js';
