/**
 * AutoTopUpSettings (issue 17): the auto top-up form. Validation is the core's checkBillingControls (bounds from
 * Autumn's customerBillingControls.ts AutoTopupSchema: threshold a number, purchase_limit.limit >= 1), shown next to
 * its field before anything is saved; Autumn buys at or below the threshold (fullCustomerToAutoTopupObjects.ts).
 */
import * as React from 'react';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { defineCredits, DEFAULT_PLANS } from '../../src/core/config.js';
import { BillingControlsError, type AutoTopUpSettings as AutoTopUpModel, type BillingControls, type BillingControlsInput } from '../../src/core/billing-controls.js';
import {
  AutoTopUpSettings,
  AutoTopUpSettingsFields,
  AutoTopUpSettingsFooter,
  AutoTopUpSettingsSave,
  AutoTopUpSettingsStatus,
  AutoTopUpSettingsSwitch,
  AutoTopUpSettingsThreshold,
  AutoTopUpSettingsTitle,
  AutoTopUpSettingsView,
  useAutoTopUpSettings,
} from '../../src/react/components/auto-top-up-settings.js';
import type { AutoTopUpSettingsValue } from '../../src/react/shared/auto-top-up-settings.js';
import type { BillingControlsData } from '../../src/react/shared/billing-controls-form.js';
import { expectNoAxeViolations } from './axe.js';

const config = defineCredits({
  plans: [...DEFAULT_PLANS, { id: 'big_topup', name: 'Big top-up', kind: 'top_up', price: 25, credits: 120_000, interval: 'one_off' }],
});

const ON: AutoTopUpModel = { enabled: true, threshold: 2000, packId: 'credit_topup', purchaseLimit: { limit: 3, interval: 'month', intervalCount: 1 } };

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
  return screen.getByRole('form', { name: 'Auto top-up' });
}

function threshold(): HTMLInputElement {
  return screen.getByRole('textbox', { name: 'When the balance falls to' }) as HTMLInputElement;
}

function data(controls: Partial<BillingControls>, granted = 8000): BillingControlsData {
  return { controls: { autoTopUp: null, spendLimit: null, memberCaps: [], alerts: [], ...controls }, granted, overage: 0 };
}

