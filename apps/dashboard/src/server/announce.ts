// The start-up message: the URL, and how to sign in the first time.
import { env } from '../env.ts';
import { getServices } from './services.ts';
import { setupToken } from './auth/setup-token.ts';

const OPEN_PROXY_WARNING = [
  '',
  '  NO API KEYS CONFIGURED: the REST proxy (/v1) answers only clients on this machine',
  '  until an API key exists; every other client gets 403. Create one on the API keys page.',
  '',
].join('\n');

export async function startAndAnnounce(): Promise<void> {
  const settings = env();
  const url = `http://localhost:${settings.PORT}`;
  try {
    const { repositories, runtime } = await getServices();
    const users = await repositories.users.count();
    const lines = [
      '',
      `  Switchyard is running: ${url}`,
      users === 0
        ? [
            `  First start: open ${url}/sign-in?setup=${setupToken()} and create the admin account`,
            `  (setup token: ${setupToken()}), or set SWITCHYARD_ADMIN_EMAIL and SWITCHYARD_ADMIN_PASSWORD.`,
          ].join('\n')
        : settings.SWITCHYARD_ADMIN_EMAIL
          ? `  Sign in as ${settings.SWITCHYARD_ADMIN_EMAIL} (SWITCHYARD_ADMIN_EMAIL).`
          : '  Sign in with your dashboard account.',
      `  OpenAI-compatible endpoint: ${url}/v1/chat/completions (Authorization: Bearer <key from the API keys page>)`,
      '',
    ];
    console.log(lines.join('\n'));
    if (runtime.keys.open) console.warn(OPEN_PROXY_WARNING);
  } catch (error) {
    console.error(
      `\n  Switchyard could not start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    throw error;
  }
}
