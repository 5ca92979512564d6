// Starts the mock vendors the suite adds as providers; their URLs reach the tests through the
// environment (workers are started after this and inherit it).
import { startOpenAIMock } from '@switchyard/testkit';

export const PRIMARY_KEY = 'sk-e2e-primary-9f1c2b7d';
export const BACKUP_KEY = 'sk-e2e-backup-4a8e6c3f';
/** The first-run setup token the server is started with (SWITCHYARD_SETUP_TOKEN). */
export const SETUP_TOKEN = 'e2e-setup-token-61d0c9a4b7e2';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const primary = await startOpenAIMock({
    apiKey: PRIMARY_KEY,
    models: ['mock-model'],
    behaviour: { reply: 'Hello from the primary mock.', streamChunks: 5, chunkIntervalMs: 20 },
  });
  const backup = await startOpenAIMock({
    apiKey: BACKUP_KEY,
    models: ['mock-model'],
    behaviour: { reply: 'Hello from the backup mock.', streamChunks: 5, chunkIntervalMs: 20 },
  });
  process.env.E2E_PRIMARY_URL = primary.url;
  process.env.E2E_BACKUP_URL = backup.url;
  return async () => {
    await Promise.all([primary.close(), backup.close()]);
  };
}
