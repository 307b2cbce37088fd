import * as React from 'react';
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineCredits } from '../../src/core/config.js';
import type { MessageCostRecord } from '../../src/server/meter.js';
import {
  MessageCostBadge,
  MessageCostBadgeAmount,
  MessageCostBadgePrefix,
  MessageCostBadgeUnit,
  MessageCostBadgeView,
  preloadMessageCostBadgeTooltip,
  useMessageCostBadge,
} from '../../src/react/components/message-cost-badge.js';
import {
  MessageCostBadgeCacheReadTokens,
  MessageCostBadgeCacheWriteTokens,
  MessageCostBadgeCredits,
  MessageCostBadgeDetails,
  MessageCostBadgeEstimatedCredits,
  MessageCostBadgeInputTokens,
  MessageCostBadgeModel,
  MessageCostBadgeOutputTokens,
  MessageCostBadgePrice,
  MessageCostBadgeReasoningTokens,
  MessageCostBadgeRow,
  MessageCostBadgeSource,
  MessageCostBadgeTitle,
  MessageCostBadgeTotalTokens,
  useMessageCostBadgeDetails,
} from '../../src/react/components/message-cost-badge-details.js';
import { useCredits } from '../../src/react/credits-context.js';
import { CreditsProvider } from '../../src/react/credits-provider.js';
import { CreditsFormatProvider, useInheritedCreditsFormat } from '../../src/react/lib/credits-format.js';
import { resolveMessageAmounts, tokenBreakdown, type MessageCost } from '../../src/react/lib/message-cost.js';
import { FULL_USAGE, GATEWAY_COST } from '../fixtures/message-cost.js';
import { expectNoAxeViolations } from './axe.js';

// A render counter: every render of a badge resolves its cost exactly once.
vi.mock('../../src/react/lib/message-cost.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/react/lib/message-cost.js')>();
  return { ...original, resolveMessageAmounts: vi.fn(original.resolveMessageAmounts) };
});
// And every render of the connected badge reads the format context exactly once.
vi.mock('../../src/react/lib/credits-format.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/react/lib/credits-format.js')>();
  return { ...original, useInheritedCreditsFormat: vi.fn(original.useInheritedCreditsFormat) };
});
// These tests are about what the badge and its tooltip show; the tooltip's loading on first use has its own file
// (message-cost-badge-lazy.test.tsx). Loaded up front, the first hover or focus mounts the tooltip at once.
beforeAll(async () => {
  expect(await preloadMessageCostBadgeTooltip()).toBe(true);
}, 30_000);
const badgeRenders = vi.mocked(resolveMessageAmounts);
const connectedRenders = vi.mocked(useInheritedCreditsFormat);
beforeEach(() => {
  badgeRenders.mockClear();
  connectedRenders.mockClear();
});

function badge(): HTMLElement {
  return screen.getByRole('button');
}

function tooltipContent(): HTMLElement | null {
  return document.querySelector('[data-slot="message-cost-badge-content"]');
}

/** Tabs to the badge: the first focus mounts the Tooltip and opens it. */
async function focusBadge(user = userEvent.setup()) {
  await user.tab();
  const tooltip = await screen.findByRole('tooltip');
  return { user, tooltip };
}

/** Text with the locale's non-breaking and narrow spaces as plain spaces ("0,25\u00a0€" → "0,25 €"). */
function plain(text: string | null | undefined): string {
  return (text ?? '').replace(/[\u00a0\u202f]/g, ' ');
}

/** Rows of the open tooltip as [term, value] pairs. */
function rows(tooltip: HTMLElement): [string, string][] {
  return within(tooltip)
    .getAllByRole('term')
    .map((term) => [plain(term.textContent), plain(term.nextElementSibling?.textContent)]);
}

/** The visible tooltip (Radix also renders a hidden copy with role="tooltip" for screen readers). */
function visibleTooltip(): HTMLElement {
  const content = tooltipContent();
  if (!(content instanceof HTMLElement)) throw new Error('no tooltip content');
  return content;
}

/** A cost record exactly as `createCreditMeter().settle()` returns it (token pools, null model allowed). */
const SERVER_RECORD: MessageCostRecord = {
  id: 'gen_1',
  customerId: 'org_1',
  featureId: 'ai_credits',
  model: 'anthropic/claude-sonnet-4.5',
  credits: 42.5,
  usd: 0.010625,
  source: 'mixed',
  kind: 'actual',
  estimatedCredits: 60,
  usage: { input: 1200, cacheRead: 3000, cacheWrite: 0, output: 800, reasoning: 400, total: 5400 },
  steps: 2,
  billed: true,
  properties: { thread_id: 't1' },
};

