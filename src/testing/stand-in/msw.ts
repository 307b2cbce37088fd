/**
 * `autumnStandInHandlers`: the stand-in as MSW request handlers, for Storybook and the demo in a browser (MSW's
 * service worker) or `setupServer` in Node. Two groups of handlers:
 * - `${standIn.origin}/v1/*` and `/checkout/*`: the Autumn API itself;
 * - `${backendUrl}${pathPrefix}/*` (default `/api/autumn/*` on the page's origin): autumn-js's own backend handler
 *   (`autumnHandler` from `autumn-js/fetch`, loaded lazily), whose SDK calls go to `standIn.origin` and are caught
 *   by the first group. So `<AutumnProvider>` + `useCustomer` run unchanged against the stand-in.
 */
import { http, HttpResponse, type RequestHandler } from 'msw';
import { isDroppedConnection } from './errors.js';
import type { AutumnStandIn, AutumnStandInHandlersOptions } from './types.js';

const DEFAULT_PREFIX = '/api/autumn';

async function answer(respond: () => Promise<Response>): Promise<Response> {
  try {
    return await respond();
  } catch (error) {
    if (isDroppedConnection(error)) return HttpResponse.error();
    throw error;
  }
}

export function autumnStandInHandlers(standIn: AutumnStandIn, options: AutumnStandInHandlersOptions): RequestHandler[] {
  const origin = standIn.origin;
  const backendBase = (options.backendUrl ?? '').replace(/\/+$/, '');
  const prefix = `/${(options.pathPrefix ?? DEFAULT_PREFIX).replace(/^\/+|\/+$/g, '')}`;
  // autumnHandler routes on the URL's pathname, so a backendUrl with a path (https://app.test/base) moves the prefix.
  const pathPrefix = `${backendBase === '' ? '' : new URL(backendBase).pathname.replace(/\/+$/, '')}${prefix}`;

  let backend: Promise<(request: Request) => Promise<Response>> | undefined;
  const loadBackend = () =>
    (backend ??= import('autumn-js/fetch').then(({ autumnHandler }) =>
      autumnHandler({
        identify: (request) => options.identify(request),
        secretKey: standIn.secretKey,
        autumnURL: origin,
        pathPrefix,
      }),
    ));

  return [
    http.all(`${origin}/v1/*`, ({ request }) => answer(() => standIn.handle(request))),
    http.all(`${origin}/checkout/*`, ({ request }) => answer(() => standIn.handle(request))),
    http.all(`${backendBase}${prefix}/*`, ({ request }) => answer(async () => (await loadBackend())(request))),
  ];
}
