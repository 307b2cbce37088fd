export * from './errors.js';
export * from './config.js';
export * from './money.js';
export * from './customer.js';
export * from './format.js';
