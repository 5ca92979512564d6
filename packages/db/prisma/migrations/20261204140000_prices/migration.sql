-- AlterTable
ALTER TABLE "RequestLog" ADD COLUMN     "cacheWriteTokens" INTEGER,
ADD COLUMN     "cachedInputTokens" INTEGER,
ADD COLUMN     "reasoningTokens" INTEGER;

-- CreateTable
CREATE TABLE "PriceCatalogue" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "asOf" TEXT NOT NULL,
    "catalogue" JSONB NOT NULL,
    "importedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PriceCatalogue_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RequestLog_model_createdAt_idx" ON "RequestLog"("model", "createdAt");
