-- AlterTable
ALTER TABLE "Route" ADD COLUMN     "logBodies" BOOLEAN;

-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "logBodies" BOOLEAN;
