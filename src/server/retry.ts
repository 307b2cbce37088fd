/** Retries with exponential backoff and jitter for the Autumn calls that move money. */
import { sleep } from './autumn-call.js';

export interface RetryOptions {
  /** Attempts in all, first included (default 4). */
  readonly attempts?: number;
  /** First back-off in ms (default 100), doubled each time. */
  readonly baseDelayMs?: number;
  /** Longest back-off in ms (default 2,000). */
  readonly maxDelayMs?: number;
}

export const DEFAULT_RETRY: Required<RetryOptions> = { attempts: 4, baseDelayMs: 100, maxDelayMs: 2000 };

const RETRYABLE_NAMES = new Set(['ConnectionError', 'RequestTimeoutError', 'UnexpectedClientError', 'AbortError', 'TimeoutError']);

/** HTTP status of an autumn-js error, if any. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** Autumn's error code from an autumn-js error (its `body` is the raw JSON text). */
export function autumnCodeOf(error: unknown): string | undefined {
  const body = (error as { body?: unknown } | null)?.body;
  if (typeof body !== 'string') return undefined;
  try {
    const code = (JSON.parse(body) as { code?: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

/** 429, 5xx (and autumn-js's 555 for a network failure), connection errors and timeouts are worth another try. */
export function isRetryable(error: unknown): boolean {
  const status = statusOf(error);
  if (status !== undefined) return status === 429 || status >= 500;
  if (error instanceof TypeError) return true; // fetch failed
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && RETRYABLE_NAMES.has(name);
}

/**
 * Runs `operation(attempt)` until it succeeds, a non-retryable error is thrown, or the attempts run out. The attempt
 * number lets an operation know that an earlier try may have reached Autumn (for idempotency decisions).
 */
export async function withRetry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { attempts, baseDelayMs, maxDelayMs } = { ...DEFAULT_RETRY, ...options };
  let lastError: unknown;
  for (let attempt = 1; attempt <= Math.max(1, attempts); attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      lastError = error;
      if (!isRetryable(error) || attempt >= attempts) throw error;
      const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
      await sleep(backoff / 2 + Math.random() * (backoff / 2));
    }
  }
  throw lastError;
}
