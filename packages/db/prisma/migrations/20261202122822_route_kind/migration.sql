-- AlterTable
ALTER TABLE "Route" ADD COLUMN     "kind" TEXT;
