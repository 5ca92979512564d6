import type { Metadata } from 'next';
import { RoutesView } from './routes-view.tsx';

export const metadata: Metadata = { title: 'Routes' };

export default function RoutesPage() {
  return <RoutesView />;
}