describe('MessageCostBadge', () => {
  describe('given an actual cost', () => {
    it('shows the credits on a solid badge, named for screen readers', async () => {
      const { container } = render(<MessageCostBadge credits={12.5} kind="actual" />);
      expect(badge()).toHaveAttribute('data-slot', 'message-cost-badge');
      expect(badge()).toHaveAttribute('data-state', 'actual');
      expect(badge()).toHaveAccessibleName('Actual cost: 12.5 credits');
      expect(badge()).not.toHaveTextContent('≈');
      await expectNoAxeViolations(container);
    });

    it('counts as actual when nothing says otherwise', () => {
      render(<MessageCostBadge credits={3} />);
      expect(badge()).toHaveAttribute('data-state', 'actual');
    });
  });

  describe('given an estimate', () => {
    it('prefixes "≈" on a dashed badge and titles the tooltip "Estimated cost"', async () => {
      const { container } = render(<MessageCostBadge credits={40} kind="estimate" />);
      expect(badge()).toHaveAttribute('data-state', 'estimate');
      expect(badge()).toHaveTextContent('≈ 40 credits');
      expect(badge()).toHaveAccessibleName('Estimated cost: 40 credits');
      expect(badge().className).toContain('data-[state=estimate]:border-dashed');
      const { tooltip } = await focusBadge();
      expect(within(tooltip).getByText('Estimated cost')).toBeInTheDocument();
      await expectNoAxeViolations(container);
    });

    it('is an estimate when the cost record says its source is "estimate"', () => {
      render(<MessageCostBadge cost={{ credits: 5, source: 'estimate' }} />);
      expect(badge()).toHaveAttribute('data-state', 'estimate');
    });
  });

  describe('given the server cost record', () => {
    it('lists every token kind, the price with sub-cent precision, the model and the price source', async () => {
      render(<MessageCostBadge cost={GATEWAY_COST} locale="en-US" />);
      expect(badge()).toHaveTextContent('0.62 credits');
      const { tooltip } = await focusBadge();
      expect(rows(tooltip)).toEqual([
        ['Credits', '0.62'],
        ['Price', '$0.000155'],
        ['Model', 'openai/gpt-5-mini'],
        ['Input', '200'],
        ['Cached input', '700'],
        ['Cache write', '100'],
        ['Output', '300'],
        ['Reasoning', '200'],
        ['Total tokens', '1,500'],
        ['Priced by', 'AI Gateway'],
      ]);
    });

    it('takes the server helper\'s record as it is: token pools, the pre-flight estimate, a mixed price source', async () => {
      render(<MessageCostBadge cost={SERVER_RECORD} locale="en-US" />);
      expect(badge()).toHaveAttribute('data-state', 'actual');
      expect(badge()).toHaveAccessibleName('Actual cost: 42.5 credits');
      const { tooltip } = await focusBadge();
      expect(rows(tooltip)).toEqual([
        ['Credits', '42.5'],
        ['Estimated', '60'],
        ['Price', '$0.0106'],
        ['Model', 'anthropic/claude-sonnet-4.5'],
        ['Input', '1,200'],
        ['Cached input', '3,000'],
        ['Output', '800'],
        ['Reasoning', '400'],
        ['Total tokens', '5,400'],
        ['Priced by', 'AI Gateway and token rates'],
      ]);
      await expectNoAxeViolations(visibleTooltip());
    });

    it('shows no token rows for a record whose call reported no usage, and no model when it is null', async () => {
      const record: MessageCostRecord = {
        ...SERVER_RECORD,
        model: null,
        estimatedCredits: null,
        usage: { input: 0, cacheRead: 0, cacheWrite: 0, output: 0, reasoning: 0, total: 0 },
      };
      render(<MessageCostBadge cost={record} locale="en-US" />);
      const { tooltip } = await focusBadge();
      expect(rows(tooltip).map(([term]) => term)).toEqual(['Credits', 'Price', 'Priced by']);
    });

    it('lets explicit props win over the record', () => {
      render(<MessageCostBadge cost={GATEWAY_COST} credits={2} kind="estimate" />);
      expect(badge()).toHaveAccessibleName('Estimated cost: 2 credits');
    });

    it('shows an unknown price source as given', async () => {
      render(<MessageCostBadge cost={{ credits: 1, source: 'my-rate-card' }} />);
      const { tooltip } = await focusBadge();
      expect(rows(tooltip)).toContainEqual(['Priced by', 'my-rate-card']);
    });
  });

  describe('given only a price', () => {
    it('converts the gateway decimal string to credits exactly, at the config rate', async () => {
      render(<MessageCostBadge usd="0.0001545" />);
      expect(badge()).toHaveTextContent('0.62 credits');
    });

    it('uses the rate of the provider config', () => {
      render(
        <CreditsFormatProvider config={defineCredits({ creditsPerUsd: 1000 })}>
          <MessageCostBadge usd={0.5} />
        </CreditsFormatProvider>,
      );
      expect(badge()).toHaveTextContent('500 credits');
    });
  });

  describe('given only credits', () => {
    it('derives the price at the config rate', async () => {
      render(<MessageCostBadge credits={4000} locale="en-US" />);
      const { tooltip } = await focusBadge();
      expect(rows(tooltip)).toContainEqual(['Price', '$1.00']);
    });
  });

  describe('given a locale and currency', () => {
    it('formats with the props over the provider, and the provider over the defaults', async () => {
      render(
        <CreditsFormatProvider locale="de-DE" currency="EUR">
          <MessageCostBadge credits={1234.5} usd={0.25} />
          <MessageCostBadge credits={1234.5} locale="en-US" />
        </CreditsFormatProvider>,
      );
      const [german, english] = screen.getAllByRole('button');
      expect(german).toHaveTextContent('1.234,5 credits');
      expect(english).toHaveTextContent('1,234.5 credits');
      await userEvent.setup().tab();
      const tooltip = await screen.findByRole('tooltip');
      expect(rows(tooltip)).toContainEqual(['Price', '0,25 €']);
    });
  });

  describe('given bad input', () => {
    it.each([
      ['NaN credits', { credits: Number.NaN }],
      ['infinite credits', { credits: Number.POSITIVE_INFINITY }],
      ['negative credits', { credits: -3 }],
      ['no amount at all', {}],
      ['a non-numeric price', { usd: 'abc' }],
      ['an empty price', { usd: '' }],
      ['a negative price', { usd: -0.01 }],
      ['a cost record of NaNs', { cost: { credits: Number.NaN, usd: Number.NaN } }],
      ['non-numeric credits', { credits: 'abc' }],
      ['a null cost record', { cost: null }],
      ['an empty cost record', { cost: {} }],
      ['a cost record that is not an object', { cost: 'oops' as never }],
    ])('shows "—" for %s, never NaN, Infinity or a minus', async (_name, props) => {
      const { container } = render(<MessageCostBadge {...props} />);
      expect(badge()).toHaveAttribute('data-state', 'unknown');
      expect(badge()).toHaveTextContent('—');
      expect(badge()).toHaveAccessibleName('Actual cost: unknown');
      const { tooltip } = await focusBadge();
      expect(rows(tooltip)).toEqual([['Credits', '—']]);
      expect(container.ownerDocument.body.textContent).not.toMatch(/NaN|Infinity|-\d/);
    });

    it('reads credits given as a decimal string', () => {
      render(<MessageCostBadge credits="12.5" />);
      expect(badge()).toHaveAccessibleName('Actual cost: 12.5 credits');
    });

    it('ignores a kind it does not know (untyped JSON) and falls back to the source', () => {
      render(<MessageCostBadge cost={{ credits: 1, kind: 'bogus' as never, source: 'estimate' }} />);
      expect(badge()).toHaveAttribute('data-state', 'estimate');
    });

    it('shows astronomic amounts as numbers, without crashing', async () => {
      render(<MessageCostBadge credits={Number.MAX_VALUE} usage={{ inputTokens: Number.MAX_SAFE_INTEGER }} />);
      expect(badge()).toHaveAttribute('data-state', 'actual');
      const { tooltip } = await focusBadge();
      expect(tooltip.textContent).not.toMatch(/NaN|Infinity|-\d/);
    });

    it('falls back to the price when the credits are unreadable', () => {
      render(<MessageCostBadge credits={Number.NaN} usd="0.001" />);
      expect(badge()).toHaveTextContent('4 credits');
    });

    it('shows no token rows without usage, and derives the rows that missing details leave out', async () => {
      const user = userEvent.setup();
      const { rerender } = render(<MessageCostBadge credits={1} usage={undefined} />);
      await user.tab();
      expect(rows(await screen.findByRole('tooltip')).map(([term]) => term)).toEqual(['Credits', 'Price']);

      rerender(<MessageCostBadge credits={1} usage={{ inputTokens: 900, outputTokens: 100 }} />);
      expect(rows(await screen.findByRole('tooltip'))).toEqual([
        ['Credits', '1'],
        ['Price', '$0.00025'],
        ['Input', '900'],
        ['Output', '100'],
        ['Total tokens', '1,000'],
      ]);
    });

    it('leaves out unreadable token counts without dropping the readable ones from the total', async () => {
      render(
        <MessageCostBadge
          credits={1}
          usage={{
            inputTokens: Number.NaN,
            inputTokenDetails: { noCacheTokens: -4, cacheReadTokens: 600 },
            outputTokens: Number.POSITIVE_INFINITY,
            outputTokenDetails: { reasoningTokens: 400 },
          }}
        />,
      );
      const { tooltip } = await focusBadge();
      expect(rows(tooltip)).toEqual([
        ['Credits', '1'],
        ['Price', '$0.00025'],
        ['Cached input', '600'],
        ['Reasoning', '400'],
        ['Total tokens', '1,000'],
      ]);
      expect(tooltip.textContent).not.toMatch(/NaN|Infinity|-\d/);
    });
  });

  describe('given the keyboard', () => {
    it('is focusable, opens its tooltip on focus without losing focus, and Escape closes it', async () => {
      const user = userEvent.setup();
      const { container } = render(<MessageCostBadge cost={GATEWAY_COST} />);
      expect(tooltipContent()).toBeNull();
      await user.tab();
      expect(badge()).toHaveFocus();
      const tooltip = await screen.findByRole('tooltip');
      expect(badge()).toHaveAttribute('aria-describedby', tooltip.id);
      // The page-level "region" rule is the app's concern (a tooltip portals to <body>); check the badge and tooltip.
      await expectNoAxeViolations(container);
      await expectNoAxeViolations(visibleTooltip());
      await user.keyboard('{Escape}');
      expect(screen.queryByRole('tooltip')).toBeNull();
      expect(badge()).toHaveFocus();
    });
  });

  describe('given a pointer', () => {
    it('mounts the tooltip on the first hover and opens it when the pointer moves on', async () => {
      const user = userEvent.setup();
      render(<MessageCostBadge credits={2} />);
      expect(tooltipContent()).toBeNull();
      await user.hover(badge());
      expect(screen.queryByRole('tooltip')).toBeNull();
      await user.pointer({ target: badge(), coords: { x: 2, y: 2 } });
      expect(await screen.findByRole('tooltip')).toHaveTextContent('Actual cost');
      await user.unhover(badge());
    });

    it('runs the consumer handlers first', async () => {
      const seen: string[] = [];
      render(<MessageCostBadge credits={2} onFocus={() => seen.push('focus')} onPointerEnter={() => seen.push('enter')} />);
      const user = userEvent.setup();
      await user.hover(badge());
      await user.tab();
      expect(seen).toEqual(['enter', 'focus']);
    });

    it('calls the consumer\'s onFocus once when the first focus mounts the tooltip', async () => {
      const onFocus = vi.fn();
      render(<MessageCostBadge credits={2} onFocus={onFocus} />);
      await focusBadge();
      expect(onFocus).toHaveBeenCalledTimes(1);
    });

    it('forwards its ref to the button, before and after the tooltip mounts', async () => {
      const ref = React.createRef<HTMLButtonElement>();
      render(<MessageCostBadge credits={2} ref={ref} />);
      expect(ref.current).toBe(badge());
      await focusBadge();
      expect(ref.current).toBe(badge());
    });
  });

  describe('given overrides', () => {
    it('merges className last, relabels, and styles its parts through the root', async () => {
      render(
        <MessageCostBadge
          credits={7}
          size="sm"
          className="px-4 **:data-[slot=message-cost-badge-value]:font-bold"
          labels={{ unit: 'Credits', actual: 'Kosten', price: 'Preis' }}
        />,
      );
      expect(badge()).toHaveAttribute('data-size', 'sm');
      expect(badge().className).toContain('px-4');
      expect(badge().className).not.toContain('px-1.5');
      expect(badge().className).toContain('**:data-[slot=message-cost-badge-value]:font-bold');
      expect(badge()).toHaveAccessibleName('Kosten: 7 Credits');
      const { tooltip } = await focusBadge();
      expect(rows(tooltip)).toContainEqual(['Preis', '$0.00175']);
    });

    it('renders children in place of the amount', () => {
      render(<MessageCostBadgeView credits={7} aria-label="Cost details">$</MessageCostBadgeView>);
      expect(badge()).toHaveTextContent('$');
      expect(badge()).toHaveAccessibleName('Cost details');
    });
  });

  describe('composed from its parts', () => {
    it('renders the badge parts in the order given, each taking its own className, and keeps its name', async () => {
      const { container } = render(
        <MessageCostBadge credits={40} kind="estimate" locale="en-US">
          <MessageCostBadgeUnit className="uppercase" />
          <MessageCostBadgePrefix />
          <MessageCostBadgeAmount className="font-bold" />
        </MessageCostBadge>,
      );
      const slots = [...badge().querySelectorAll('[data-slot]')].map((element) => element.getAttribute('data-slot'));
      expect(slots).toEqual(['message-cost-badge-unit', 'message-cost-badge-prefix', 'message-cost-badge-value']);
      expect(badge().querySelector('[data-slot="message-cost-badge-unit"]')).toHaveClass('uppercase');
      expect(badge().querySelector('[data-slot="message-cost-badge-value"]')).toHaveClass('font-bold');
      expect(badge()).toHaveAccessibleName('Estimated cost: 40 credits');
      await expectNoAxeViolations(container);
    });

    it('shows each badge part only in its states: "≈" on an estimate, the unit with a known amount, "—" without one', () => {
      const parts = (
        <>
          <MessageCostBadgePrefix />
          <MessageCostBadgeAmount />
          <MessageCostBadgeUnit />
        </>
      );
      const { rerender } = render(<MessageCostBadgeView credits={3}>{parts}</MessageCostBadgeView>);
      expect(badge()).toHaveTextContent(/^3credits$/);
      rerender(<MessageCostBadgeView credits={3} kind="estimate">{parts}</MessageCostBadgeView>);
      expect(badge()).toHaveTextContent(/^≈3credits$/);
      rerender(<MessageCostBadgeView credits={Number.NaN}>{parts}</MessageCostBadgeView>);
      expect(badge()).toHaveTextContent(/^—$/);
      expect(badge().querySelector('[data-slot="message-cost-badge-value"]')).toHaveAttribute('aria-hidden', 'true');
      expect(badge()).toHaveAccessibleName('Actual cost: unknown');
    });

    it('lets a part of your own read the resolved cost through useMessageCostBadge', () => {
      function Worth() {
        const { cost, amount } = useMessageCostBadge();
        return <span data-testid="worth">{`${amount} (${cost.model})`}</span>;
      }
      render(
        <MessageCostBadge cost={GATEWAY_COST} locale="en-US">
          <Worth />
        </MessageCostBadge>,
      );
      expect(screen.getByTestId('worth')).toHaveTextContent('0.62 (openai/gpt-5-mini)');
    });

    it('arranges the details through `details`: the detail parts in any order, each with its className, rows of your own', async () => {
      function Steps() {
        const { cost } = useMessageCostBadgeDetails();
        return <MessageCostBadgeRow label="Source">{cost.source}</MessageCostBadgeRow>;
      }
      render(
        <MessageCostBadge
          cost={GATEWAY_COST}
          locale="en-US"
          details={
            <>
              <MessageCostBadgeDetails className="gap-1">
                <MessageCostBadgeTotalTokens className="font-bold" />
                <MessageCostBadgePrice />
                <MessageCostBadgeReasoningTokens>lots</MessageCostBadgeReasoningTokens>
                <Steps />
              </MessageCostBadgeDetails>
              <MessageCostBadgeTitle className="mt-1">Per message</MessageCostBadgeTitle>
            </>
          }
        />,
      );
      const { tooltip } = await focusBadge();
      const content = visibleTooltip();
      expect(rows(tooltip)).toEqual([
        ['Total tokens', '1,500'],
        ['Price', '$0.000155'],
        ['Reasoning', 'lots'],
        ['Source', 'gateway'],
      ]);
      expect(content.querySelector('[data-slot="message-cost-badge-details"]')).toHaveClass('grid', 'gap-1');
      expect(content.querySelector('[data-slot="message-cost-badge-details"]')).not.toHaveClass('gap-0.5');
      expect(content.querySelector('[data-slot="message-cost-badge-row"]')).toHaveClass('font-bold');
      expect(content.querySelector('[data-slot="message-cost-badge-title"]')).toHaveTextContent('Per message');
      expect([...content.querySelectorAll(':scope > [data-slot]')].map((element) => element.getAttribute('data-slot'))).toEqual([
        'message-cost-badge-details',
        'message-cost-badge-title',
      ]);
      await expectNoAxeViolations(content);
    });

    it('shows each row only when it applies to the cost', async () => {
      render(
        <MessageCostBadge
          credits={1}
          usage={{ inputTokens: 900, outputTokens: 100 }}
          locale="en-US"
          details={
            <MessageCostBadgeDetails>
              <MessageCostBadgeCredits />
              <MessageCostBadgeEstimatedCredits />
              <MessageCostBadgeModel />
              <MessageCostBadgeSource />
              <MessageCostBadgeInputTokens />
              <MessageCostBadgeCacheReadTokens />
              <MessageCostBadgeCacheWriteTokens />
              <MessageCostBadgeOutputTokens />
              <MessageCostBadgeReasoningTokens />
              <MessageCostBadgeTotalTokens />
            </MessageCostBadgeDetails>
          }
        />,
      );
      const { tooltip } = await focusBadge();
      expect(rows(tooltip)).toEqual([
        ['Credits', '1'],
        ['Input', '900'],
        ['Output', '100'],
        ['Total tokens', '1,000'],
      ]);
    });

    it('fails loudly when a part is rendered outside a badge', () => {
      const error = vi.spyOn(console, 'error').mockImplementation(() => {});
      try {
        expect(() => render(<MessageCostBadgeAmount />)).toThrow('MessageCostBadge parts must be used within <MessageCostBadge>');
        expect(() => render(<MessageCostBadgePrice />)).toThrow('MessageCostBadge parts must be used within <MessageCostBadge>');
        expect(() => render(<MessageCostBadgeDetails>{null}</MessageCostBadgeDetails>)).toThrow(
          'MessageCostBadge parts must be used within <MessageCostBadge>',
        );
      } finally {
        error.mockRestore();
      }
    });

    it('passes its parts through the connected badge, with the provider\'s locale', async () => {
      render(
        <CreditsFormatProvider locale="de-DE">
          <MessageCostBadge credits={1234.5} details={<MessageCostBadgeTitle />}>
            <MessageCostBadgeAmount />
          </MessageCostBadge>
        </CreditsFormatProvider>,
      );
      expect(badge()).toHaveTextContent(/^1\.234,5$/);
      expect(badge()).toHaveAccessibleName('Actual cost: 1.234,5 credits');
      await focusBadge();
      expect(visibleTooltip()).toHaveTextContent(/^Actual cost$/);
    });
  });

  describe('given a chat of 1,000 messages', () => {
    /** Rendering 1,000 badges in jsdom takes ~1 s alone and several on a loaded 2-core machine: not a timing test. */
    const LARGE_RENDER_TIMEOUT_MS = 30_000;
    const MESSAGES = Array.from({ length: 1000 }, (_, i) => ({
      id: `m${i}`,
      cost: { ...GATEWAY_COST, credits: i / 10, kind: i % 2 ? 'actual' : 'estimate' } satisfies MessageCost,
    }));

    it('mounts no tooltip until one badge is hovered or focused', () => {
      render(
        <ul>
          {MESSAGES.map((message) => (
            <li key={message.id}>
              <MessageCostBadge cost={message.cost} />
            </li>
          ))}
        </ul>,
      );
      expect(screen.getAllByRole('button')).toHaveLength(1000);
      expect(tooltipContent()).toBeNull();
      expect(screen.queryByRole('tooltip')).toBeNull();
      // A mounted Radix trigger would carry aria-describedby/data-state="closed"; plain buttons carry neither.
      expect(document.querySelectorAll('[data-state="closed"], [aria-describedby]')).toHaveLength(0);
    }, LARGE_RENDER_TIMEOUT_MS);

    it('mounts 1,000 badges (a sanity check, not a timing assertion)', () => {
      render(
        <CreditsFormatProvider locale="en-US">
          {MESSAGES.map((message) => (
            <MessageCostBadge key={message.id} cost={message.cost} />
          ))}
        </CreditsFormatProvider>,
      );
      expect(badgeRenders).toHaveBeenCalledTimes(1000);
      expect(screen.getAllByRole('button')[999]).toHaveAccessibleName('Actual cost: 99.9 credits');
    }, 30_000);

    it('re-renders no badge when the app re-renders with rebuilt cost records', () => {
      function Chat({ tick }: { tick: number }) {
        return (
          <div data-tick={tick}>
            {MESSAGES.map((message) => (
              <MessageCostBadge key={message.id} cost={{ ...message.cost, usage: { ...FULL_USAGE } }} />
            ))}
          </div>
        );
      }
      const { rerender } = render(<Chat tick={0} />);
      expect(badgeRenders).toHaveBeenCalledTimes(1000);
      badgeRenders.mockClear();
      connectedRenders.mockClear();
      rerender(<Chat tick={1} />);
      expect(connectedRenders).not.toHaveBeenCalled();
      expect(badgeRenders).not.toHaveBeenCalled();
    });

    it('re-renders no badge when the balance changes', async () => {
      const customer = (remaining: number) => ({ balances: { ai_credits: { granted: 8000, remaining, usage: 8000 - remaining } } });
      function Balance() {
        return <p data-testid="balance">{useCredits().state.remaining}</p>;
      }
      function App({ remaining }: { remaining: number }) {
        // The app re-renders the whole chat with the balance, rebuilding every message's metadata.
        return (
          <CreditsProvider customer={customer(remaining)}>
            <Balance />
            {MESSAGES.map((message) => (
              <MessageCostBadge key={message.id} cost={{ ...message.cost }} />
            ))}
          </CreditsProvider>
        );
      }
      const { rerender } = render(<App remaining={5000} />);
      expect(connectedRenders).toHaveBeenCalledTimes(1000);
      badgeRenders.mockClear();
      connectedRenders.mockClear();
      await act(async () => {
        rerender(<App remaining={4000} />);
      });
      expect(screen.getByTestId('balance')).toHaveTextContent('4000');
      expect(connectedRenders).not.toHaveBeenCalled();
      expect(badgeRenders).not.toHaveBeenCalled();
    });
  });
});

