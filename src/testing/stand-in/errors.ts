/**
 * Errors the stand-in answers, in Autumn's shape: `{ message, code, env }` with the HTTP status Autumn uses
 * (codes from Autumn's `ErrCode`, e.g. `customer_not_found` 404, `lock_already_exists` 409).
 */
export class StandInApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'StandInApiError';
    this.status = status;
    this.code = code;
  }
}

export const customerNotFound = (customerId: string): StandInApiError =>
  new StandInApiError(404, 'customer_not_found', `Customer ${customerId} not found`);

export const featureNotFound = (featureId: string): StandInApiError =>
  new StandInApiError(404, 'feature_not_found', `Feature ${featureId} not found`);

export const planNotFound = (planId: string): StandInApiError =>
  new StandInApiError(404, 'product_not_found', `Product ${planId} not found`);

/** What Autumn's zod error formatter says of a value of the wrong type: "must be a number (received string)". */
export function received(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

export const invalidInputs = (message: string): StandInApiError => new StandInApiError(400, 'invalid_inputs', message);

export const invalidRequest = (message: string): StandInApiError => new StandInApiError(400, 'invalid_request', message);

/** Marker carried as the `cause` of the TypeError a `drop` fault rejects with. */
export const DROP_MARKER = Symbol.for('autumn-ai-credits.stand-in.drop');

/** The error `handle()` rejects with for a dropped connection: what `fetch` throws in Node for a reset socket. */
export function droppedConnectionError(): TypeError {
  return new TypeError('fetch failed', { cause: { code: 'ECONNRESET', marker: DROP_MARKER } });
}

/** True for the error of a `drop` fault (so the HTTP server can reset the socket and MSW can answer a network error). */
export function isDroppedConnection(error: unknown): boolean {
  if (!(error instanceof TypeError)) return false;
  const cause = (error as { cause?: unknown }).cause;
  return typeof cause === 'object' && cause !== null && (cause as { marker?: unknown }).marker === DROP_MARKER;
}
