/**
 * The kit's styling, checked by computed style in Chromium (issue 13): each `*-css*.browser.test.tsx` file imports
 * one set-up's CSS (Vitest runs every browser test file in its own page, so their styles never mix) and runs
 * `describeKitStyling()`. What a user saw when a set-up failed: an invisible meter and unfilled buttons (no colours),
 * a list bullet and a 40 px indent in the top-up dialog, default margins on its headings and paragraphs, the
 * tooltip's rows and the usage list, a gap above Close, and a cost badge as wide as the chat message.
 *
 * `SCREENSHOTS=<dir>` also writes PNGs of the components, light and dark, to look at.
 */
import * as React from 'react';
import { render, screen } from '@testing-library/react';
import { page, userEvent } from 'vitest/browser';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultCreditsConfig, type CreditTopUpPackage } from '../../src/core/config.js';
import { CreditBalanceView } from '../../src/react/components/credit-balance.js';
import { CreditTopUpDialogView } from '../../src/react/components/credit-top-up-dialog.js';
import { MessageCostBadge, preloadMessageCostBadgeTooltip } from '../../src/react/components/message-cost-badge.js';
import { UsageBreakdownView } from '../../src/react/components/usage-breakdown.js';
import { GATEWAY_COST } from '../fixtures/message-cost.js';

const TRANSPARENT = 'rgba(0, 0, 0, 0)';

const ITEMS = [
  { id: 't1', label: 'Trip to Lisbon', credits: 4200 },
  { id: 't2', label: 'Quarterly report', credits: 2600 },
  { id: 't3', label: 'Bug triage', credits: 900 },
];

const PACKAGES: readonly CreditTopUpPackage[] = [
  ...defaultCreditsConfig.topUps,
  { id: 'top_up_large', planId: 'top_up_large', label: 'Large pack', credits: 200_000, price: 45, description: 'Best value' },
];

function style(element: Element, pseudo?: string): CSSStyleDeclaration {
  return getComputedStyle(element, pseudo);
}

function slot(name: string): HTMLElement {
  const element = document.querySelector<HTMLElement>(`[data-slot="${name}"]`);
  if (!element) throw new Error(`no [data-slot="${name}"]`);
  return element;
}

/** The four margins, e.g. "0px 0px 0px 0px". */
function margins(element: Element): string {
  const s = style(element);
  return [s.marginTop, s.marginRight, s.marginBottom, s.marginLeft].join(' ');
}

const NO_MARGIN = '0px 0px 0px 0px';

export function setTheme(theme: 'light' | 'dark'): void {
  document.documentElement.classList.toggle('dark', theme === 'dark');
  document.documentElement.style.colorScheme = theme;
  document.body.style.background = 'var(--credits-background)';
  document.body.style.color = 'var(--credits-foreground)';
}

function Balance() {
  return (
    <div style={{ width: 320 }}>
      <CreditBalanceView remaining={3000} granted={8000} locale="en-US" onTopUp={() => {}} breakdown={<UsageBreakdownView items={ITEMS} locale="en-US" />} />
    </div>
  );
}

/** The chat demo's message: a column whose items stretch, the badge under the text. */
function ChatMessage() {
  return (
    <ol style={{ width: 480 }}>
      <li data-testid="message" style={{ display: 'flex', flexDirection: 'column', gap: 4 }}>
        <p>The trip costs about 1,200 € in total.</p>
        <MessageCostBadge size="sm" cost={GATEWAY_COST} locale="en-US" />
      </li>
    </ol>
  );
}

async function openTooltip(): Promise<HTMLElement> {
  await preloadMessageCostBadgeTooltip();
  // The first pointer entry mounts the tooltip (it re-mounts the button); moving on over the badge opens it.
  await userEvent.hover(screen.getByRole('button', { name: /Actual cost/ }), { position: { x: 2, y: 2 } });
  await expect.poll(() => document.querySelector('[data-slot="message-cost-badge-content"]') !== null || hoverAgain(), { timeout: 5000 }).toBe(true);
  return slot('message-cost-badge-content');
}

