import { useState, type FormEvent } from 'react';
import {
  CreditBalance,
  LowCreditWarning,
  MessageCostBadge,
  UsageBreakdown,
  useCredits,
  useInsufficientCreditsPrompt,
  type UsageBreakdownItem,
  type UsageBreakdownPending,
} from 'autumn-ai-credits';
import type { MessageCostRecord } from 'autumn-ai-credits/server';

interface Message {
  id: number;
  role: 'user' | 'assistant';
  text: string;
  cost?: MessageCostRecord;
}

async function loadUsage(): Promise<UsageBreakdownItem[]> {
  const response = await fetch('/api/usage');
  if (!response.ok) throw new Error(`usage: ${response.status}`);
  return (await response.json()) as UsageBreakdownItem[];
}

export function App() {
  const { applyUsage, refresh } = useCredits();
  const insufficient = useInsufficientCreditsPrompt();
  const [messages, setMessages] = useState<Message[]>([]);
  const [draft, setDraft] = useState('Summarize my inbox');
  const [sending, setSending] = useState(false);
  // Charges settled in this session: Autumn's usage aggregates get them seconds later, the breakdown shows them now.
  const [settled, setSettled] = useState<UsageBreakdownPending[]>([]);
  const [dark, setDark] = useState(false);

  async function send(event: FormEvent) {
    event.preventDefault();
    const text = draft.trim();
    if (text === '' || sending) return;
    setSending(true);
    setMessages((list) => [...list, { id: list.length, role: 'user', text }]);
    try {
      const response = await fetch('/api/chat', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: text }),
      });
      if (!response.ok) {
        insufficient.show(await response.json()); // a 402 opens the top-up dialog
        return;
      }
      const { text: reply, cost } = (await response.json()) as { text: string; cost: MessageCostRecord };
      setMessages((list) => [...list, { id: list.length, role: 'assistant', text: reply, cost }]);
      setSettled((list) => [...list, { id: cost.id, itemId: 'demo', label: 'This chat', credits: cost.credits }]);
      applyUsage(cost); // the balance drops at once…
      void refresh(); // …and Autumn's answer reconciles it
    } finally {
      setSending(false);
    }
  }

  function toggleDark() {
    document.documentElement.classList.toggle('dark', !dark); // the kit follows `.dark` on any ancestor
    setDark(!dark);
  }

  return (
    <div className="grid min-h-svh grid-cols-[18rem_1fr] max-md:grid-cols-1 max-md:grid-rows-[auto_1fr]">
      <aside aria-label="Credits" className="flex flex-col gap-4 border-r bg-sidebar p-4 text-sidebar-foreground max-md:border-r-0 max-md:border-b">
        <CreditBalance />
        <LowCreditWarning size="compact" />
        <UsageBreakdown size="compact" load={loadUsage} pending={settled} />
      </aside>
      <main className="flex min-w-0 flex-col">
        <header className="flex items-center justify-between border-b px-4 py-3">
          <h1 className="text-lg font-semibold">Chat</h1>
          <button
            type="button"
            aria-pressed={dark}
            onClick={toggleDark}
            className="h-8 rounded-md border bg-background px-3 text-sm font-medium shadow-xs hover:bg-accent hover:text-accent-foreground"
          >
            Dark mode
          </button>
        </header>
        <ol aria-label="Messages" className="flex flex-1 flex-col gap-3 p-4">
          {messages.map((message) => (
            <li key={message.id} data-role={message.role} className="group flex flex-col gap-1">
              <p className="max-w-[80%] rounded-lg bg-muted px-3 py-2 text-sm self-start group-data-[role=user]:self-end">{message.text}</p>
              {message.cost ? <MessageCostBadge size="sm" cost={message.cost} /> : null}
            </li>
          ))}
        </ol>
        <form onSubmit={send} className="flex gap-2 border-t px-4 py-3">
          <input
            aria-label="Message"
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            className="h-9 min-w-0 flex-1 rounded-md border border-input bg-transparent px-3 text-sm shadow-xs"
          />
          <button
            type="submit"
            disabled={sending}
            className="h-9 rounded-md bg-primary px-4 text-sm font-medium text-primary-foreground shadow-xs hover:bg-primary/90 disabled:opacity-50"
          >
            Send
          </button>
        </form>
      </main>
      {insufficient.prompt}
    </div>
  );
}
