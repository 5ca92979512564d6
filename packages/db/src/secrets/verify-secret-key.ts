// Tells a wrong secret key apart at start-up, before any credential is read: the settings row
// holds a known value sealed with the key the database's credentials were encrypted with.
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { DbClient } from '../repositories/db-client.ts';
import { sealedFingerprint, SecretKeyError, type SecretBox } from './secret-box.ts';

const CHECK_VALUE = 'switchyard secret key check';

export const SETTINGS_ID = 1;

/** Creates the settings row if the database has none (a fresh database). */
export async function ensureSettingsRow(client: DbClient): Promise<void> {
  await client.settings.createMany({ data: [{ id: SETTINGS_ID }], skipDuplicates: true });
}

export function sealKeyCheck(box: SecretBox): string {
  return box.encrypt(CHECK_VALUE);
}

export function wrongKeyError(box: SecretBox, keySource: string, stored: string): SecretKeyError {
  const expected = sealedFingerprint(stored);
  return new SecretKeyError(
    `The secret key from ${keySource} (fingerprint ${box.fingerprint}) is not the key this database's credentials were encrypted with` +
      `${expected ? ` (fingerprint ${expected})` : ''}. Set SWITCHYARD_SECRET_KEY to that key or restore its key file; ` +
      'to change keys, run pnpm db:rotate-key with the current key in place.',
  );
}

/** Throws `SecretKeyError` when `box` is not the key the stored credentials were sealed with. */
export async function verifySecretKey(
  prisma: PrismaClient,
  box: SecretBox,
  keySource: string,
): Promise<void> {
  await ensureSettingsRow(prisma);
  // Only the first process to get here on a new database seals the check value.
  await prisma.settings.updateMany({
    where: { id: SETTINGS_ID, secretKeyCheck: null },
    data: { secretKeyCheck: sealKeyCheck(box) },
  });
  const row = await prisma.settings.findUniqueOrThrow({
    where: { id: SETTINGS_ID },
    select: { secretKeyCheck: true },
  });
  const stored = row.secretKeyCheck ?? '';
  try {
    if (box.decrypt(stored) === CHECK_VALUE) return;
  } catch (error) {
    if (!(error instanceof SecretKeyError)) throw error;
  }
  throw wrongKeyError(box, keySource, stored);
}