async function hoverAgain(): Promise<boolean> {
  await userEvent.hover(screen.getByRole('button', { name: /Actual cost/ }), { position: { x: 6, y: 4 } });
  return document.querySelector('[data-slot="message-cost-badge-content"]') !== null;
}

/** A PNG of the element (or the whole page) when `VITE_SCREENSHOTS` names an absolute directory. */
async function shoot(name: string, element?: HTMLElement): Promise<void> {
  const dir = import.meta.env.VITE_SCREENSHOTS as string | undefined;
  if (!dir) return;
  await page.screenshot(element ? { path: `${dir}/${name}.png`, element } : { path: `${dir}/${name}.png` });
}

/**
 * The assertions every set-up must pass, light and dark. `setup` names the screenshots (e.g. `styles-css`).
 */
export function describeKitStyling(setup: string): void {
  afterEach(() => setTheme('light'));

  for (const theme of ['light', 'dark'] as const) {
    describe(`in the ${theme} theme`, () => {
      it('fills the meter and the top-up button with the theme colours', async () => {
        setTheme(theme);
        render(<Balance />);
        const indicator = slot('credit-balance-indicator');
        const box = indicator.getBoundingClientRect();
        expect(box.width).toBeGreaterThan(0);
        expect(box.height).toBeGreaterThan(0);
        expect(style(indicator).backgroundColor).not.toBe(TRANSPARENT);
        expect(style(slot('credit-balance-meter')).backgroundColor).not.toBe(TRANSPARENT);
        expect(style(indicator).backgroundColor).not.toBe(style(slot('credit-balance-meter')).backgroundColor);

        const topUp = screen.getByRole('button', { name: 'Top up' });
        // The button's own text size (text-xs), whatever a reset says about buttons.
        expect(style(topUp).fontSize).toBe('12px');
        expect(style(topUp).backgroundColor).not.toBe(TRANSPARENT);
        expect(style(topUp).color).not.toBe(style(topUp).backgroundColor);
        expect(style(topUp).borderTopStyle === 'outset' || style(topUp).borderTopWidth === '2px').toBe(false);
        expect(parseFloat(style(slot('credit-balance')).borderTopLeftRadius)).toBeGreaterThan(0);
        await shoot(`${setup}.balance.${theme}`, slot('credit-balance'));
      });

      it('shows the top-up dialog without bullets, indents, default margins or a gap above Close', async () => {
        setTheme(theme);
        render(<CreditTopUpDialogView open packages={PACKAGES} locale="en-US" message="This message needs 1,200 credits; you have 300." onSelect={() => {}} />);
        const dialog = await screen.findByRole('dialog');
        const list = slot('credit-top-up-dialog-list');
        expect(style(list).listStyleType).toBe('none');
        expect(style(list).paddingLeft).toBe('0px');
        expect(margins(list)).toBe(NO_MARGIN);
        for (const item of list.querySelectorAll('li')) {
          expect(style(item).listStyleType).toBe('none');
          // No marker box: nothing is drawn left of the package.
          expect(item.getBoundingClientRect().left).toBe(list.getBoundingClientRect().left);
        }
        for (const name of ['credit-top-up-dialog-title', 'credit-top-up-dialog-description', 'credit-top-up-dialog-message', 'credit-top-up-dialog-status']) {
          expect(margins(slot(name)), name).toBe(NO_MARGIN);
        }
        expect(style(slot('credit-top-up-dialog-title')).fontSize).toBe('16px');

        const packages = [...dialog.querySelectorAll('[data-slot="credit-top-up-dialog-package"]')];
        expect(packages).toHaveLength(PACKAGES.length);
        for (const button of packages) {
          expect(style(button).backgroundColor).not.toBe(TRANSPARENT);
          expect(style(button).borderTopWidth).toBe('1px');
          // border-box: a full-width button stays inside its list.
          expect(button.getBoundingClientRect().right).toBeLessThanOrEqual(list.getBoundingClientRect().right + 0.5);
        }
        // The dialog's rows are its grid gap apart, nothing more: the empty status line (a live region, always in the
        // DOM) takes no row until it has something to say.
        const gap = parseFloat(style(dialog).rowGap);
        const close = screen.getByRole('button', { name: 'Close' });
        const lastPackage = packages.at(-1)!.getBoundingClientRect();
        expect(close.getBoundingClientRect().top - lastPackage.bottom).toBeCloseTo(gap, 0);
        expect(style(close).backgroundColor).not.toBe(TRANSPARENT);
        expect(style(close).fontSize).toBe('14px');
        // Box-sizing: the dialog is no wider than its max-width (28rem), padding included.
        expect(dialog.getBoundingClientRect().width).toBeLessThanOrEqual(448);
        await shoot(`${setup}.dialog.${theme}`, dialog);
      });

      it('puts the top-up status line in the flow, without margins, once it has something to say', async () => {
        setTheme(theme);
        render(<CreditTopUpDialogView open packages={PACKAGES} locale="en-US" status="pending" packageId={PACKAGES[0]!.id} />);
        const dialog = await screen.findByRole('dialog');
        const status = slot('credit-top-up-dialog-status');
        expect(status).toHaveTextContent('Processing…');
        expect(margins(status)).toBe(NO_MARGIN);
        const gap = parseFloat(style(dialog).rowGap);
        const close = screen.getByRole('button', { name: 'Close' });
        expect(close.getBoundingClientRect().top - status.getBoundingClientRect().bottom).toBeCloseTo(gap, 0);
        await shoot(`${setup}.dialog-pending.${theme}`, dialog);
      });

      it('lists the usage breakdown without markers, indent or margins', async () => {
        setTheme(theme);
        render(
          <div style={{ width: 320 }}>
            <UsageBreakdownView items={ITEMS} locale="en-US" />
          </div>,
        );
        const list = slot('usage-breakdown-list');
        expect(style(list).listStyleType).toBe('none');
        expect(style(list).paddingLeft).toBe('0px');
        for (const name of ['usage-breakdown-list', 'usage-breakdown-title', 'usage-breakdown-total']) {
          expect(margins(slot(name)), name).toBe(NO_MARGIN);
        }
        for (const item of list.querySelectorAll('li')) expect(style(item).listStyleType).toBe('none');
        const bar = slot('usage-breakdown-bar');
        expect(bar.getBoundingClientRect().width).toBeGreaterThan(0);
        expect(style(bar).backgroundColor).not.toBe(TRANSPARENT);
        await shoot(`${setup}.usage-breakdown.${theme}`, slot('usage-breakdown'));
      });

      it('keeps the cost badge as wide as its text in a stretching column, and its tooltip rows without margins', async () => {
        setTheme(theme);
        render(<ChatMessage />);
        const badge = slot('message-cost-badge');
        expect(style(badge).fontSize).toBe('11px');
        const width = badge.getBoundingClientRect().width;
        expect(width).toBeLessThan(200);
        badge.style.width = 'max-content';
        expect(badge.getBoundingClientRect().width).toBeCloseTo(width, 0);
        badge.style.width = '';

        const content = await openTooltip();
        for (const element of content.querySelectorAll('dl, dt, dd')) expect(margins(element), element.tagName).toBe(NO_MARGIN);
        // The title's only margin is its own `mb-1`.
        expect(margins(slot('message-cost-badge-title'))).toBe('0px 0px 4px 0px');
        expect(style(content).backgroundColor).not.toBe(TRANSPARENT);
        // Let the tooltip's entrance settle before the picture.
        await new Promise((resolve) => setTimeout(resolve, 200));
        await shoot(`${setup}.badge-tooltip.${theme}`, content);
      });
    });
  }
}

/** The kit's primary colour as the browser resolves it (for comparing with an app's). */
export function kitPrimary(): string {
  render(<CreditBalanceView remaining={3000} granted={8000} locale="en-US" onTopUp={() => {}} />);
  return style(slot('credit-balance-indicator')).backgroundColor;
}