describe('tokenBreakdown', () => {
  it('keeps cache and reasoning tokens in the total', () => {
    expect(tokenBreakdown(FULL_USAGE)).toEqual({ input: 200, cacheRead: 700, cacheWrite: 100, output: 300, reasoning: 200, total: 1500 });
  });

  it('computes the total when the provider reports none, and never lets it fall below the parts', () => {
    expect(tokenBreakdown({ ...FULL_USAGE, totalTokens: undefined })?.total).toBe(1500);
    // A provider whose inputTokens exclude the cache and whose outputTokens exclude reasoning.
    const exclusive = {
      inputTokens: 200,
      inputTokenDetails: { cacheReadTokens: 700 },
      outputTokens: 300,
      outputTokenDetails: { textTokens: 300, reasoningTokens: 200 },
      totalTokens: 500,
    };
    expect(tokenBreakdown(exclusive)).toMatchObject({ input: 200, cacheRead: 700, output: 300, reasoning: 200, total: 1400 });
  });

  it('reads the server helper\'s token pools as they are, and recomputes a total below the parts', () => {
    expect(tokenBreakdown(SERVER_RECORD.usage)).toEqual({ input: 1200, cacheRead: 3000, cacheWrite: 0, output: 800, reasoning: 400, total: 5400 });
    expect(tokenBreakdown({ input: 10, output: 5, total: 3 })).toMatchObject({ input: 10, output: 5, total: 15 });
    expect(tokenBreakdown({ input: 0, cacheRead: 0, cacheWrite: 0, output: 0, reasoning: 0, total: 0 })).toBeNull();
    expect(tokenBreakdown({ input: Number.NaN, output: -1 })).toBeNull();
  });

  it('is null for no usage or nothing readable', () => {
    expect(tokenBreakdown(undefined)).toBeNull();
    expect(tokenBreakdown(null)).toBeNull();
    expect(tokenBreakdown({ inputTokens: Number.NaN })).toBeNull();
  });
});
