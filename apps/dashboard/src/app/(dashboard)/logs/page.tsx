import type { Metadata } from 'next';
import { Suspense } from 'react';
import { LogsView } from './logs-view.tsx';

export const metadata: Metadata = { title: 'Request logs' };

export default function LogsPage() {
  // The filters live in the query string, read on the client.
  return (
    <Suspense>
      <LogsView />
    </Suspense>
  );
}
