/** axe-core in a real browser: real layout, real colours, so contrast rules run too (jsdom cannot). */
import axe from 'axe-core';
import { expect } from 'vitest';

export async function expectNoAxeViolations(root: Element | Document = document): Promise<void> {
  const results = await axe.run(root as Element, { resultTypes: ['violations'] });
  const summary = results.violations.map(
    (violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`,
  );
  expect(summary).toEqual([]);
}
