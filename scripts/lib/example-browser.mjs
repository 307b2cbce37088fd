/**
 * What the examples' browser scripts (example-vite.mjs, example-nextjs.mjs) share: Debian's Chromium, free ports,
 * stopping a server, the check list (every check runs and is reported), the error watch on a page, and the
 * computed-style checks on the kit's parts (a missing stylesheet, a missing reset or a stretched layout).
 */
import { createServer } from 'node:net';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
/** The data-slot prefixes of the kit's parts. */
export const KIT_PARTS = ['credit-', 'low-credit-', 'message-cost-', 'usage-breakdown-'];
/** React's hydration errors (#418 text, #419, #422, #423 recoverable, #425 text content) and their dev messages. */
export const HYDRATION = /hydrat|#418|#419|#422|#423|#425|did not match|server rendered/i;

export async function freePort() {
  const server = createServer();
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address();
  await new Promise((done) => server.close(done));
  return port;
}

/** SIGTERM, then SIGKILL after 5 s. */
export async function stop(child) {
  if (!child || child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((done) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      done();
    }, 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
  });
}

export const fail = (message) => {
  throw new Error(message);
};

/**
 * A check list: `check(label, body)` runs `body` (its return value is the detail), records and logs the verdict, and
 * answers whether it passed — so a later check can skip what depends on it while every other one still runs.
 */
export function checkList(log) {
  const checks = [];
  const check = async (label, body) => {
    try {
      const detail = await body();
      checks.push({ name: label, ok: true, detail });
      log(`ok   ${label}${detail ? ` — ${detail}` : ''}`);
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      checks.push({ name: label, ok: false, detail: message });
      log(`FAIL ${label} — ${message}`);
      return false;
    }
  };
  return { checks, check };
}

/**
 * Records console errors, page errors and 4xx/5xx responses of a page in `errors`; with `hydration`, React's
 * hydration errors and warnings (any console level) go there instead.
 */
export function watch(page, errors, hydration = null) {
  const route = (text) => (hydration && HYDRATION.test(text) ? hydration : errors);
  page.on('pageerror', (error) => route(error.message).push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    const text = message.text();
    if (hydration && HYDRATION.test(text)) hydration.push(`console.${message.type()}: ${text}`);
    else if (message.type() === 'error') errors.push(`console.error: ${text} (${message.location().url})`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`${response.status()} ${response.request().method()} ${response.url()}`);
  });
}

/**
 * Computed-style facts about the kit's parts under `rootSelector` (in the page): the browser's margins on headings,
 * paragraphs and lists, list paddings and markers, unfilled top-up/retry/package buttons, outset button borders.
 * Returns a list of problems.
 */
export function styleProblems(page, rootSelector) {
  return page.evaluate(
    ([rootSelector, prefixes]) => {
      const problems = [];
      const kit = prefixes.map((prefix) => `[data-slot^="${prefix}"]`).join(', ');
      const transparent = (color) => color === 'transparent' || /^rgba\(.*,\s*0\)$/.test(color);
      const describe = (element) => `${element.tagName.toLowerCase()}${element.dataset.slot ? `[data-slot=${element.dataset.slot}]` : ''}${element.textContent ? ` "${element.textContent.trim().slice(0, 30)}"` : ''}`;
      const roots = [...document.querySelectorAll(rootSelector)];
      if (roots.length === 0) return [`nothing matches ${rootSelector}`];
      for (const root of roots) {
        const inKit = [root, ...root.querySelectorAll('*')].filter((element) => element.closest(kit));
        for (const element of inKit) {
          const style = getComputedStyle(element);
          const tag = element.tagName.toLowerCase();
          // A margin or padding the kit asked for (a Tailwind class) is fine; the browser's defaults are not.
          const classes = typeof element.className === 'string' ? element.className : '';
          if (['h2', 'h3', 'p', 'ul', 'ol', 'li'].includes(tag)) {
            const margins = [style.marginTop, style.marginRight, style.marginBottom, style.marginLeft];
            if (margins.some((margin) => margin !== '0px') && !/(^|\s)-?m[trblxyse]?-/.test(classes)) problems.push(`${describe(element)} has the browser's margins (${margins.join(' ')})`);
          }
          if (['ul', 'ol'].includes(tag) && style.paddingLeft !== '0px' && !/(^|\s)p[lxs]?-/.test(classes)) problems.push(`${describe(element)} has the browser's list padding (${style.paddingLeft})`);
          if (['ul', 'ol', 'li'].includes(tag) && style.listStyleType !== 'none') problems.push(`${describe(element)} has list markers (list-style-type ${style.listStyleType})`);
          if (tag === 'button' && /top-up$|retry$|-package$/.test(element.dataset.slot ?? '') && transparent(style.backgroundColor)) {
            problems.push(`${describe(element)} is not filled (background ${style.backgroundColor})`);
          }
          if (tag === 'button' && style.borderStyle === 'outset') problems.push(`${describe(element)} has the browser's outset button border`);
        }
      }
      return problems;
    },
    [rootSelector, KIT_PARTS],
  );
}

