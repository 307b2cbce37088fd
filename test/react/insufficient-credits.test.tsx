import * as React from 'react';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { InsufficientCreditsError } from '../../src/server/errors.js';
import {
  InsufficientCreditsPrompt,
  useInsufficientCreditsPrompt,
} from '../../src/react/insufficient-credits.js';
import { isInsufficientCreditsError, parseInsufficientCredits, readInsufficientCredits } from '../../src/react/lib/insufficient-credits.js';
import { CreditsTestProvider } from '../../src/testing/credits-test-provider.js';
import { expectNoAxeViolations } from './axe.js';

const refusal = new InsufficientCreditsError({ featureId: 'ai_credits', needed: 1200, available: 300 });
const body = JSON.parse(JSON.stringify(refusal.toJSON())) as unknown;

describe('parseInsufficientCredits', () => {
  it.each([
    ['the 402 JSON body', body],
    ['the body as text', JSON.stringify(body)],
    ['the server error itself', refusal],
    ['an Error whose message is the body (AI SDK useChat onError)', new Error(JSON.stringify(body))],
    ['an API call error with responseBody', Object.assign(new Error('Payment Required'), { statusCode: 402, responseBody: JSON.stringify(body) })],
    ['an error with the body as cause', new Error('failed', { cause: body })],
  ])('reads %s', (_name, input) => {
    expect(parseInsufficientCredits(input)).toEqual({ needed: 1200, available: 300, featureId: 'ai_credits', reason: { limit: 'balance', memberId: null, cap: null, interval: null, remaining: 300 } });
    expect(isInsufficientCreditsError(input)).toBe(true);
  });

  it.each([
    ['null', null],
    ['another error', new Error('boom')],
    ['another code', { error: { code: 'rate_limited' } }],
    ['broken JSON', '{"error":'],
    ['a number', 402],
  ])('is null for %s', (_name, input) => {
    expect(parseInsufficientCredits(input)).toBeNull();
    expect(isInsufficientCreditsError(input)).toBe(false);
  });

  it('turns unreadable numbers into null, never NaN or negative', () => {
    expect(parseInsufficientCredits({ error: { code: 'insufficient_credits', needed: 'lots', available: -3 } })).toEqual({
      needed: null,
      available: null,
      featureId: null,
      reason: { limit: 'balance', memberId: null, cap: null, interval: null, remaining: null },
    });
  });

  it('reads a 402 Response without consuming it', async () => {
    const response = new Response(JSON.stringify(body), { status: 402, headers: { 'content-type': 'application/json' } });
    expect(await readInsufficientCredits(response)).toEqual({ needed: 1200, available: 300, featureId: 'ai_credits', reason: { limit: 'balance', memberId: null, cap: null, interval: null, remaining: 300 } });
    expect(response.bodyUsed).toBe(false);
    expect(await readInsufficientCredits(new Response('{}', { status: 500 }))).toBeNull();
  });
});

describe('parseInsufficientCredits, given the limit that refused (issue 17)', () => {
  it('reads a member cap with its cap, interval and what is left', () => {
    const capped = new InsufficientCreditsError({
      featureId: 'ai_credits',
      needed: 40,
      available: 9000,
      reason: { limit: 'member_cap', memberId: 'user_ann', cap: 500, interval: 'day', remaining: 12.5 },
    });
    expect(parseInsufficientCredits(JSON.stringify(capped.toJSON()))).toEqual({
      needed: 40,
      available: 9000,
      featureId: 'ai_credits',
      reason: { limit: 'member_cap', memberId: 'user_ann', cap: 500, interval: 'day', remaining: 12.5 },
    });
  });

  it('reads a body from a server before issue 17 (no reason) as the balance', () => {
    expect(parseInsufficientCredits({ error: { code: 'insufficient_credits', needed: 5, available: 1 } })?.reason).toEqual({ limit: 'balance', memberId: null, cap: null, interval: null, remaining: 1 });
  });

  it('turns an unknown limit into the balance and unreadable figures into null', () => {
    expect(parseInsufficientCredits({ error: { code: 'insufficient_credits', needed: 5, available: 1, reason: { limit: 'moon', cap: 3 } } })?.reason.limit).toBe('balance');
    expect(parseInsufficientCredits({ error: { code: 'insufficient_credits', needed: 5, available: 1, reason: { limit: 'spend_limit', cap: 'x', remaining: -1, interval: 'fortnight', memberId: 7 } } })?.reason).toEqual({
      limit: 'spend_limit',
      memberId: null,
      cap: null,
      interval: null,
      remaining: null,
    });
  });
});