describe('AutoTopUpSettingsView', () => {
  describe('given an auto top-up that is on', () => {
    it('shows the switch on, the threshold, the pack and the purchase limit', async () => {
      const { container } = render(<AutoTopUpSettingsView config={config} defaultValue={ON} grant={8000} />);
      const toggle = screen.getByRole('switch', { name: 'Auto top-up' });
      expect(toggle).toHaveAttribute('aria-checked', 'true');
      expect(toggle).toHaveAccessibleDescription(/Buy a credit pack automatically/);
      expect(threshold()).toHaveValue('2000');
      expect(threshold()).toHaveAccessibleDescription('In credits: a pack is bought at or below it; your plan grants 8,000.');
      const pack = screen.getByRole('combobox', { name: 'Buy' });
      expect(pack).toHaveValue('credit_topup');
      expect(within(pack).getAllByRole('option').map((option) => option.textContent)).toEqual([
        'Credit top-up — 40,000 credits for $10.00',
        'Big top-up — 120,000 credits for $25.00',
      ]);
      expect(screen.getByRole('checkbox', { name: 'Limit automatic purchases' })).toBeChecked();
      expect(screen.getByRole('textbox', { name: 'Purchases at most' })).toHaveValue('3');
      expect(screen.getByRole('combobox', { name: 'Period' })).toHaveValue('month');
      expect(form()).toHaveAttribute('data-state', 'idle');
      await expectNoAxeViolations(container);
    });
  });

  describe('given no auto top-up (null)', () => {
    it('is off, with the fields disabled at their defaults (the first pack, 20 % of the grant)', async () => {
      const { container } = render(<AutoTopUpSettingsView config={config} defaultValue={null} grant={8000} />);
      expect(screen.getByRole('switch', { name: 'Auto top-up' })).toHaveAttribute('aria-checked', 'false');
      expect(threshold()).toBeDisabled();
      expect(threshold()).toHaveValue('1600');
      expect(screen.getByRole('combobox', { name: 'Buy' })).toHaveValue('credit_topup');
      await expectNoAxeViolations(container);
    });

    it('turns on with the keyboard (Space on the switch) and enables the fields', async () => {
      const onValueChange = vi.fn();
      render(<AutoTopUpSettingsView config={config} grant={8000} onValueChange={onValueChange} />);
      const user = userEvent.setup();
      await user.tab();
      expect(screen.getByRole('switch', { name: 'Auto top-up' })).toHaveFocus();
      await user.keyboard(' ');
      expect(screen.getByRole('switch')).toHaveAttribute('aria-checked', 'true');
      expect(screen.getByRole('switch')).toHaveAttribute('data-state', 'checked');
      expect(threshold()).toBeEnabled();
      expect(onValueChange).toHaveBeenLastCalledWith({ enabled: true, threshold: 1600, packId: 'credit_topup', purchaseLimit: null });
      await user.tab();
      expect(threshold()).toHaveFocus();
    });
  });

  describe('given invalid input', () => {
    it.each([
      ['9000', 'More than the 8,000 credits your plan grants: the balance would always be below it.'],
      ['abc', 'Enter a number, like 2000.'],
      ['-5', 'Enter 0 or more.'],
      ['', 'Required.'],
    ])('refuses a threshold of %j next to the field when it is left, before any save', async (typed, message) => {
      const onSave = vi.fn();
      const { container } = render(<AutoTopUpSettingsView config={config} defaultValue={ON} grant={8000} onSave={onSave} />);
      const user = userEvent.setup();
      await user.clear(threshold());
      if (typed) await user.type(threshold(), typed);
      expect(threshold()).not.toHaveAttribute('aria-invalid');
      await user.tab();
      expect(threshold()).toHaveAttribute('aria-invalid', 'true');
      expect(threshold()).toHaveAccessibleDescription(expect.stringContaining(message));
      expect(form()).toHaveAttribute('data-state', 'invalid');
      expect(onSave).not.toHaveBeenCalled();
      await expectNoAxeViolations(container);
    });

    it('does not save, shows every issue and focuses the first field when Save is pressed', async () => {
      const onSave = vi.fn();
      render(<AutoTopUpSettingsView config={config} defaultValue={{ ...ON, threshold: 'lots', purchaseLimit: { limit: 0, interval: 'week' } }} grant={8000} onSave={onSave} />);
      const user = userEvent.setup();
      await user.click(screen.getByRole('button', { name: 'Save' }));
      expect(onSave).not.toHaveBeenCalled();
      expect(threshold()).toHaveFocus();
      expect(threshold()).toHaveAccessibleDescription(expect.stringContaining('Enter a number'));
      expect(screen.getByRole('textbox', { name: 'Purchases at most' })).toHaveAccessibleDescription('Allow at least 1, or turn the limit off.');
      expect(screen.getByRole('status')).toHaveTextContent('Fix the 2 fields marked before saving.');
    });

    it('refuses a fractional purchase limit', async () => {
      render(<AutoTopUpSettingsView config={config} defaultValue={{ ...ON, purchaseLimit: { limit: '1.5', interval: 'day' } }} />);
      await userEvent.click(screen.getByRole('button', { name: 'Save' }));
      expect(screen.getByRole('textbox', { name: 'Purchases at most' })).toHaveAccessibleDescription('Enter a whole number.');
    });

    it('asks for a pack when the saved amount matches none of the config\'s', async () => {
      const onSave = vi.fn();
      render(<AutoTopUpSettingsView config={config} defaultValue={{ ...ON, packId: '', credits: 25_000 }} onSave={onSave} />);
      const pack = screen.getByRole('combobox', { name: 'Buy' });
      expect(pack).toHaveValue('');
      await userEvent.click(screen.getByRole('button', { name: 'Save' }));
      expect(pack).toHaveAccessibleDescription('Choose one of the packs.');
      expect(onSave).not.toHaveBeenCalled();
      await userEvent.selectOptions(pack, 'big_topup');
      expect(pack).not.toHaveAttribute('aria-invalid');
    });
  });

  describe('when saved', () => {
    it('sends the normalized auto top-up, says Saving… then Saved.', async () => {
      const pending = deferred<void>();
      const onSave = vi.fn(() => pending.promise);
      render(<AutoTopUpSettingsView config={config} defaultValue={ON} grant={8000} onSave={onSave} />);
      const user = userEvent.setup();
      await user.clear(threshold());
      await user.type(threshold(), '2500.5{Enter}');
      expect(onSave).toHaveBeenCalledWith({
        autoTopUp: { enabled: true, threshold: 2500.5, packId: 'credit_topup', purchaseLimit: { limit: 3, interval: 'month', intervalCount: 1 } },
      } satisfies BillingControlsInput);
      expect(form()).toHaveAttribute('data-state', 'pending');
      expect(form()).toHaveAttribute('aria-busy', 'true');
      expect(screen.getByRole('status')).toHaveTextContent('Saving…');
      // A second press while it runs sends nothing.
      await user.click(screen.getByRole('button', { name: 'Saving…' }));
      expect(onSave).toHaveBeenCalledTimes(1);
      await act(async () => pending.resolve());
      expect(screen.getByRole('status')).toHaveTextContent('Saved.');
      expect(form()).toHaveAttribute('data-state', 'saved');
      // An edit clears "Saved.".
      await user.type(threshold(), '1');
      expect(screen.getByRole('status')).toHaveTextContent('');
    });

    it('saves off with the settings kept when they are valid', async () => {
      const onSave = vi.fn();
      render(<AutoTopUpSettingsView config={config} defaultValue={ON} onSave={onSave} />);
      await userEvent.click(screen.getByRole('switch'));
      await userEvent.click(screen.getByRole('button', { name: 'Save' }));
      expect(onSave).toHaveBeenCalledWith({ autoTopUp: { ...ON, enabled: false } });
    });

    it('removes the auto top-up when it is turned off with fields that do not hold (turning off is never refused)', async () => {
      const onSave = vi.fn();
      render(<AutoTopUpSettingsView config={config} defaultValue={{ ...ON, threshold: 'x' }} onSave={onSave} />);
      await userEvent.click(screen.getByRole('switch'));
      await userEvent.click(screen.getByRole('button', { name: 'Save' }));
      expect(onSave).toHaveBeenCalledWith({ autoTopUp: null });
    });

    it('says it failed in an alert, and keeps the draft', async () => {
      const onSave = vi.fn(() => Promise.reject(new Error('503')));
      const { container } = render(<AutoTopUpSettingsView config={config} defaultValue={ON} onSave={onSave} />);
      await userEvent.click(screen.getByRole('button', { name: 'Save' }));
      expect(await screen.findByRole('alert')).toHaveTextContent('Could not save the auto top-up. Try again.');
      expect(form()).toHaveAttribute('data-state', 'failed');
      expect(threshold()).toHaveValue('2000');
      await expectNoAxeViolations(container);
    });

    it('shows the fields a server refused next to them (a BillingControlsError through the route\'s 400 body)', async () => {
      const refusal = new BillingControlsError([{ field: 'autoTopUp.threshold', reason: 'above_grant', message: 'autoTopUp.threshold: above' }]);
      const onSave = vi.fn(() => Promise.reject({ error: { code: refusal.code, field: refusal.field, reason: refusal.reason, issues: refusal.issues } }));
      render(<AutoTopUpSettingsView config={config} defaultValue={ON} onSave={onSave} />);
      await userEvent.click(screen.getByRole('button', { name: 'Save' }));
      await waitFor(() => expect(threshold()).toHaveAttribute('aria-invalid', 'true'));
      expect(threshold()).toHaveFocus();
      expect(threshold()).toHaveAccessibleDescription(expect.stringContaining('More than your plan grants'));
      await userEvent.type(threshold(), '0');
      expect(threshold()).not.toHaveAttribute('aria-invalid');
    });
  });

  describe('controlled', () => {
    it('follows value and reports edits', async () => {
      function Controlled() {
        const [value, setValue] = React.useState<AutoTopUpSettingsValue | null>(ON);
        return (
          <>
            <AutoTopUpSettingsView config={config} value={value} onValueChange={setValue} />
            <output data-testid="mirror">{JSON.stringify(value)}</output>
          </>
        );
      }
      render(<Controlled />);
      await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Buy' }), 'big_topup');
      await userEvent.click(screen.getByRole('checkbox', { name: 'Limit automatic purchases' }));
      expect(JSON.parse(screen.getByTestId('mirror').textContent ?? '')).toEqual({ ...ON, packId: 'big_topup', purchaseLimit: null });
      // Ticked again: the limit comes back as it was.
      await userEvent.click(screen.getByRole('checkbox', { name: 'Limit automatic purchases' }));
      expect(screen.getByRole('textbox', { name: 'Purchases at most' })).toHaveValue('3');
    });
  });

  it('shows the purchase limit\'s current window', () => {
    render(<AutoTopUpSettingsView config={config} defaultValue={{ ...ON, purchaseLimit: { limit: 3, interval: 'month', used: 1, resetsAt: Date.UTC(2025, 11, 1) } }} />);
    expect(screen.getByText(/^1 of 3 used; resets Dec 1/)).toBeInTheDocument();
  });

  describe('composed from its parts', () => {
    function Summary() {
      const { value } = useAutoTopUpSettings();
      return <p>{value.enabled ? 'On' : 'Off'}</p>;
    }
    it('renders your arrangement, and a part outside throws', async () => {
      const onSave = vi.fn();
      render(
        <AutoTopUpSettingsView config={config} defaultValue={ON} onSave={onSave}>
          <AutoTopUpSettingsTitle>Refill</AutoTopUpSettingsTitle>
          <AutoTopUpSettingsSwitch />
          <Summary />
          <AutoTopUpSettingsFields>
            <AutoTopUpSettingsThreshold />
          </AutoTopUpSettingsFields>
          <AutoTopUpSettingsFooter>
            <AutoTopUpSettingsStatus />
            <AutoTopUpSettingsSave>Apply</AutoTopUpSettingsSave>
          </AutoTopUpSettingsFooter>
        </AutoTopUpSettingsView>,
      );
      expect(screen.getByRole('form', { name: 'Refill' })).toBeInTheDocument();
      expect(screen.queryByRole('combobox')).toBeNull();
      await userEvent.click(screen.getByRole('switch', { name: 'Refill' }));
      expect(screen.getByText('Off')).toBeInTheDocument();
      await userEvent.click(screen.getByRole('button', { name: 'Apply' }));
      expect(onSave).toHaveBeenCalledWith({ autoTopUp: { ...ON, enabled: false } });
      vi.spyOn(console, 'error').mockImplementation(() => {});
      expect(() => render(<AutoTopUpSettingsSave />)).toThrow('AutoTopUpSettings parts must be used within <AutoTopUpSettings>');
    });
  });
});

