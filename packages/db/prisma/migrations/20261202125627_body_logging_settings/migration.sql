-- AlterTable
ALTER TABLE "Settings" ADD COLUMN     "logBodyMaxBytes" INTEGER NOT NULL DEFAULT 32768,
ADD COLUMN     "viewersReadBodies" BOOLEAN NOT NULL DEFAULT false;