/**
 * The page-wide computed-style check: every meter indicator under `meterScope` painted (a non-transparent
 * background) and sized, the last cost badge not stretched by its container, plus `styleProblems(page, 'body')`.
 * Throws with every problem; answers a one-line summary.
 */
export async function checkPageStyles(page, meterScope = 'body') {
  const facts = await page.evaluate((meterScope) => {
    const box = (element) => element.getBoundingClientRect();
    const indicators = [...document.querySelectorAll(`${meterScope} [data-slot="credit-balance-indicator"]`)];
    const badge = [...document.querySelectorAll('[data-slot="message-cost-badge"]')].pop();
    return {
      indicators: indicators.map((indicator) => ({ background: getComputedStyle(indicator).backgroundColor, width: box(indicator).width, height: box(indicator).height })),
      badge: badge ? { width: box(badge).width, container: box(badge.parentElement).width } : null,
    };
  }, meterScope);
  const problems = await styleProblems(page, 'body');
  if (facts.indicators.length === 0) problems.push(`no [data-slot=credit-balance-indicator] in ${meterScope}`);
  for (const indicator of facts.indicators) {
    if (/^rgba\(.*,\s*0\)$|^transparent$/.test(indicator.background) || !(indicator.width > 0) || !(indicator.height > 0)) problems.push(`a meter's indicator is not painted: ${JSON.stringify(indicator)}`);
  }
  if (facts.badge && facts.badge.width > facts.badge.container * 0.6) problems.push(`the badge is stretched: ${facts.badge.width}px of its container's ${facts.badge.container}px`);
  if (problems.length > 0) fail(problems.join('; '));
  const indicators = facts.indicators.map((indicator) => `${indicator.background} ${indicator.width.toFixed(0)}×${indicator.height.toFixed(0)} px`).join(', ');
  return `indicator${facts.indicators.length > 1 ? 's' : ''} ${indicators}, badge ${facts.badge?.width.toFixed(0)} of ${facts.badge?.container.toFixed(0)} px`;
}

/** One `hover()` on the badge (no other mouse move): its details must show. */
export async function checkFirstHover(page, badge) {
  await badge.hover();
  const content = page.locator('[data-slot="message-cost-badge-content"]');
  await content.first().waitFor({ state: 'visible', timeout: 5_000 }).catch(() => fail('no details 5 s after the first hover (the pointer stayed on the badge)'));
  return `"${oneLine(await content.first().innerText()).slice(0, 60)}…"`;
}

/** One `tap()` on the badge (a touch context): its details must show. */
export async function checkTap(page, badge) {
  await badge.waitFor();
  await badge.tap();
  const content = page.locator('[data-slot="message-cost-badge-content"]');
  await content.first().waitFor({ state: 'visible', timeout: 5_000 }).catch(() => fail('no details 5 s after a tap on the badge'));
}

/** Text as one line, whitespace collapsed. */
export const oneLine = (text) => text.replace(/\s+/g, ' ').trim();

