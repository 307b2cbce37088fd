import * as React from 'react';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { defaultCreditsConfig, defineCredits, type CreditTopUpPackage } from '../../src/core/config.js';
import {
  CreditTopUpDialog,
  CreditTopUpDialogClose,
  CreditTopUpDialogContent,
  CreditTopUpDialogDescription,
  CreditTopUpDialogEmpty,
  CreditTopUpDialogError,
  CreditTopUpDialogFooter,
  CreditTopUpDialogHeader,
  CreditTopUpDialogMessage,
  CreditTopUpDialogOverlay,
  CreditTopUpDialogPackage,
  CreditTopUpDialogPackages,
  CreditTopUpDialogStatus,
  CreditTopUpDialogTitle,
  CreditTopUpDialogTrigger,
  CreditTopUpDialogView,
  useCreditTopUpDialog,
} from '../../src/react/components/credit-top-up-dialog.js';
import { CreditsTestProvider } from '../../src/testing/credits-test-provider.js';
import { expectNoAxeViolations } from './axe.js';

const PACKAGES: readonly CreditTopUpPackage[] = [
  { id: 'small', planId: 'credit_topup', label: 'Small pack', price: 10, credits: 40_000 },
  { id: 'large', planId: 'credit_topup', label: 'Large pack', price: 10, credits: 40_000, quantity: 5, description: 'Best value' },
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function dialog(): HTMLElement {
  return screen.getByRole('dialog', { name: 'Top up credits' });
}

describe('CreditTopUpDialogView', () => {
  describe('given its trigger', () => {
    it('opens from the keyboard, traps focus, and Escape closes it back to the trigger', async () => {
      render(
        <CreditTopUpDialogView packages={PACKAGES} locale="en-US">
          <button type="button">Buy credits</button>
        </CreditTopUpDialogView>,
      );
      const user = userEvent.setup();
      await user.tab();
      const trigger = screen.getByRole('button', { name: 'Buy credits' });
      expect(trigger).toHaveFocus();
      await user.keyboard('{Enter}');

      const content = await screen.findByRole('dialog', { name: 'Top up credits' });
      expect(content).toHaveAccessibleDescription('Buy a credit pack. Top-up credits never expire.');
      expect(content).toContainElement(document.activeElement as HTMLElement);
      // Tabbing all the way round stays inside the dialog.
      for (let i = 0; i < 6; i += 1) {
        await user.tab();
        expect(content).toContainElement(document.activeElement as HTMLElement);
      }
      await expectNoAxeViolations(document.body);

      await user.keyboard('{Escape}');
      expect(screen.queryByRole('dialog')).toBeNull();
      expect(trigger).toHaveFocus();
    });
  });

  describe('when open', () => {
    it('lists each package with its price and credits (quantity included)', () => {
      render(<CreditTopUpDialogView packages={PACKAGES} defaultOpen locale="en-US" />);
      expect(within(dialog()).getByRole('button', { name: 'Small pack 40,000 credits $10.00' })).toBeInTheDocument();
      expect(within(dialog()).getByRole('button', { name: 'Large pack 200,000 credits Best value $50.00' })).toBeInTheDocument();
    });

    it('names each package by its visible text, in the order it is shown (WCAG 2.5.3 label in name)', () => {
      render(<CreditTopUpDialogView packages={PACKAGES} defaultOpen locale="en-US" />);
      const buttons = within(dialog()).getAllByRole('button', { name: /pack/ });
      expect(buttons).toHaveLength(2);
      for (const button of buttons) {
        expect(button).not.toHaveAttribute('aria-label');
        const visible = (button.textContent ?? '').replace(/\s+/g, ' ').trim();
        expect(visible).toMatch(/pack.*credits.*\$/);
        expect(button).toHaveAccessibleName(new RegExp(`^${escapeRegExp(visible)}`));
      }
    });

    it('gives the package buttons the theme background and text colour, not the browser button face', () => {
      render(<CreditTopUpDialogView packages={PACKAGES} defaultOpen locale="en-US" />);
      for (const button of within(dialog()).getAllByRole('button', { name: /pack/ })) {
        expect(button).toHaveClass('bg-credits-background', 'text-credits-foreground');
      }
    });

    it('shows prices in the given locale and currency', () => {
      render(<CreditTopUpDialogView packages={PACKAGES.slice(0, 1)} defaultOpen locale="de-DE" currency="EUR" />);
      expect(within(dialog()).getByRole('button', { name: /^Small pack 40\.000 credits 10,00\s€$/ })).toBeInTheDocument();
    });

    it('calls onSelect with the package id', async () => {
      const onSelect = vi.fn();
      render(<CreditTopUpDialogView packages={PACKAGES} defaultOpen onSelect={onSelect} />);
      await userEvent.click(within(dialog()).getByRole('button', { name: /Large pack/ }));
      expect(onSelect).toHaveBeenCalledWith('large');
    });

    it('shows a message above the packages', () => {
      render(<CreditTopUpDialogView packages={PACKAGES} defaultOpen message="This message needs 1,200 credits; you have 300." />);
      expect(dialog()).toHaveTextContent('This message needs 1,200 credits; you have 300.');
    });

    it('says so when there are no packages', () => {
      render(<CreditTopUpDialogView packages={[]} defaultOpen />);
      expect(dialog()).toHaveTextContent('No top-up packages are available.');
    });

    it('never shows NaN for a broken package', () => {
      render(<CreditTopUpDialogView packages={[{ id: 'x', planId: 'x', label: 'Broken', price: Number.NaN, credits: -5 }]} defaultOpen />);
      expect(dialog().textContent).not.toMatch(/NaN|Infinity|-\d/);
    });
  });

  describe('while a purchase is pending', () => {
    it('disables the packages and is busy', async () => {
      render(<CreditTopUpDialogView packages={PACKAGES} defaultOpen status="pending" packageId="small" />);
      expect(dialog()).toHaveAttribute('aria-busy', 'true');
      expect(dialog()).toHaveAttribute('data-status', 'pending');
      for (const button of within(dialog()).getAllByRole('button', { name: /pack/ })) expect(button).toBeDisabled();
      expect(within(dialog()).getByRole('status')).toHaveTextContent('Processing…');
      await expectNoAxeViolations(document.body);
    });

    it('describes the package being bought with the purchase status', () => {
      render(<CreditTopUpDialogView packages={PACKAGES} defaultOpen status="pending" packageId="small" locale="en-US" />);
      expect(within(dialog()).getByRole('button', { name: /Small pack/ })).toHaveAccessibleDescription('Processing…');
      expect(within(dialog()).getByRole('button', { name: /Large pack/ })).not.toHaveAttribute('aria-describedby');
    });

    it('says it is taking the user to checkout when redirecting', () => {
      render(<CreditTopUpDialogView packages={PACKAGES} defaultOpen status="redirecting" packageId="small" />);
      expect(within(dialog()).getByRole('status')).toHaveTextContent('Taking you to checkout…');
    });
  });

  describe('given a failed purchase', () => {
    it('shows the error as an alert, and Retry buys the same package again', async () => {
      const onSelect = vi.fn();
      render(
        <CreditTopUpDialogView packages={PACKAGES} defaultOpen status="failed" packageId="large" error={new Error('Card declined')} onSelect={onSelect} />,
      );
      const alert = within(dialog()).getByRole('alert');
      expect(alert).toHaveTextContent('Card declined');
      expect(within(dialog()).getByRole('button', { name: /Large pack/ })).toHaveAccessibleDescription('Card declined');
      await userEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
      expect(onSelect).toHaveBeenCalledWith('large');
      await expectNoAxeViolations(document.body);
    });
  });

  describe('given a completed purchase', () => {
    it('says the credits were added and offers Done', async () => {
      const onOpenChange = vi.fn();
      render(<CreditTopUpDialogView packages={PACKAGES} open onOpenChange={onOpenChange} status="succeeded" packageId="small" />);
      expect(within(dialog()).getByRole('status')).toHaveTextContent('Credits added to your balance.');
      await userEvent.click(within(dialog()).getByRole('button', { name: 'Done' }));
      expect(onOpenChange).toHaveBeenCalledWith(false);
    });
  });

  describe('controlled', () => {
    it('opens and closes only through its open prop', async () => {
      const onOpenChange = vi.fn();
      const { rerender } = render(<CreditTopUpDialogView packages={PACKAGES} open={false} onOpenChange={onOpenChange} />);
      expect(screen.queryByRole('dialog')).toBeNull();
      rerender(<CreditTopUpDialogView packages={PACKAGES} open onOpenChange={onOpenChange} />);
      expect(dialog()).toBeInTheDocument();
      await userEvent.keyboard('{Escape}');
      expect(onOpenChange).toHaveBeenCalledWith(false);
      expect(dialog()).toBeInTheDocument();
    });
  });
  describe('composed from its parts', () => {
    /** Every part inside the content, in the default order. */
    const allParts = (
      <CreditTopUpDialogContent>
        <CreditTopUpDialogHeader>
          <CreditTopUpDialogTitle />
          <CreditTopUpDialogDescription />
        </CreditTopUpDialogHeader>
        <CreditTopUpDialogMessage />
        <CreditTopUpDialogEmpty />
        <CreditTopUpDialogPackages />
        <CreditTopUpDialogError />
        <CreditTopUpDialogStatus />
        <CreditTopUpDialogFooter>
          <CreditTopUpDialogClose />
        </CreditTopUpDialogFooter>
      </CreditTopUpDialogContent>
    );

    it('renders the parts in the order given, each taking its own className, and omits what is left out', async () => {
      render(
        <CreditTopUpDialogView packages={PACKAGES} defaultOpen locale="en-US" className="ignored-without-default-layout">
          <CreditTopUpDialogContent size="wide" className="my-dialog" overlay={<CreditTopUpDialogOverlay className="backdrop-blur-sm" />}>
            <CreditTopUpDialogPackages className="gap-4" />
            <CreditTopUpDialogHeader className="text-center">
              <CreditTopUpDialogTitle className="text-lg">Buy credits</CreditTopUpDialogTitle>
              <CreditTopUpDialogDescription />
            </CreditTopUpDialogHeader>
            <CreditTopUpDialogFooter className="justify-between">
              <CreditTopUpDialogClose className="w-full">Not now</CreditTopUpDialogClose>
            </CreditTopUpDialogFooter>
          </CreditTopUpDialogContent>
        </CreditTopUpDialogView>,
      );
      const content = screen.getByRole('dialog', { name: 'Buy credits' });
      expect(content).toHaveAttribute('data-size', 'wide');
      expect(content).toHaveClass('my-dialog', 'max-w-lg');
      expect(content).not.toHaveClass('ignored-without-default-layout');
      const slots = [...content.querySelectorAll('[data-slot]')].map((element) => element.getAttribute('data-slot'));
      expect(slots).toEqual([
        'credit-top-up-dialog-list',
        'credit-top-up-dialog-package',
        'credit-top-up-dialog-package',
        'credit-top-up-dialog-title',
        'credit-top-up-dialog-description',
        'credit-top-up-dialog-footer',
        'credit-top-up-dialog-close',
      ]);
      expect(content.querySelector('[data-slot="credit-top-up-dialog-list"]')).toHaveClass('grid', 'gap-4');
      expect(content.querySelector('[data-slot="credit-top-up-dialog-list"]')).not.toHaveClass('gap-2');
      expect(within(content).getByText('Buy credits')).toHaveClass('text-lg');
      expect(content.querySelector('[data-slot="credit-top-up-dialog-footer"]')).toHaveClass('justify-between');
      expect(within(content).getByRole('button', { name: 'Not now' })).toHaveClass('w-full');
      expect(document.querySelector('[data-slot="credit-top-up-dialog-overlay"]')).toHaveClass('fixed', 'backdrop-blur-sm');
      expect(within(content).queryByRole('status')).toBeNull();
      await expectNoAxeViolations(document.body);
    });

    it('opens from a CreditTopUpDialogTrigger, asChild on your own button', async () => {
      render(
        <CreditTopUpDialogView packages={PACKAGES} locale="en-US">
          <CreditTopUpDialogTrigger asChild>
            <button type="button" className="my-trigger">
              Get credits
            </button>
          </CreditTopUpDialogTrigger>
          {allParts}
        </CreditTopUpDialogView>,
      );
      const trigger = screen.getByRole('button', { name: 'Get credits' });
      expect(trigger).toHaveAttribute('data-slot', 'credit-top-up-dialog-trigger');
      expect(trigger).toHaveAttribute('aria-haspopup', 'dialog');
      expect(screen.queryByRole('dialog')).toBeNull();
      await userEvent.click(trigger);
      expect(dialog()).toHaveAccessibleDescription('Buy a credit pack. Top-up credits never expire.');
      await userEvent.keyboard('{Escape}');
      expect(screen.queryByRole('dialog')).toBeNull();
      expect(trigger).toHaveFocus();
    });

    it('shows each part only in its states: the empty line without packages, the message with one, the error or the status', async () => {
      const onSelect = vi.fn();
      const { rerender } = render(
        <CreditTopUpDialogView packages={[]} open>
          {allParts}
        </CreditTopUpDialogView>,
      );
      expect(dialog()).toHaveTextContent('No top-up packages are available.');
      expect(within(dialog()).queryByRole('list')).toBeNull();
      expect(dialog().querySelector('[data-slot="credit-top-up-dialog-message"]')).toBeNull();

      rerender(
        <CreditTopUpDialogView packages={PACKAGES} open status="pending" packageId="small" message="You need 1,200 credits.">
          {allParts}
        </CreditTopUpDialogView>,
      );
      expect(dialog()).not.toHaveTextContent('No top-up packages are available.');
      expect(dialog()).toHaveTextContent('You need 1,200 credits.');
      expect(dialog()).toHaveAttribute('aria-busy', 'true');
      for (const button of within(dialog()).getAllByRole('button', { name: /pack/ })) expect(button).toBeDisabled();
      expect(within(dialog()).getByRole('button', { name: /Small pack/ })).toHaveAccessibleDescription('Processing…');
      expect(within(dialog()).queryByRole('alert')).toBeNull();

      rerender(
        <CreditTopUpDialogView packages={PACKAGES} open status="failed" packageId="large" error="Card declined" onSelect={onSelect}>
          {allParts}
        </CreditTopUpDialogView>,
      );
      expect(within(dialog()).queryByRole('status')).toBeNull();
      expect(within(dialog()).getByRole('button', { name: /Large pack/ })).toHaveAccessibleDescription('Card declined');
      await userEvent.click(within(within(dialog()).getByRole('alert')).getByRole('button', { name: 'Try again' }));
      expect(onSelect).toHaveBeenCalledWith('large');

      rerender(
        <CreditTopUpDialogView packages={PACKAGES} open status="succeeded" packageId="large">
          {allParts}
        </CreditTopUpDialogView>,
      );
      expect(within(dialog()).getByRole('status')).toHaveTextContent('Credits added to your balance.');
      expect(within(dialog()).getByRole('button', { name: 'Done' })).toBeInTheDocument();
      await expectNoAxeViolations(document.body);
    });

    it('lets a package run your click handler first, and preventDefault() keeps it from being bought', async () => {
      const onSelect = vi.fn();
      const seen: string[] = [];
      render(
        <CreditTopUpDialogView packages={PACKAGES} open onSelect={onSelect} locale="en-US">
          <CreditTopUpDialogContent>
            <CreditTopUpDialogTitle />
            <CreditTopUpDialogDescription />
            <CreditTopUpDialogPackages>
              {PACKAGES.map((pkg) => (
                <li key={pkg.id}>
                  <CreditTopUpDialogPackage
                    package={pkg}
                    className="border-dashed"
                    onClick={(event) => {
                      seen.push(pkg.id);
                      if (pkg.id === 'large') event.preventDefault();
                    }}
                  />
                </li>
              ))}
            </CreditTopUpDialogPackages>
          </CreditTopUpDialogContent>
        </CreditTopUpDialogView>,
      );
      const small = within(dialog()).getByRole('button', { name: 'Small pack 40,000 credits $10.00' });
      expect(small).toHaveClass('border-dashed');
      await userEvent.click(small);
      await userEvent.click(within(dialog()).getByRole('button', { name: /Large pack/ }));
      expect(seen).toEqual(['small', 'large']);
      expect(onSelect.mock.calls).toEqual([['small']]);
    });

    it('lets a part of your own read the purchase through useCreditTopUpDialog', () => {
      function Summary() {
        const { packages, status, busy } = useCreditTopUpDialog();
        return <p data-testid="summary">{`${packages.length} packs, ${status}${busy ? ', busy' : ''}`}</p>;
      }
      render(
        <CreditTopUpDialogView packages={PACKAGES} open status="redirecting" packageId="small">
          <CreditTopUpDialogContent>
            <CreditTopUpDialogTitle />
            <CreditTopUpDialogDescription />
            <Summary />
          </CreditTopUpDialogContent>
        </CreditTopUpDialogView>,
      );
      expect(screen.getByTestId('summary')).toHaveTextContent('2 packs, redirecting, busy');
    });

    it('fails loudly when a part is rendered outside a dialog', () => {
      const error = vi.spyOn(console, 'error').mockImplementation(() => {});
      try {
        expect(() => render(<CreditTopUpDialogStatus />)).toThrow('CreditTopUpDialog parts must be used within <CreditTopUpDialog>');
      } finally {
        error.mockRestore();
      }
    });

    it('passes its parts through the connected CreditTopUpDialog, which buys through the provider', async () => {
      render(
        <CreditsTestProvider balance={100} locale="en-US">
          <CreditTopUpDialog>
            <CreditTopUpDialogTrigger>Top up</CreditTopUpDialogTrigger>
            <CreditTopUpDialogContent>
              <CreditTopUpDialogTitle />
              <CreditTopUpDialogDescription />
              <CreditTopUpDialogStatus className="font-bold" />
              <CreditTopUpDialogPackages />
            </CreditTopUpDialogContent>
          </CreditTopUpDialog>
        </CreditsTestProvider>,
      );
      const user = userEvent.setup();
      await user.click(screen.getByRole('button', { name: 'Top up' }));
      expect(within(dialog()).queryByRole('button', { name: 'Close' })).toBeNull();
      await user.click(within(dialog()).getByRole('button', { name: 'Credit top-up 40,000 credits $10.00' }));
      expect(await within(dialog()).findByText('Credits added to your balance.')).toHaveClass('font-bold');
    });
  });
});

describe('CreditTopUpDialog', () => {
  it('buys a package through the provider and shows success', async () => {
    render(
      <CreditsTestProvider balance={100} locale="en-US">
        <CreditTopUpDialog>
          <button type="button">Top up</button>
        </CreditTopUpDialog>
      </CreditsTestProvider>,
    );
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Top up' }));
    await user.click(within(dialog()).getByRole('button', { name: 'Credit top-up 40,000 credits $10.00' }));
    expect(await within(dialog()).findByText('Credits added to your balance.')).toBeInTheDocument();
  });

  it('shows a failure, and a fresh dialog next time it opens', async () => {
    const onTopUp = vi.fn(async () => {
      throw new Error('Card declined');
    });
    render(
      <CreditsTestProvider balance={100} onTopUp={onTopUp}>
        <CreditTopUpDialog>
          <button type="button">Top up</button>
        </CreditTopUpDialog>
      </CreditsTestProvider>,
    );
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Top up' }));
    await user.click(within(dialog()).getByRole('button', { name: /Credit top-up/ }));
    expect(await within(dialog()).findByRole('alert')).toHaveTextContent('Card declined');

    await user.keyboard('{Escape}');
    await user.click(screen.getByRole('button', { name: 'Top up' }));
    expect(within(dialog()).queryByRole('alert')).toBeNull();
  });

  it('sends the browser to checkout when the top-up answers a URL', async () => {
    const navigate = vi.fn();
    render(
      <CreditsTestProvider balance={100} onTopUp={async () => ({ url: 'https://checkout.test/1' })} navigate={navigate}>
        <CreditTopUpDialog defaultOpen />
      </CreditsTestProvider>,
    );
    await userEvent.click(within(dialog()).getByRole('button', { name: /Credit top-up/ }));
    expect(await within(dialog()).findByText('Taking you to checkout…')).toBeInTheDocument();
    expect(navigate).toHaveBeenCalledWith('https://checkout.test/1');
  });

  it('offers only the packages asked for', () => {
    const config = defineCredits({
      plans: [
        ...defaultCreditsConfig.plans,
        { id: 'big_topup', name: 'Big top-up', kind: 'top_up', price: 50, credits: 220_000, interval: 'one_off' },
      ],
    });
    render(
      <CreditsTestProvider config={config}>
        <CreditTopUpDialog defaultOpen packageIds={['big_topup']} />
      </CreditsTestProvider>,
    );
    expect(within(dialog()).getAllByRole('button', { name: /top-up/i })).toHaveLength(1);
  });
});
