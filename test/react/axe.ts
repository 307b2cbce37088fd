/**
 * An axe-core check for components rendered in jsdom. `color-contrast` is off here only: jsdom computes no styles,
 * so it can neither pass nor fail; the story tests in Chromium run it for real.
 */
import axe from 'axe-core';
import { expect } from 'vitest';

/** Rules jsdom cannot evaluate. */
const JSDOM_DISABLED_RULES = { 'color-contrast': { enabled: false } } as const;

/**
 * Fails with a readable list when axe finds any violation in `container` (default: the whole document, so portalled
 * dialogs and tooltips are checked too).
 */
export async function expectNoAxeViolations(container: Element | Document = document): Promise<void> {
  const results = await axe.run(container, { rules: JSDOM_DISABLED_RULES, resultTypes: ['violations'] });
  const report = results.violations.map(
    (violation) => `${violation.id}: ${violation.help}\n  ${violation.nodes.map((node) => node.target.join(' ')).join('\n  ')}`,
  );
  expect(report, 'axe violations').toEqual([]);
}