/**
 * The checks every example runs against its own app, on the stand-in. `app`: `{ page, kit, credits, en, remaining,
 * showsBalance }` — the kit's dist entry, the config, its en-US formatters, the stand-in's balance and a wait until
 * the page shows a balance.
 */

/** A chat call through `send`: settled from the gateway cost; stand-in, badge (last `badgeSelector`) and page agree. */
export async function checkChatCharge({ page, kit, credits, en, remaining, showsBalance }, { send, badgeSelector, perMessage }) {
  const before = remaining();
  const [chat] = await Promise.all([page.waitForResponse((response) => response.url().endsWith('/api/chat')), send.click()]);
  if (chat.status() !== 200) fail(`/api/chat answered ${chat.status()}: ${await chat.text()}`);
  const { cost } = await chat.json();
  if (cost.credits !== perMessage || cost.billed !== true || cost.source !== 'gateway') fail(`/api/chat settled ${JSON.stringify(cost)}, expected ${perMessage} credits billed from the gateway cost`);
  const after = remaining();
  const dropped = kit.subtractCredits(before, after, credits.creditDecimals);
  const badge = page.locator(badgeSelector).last();
  await badge.waitFor({ timeout: 10_000 });
  // The badge reads "0.62 credits" (its amount part alone, "0.62", when the selector points at a composed amount).
  const badgeText = (await badge.innerText()).trim().replace(/\s+credits$/, '');
  if (dropped !== perMessage) fail(`the stand-in's balance dropped by ${dropped} (${before} → ${after}), the call cost ${perMessage}`);
  if (badgeText !== en.credits(dropped)) fail(`the badge reads "${badgeText}", the balance dropped by ${en.credits(dropped)}`);
  await showsBalance(after);
  return { before, after, badgeText };
}

/** Under 20% of `grant`: the warning shows and the CreditBalance at `balanceSelector` is `low`. */
export async function checkLowWarning({ page, remaining }, { grant, balanceSelector }) {
  const share = remaining() / grant;
  if (!(share < 0.2)) fail(`the balance is ${(share * 100).toFixed(2)}% of the grant: not under 20%`);
  const warning = page.locator('[data-slot="low-credit-warning"]');
  await warning.waitFor({ timeout: 10_000 }).catch(() => fail('no [data-slot=low-credit-warning] within 10 s'));
  const state = await page.locator(balanceSelector).first().getAttribute('data-state');
  if (state !== 'low') fail(`the CreditBalance (${balanceSelector}) has data-state ${state}, expected low`);
  return `${(share * 100).toFixed(2)}% left: "${oneLine(await warning.innerText())}"`;
}

/**
 * A top-up from the open `dialog`: attach → the stand-in's checkout URL (it completes the payment and 303s back to
 * `appUrl`) → the stand-in's balance has `topUpCredits` more, the page shows it, and the low warning is gone.
 */
export async function checkTopUp({ page, kit, credits, remaining, showsBalance }, { dialog, standIn, appUrl, topUpCredits, backTimeoutMs }) {
  const before = remaining();
  const checkoutRequest = page.waitForRequest((request) => request.url().startsWith(`${standIn.url}/checkout/`), { timeout: 10_000 });
  const back = page.waitForResponse((response) => response.url() === `${appUrl}/` && response.request().isNavigationRequest(), { timeout: backTimeoutMs });
  await dialog.locator('[data-slot="credit-top-up-dialog-package"]').first().click();
  await checkoutRequest.catch(() => fail("the browser never went to the stand-in's checkout URL"));
  await back.catch(() => fail('the checkout did not return to the app'));
  await page.waitForLoadState('load');
  const [checkout] = standIn.checkouts();
  if (!checkout || checkout.status !== 'completed') fail(`the stand-in's checkout is ${JSON.stringify(checkout)}`);
  const after = remaining();
  if (kit.subtractCredits(after, before, credits.creditDecimals) !== topUpCredits) fail(`the stand-in's balance went ${before} → ${after}, not +${topUpCredits}`);
  await showsBalance(after);
  if ((await page.locator('[data-slot="low-credit-warning"]').count()) > 0) fail('the low warning still shows after the top-up');
  return { checkout, before, after };
}
