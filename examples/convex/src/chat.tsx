/** The thread: each answer with what its turn cost, and the input with the refusal a short balance gets. */
import * as React from 'react';
import { InsufficientCreditsPrompt, MessageCostBadge, useCredits } from 'autumn-ai-credits';
import type { FunctionReturnType } from 'convex/server';
import type { api } from '../convex/_generated/api';

export type ThreadMessages = FunctionReturnType<typeof api.chat.messages>;

/** `messages`: the `chat.messages` query's result. A turn's cost (all its steps) shows under its answer. */
export function ChatMessages({ messages }: { messages: ThreadMessages | undefined }) {
  if (!messages) return <p role="status">Loading…</p>;
  let turnCost: ThreadMessages[number]['cost'] = null;
  return (
    <ol aria-label="Messages" className="flex flex-col gap-2">
      {messages.map((message) => {
        if (message.role === 'user') {
          turnCost = message.cost;
          return (
            <li key={message.id} data-role="user">
              {message.text}
            </li>
          );
        }
        const cost = turnCost;
        turnCost = null;
        return (
          <li key={message.id} data-role="assistant">
            <p>{message.text}</p>
            {cost ? <MessageCostBadge size="sm" cost={cost} /> : null}
          </li>
        );
      })}
    </ol>
  );
}

/** Sends with `send` (the `chat.send` action); a refusal for credits shows the kit's top-up prompt. */
export function ChatInput({ send }: { send: (prompt: string) => Promise<unknown> }) {
  const { refresh } = useCredits();
  const [prompt, setPrompt] = React.useState('');
  const [error, setError] = React.useState<unknown>(null);
  const [busy, setBusy] = React.useState(false);
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await send(prompt);
      setPrompt('');
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
      void refresh(); // the balance Autumn has now
    }
  };
  return (
    <form onSubmit={submit} className="flex flex-col gap-2">
      <InsufficientCreditsPrompt error={error} />
      <textarea aria-label="Message" value={prompt} onChange={(event) => setPrompt(event.target.value)} />
      <button type="submit" disabled={busy || prompt.trim() === ''}>
        Send
      </button>
    </form>
  );
}
