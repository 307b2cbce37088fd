import type { ReactNode } from 'react';
import 'autumn-ai-credits/styles.css'; // the kit's precompiled styles: this app has no Tailwind
import './globals.css';

export const metadata = { title: 'autumn-ai-credits × Next.js' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