describe('InsufficientCreditsPrompt', () => {
  describe('given a refusal from the server', () => {
    it('opens the top-up dialog saying what the message needs, and refreshes the balance', async () => {
      const onRefresh = vi.fn();
      render(
        <CreditsTestProvider balance={300} locale="en-US" onRefresh={onRefresh}>
          <InsufficientCreditsPrompt error={new Error(JSON.stringify(body))} />
        </CreditsTestProvider>,
      );
      const dialog = await screen.findByRole('dialog', { name: 'Top up credits' });
      expect(dialog).toHaveTextContent('This message needs 1,200 credits; you have 300.');
      expect(onRefresh).toHaveBeenCalledTimes(1);
      await expectNoAxeViolations(document.body);

      await userEvent.keyboard('{Escape}');
      expect(screen.queryByRole('dialog')).toBeNull();
    });

    it('leaves out what is available when the server did not say', async () => {
      render(
        <CreditsTestProvider balance={300} locale="en-US">
          <InsufficientCreditsPrompt error={{ error: { code: 'insufficient_credits', needed: 50, available: null } }} />
        </CreditsTestProvider>,
      );
      expect(await screen.findByRole('dialog')).toHaveTextContent('This message needs 50 credits.');
    });
  });

  it('stays closed for other errors', () => {
    render(
      <CreditsTestProvider>
        <InsufficientCreditsPrompt error={new Error('network down')} />
      </CreditsTestProvider>,
    );
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('works as a hook from an error handler, and buying a pack grows the balance', async () => {
    let controller: ReturnType<typeof useInsufficientCreditsPrompt> | null = null;
    function Chat() {
      const prompt = useInsufficientCreditsPrompt({ formatMessage: (needed, available) => `Need ${needed}, have ${available ?? '?'}` });
      controller = prompt;
      return prompt.prompt;
    }
    render(
      <CreditsTestProvider balance={300} locale="en-US">
        <Chat />
      </CreditsTestProvider>,
    );
    let shown = false;
    act(() => {
      shown = controller!.show(new Error('boom'));
    });
    expect(shown).toBe(false);
    act(() => {
      shown = controller!.show(body);
    });
    expect(shown).toBe(true);

    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('Need 1,200, have 300');
    await userEvent.click(within(dialog).getByRole('button', { name: /40,000 credits/ }));
    expect(await within(dialog).findByText('Credits added to your balance.')).toBeInTheDocument();

    act(() => controller!.close());
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});

describe('the React entry', () => {
  it('imports nothing from src/server or src/testing', () => {
    const root = join(process.cwd(), 'src');
    const files: string[] = [join(root, 'index.ts')];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.tsx?$/.test(name)) files.push(path);
      }
    };
    walk(join(root, 'react'));
    for (const file of files) {
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/from '[^']*\/(server|testing)(\/|\.js')/);
    }
  });
});

describe('InsufficientCreditsPrompt, given the limit that refused (issue 17)', () => {
  const refused = (reason: Record<string, unknown>, available: number | null = 12_000) => ({
    error: { code: 'insufficient_credits', needed: 120, available, reason },
  });

  it('says the member reached their own cap and what the org still has, and offers no packages (buying would not help)', async () => {
    render(
      <CreditsTestProvider balance={12_000} locale="en-US">
        <InsufficientCreditsPrompt error={refused({ limit: 'member_cap', memberId: 'user_1', cap: 500, interval: 'day', remaining: 20 })} />
      </CreditsTestProvider>,
    );
    const dialog = await screen.findByRole('dialog', { name: 'Usage cap reached' });
    expect(dialog).toHaveAccessibleDescription(/Buying credits does not lift a cap/);
    expect(dialog).toHaveTextContent('You reached your daily cap of 500 credits; your organization still has 12,000.');
    expect(within(dialog).queryByRole('button', { name: /credits/ })).toBeNull();
    expect(dialog).toHaveAttribute('data-limit', 'member_cap');
    await expectNoAxeViolations(document.body);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('says an org-wide cap was reached', async () => {
    render(
      <CreditsTestProvider balance={12_000} locale="en-US">
        <InsufficientCreditsPrompt error={refused({ limit: 'usage_cap', cap: 90_000, interval: 'month', remaining: 0 })} capLabels={{ title: 'Limit reached' }} />
      </CreditsTestProvider>,
    );
    expect(await screen.findByRole('dialog', { name: 'Limit reached' })).toHaveTextContent('Your organization reached its monthly cap of 90,000 credits.');
  });

  it('says the spend limit was reached, and still offers the packages (credits bought lift it)', async () => {
    render(
      <CreditsTestProvider balance={0} locale="en-US">
        <InsufficientCreditsPrompt error={refused({ limit: 'spend_limit', cap: 5000, remaining: 0 }, 0)} />
      </CreditsTestProvider>,
    );
    const dialog = await screen.findByRole('dialog', { name: 'Top up credits' });
    expect(dialog).toHaveTextContent('Your organization reached its overage limit of 5,000 credits.');
    expect(within(dialog).getByRole('button', { name: /40,000 credits/ })).toBeInTheDocument();
  });

  it('words a cap without figures, and passes the reason to formatMessage', async () => {
    const formatMessage = vi.fn(() => 'custom');
    render(
      <CreditsTestProvider balance={12_000} locale="de-DE">
        <InsufficientCreditsPrompt error={refused({ limit: 'member_cap', memberId: 'u', cap: 1500.5, interval: 'week', remaining: null })} formatMessage={formatMessage} />
      </CreditsTestProvider>,
    );
    expect(await screen.findByRole('dialog')).toHaveTextContent('custom');
    expect(formatMessage).toHaveBeenCalledWith('120', '12.000', { limit: 'member_cap', memberId: 'u', cap: '1.500,5', interval: 'week', remaining: null });
  });
});
