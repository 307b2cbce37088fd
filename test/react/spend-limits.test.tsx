/**
 * SpendLimits (issue 17): the org's overage limit and its members' caps. Validation is the core's
 * checkBillingControls (Autumn's spendLimit.ts `overage_limit >= 0`, usageLimit.ts `limit >= 0` and its 128-character
 * filter values), shown next to the field before anything is saved; a percent limit is of the allowance
 * (resolveSpendLimitOverageLimit.ts: overage_limit / 100 × allowance).
 */
import * as React from 'react';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { defaultCreditsConfig } from '../../src/core/config.js';
import type { BillingControls, BillingControlsInput, MemberCap } from '../../src/core/billing-controls.js';
import {
  SpendLimits,
  SpendLimitsFooter,
  SpendLimitsMember,
  SpendLimitsMembers,
  SpendLimitsSave,
  SpendLimitsTitle,
  SpendLimitsView,
  useSpendLimitsCap,
} from '../../src/react/components/spend-limits.js';
import { memberCapUsage, type BillingControlsData } from '../../src/react/shared/billing-controls-form.js';
import { checkSpendLimitsValue, type SpendLimitsValue } from '../../src/react/shared/spend-limits.js';
import { expectNoAxeViolations } from './axe.js';

const MEMBERS = [
  { id: 'user_ada', name: 'Ada' },
  { id: 'user_bo', name: 'Bo' },
  { id: 'user_cy', name: 'Cy' },
];

const CAPS: MemberCap[] = [
  { memberId: 'user_ada', credits: 500, interval: 'day', enabled: true, used: 300 },
  { memberId: 'user_bo', credits: 500, interval: 'day', enabled: true, used: 500 },
];

const VALUE: SpendLimitsValue = { spendLimit: { enabled: true, limit: { type: 'credits', credits: 5000 } }, memberCaps: CAPS };

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function form(): HTMLElement {
  return screen.getByRole('form', { name: 'Spend limits' });
}

function row(name: string): HTMLElement {
  const list = screen.getByRole('list', { name: 'Member caps' });
  const item = within(list)
    .getAllByRole('listitem')
    .find((element) => element.querySelector('span')?.textContent === name);
  if (!item) throw new Error(`no row for ${name}`);
  return item;
}

function data(controls: Partial<BillingControls>, granted = 100_000, overage = 1000): BillingControlsData {
  // Pro Monthly's 60,000 and a 40,000 top-up: a percent limit is of the plan's allowance only.
  return { controls: { autoTopUp: null, spendLimit: null, memberCaps: [], alerts: [], ...controls }, granted, allowance: 60_000, overage };
}

describe('memberCapUsage', () => {
  it.each([
    [300, 500, { percent: 60, reached: false }],
    [500, 500, { percent: 100, reached: true }],
    [900, 500, { percent: 100, reached: true }],
    [0, 0, { percent: 100, reached: true }],
    [Number.NaN, 500, { percent: 0, reached: false }],
    [-20, 500, { percent: 0, reached: false }],
  ])('is never NaN, negative or over 100 %% (used %s of %s)', (used, cap, expected) => {
    expect(memberCapUsage(used, cap)).toEqual(expected);
  });

  it('is null for an unreadable cap', () => {
    expect(memberCapUsage(10, Number.NaN)).toBeNull();
    expect(memberCapUsage(10, -1)).toBeNull();
  });
});

describe('checkSpendLimitsValue', () => {
  const context = { config: defaultCreditsConfig };
  it('sends the whole normalized list, and an overage limit that is off and does not hold as null', () => {
    expect(checkSpendLimitsValue({ spendLimit: { enabled: false, limit: { type: 'percent', percent: 'x' } }, memberCaps: [{ memberId: 'a', credits: '12.5', interval: 'week' }] }, context)).toEqual({
      issues: [],
      controls: { spendLimit: null, memberCaps: [{ memberId: 'a', credits: 12.5, interval: 'week', enabled: true }] },
    });
  });

  it('refuses a cap below what the member used this window', () => {
    const { issues } = checkSpendLimitsValue({ spendLimit: null, memberCaps: [{ ...CAPS[0]!, credits: 200 }] }, context);
    expect(issues.map((issue) => [issue.field, issue.reason])).toEqual([['memberCaps[0].credits', 'below_usage']]);
  });
});

