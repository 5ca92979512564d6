-- AlterTable
ALTER TABLE "RequestLog" ADD COLUMN     "dialect" TEXT,
ADD COLUMN     "usageEstimated" BOOLEAN NOT NULL DEFAULT false;
