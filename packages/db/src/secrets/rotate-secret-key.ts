// Key rotation: every stored credential re-encrypted with a new key in one transaction, together
// with the key check, so the database is never half on one key and half on the other.
import type { Database } from '../database.ts';
import { writeAudit, type Actor } from '../repositories/audit.ts';
import { TRANSACTION_OPTIONS } from '../repositories/db-client.ts';
import { createSecretBox } from './secret-box.ts';
import { sealKeyCheck, SETTINGS_ID } from './verify-secret-key.ts';

export interface RotationResult {
  /** Credentials re-encrypted. */
  secrets: number;
  oldFingerprint: string;
  newFingerprint: string;
}

/** Re-encrypts with `newKey` (32 bytes). `db` must have been opened with the current key. */
export async function rotateSecretKey(
  db: Database,
  newKey: Buffer,
  actor: Actor,
): Promise<RotationResult> {
  const next = createSecretBox(newKey);
  const reseal = (stored: string | null) =>
    stored === null ? null : next.encrypt(db.secrets.decrypt(stored));
  let secrets = 0;
  await db.prisma.$transaction(async (tx) => {
    const providers = await tx.provider.findMany({
      select: {
        id: true,
        apiKeyCipher: true,
        secretKeyCipher: true,
        sessionTokenCipher: true,
        headersCipher: true,
        endpointCipher: true,
      },
    });
    for (const provider of providers) {
      const ciphers = [
        provider.apiKeyCipher,
        provider.secretKeyCipher,
        provider.sessionTokenCipher,
        provider.headersCipher,
        provider.endpointCipher,
      ];
      secrets += ciphers.filter((cipher) => cipher !== null).length;
      await tx.provider.update({
        where: { id: provider.id },
        data: {
          apiKeyCipher: reseal(provider.apiKeyCipher),
          secretKeyCipher: reseal(provider.secretKeyCipher),
          sessionTokenCipher: reseal(provider.sessionTokenCipher),
          headersCipher: reseal(provider.headersCipher),
          endpointCipher: reseal(provider.endpointCipher),
        },
      });
    }
    const webhooks = await tx.alertWebhook.findMany({
      select: { id: true, urlCipher: true, secretCipher: true },
    });
    for (const webhook of webhooks) {
      secrets += webhook.secretCipher === null ? 1 : 2;
      await tx.alertWebhook.update({
        where: { id: webhook.id },
        data: {
          urlCipher: next.encrypt(db.secrets.decrypt(webhook.urlCipher)),
          secretCipher: reseal(webhook.secretCipher),
        },
      });
    }
    await tx.settings.update({
      where: { id: SETTINGS_ID },
      data: { secretKeyCheck: sealKeyCheck(next) },
    });
    await writeAudit(tx, actor, {
      action: 'rotate-secret-key',
      entity: 'settings',
      before: { keyFingerprint: db.secrets.fingerprint },
      after: { keyFingerprint: next.fingerprint, secrets },
    });
  }, TRANSACTION_OPTIONS);
  return { secrets, oldFingerprint: db.secrets.fingerprint, newFingerprint: next.fingerprint };
}
