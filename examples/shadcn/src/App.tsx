import { useState } from 'react';
import type { MessageCost, UsageBreakdownItem } from 'autumn-ai-credits';
// The kit's components as files this app owns: `npx shadcn add @autumn-ai-credits/credit-balance ...` copied them
// into src/components/credits/; they import the rest (core, hooks, formatting, labels) from the npm package.
import {
  CreditBalance,
  CreditBalanceAmount,
  CreditBalanceError,
  CreditBalanceHeader,
  CreditBalanceMeter,
  CreditBalanceSkeleton,
  CreditBalanceTitle,
  CreditBalanceTopUp,
  CreditBalanceValue,
  CreditBalanceWorth,
  useCreditBalance,
} from '@/components/credits/credit-balance';
import { CreditEstimate } from '@/components/credits/credit-estimate';
import { LowCreditWarning } from '@/components/credits/low-credit-warning';
import { MessageCostBadge } from '@/components/credits/message-cost-badge';
import { UsageBreakdown } from '@/components/credits/usage-breakdown';

/** What the last chat message cost, as the server helper records it (a $0.0123 call through the AI Gateway). */
const LAST_MESSAGE: MessageCost = {
  credits: 49.2,
  usd: '0.0123',
  model: 'openai/gpt-5-mini',
  source: 'gateway',
  kind: 'actual',
  usage: { inputTokens: 1200, outputTokens: 2400, totalTokens: 3600 },
};

/** Credits per chat thread this month (from the server helper's `meter.usageByThread`, here fixed). */
const USAGE: UsageBreakdownItem[] = [
  { id: 'inbox', label: 'Summarize my inbox', credits: 4200 },
  { id: 'deck', label: 'Quarterly deck', credits: 1900 },
  { id: 'sql', label: 'SQL helper', credits: 700 },
];

/** A part of this app's own beside the kit's: the share of the allowance left, read from the balance's context. */
function PercentLeft() {
  const { percent } = useCreditBalance();
  return percent === null ? null : <span className="text-xs text-muted-foreground tabular-nums">{`${Math.round(percent)}% left`}</span>;
}

export function App() {
  const [dark, setDark] = useState(false);

  function toggleDark() {
    document.documentElement.classList.toggle('dark', !dark);
    setDark(!dark);
  }

  return (
    <div className="grid min-h-svh grid-cols-[18rem_1fr] max-md:grid-cols-1">
      <aside aria-label="Credits" className="flex flex-col gap-4 border-r bg-sidebar p-4 text-sidebar-foreground max-md:border-r-0 max-md:border-b">
        <CreditBalance />
        <LowCreditWarning size="compact" />
        <UsageBreakdown size="compact" items={USAGE} />
      </aside>
      <main className="flex min-w-0 flex-col gap-6 p-6">
        <header className="flex items-center justify-between">
          <h1 className="text-lg font-semibold">Billing</h1>
          <button
            type="button"
            aria-pressed={dark}
            onClick={toggleDark}
            className="h-8 rounded-md border bg-background px-3 text-sm font-medium shadow-xs hover:bg-accent hover:text-accent-foreground"
          >
            Dark mode
          </button>
        </header>
        <section aria-label="Chat" className="flex max-w-xl flex-col gap-2">
          <p className="self-start rounded-lg bg-muted px-3 py-2 text-sm">Here is the summary of your inbox.</p>
          <MessageCostBadge size="sm" cost={LAST_MESSAGE} side="right" />
          <CreditEstimate credits={120} />
        </section>
        {/* The same balance rearranged from its parts: meter first, a part of our own, the amount big, one full-width action. */}
        <section aria-label="Plan" className="max-w-sm">
          <CreditBalance className="gap-3">
            <CreditBalanceMeter className="h-2.5" />
            <CreditBalanceHeader>
              <CreditBalanceTitle />
              <PercentLeft />
            </CreditBalanceHeader>
            <CreditBalanceSkeleton />
            <CreditBalanceError />
            <CreditBalanceValue className="flex-col gap-0">
              <CreditBalanceAmount className="text-3xl" />
              <CreditBalanceWorth className="text-xs" />
            </CreditBalanceValue>
            <CreditBalanceTopUp className="w-full">Buy credits</CreditBalanceTopUp>
          </CreditBalance>
        </section>
      </main>
    </div>
  );
}
