/**
 * UsageChart in Chromium with the plain-CSS set-up (styles.css): the series take the chart palette of the theme
 * (`--credits-chart-N`, light and dark), the bars stay inside the plot at any width, and hovering or focusing a bar
 * shows its tooltip. `VITE_SCREENSHOTS=<dir>` also writes PNGs to look at.
 */
import '../../src/styles/index.css';
import * as React from 'react';
import { render, screen, within } from '@testing-library/react';
import { page, userEvent } from 'vitest/browser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageChartView } from '../../src/react/components/usage-chart.js';
import type { UsageChartAggregateBin, UsageChartPurchase } from '../../src/react/shared/usage-chart.js';
import { setTheme } from './styling.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2025, 2, 14, 15, 30);
const TODAY = Date.UTC(2025, 2, 14);
const MODELS = ['gpt-5', 'claude-sonnet', 'gemini-flash', 'gpt-5-mini', 'o3', 'llama', 'mistral'];

/** 30 days, seven models (two beyond the palette: "Other"), as Autumn answers. */
const LIST: UsageChartAggregateBin[] = Array.from({ length: 31 }, (_, index) => {
  const ago = 30 - index;
  const grouped = Object.fromEntries(MODELS.map((model, position) => [model, ago % 6 === 0 ? 0 : ((ago * 37 + position * 11) % 50) * (7 - position) * 3]));
  return { period: TODAY - ago * DAY, values: { ai_credits: Object.values(grouped).reduce((a, b) => a + b, 0) }, grouped_values: { ai_credits: grouped } };
});
const PURCHASES: UsageChartPurchase[] = [
  { at: TODAY - 20 * DAY, credits: 60_000, kind: 'plan' },
  { at: TODAY - 9 * DAY, credits: 40_000, kind: 'top_up' },
  { at: TODAY - 3 * DAY, credits: 40_000, kind: 'auto_top_up' },
];

async function shoot(name: string, element: HTMLElement): Promise<void> {
  const dir = import.meta.env.VITE_SCREENSHOTS as string | undefined;
  if (dir) await page.screenshot({ path: `${dir}/${name}.png`, element });
}

describe('UsageChart with styles.css', () => {
  beforeEach(async () => {
    await page.viewport(640, 560);
  });
  afterEach(() => setTheme('light'));

  for (const theme of ['light', 'dark'] as const) {
    it(`fills each series with the ${theme} chart palette and "Other" with the muted colour`, async () => {
      setTheme(theme);
      render(
        <div data-testid="frame" style={{ width: 560, padding: 16 }}>
          <UsageChartView aggregate={{ list: LIST }} purchases={PURCHASES} now={NOW} />
        </div>,
      );
      const fills = new Map<string, string>();
      for (const segment of document.querySelectorAll<SVGRectElement>('[data-slot="usage-chart-segment"]')) {
        fills.set(segment.dataset.series!, getComputedStyle(segment).fill);
      }
      const colours = [...fills.values()];
      expect(fills.size).toBe(6);
      expect(new Set(colours).size).toBe(6);
      for (const colour of colours) expect(colour).not.toMatch(/^(none|rgb\(0, 0, 0\)|rgba\(0, 0, 0, 0\))$/);
      const muted = document.createElement('span');
      muted.style.color = 'var(--credits-muted-foreground)';
      document.body.append(muted);
      expect(fills.get('__other__')).toBe(getComputedStyle(muted).color);
      muted.remove();
      const plot = screen.getByRole('group', { name: 'Credits used' });
      const box = plot.getBoundingClientRect();
      for (const segment of document.querySelectorAll('[data-slot="usage-chart-segment"]')) {
        const rect = segment.getBoundingClientRect();
        expect(rect.left).toBeGreaterThanOrEqual(box.left - 0.5);
        expect(rect.right).toBeLessThanOrEqual(box.right + 0.5);
        expect(rect.top).toBeGreaterThanOrEqual(box.top);
      }
      await shoot(`usage-chart.${theme}`, screen.getByTestId('frame'));

      // Hover a bar: its tooltip; focus one from the keyboard: the ring and the tooltip.
      const bars = within(plot).getAllByRole('img');
      await userEvent.hover(bars[12]!);
      expect(document.querySelector('[data-slot="usage-chart-tooltip"]')).toHaveTextContent(/^Feb 25/);
      const hovered = bars[12]!.querySelector('[data-slot="usage-chart-segment"]')!.getBoundingClientRect();
      expect(document.querySelector('[data-slot="usage-chart-tooltip"]')!.getBoundingClientRect().left).toBeGreaterThanOrEqual(hovered.right);
      await shoot(`usage-chart.${theme}.hover`, screen.getByTestId('frame'));
      await userEvent.unhover(bars[12]!);
      bars[29]!.focus();
      await userEvent.keyboard('{ArrowLeft}');
      expect(bars[28]).toHaveFocus();
      const tooltip = document.querySelector('[data-slot="usage-chart-tooltip"]')!;
      expect(tooltip).toHaveTextContent(/^Mar 13/);
      // Beside the bar, never over it.
      const bar = bars[28]!.querySelector('[data-slot="usage-chart-segment"]')!.getBoundingClientRect();
      expect(tooltip.getBoundingClientRect().right).toBeLessThanOrEqual(bar.left);
      await shoot(`usage-chart.${theme}.focus`, screen.getByTestId('frame'));
    });
  }

  it('lays the table out in columns', async () => {
    render(
      <div data-testid="frame" style={{ width: 560, padding: 16 }}>
        <UsageChartView aggregate={{ list: LIST }} purchases={PURCHASES} now={NOW} defaultRange="7d" defaultView="table" />
      </div>,
    );
    const table = screen.getByRole('table');
    expect(getComputedStyle(table).display).toBe('table');
    expect(table.getBoundingClientRect().width).toBeGreaterThan(500);
    await shoot('usage-chart.table', screen.getByTestId('frame'));
  });
});
