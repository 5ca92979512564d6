import type { Metadata } from 'next';
import { LogDetailView } from './log-detail-view.tsx';

export const metadata: Metadata = { title: 'Request' };

export default async function LogDetailPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <LogDetailView id={decodeURIComponent(id)} />;
}
