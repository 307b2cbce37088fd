'use client';
// Sends a (simulated) chat call to the Route Handler, shows its settled cost with the badge, and refreshes the page
// (the Server Component fetches the new balance).
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { MessageCostBadge } from 'autumn-ai-credits';

type Cost = { credits: number; usd: number; kind: 'actual' };

export function ChatDemo() {
  const router = useRouter();
  const [cost, setCost] = useState<Cost | null>(null);
  const [pending, startTransition] = useTransition();
  const send = async () => {
    const response = await fetch('/api/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ gatewayCost: '0.0123' }),
    });
    const body = (await response.json()) as { cost: Cost };
    setCost(body.cost);
    startTransition(() => router.refresh());
  };
  return (
    <div data-testid="chat">
      <button type="button" onClick={send} disabled={pending}>
        Send a message
      </button>
      {cost ? (
        <p data-testid="chat-cost">
          Charged: <MessageCostBadge cost={cost} />
        </p>
      ) : null}
    </div>
  );
}
