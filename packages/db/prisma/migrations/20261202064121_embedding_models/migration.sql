-- AlterTable
ALTER TABLE "ProviderModel" ADD COLUMN     "dimensions" INTEGER,
ADD COLUMN     "kind" TEXT,
ADD COLUMN     "space" TEXT;
