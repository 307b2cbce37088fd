export * from './errors.js';
export * from './config.js';
export * from './money.js';
export * from './customer.js';
export * from './billing-controls.js';
export { DEFAULT_LOCALE, DEFAULT_TIME_ZONE, NOT_A_NUMBER_TEXT, getFormatters, type CreditFormatters } from './format.js';
