-- CreateTable
CREATE TABLE "StoredResponse" (
    "id" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "keyId" TEXT,
    "nativeProvider" TEXT,
    "response" JSONB NOT NULL,
    "inputItems" JSONB NOT NULL,
    "history" JSONB NOT NULL,

    CONSTRAINT "StoredResponse_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "StoredResponse_createdAt_idx" ON "StoredResponse"("createdAt");
