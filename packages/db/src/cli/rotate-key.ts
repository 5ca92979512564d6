// pnpm db:rotate-key [--new-key <key>] — re-encrypt every stored credential with a new secret key
// (generated unless given). With a key file, the new key replaces it; with SWITCHYARD_SECRET_KEY,
// the new key is printed for you to set.
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase, resolveHome } from '../database.ts';
import { readDbEnv } from '../env.ts';
import { rotateSecretKey } from '../secrets/rotate-secret-key.ts';
import { generateSecretKey, parseSecretKey } from '../secrets/secret-box.ts';
import { SECRET_KEY_FILE } from '../secrets/secret-key.ts';
import { commandArguments, runCommand, stderrLogger } from './cli-support.ts';

runCommand(async () => {
  const { values } = parseArgs({
    args: commandArguments(),
    options: { 'new-key': { type: 'string' } },
  });
  const newKeyText = values['new-key'] ?? generateSecretKey();
  const newKey = parseSecretKey(newKeyText, '--new-key');
  const fromEnvironment = readDbEnv().SWITCHYARD_SECRET_KEY !== undefined;
  const keyFile = join(resolveHome(), SECRET_KEY_FILE);
  const db = await openDatabase({ logger: stderrLogger });
  try {
    // Written before the database changes, so a crash in between never loses the new key.
    const pending = `${keyFile}.new`;
    if (!fromEnvironment) await writeFile(pending, `${newKeyText}\n`, { mode: 0o600 });
    const result = await rotateSecretKey(db, newKey, { via: 'cli' });
    if (!fromEnvironment) await rename(pending, keyFile);
    console.log(
      `Re-encrypted ${result.secrets} credential(s): key ${result.oldFingerprint} → ${result.newFingerprint}.`,
    );
    if (fromEnvironment)
      console.log(
        `Set SWITCHYARD_SECRET_KEY to the new key on every process that uses this database, then restart them:\n${newKeyText}`,
      );
    else console.log(`The new key is in ${keyFile}. Restart running processes.`);
  } finally {
    await db.close();
  }
});