describe('AutoTopUpSettings (connected)', () => {
  it('loads the org\'s auto top-up, checks against its grant, and shows what the save answered', async () => {
    const load = vi.fn(() => Promise.resolve(data({ autoTopUp: ON }, 8000)));
    const save = vi.fn((controls: BillingControlsInput) => Promise.resolve(data({ autoTopUp: { ...ON, ...controls.autoTopUp, threshold: 3000 } })));
    const { container } = render(<AutoTopUpSettings config={config} load={load} save={save} />);
    expect(form()).toHaveAttribute('data-state', 'loading');
    expect(screen.getByRole('status')).toHaveTextContent('Loading the auto top-up…');
    await waitFor(() => expect(threshold()).toHaveValue('2000'));
    const user = userEvent.setup();
    await user.clear(threshold());
    await user.type(threshold(), '8001');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(threshold()).toHaveAccessibleDescription(expect.stringContaining('More than the 8,000 credits'));
    expect(save).not.toHaveBeenCalled();
    await user.clear(threshold());
    await user.type(threshold(), '2999{Enter}');
    expect(save).toHaveBeenCalledWith({ autoTopUp: { ...ON, threshold: 2999 } });
    await waitFor(() => expect(threshold()).toHaveValue('3000'));
    expect(screen.getByRole('status')).toHaveTextContent('Saved.');
    await expectNoAxeViolations(container);
  });

  it('says the load failed, and Retry loads again', async () => {
    const load = vi.fn().mockRejectedValueOnce(new Error('offline')).mockResolvedValueOnce(data({ autoTopUp: null }));
    render(<AutoTopUpSettings config={config} load={load} save={vi.fn()} />);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load the auto top-up.');
    expect(screen.queryByRole('switch')).toBeNull();
    await userEvent.click(within(alert).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(screen.getByRole('switch')).toHaveAttribute('aria-checked', 'false'));
    expect(load).toHaveBeenCalledTimes(2);
  });
});
