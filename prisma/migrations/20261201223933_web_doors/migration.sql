-- DropIndex
DROP INDEX "Ticket_memberId_updatedAt_id_idx";

-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "sessionVersion" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "memberActivityAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "memberVersion" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "CategoryIcon" (
    "storageKey" VARCHAR(80) NOT NULL,
    "uploadedById" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CategoryIcon_pkey" PRIMARY KEY ("storageKey")
);

-- CreateTable
CREATE TABLE "RateLimit" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL,
    "expire" TIMESTAMPTZ(3),

    CONSTRAINT "RateLimit_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "RateLimit_expire_idx" ON "RateLimit"("expire");

-- CreateIndex
CREATE INDEX "Ticket_memberId_memberActivityAt_id_idx" ON "Ticket"("memberId", "memberActivityAt" DESC, "id" DESC);

-- Hand-written: the member's last activity starts as the ticket's last activity; the icons in use
-- are the icon uploads known so far.
UPDATE "Ticket" SET "memberActivityAt" = "updatedAt";
INSERT INTO "CategoryIcon" ("storageKey") SELECT DISTINCT "iconKey" FROM "Category" WHERE "iconKey" IS NOT NULL;
