-- CreateEnum
CREATE TYPE "RecipientKind" AS ENUM ('MEMBER', 'STAFF');

-- CreateEnum
CREATE TYPE "ChatKind" AS ENUM ('DINGTALK', 'WECOM', 'FEISHU', 'WEBHOOK');

-- CreateEnum
CREATE TYPE "InboundMailStatus" AS ENUM ('RECEIVED', 'APPLIED', 'REFUSED', 'IGNORED');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "OutboxKind" ADD VALUE 'NOTIFY_EMAIL';
ALTER TYPE "OutboxKind" ADD VALUE 'NOTIFY_CHAT';

-- AlterTable
ALTER TABLE "Staff" ADD COLUMN     "email" VARCHAR(200),
ADD COLUMN     "locale" VARCHAR(10),
ADD COLUMN     "mobile" VARCHAR(40);

-- AlterTable
-- Edited by hand: the audit rows written before notifications existed are old news (false, a
-- metadata-only change even on millions of rows); every row written from now on is pending.
ALTER TABLE "TicketEvent" ADD COLUMN     "messageId" INTEGER,
ADD COLUMN     "notifyPending" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "TicketEvent" ALTER COLUMN "notifyPending" SET DEFAULT true;

-- CreateTable
CREATE TABLE "Notification" (
    "id" SERIAL NOT NULL,
    "recipientKind" "RecipientKind" NOT NULL,
    "recipientId" INTEGER NOT NULL,
    "eventId" INTEGER NOT NULL,
    "ticketId" INTEGER NOT NULL,
    "kind" VARCHAR(40) NOT NULL,
    "actorName" VARCHAR(100),
    "ticketTitle" VARCHAR(200) NOT NULL,
    "messageId" INTEGER,
    "excerpt" VARCHAR(500),
    "inApp" BOOLEAN NOT NULL DEFAULT true,
    "readAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NotificationPreference" (
    "recipientKind" "RecipientKind" NOT NULL,
    "recipientId" INTEGER NOT NULL,
    "settings" JSONB NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "NotificationPreference_pkey" PRIMARY KEY ("recipientKind","recipientId")
);

-- CreateTable
CREATE TABLE "ChatChannel" (
    "id" SERIAL NOT NULL,
    "name" VARCHAR(64) NOT NULL,
    "kind" "ChatKind" NOT NULL,
    "webhookUrl" VARCHAR(500) NOT NULL,
    "secretEncrypted" VARCHAR(500),
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "locale" VARCHAR(10) NOT NULL DEFAULT 'zh-CN',
    "kinds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "categoryIds" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    "assigneeIds" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    "mentionAssignee" BOOLEAN NOT NULL DEFAULT true,
    "sendLog" JSONB NOT NULL DEFAULT '[]',
    "lastSentAt" TIMESTAMPTZ(3),
    "lastError" VARCHAR(1000),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ChatChannel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MailSettings" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "host" VARCHAR(200) NOT NULL,
    "port" INTEGER NOT NULL,
    "security" VARCHAR(10) NOT NULL,
    "user" VARCHAR(200),
    "passwordEncrypted" VARCHAR(500),
    "fromAddress" VARCHAR(200) NOT NULL,
    "fromName" VARCHAR(100),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "MailSettings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InboundMail" (
    "id" SERIAL NOT NULL,
    "dedupeKey" VARCHAR(64) NOT NULL,
    "messageIdHeader" VARCHAR(300),
    "fromAddress" VARCHAR(200),
    "toAddress" VARCHAR(300) NOT NULL,
    "ticketId" INTEGER,
    "memberId" INTEGER,
    "rawKey" VARCHAR(80) NOT NULL,
    "size" INTEGER NOT NULL,
    "status" "InboundMailStatus" NOT NULL DEFAULT 'RECEIVED',
    "reason" VARCHAR(500),
    "messageId" INTEGER,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMPTZ(3),

    CONSTRAINT "InboundMail_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Notification_recipientKind_recipientId_id_idx" ON "Notification"("recipientKind", "recipientId", "id" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "Notification_eventId_recipientKind_recipientId_key" ON "Notification"("eventId", "recipientKind", "recipientId");

-- CreateIndex
CREATE UNIQUE INDEX "ChatChannel_name_key" ON "ChatChannel"("name");

-- CreateIndex
CREATE UNIQUE INDEX "InboundMail_dedupeKey_key" ON "InboundMail"("dedupeKey");

-- CreateIndex
CREATE INDEX "InboundMail_status_receivedAt_idx" ON "InboundMail"("status", "receivedAt");

-- CreateIndex
CREATE INDEX "InboundMail_receivedAt_id_idx" ON "InboundMail"("receivedAt" DESC, "id" DESC);


-- ---------------------------------------------------------------------------
-- Added by hand (docs/DATABASE.md, "Rules that live in SQL only").
-- ---------------------------------------------------------------------------

-- The fan-out claims pending audit rows oldest first: this index holds only those (a handful),
-- however long the audit trail grows.
CREATE INDEX "TicketEvent_notify_pending" ON "TicketEvent"("id") WHERE "notifyPending";

-- The bell's unread count reads only unread, shown rows of one person.
CREATE INDEX "Notification_unread" ON "Notification"("recipientKind", "recipientId") WHERE "readAt" IS NULL AND "inApp";
