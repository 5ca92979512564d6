import type { Metadata } from 'next';
import { PlaygroundView } from './playground-view.tsx';

export const metadata: Metadata = { title: 'Playground' };

export default function PlaygroundPage() {
  return <PlaygroundView />;
}
