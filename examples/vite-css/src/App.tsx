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
    <div className="app">
      <aside className="sidebar" aria-label="Credits">
        <CreditBalance />
        <LowCreditWarning size="compact" />
        <UsageBreakdown size="compact" load={loadUsage} pending={settled} />
      </aside>
      <main className="chat">
        <header className="chat-header">
          <h1>Chat</h1>
          <button type="button" className="toggle" aria-pressed={dark} onClick={toggleDark}>
            Dark mode
          </button>
        </header>
        <ol className="messages" aria-label="Messages">
          {messages.map((message) => (
            <li key={message.id} className="message" data-role={message.role}>
              <p>{message.text}</p>
              {message.cost ? <MessageCostBadge size="sm" cost={message.cost} /> : null}
            </li>
          ))}
        </ol>
        <form className="composer" onSubmit={send}>
          <input aria-label="Message" value={draft} onChange={(event) => setDraft(event.target.value)} />
          <button type="submit" disabled={sending}>
            Send
          </button>
        </form>
      </main>
      {insufficient.prompt}
    </div>
  );
}
