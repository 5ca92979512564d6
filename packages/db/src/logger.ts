// Where the package reports what it did (created a key, applied migrations) and what went wrong
// off the caller's path (a lost LISTEN connection).
export interface DatabaseLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

export const consoleLogger: DatabaseLogger = {
  info: (message) => console.log(`[switchyard/db] ${message}`),
  warn: (message) => console.warn(`[switchyard/db] ${message}`),
  error: (message, error) =>
    console.error(`[switchyard/db] ${message}`, ...(error === undefined ? [] : [error])),
};

export const silentLogger: DatabaseLogger = { info: () => {}, warn: () => {}, error: () => {} };
