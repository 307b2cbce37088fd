/** The app: the credits sidebar and a chat thread, on this Convex backend. */
import { useAction, useQuery } from 'convex/react';
import { api } from '../convex/_generated/api';
import { ConvexCredits } from './billing';
import { ChatInput, ChatMessages } from './chat';
import { CreditsSidebar } from './sidebar';

export function App({ threadId }: { threadId: string }) {
  const messages = useQuery(api.chat.messages, { threadId });
  const usage = useQuery(api.billing.usageByThread, {});
  const send = useAction(api.chat.send);
  return (
    <ConvexCredits>
      <div className="flex">
        <CreditsSidebar usage={usage} />
        <main className="flex flex-1 flex-col gap-3 p-3">
          <ChatMessages messages={messages} />
          <ChatInput send={(prompt) => send({ threadId, prompt })} />
        </main>
      </div>
    </ConvexCredits>
  );
}
