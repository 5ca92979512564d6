-- Provider header values and endpoint credentials are secrets: stored encrypted.
ALTER TABLE "Provider" ADD COLUMN "headersCipher" TEXT;
ALTER TABLE "Provider" ADD COLUMN "endpointCipher" TEXT;
