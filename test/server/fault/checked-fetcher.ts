/**
 * A workaround for autumn-js 1.3.13's unhandled rejection on a 2xx body that is not JSON (see exactly-once.test.ts):
 * a fetcher for `new HTTPClient({ fetcher })` that reads every 2xx JSON answer before the SDK does and turns one
 * that does not parse into a connection error (`TypeError`), which the SDK reports as a `ConnectionError` and the
 * meter as "no answer" (ambiguous: retried, then kept in the outbox). Shown here to prove the point; the kit's own
 * client (`autumnHttpClient`) needs none of it.
 */
export function jsonCheckingFetcher(fetcher: typeof fetch): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await fetcher(input, init);
    if (response.ok && (response.headers.get('content-type') ?? '').includes('json')) {
      const text = await response.clone().text();
      try {
        JSON.parse(text);
      } catch {
        throw new TypeError(`fetch failed: Autumn answered ${response.status} with a body that is not JSON`);
      }
    }
    return response;
  }) as typeof fetch;
}
