'use client';
// Sends a (simulated) chat call to the Route Handler and shows its settled cost with the badge. The sidebar's balance
// (AutumnCreditsProvider, the nearest provider here) drops at once and is refetched; router.refresh() re-renders the
// Server Component, whose server-fed balance is fetched again.
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { MessageCostBadge, useCredits, useInsufficientCreditsPrompt } from 'autumn-ai-credits';
import type { MessageCostRecord } from 'autumn-ai-credits/server';

interface Reply {
  id: number;
  text: string;
  cost: MessageCostRecord;
}

export function ChatDemo() {
  const router = useRouter();
  const { applyUsage, refresh } = useCredits();
  const insufficient = useInsufficientCreditsPrompt();
  const [replies, setReplies] = useState<Reply[]>([]);
  const [sending, setSending] = useState(false);
  const [refreshing, startTransition] = useTransition();

  async function send() {
    setSending(true);
    try {
      const response = await fetch('/api/chat', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ gatewayCost: '0.0123' }),
      });
      if (!response.ok) {
        insufficient.show(await response.json()); // a 402 opens the top-up dialog
        return;
      }
      const { text, cost } = (await response.json()) as { text: string; cost: MessageCostRecord };
      setReplies((list) => [...list, { id: list.length, text, cost }]);
      applyUsage(cost); // the sidebar's balance drops at once…
      void refresh(); // …and Autumn's answer reconciles it
      startTransition(() => router.refresh()); // the server-fed balance above
    } finally {
      setSending(false);
    }
  }

  return (
    <section className="card" data-testid="chat" aria-label="Chat">
      <h2>Chat</h2>
      <ol className="messages" aria-label="Messages">
        {replies.map((reply) => (
          <li key={reply.id} className="message" data-testid="chat-cost">
            <p>{reply.text}</p>
            <MessageCostBadge size="sm" cost={reply.cost} />
          </li>
        ))}
      </ol>
      <button type="button" className="send" onClick={send} disabled={sending || refreshing}>
        Send a message
      </button>
      {insufficient.prompt}
    </section>
  );
}
