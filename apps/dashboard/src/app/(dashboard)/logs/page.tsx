import type { Metadata } from 'next';
import { LogsView } from './logs-view.tsx';

export const metadata: Metadata = { title: 'Request logs' };

export default function LogsPage() {
  return <LogsView />;
}
