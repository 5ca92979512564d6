import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import '@switchyard/ui/styles.css';
import './globals.css';
import { TrpcReactProvider } from '../trpc/react.tsx';

export const metadata: Metadata = {
  title: { default: 'Switchyard', template: '%s · Switchyard' },
  description: 'Operator dashboard of the Switchyard LLM gateway.',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <TrpcReactProvider>{children}</TrpcReactProvider>
      </body>
    </html>
  );
}
