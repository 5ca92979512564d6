// The start-up message: the URL, and how to sign in the first time.
import { env } from '../env.ts';
import { getServices } from './services.ts';
import { setupToken } from './auth/setup-token.ts';

export async function startAndAnnounce(): Promise<void> {
  const settings = env();
  const url = `http://localhost:${settings.PORT}`;
  try {
    const { repositories } = await getServices();
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
  } catch (error) {
    console.error(
      `\n  Switchyard could not start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    throw error;
  }
}
