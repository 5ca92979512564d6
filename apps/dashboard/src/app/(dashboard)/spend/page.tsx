import type { Metadata } from 'next';
import { SpendView } from './spend-view.tsx';

export const metadata: Metadata = { title: 'Spend' };

export default function SpendPage() {
  return <SpendView />;
}
