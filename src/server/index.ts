export * from './errors.js';
export * from './usage.js';
export * from './pricing.js';
export * from './retry.js';
export * from './meter.js';
export * from './adapters.js';
export * from './convex-legacy.js';
export * from './redis-outbox.js';
