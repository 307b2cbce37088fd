/**
 * AutoTopUpSettings and SpendLimits in Chromium with the plain-CSS set-up (styles.css, no preflight): the kit's reset
 * gives their fields the surrounding font (not the browser's 13 px system font), the switch and the member meters
 * have their colours light and dark, and nothing overflows a narrow card. `VITE_SCREENSHOTS=<dir>` also writes PNGs.
 */
import '../../src/styles/index.css';
import * as React from 'react';
import { render, screen, within } from '@testing-library/react';
import { page, userEvent } from 'vitest/browser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineCredits, DEFAULT_PLANS } from '../../src/core/config.js';
import { AutoTopUpSettingsView } from '../../src/react/components/auto-top-up-settings.js';
import { SpendLimitsView } from '../../src/react/components/spend-limits.js';
import { setTheme } from './styling.js';

const config = defineCredits({
  plans: [...DEFAULT_PLANS, { id: 'big_topup', name: 'Big top-up', kind: 'top_up', price: 25, credits: 120_000, interval: 'one_off' }],
});
const MEMBERS = [
  { id: 'user_ada', name: 'Ada Lovelace' },
  { id: 'user_alan', name: 'Alan Turing' },
  { id: 'user_grace', name: 'Grace Hopper' },
];

async function shoot(name: string, element: HTMLElement): Promise<void> {
  const dir = import.meta.env.VITE_SCREENSHOTS as string | undefined;
  if (dir) await page.screenshot({ path: `${dir}/${name}.png`, element });
}

function Forms({ width }: { width: number }) {
  return (
    <div data-testid="forms" style={{ width, display: 'grid', gap: 16, padding: 16, fontFamily: 'Georgia, serif', fontSize: 16 }}>
      <AutoTopUpSettingsView
        config={config}
        grant={8000}
        defaultValue={{ enabled: true, threshold: 2000, packId: 'credit_topup', purchaseLimit: { limit: 3, interval: 'month', used: 1, resetsAt: Date.UTC(2026, 11, 1) } }}
      />
      <SpendLimitsView
        members={MEMBERS}
        allowance={60_000}
        overage={1200}
        defaultValue={{
          spendLimit: { enabled: true, limit: { type: 'percent', percent: 20 } },
          memberCaps: [
            { memberId: 'user_ada', credits: 500, interval: 'day', used: 300 },
            { memberId: 'user_alan', credits: 500, interval: 'day', used: 520 },
          ],
        }}
      />
    </div>
  );
}

describe.each(['light', 'dark'] as const)('the settings forms with styles.css (%s)', (theme) => {
  beforeEach(async () => {
    setTheme(theme);
    await page.viewport(720, 1400);
  });
  afterEach(() => setTheme('light'));

  it('give their fields the surrounding font, colour the switch and meters, and fit a narrow card', async () => {
    render(<Forms width={420} />);
    const threshold = screen.getByRole('textbox', { name: 'When the balance falls to' });
    expect(getComputedStyle(threshold).fontFamily).toBe(getComputedStyle(screen.getByTestId('forms')).fontFamily);
    expect(getComputedStyle(screen.getByRole('combobox', { name: 'Buy' })).fontFamily).toMatch(/Georgia/);
    const on = screen.getByRole('switch', { name: 'Auto top-up' });
    const primary = getComputedStyle(document.querySelector('[data-slot="auto-top-up-settings-save"]')!).backgroundColor;
    expect(getComputedStyle(on).backgroundColor).toBe(primary);
    // Alan is past his cap: the meter's bar is the destructive colour, full width and no wider.
    const alan = screen.getAllByRole('meter')[1]!;
    const bar = alan.firstElementChild as HTMLElement;
    expect(getComputedStyle(bar).backgroundColor).not.toBe(getComputedStyle(within(screen.getAllByRole('listitem')[0]!).getByRole('meter').firstElementChild!).backgroundColor);
    expect(bar.getBoundingClientRect().width).toBeCloseTo(alan.getBoundingClientRect().width, 0);
    for (const form of screen.getAllByRole('form')) expect(form.scrollWidth).toBeLessThanOrEqual(form.clientWidth + 1);
    await userEvent.click(screen.getAllByRole('button', { name: 'Save' })[0]!);
    await shoot(`billing-controls-forms-${theme}`, screen.getByTestId('forms'));
  });
});
