/** The sidebar: the low-balance warning, the balance with usage per thread behind it, and a top-up button. */
import { CreditBalance, CreditTopUpDialog, LowCreditWarning, UsageBreakdownView } from 'autumn-ai-credits';
import type { FunctionReturnType } from 'convex/server';
import type { api } from '../convex/_generated/api';

export type ThreadUsage = FunctionReturnType<typeof api.billing.usageByThread>;

/** `usage`: the `billing.usageByThread` query's result (undefined while it loads). */
export function CreditsSidebar({ usage }: { usage: ThreadUsage | undefined }) {
  const items = usage?.map((thread) => ({ id: thread.threadId, label: thread.title, credits: thread.credits, usd: thread.usd }));
  return (
    <aside aria-label="Credits" className="flex w-72 flex-col gap-3 p-3">
      <LowCreditWarning size="compact" />
      <CreditBalance size="compact" breakdown={<UsageBreakdownView items={items} loading={usage === undefined} showPrice />} />
      <CreditTopUpDialog>
        <button type="button">Buy credits</button>
      </CreditTopUpDialog>
    </aside>
  );
}
