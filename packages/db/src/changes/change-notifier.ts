// Change notification: after a configuration write, every running gateway reloads. In-process
// listeners hear about a change at once; other processes through Postgres LISTEN/NOTIFY.
import type { DatabaseLogger } from '../logger.ts';

export const CHANGE_TOPICS = ['providers', 'routes', 'keys', 'settings'] as const;
export type ChangeTopic = (typeof CHANGE_TOPICS)[number];

export type ChangeListener = (topic: ChangeTopic) => void;

export interface ChangeNotifier {
  /** Tells every subscriber, in this process and (with Postgres) in every other, that `topic` changed. */
  notify(topic: ChangeTopic): Promise<void>;
  /** Returns the function that unsubscribes. */
  subscribe(listener: ChangeListener): () => void;
  /** Resolves once changes made by other processes are being received (at once in embedded mode). */
  ready(): Promise<void>;
}

export interface ClosableChangeNotifier extends ChangeNotifier {
  close(): Promise<void>;
}

export function isChangeTopic(value: string): value is ChangeTopic {
  return (CHANGE_TOPICS as readonly string[]).includes(value);
}

/** Listeners of one process; a throwing listener is logged and does not stop the others. */
export class ListenerSet {
  private readonly listeners = new Set<ChangeListener>();

  constructor(private readonly logger: DatabaseLogger) {}

  get size(): number {
    return this.listeners.size;
  }

  add(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(topic: ChangeTopic): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(topic);
      } catch (error) {
        this.logger.error(`A change listener for "${topic}" threw`, error);
      }
    }
  }
}

/** The embedded database has one process by construction, so notifications stay in it. */
export function createLocalChangeNotifier(logger: DatabaseLogger): ClosableChangeNotifier {
  const listeners = new ListenerSet(logger);
  return {
    notify: (topic) => {
      listeners.emit(topic);
      return Promise.resolve();
    },
    subscribe: (listener) => listeners.add(listener),
    ready: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}
