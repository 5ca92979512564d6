-- CreateEnum
CREATE TYPE "UserRole" AS ENUM ('admin', 'viewer');

-- CreateTable
CREATE TABLE "Provider" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "endpoint" TEXT,
    "apiKeyCipher" TEXT,
    "secretKeyCipher" TEXT,
    "sessionTokenCipher" TEXT,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "priority" INTEGER NOT NULL DEFAULT 100,
    "weight" DOUBLE PRECISION NOT NULL DEFAULT 1,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "limits" JSONB,
    "healthCheck" JSONB,
    "timeoutMs" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Provider_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProviderModel" (
    "id" TEXT NOT NULL,
    "providerId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "vendorModelId" TEXT,
    "inputPricePerMTok" DOUBLE PRECISION,
    "outputPricePerMTok" DOUBLE PRECISION,
    "contextWindow" INTEGER,

    CONSTRAINT "ProviderModel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Route" (
    "name" TEXT NOT NULL,
    "strategy" TEXT,
    "fallbacks" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "contextLengthFallback" TEXT,
    "retryAttempts" INTEGER,
    "retryDelayMs" INTEGER,
    "timeoutMs" INTEGER,
    "requestTimeoutMs" INTEGER,
    "firstTokenTimeoutMs" INTEGER,
    "maxTokens" INTEGER,
    "cacheEnabled" BOOLEAN,
    "cacheTtlSeconds" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Route_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "RouteTarget" (
    "id" TEXT NOT NULL,
    "routeName" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "providerId" TEXT NOT NULL,
    "model" TEXT,
    "weight" DOUBLE PRECISION NOT NULL DEFAULT 1,

    CONSTRAINT "RouteTarget_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Settings" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "defaultProvider" TEXT,
    "autoFallback" BOOLEAN,
    "loadBalancing" TEXT,
    "retryAttempts" INTEGER,
    "retryDelayMs" INTEGER,
    "timeoutMs" INTEGER,
    "requestTimeoutMs" INTEGER,
    "firstTokenTimeoutMs" INTEGER,
    "enableHealthMonitoring" BOOLEAN,
    "healthCheckIntervalMs" INTEGER,
    "healthCheck" JSONB,
    "defaultRoute" TEXT,
    "cacheEnabled" BOOLEAN,
    "cacheTtlSeconds" INTEGER,
    "cacheMaxEntries" INTEGER,
    "maxRequestBodyBytes" INTEGER,
    "circuitBreaker" JSONB,
    "logBodies" BOOLEAN NOT NULL DEFAULT false,
    "healthRetentionDays" INTEGER NOT NULL DEFAULT 7,
    "requestLogRetentionDays" INTEGER NOT NULL DEFAULT 30,
    "secretKeyCheck" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Settings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "prefix" TEXT,
    "allowedRoutes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "limits" JSONB,
    "strategy" TEXT,
    "monthlyBudgetUsd" DOUBLE PRECISION,
    "expiresAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),
    "lastUsedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" "UserRole" NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" BIGSERIAL NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorUserId" TEXT,
    "actorEmail" TEXT,
    "via" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "entityId" TEXT,
    "before" JSONB,
    "after" JSONB,

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HealthCheckResult" (
    "id" BIGSERIAL NOT NULL,
    "providerId" TEXT NOT NULL,
    "checkedAt" TIMESTAMPTZ(3) NOT NULL,
    "isHealthy" BOOLEAN NOT NULL,
    "responseTimeMs" INTEGER,
    "error" TEXT,
    "source" TEXT,
    "circuitState" TEXT,

    CONSTRAINT "HealthCheckResult_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RequestLog" (
    "id" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "requestId" TEXT NOT NULL,
    "keyId" TEXT,
    "route" TEXT,
    "provider" TEXT,
    "model" TEXT,
    "status" INTEGER NOT NULL,
    "stream" BOOLEAN NOT NULL,
    "attempts" INTEGER NOT NULL,
    "attemptTrail" JSONB NOT NULL DEFAULT '[]',
    "latencyMs" INTEGER NOT NULL,
    "firstTokenMs" INTEGER,
    "inputTokens" INTEGER,
    "outputTokens" INTEGER,
    "costUsd" DOUBLE PRECISION,
    "errorKind" TEXT,
    "errorMessage" TEXT,
    "cache" TEXT,
    "requestBody" JSONB,
    "responseBody" JSONB,

    CONSTRAINT "RequestLog_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Provider_priority_idx" ON "Provider"("priority");

-- CreateIndex
CREATE INDEX "ProviderModel_name_idx" ON "ProviderModel"("name");

-- CreateIndex
CREATE UNIQUE INDEX "ProviderModel_providerId_name_key" ON "ProviderModel"("providerId", "name");

-- CreateIndex
CREATE INDEX "RouteTarget_providerId_idx" ON "RouteTarget"("providerId");

-- CreateIndex
CREATE UNIQUE INDEX "RouteTarget_routeName_position_key" ON "RouteTarget"("routeName", "position");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_hash_key" ON "ApiKey"("hash");

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE UNIQUE INDEX "Session_tokenHash_key" ON "Session"("tokenHash");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE INDEX "Session_expiresAt_idx" ON "Session"("expiresAt");

-- CreateIndex
CREATE INDEX "AuditLog_entity_id_idx" ON "AuditLog"("entity", "id");

-- CreateIndex
CREATE INDEX "HealthCheckResult_providerId_checkedAt_idx" ON "HealthCheckResult"("providerId", "checkedAt");

-- CreateIndex
CREATE INDEX "HealthCheckResult_checkedAt_idx" ON "HealthCheckResult"("checkedAt");

-- CreateIndex
CREATE INDEX "RequestLog_createdAt_id_idx" ON "RequestLog"("createdAt", "id");

-- CreateIndex
CREATE INDEX "RequestLog_provider_createdAt_idx" ON "RequestLog"("provider", "createdAt");

-- CreateIndex
CREATE INDEX "RequestLog_keyId_createdAt_idx" ON "RequestLog"("keyId", "createdAt");

-- CreateIndex
CREATE INDEX "RequestLog_route_createdAt_idx" ON "RequestLog"("route", "createdAt");

-- CreateIndex
CREATE INDEX "RequestLog_status_createdAt_idx" ON "RequestLog"("status", "createdAt");

-- CreateIndex
CREATE INDEX "RequestLog_requestId_idx" ON "RequestLog"("requestId");

-- AddForeignKey
ALTER TABLE "ProviderModel" ADD CONSTRAINT "ProviderModel_providerId_fkey" FOREIGN KEY ("providerId") REFERENCES "Provider"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RouteTarget" ADD CONSTRAINT "RouteTarget_routeName_fkey" FOREIGN KEY ("routeName") REFERENCES "Route"("name") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RouteTarget" ADD CONSTRAINT "RouteTarget_providerId_fkey" FOREIGN KEY ("providerId") REFERENCES "Provider"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