describe('SpendLimitsView', () => {
  describe('given an overage limit and two members, one at their cap', () => {
    it('shows the limit, each member\'s cap and their usage as a meter', async () => {
      const { container } = render(<SpendLimitsView defaultValue={VALUE} members={MEMBERS} allowance={60_000} overage={1000} />);
      expect(screen.getByRole('switch', { name: 'Overage limit' })).toHaveAttribute('aria-checked', 'true');
      const limit = screen.getByRole('textbox', { name: 'Limit' });
      expect(limit).toHaveValue('5000');
      expect(limit).toHaveAccessibleDescription('1,000 credits of overage used this period.');

      const ada = row('Ada');
      expect(ada).toHaveAttribute('data-state', 'ok');
      expect(within(ada).getByRole('textbox', { name: 'Cap for Ada, in credits' })).toHaveValue('500');
      expect(within(ada).getByRole('combobox', { name: 'Period of Ada’s cap' })).toHaveValue('day');
      const meter = within(ada).getByRole('meter', { name: 'Ada' });
      expect(meter).toHaveAttribute('aria-valuenow', '60');
      expect(meter).toHaveAttribute('aria-valuetext', '300 of 500 credits used today');

      const bo = row('Bo');
      expect(bo).toHaveAttribute('data-state', 'reached');
      expect(bo).toHaveTextContent('Cap reached');
      expect(within(bo).getByRole('meter')).toHaveAttribute('aria-valuenow', '100');
      await expectNoAxeViolations(container);
    });

    it('keeps the meter within 0..100 % when usage is past the cap, and shows near from 80 %', () => {
      render(
        <SpendLimitsView
          defaultValue={{ spendLimit: null, memberCaps: [{ memberId: 'x', credits: 100, interval: 'week', used: 250 }, { memberId: 'y', credits: 100, interval: 'month', used: 85 }] }}
        />,
      );
      expect(within(row('x')).getByRole('meter')).toHaveAttribute('aria-valuenow', '100');
      expect(within(row('x')).getByRole('meter')).toHaveAttribute('aria-valuetext', '250 of 100 credits used this week');
      expect(row('y')).toHaveAttribute('data-state', 'near');
    });
  });

  it('shows a percent limit in credits of the plan\'s allowance (Autumn: overage_limit / 100 × allowance), and money at the config\'s rate', async () => {
    render(<SpendLimitsView defaultValue={{ spendLimit: { enabled: true, limit: { type: 'percent', percent: 50 } }, memberCaps: [] }} allowance={60_000} />);
    const limit = screen.getByRole('textbox', { name: 'Limit' });
    expect(limit).toHaveAccessibleDescription('30,000 credits of overage.');
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Unit' }), 'money');
    expect(limit).toHaveValue('50');
    expect(limit).toHaveAccessibleDescription('200,000 credits of overage.');
    expect(screen.getByText('No member has a cap.')).toBeInTheDocument();
  });

  describe('given invalid input', () => {
    it('refuses a cap below what the member used, next to it, before any save', async () => {
      const onSave = vi.fn();
      const { container } = render(<SpendLimitsView defaultValue={VALUE} members={MEMBERS} onSave={onSave} />);
      const user = userEvent.setup();
      const cap = within(row('Ada')).getByRole('textbox', { name: 'Cap for Ada, in credits' });
      await user.clear(cap);
      await user.type(cap, '200');
      await user.tab();
      expect(cap).toHaveAttribute('aria-invalid', 'true');
      expect(cap).toHaveAccessibleDescription('Below the 300 credits this member used already this period.');
      await user.click(screen.getByRole('button', { name: 'Save' }));
      expect(onSave).not.toHaveBeenCalled();
      expect(cap).toHaveFocus();
      expect(form()).toHaveAttribute('data-state', 'invalid');
      await expectNoAxeViolations(container);
    });

    it.each([
      ['-1', 'Enter 0 or more.'],
      ['NaN', 'Enter a number, like 2000.'],
    ])('refuses an overage limit of %s', async (typed, message) => {
      const onSave = vi.fn();
      render(<SpendLimitsView defaultValue={VALUE} onSave={onSave} />);
      const limit = screen.getByRole('textbox', { name: 'Limit' });
      await userEvent.clear(limit);
      await userEvent.type(limit, `${typed}{Enter}`);
      expect(limit).toHaveAccessibleDescription(expect.stringContaining(message));
      expect(onSave).not.toHaveBeenCalled();
    });
  });

  describe('adding, editing and removing caps', () => {
    it('adds a cap for a member from the list, refusing a missing member or amount first', async () => {
      const onValueChange = vi.fn();
      render(<SpendLimitsView defaultValue={VALUE} members={MEMBERS} onValueChange={onValueChange} />);
      const user = userEvent.setup();
      const member = screen.getByRole('combobox', { name: 'Member' });
      expect(within(member).getAllByRole('option').map((option) => option.textContent)).toEqual(['Choose a member', 'Cy']);
      await user.click(screen.getByRole('button', { name: 'Add cap' }));
      expect(member).toHaveAccessibleDescription('Required.');
      expect(member).toHaveFocus();
      await user.selectOptions(member, 'user_cy');
      await user.type(screen.getByRole('textbox', { name: 'Credits' }), '-5{Enter}');
      expect(screen.getByRole('textbox', { name: 'Credits' })).toHaveAccessibleDescription('Enter 0 or more.');
      await user.clear(screen.getByRole('textbox', { name: 'Credits' }));
      await user.type(screen.getByRole('textbox', { name: 'Credits' }), '1000');
      await user.selectOptions(screen.getByRole('combobox', { name: 'Period' }), 'week');
      await user.click(screen.getByRole('button', { name: 'Add cap' }));
      expect(within(row('Cy')).getByRole('textbox', { name: 'Cap for Cy, in credits' })).toHaveValue('1000');
      expect(onValueChange).toHaveBeenLastCalledWith({ ...VALUE, memberCaps: [...CAPS, { memberId: 'user_cy', credits: '1000', interval: 'week' }] });
      // The new cap has no usage yet: no meter.
      expect(within(row('Cy')).queryByRole('meter')).toBeNull();
      expect(screen.getByRole('textbox', { name: 'Credits' })).toHaveValue('');
    });

    it('adds by member id without a list, refusing a member twice and an id over 128 characters', async () => {
      render(<SpendLimitsView defaultValue={VALUE} />);
      const user = userEvent.setup();
      const member = screen.getByRole('textbox', { name: 'Member' });
      await user.type(member, 'user_ada');
      await user.type(screen.getByRole('textbox', { name: 'Credits' }), '10{Enter}');
      expect(member).toHaveAccessibleDescription('This member has a cap already.');
      await user.clear(member);
      await user.type(member, 'x'.repeat(129));
      await user.click(screen.getByRole('button', { name: 'Add cap' }));
      expect(member).toHaveAccessibleDescription('At most 128 characters.');
    });

    it('edits a cap\'s amount and period, and removes one from the keyboard (focus moves to the new cap\'s member)', async () => {
      const onSave = vi.fn();
      render(<SpendLimitsView defaultValue={VALUE} members={MEMBERS} onSave={onSave} />);
      const user = userEvent.setup();
      const cap = within(row('Ada')).getByRole('textbox', { name: 'Cap for Ada, in credits' });
      await user.clear(cap);
      await user.type(cap, '750');
      await user.selectOptions(within(row('Ada')).getByRole('combobox'), 'month');
      within(row('Bo')).getByRole('button', { name: 'Remove the cap for Bo' }).focus();
      await user.keyboard('{Enter}');
      expect(screen.queryByText('Bo', { selector: 'span' })).toBeNull();
      expect(screen.getByRole('combobox', { name: 'Member' })).toHaveFocus();
      await user.click(screen.getByRole('button', { name: 'Save' }));
      expect(onSave).toHaveBeenCalledWith({
        spendLimit: { enabled: true, limit: { type: 'credits', credits: 5000 } },
        memberCaps: [{ memberId: 'user_ada', credits: 750, interval: 'month', enabled: true }],
      } satisfies BillingControlsInput);
    });
  });

  describe('when saved', () => {
    it('says Saving… then Saved., and a failure in an alert', async () => {
      const pending = deferred<void>();
      const onSave = vi.fn().mockReturnValueOnce(pending.promise).mockRejectedValueOnce(new Error('503'));
      const { container } = render(<SpendLimitsView defaultValue={VALUE} onSave={onSave} />);
      await userEvent.click(screen.getByRole('button', { name: 'Save' }));
      expect(screen.getByRole('status')).toHaveTextContent('Saving…');
      expect(form()).toHaveAttribute('aria-busy', 'true');
      await act(async () => pending.resolve());
      expect(screen.getByRole('status')).toHaveTextContent('Saved.');
      await userEvent.click(screen.getByRole('button', { name: 'Save' }));
      expect(await screen.findByRole('alert')).toHaveTextContent('Could not save the spend limits. Try again.');
      expect(form()).toHaveAttribute('data-state', 'failed');
      await expectNoAxeViolations(container);
    });

    it('turns the overage limit off without being refused', async () => {
      const onSave = vi.fn();
      render(<SpendLimitsView defaultValue={{ ...VALUE, spendLimit: { enabled: true, limit: { type: 'credits', credits: 'abc' } } }} onSave={onSave} />);
      await userEvent.click(screen.getByRole('switch', { name: 'Overage limit' }));
      expect(screen.getByRole('textbox', { name: 'Limit' })).toBeDisabled();
      await userEvent.click(screen.getByRole('button', { name: 'Save' }));
      expect(onSave).toHaveBeenCalledWith({ spendLimit: null, memberCaps: CAPS.map(({ used: _used, ...cap }) => cap) });
    });
  });

  describe('composed from its parts', () => {
    function Percent() {
      const { name, usage } = useSpendLimitsCap();
      return <li>{`${name}: ${usage ? Math.round(usage.percent) : '—'}%`}</li>;
    }
    it('renders one row layout of your own per cap', () => {
      render(
        <SpendLimitsView defaultValue={VALUE} members={MEMBERS}>
          <SpendLimitsTitle>Limits</SpendLimitsTitle>
          <SpendLimitsMembers>
            <Percent />
          </SpendLimitsMembers>
          <SpendLimitsFooter>
            <SpendLimitsSave />
          </SpendLimitsFooter>
        </SpendLimitsView>,
      );
      expect(screen.getByRole('form', { name: 'Limits' })).toBeInTheDocument();
      expect(within(screen.getByRole('list')).getAllByRole('listitem').map((item) => item.textContent)).toEqual(['Ada: 60%', 'Bo: 100%']);
      expect(screen.queryByRole('switch')).toBeNull();
      vi.spyOn(console, 'error').mockImplementation(() => {});
      expect(() => render(<SpendLimitsMember />)).toThrow('SpendLimitsMembers parts must be used within <SpendLimitsMembers>');
    });
  });
});

