import type { ReactNode } from 'react';
import 'autumn-ai-credits/styles.css';

export const metadata = { title: 'autumn-ai-credits × Next.js' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: 'system-ui, sans-serif', margin: '2rem auto', maxWidth: '40rem' }}>{children}</body>
    </html>
  );
}