describe('SpendLimits (connected)', () => {
  it('loads the org\'s limits and members\' usage, and shows what the save answered', async () => {
    const load = vi.fn(() => Promise.resolve(data({ spendLimit: { enabled: true, limit: { type: 'percent', percent: 20 } }, memberCaps: CAPS })));
    const save = vi.fn((controls: BillingControlsInput) => Promise.resolve(data({ ...controls, memberCaps: (controls.memberCaps ?? []).map((cap) => ({ ...cap, used: 300 })) } as Partial<BillingControls>)));
    const { container } = render(<SpendLimits load={load} save={save} members={MEMBERS} />);
    expect(form()).toHaveAttribute('data-state', 'loading');
    await waitFor(() => expect(screen.getByRole('textbox', { name: 'Limit' })).toHaveValue('20'));
    expect(screen.getByRole('textbox', { name: 'Limit' })).toHaveAccessibleDescription('12,000 credits of overage. 1,000 credits of overage used this period.');
    await userEvent.click(within(row('Bo')).getByRole('button', { name: 'Remove the cap for Bo' }));
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(save).toHaveBeenCalledWith({ spendLimit: { enabled: true, limit: { type: 'percent', percent: 20 } }, memberCaps: [{ memberId: 'user_ada', credits: 500, interval: 'day', enabled: true }] });
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('Saved.'));
    await expectNoAxeViolations(container);
  });

  it('says the load failed, with Retry', async () => {
    const load = vi.fn().mockRejectedValueOnce(new Error('offline')).mockResolvedValueOnce(data({}));
    render(<SpendLimits load={load} save={vi.fn()} />);
    await userEvent.click(within(await screen.findByRole('alert')).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('No member has a cap.')).toBeInTheDocument();
  });
});
