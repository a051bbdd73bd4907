-- CreateEnum
CREATE TYPE "StaffRole" AS ENUM ('SUPER_ADMIN', 'STAFF');

-- CreateEnum
CREATE TYPE "TicketType" AS ENUM ('NORMAL', 'BUSINESS_TECH', 'ICP_FILING', 'TRADEMARK', 'OTHER');

-- CreateEnum
CREATE TYPE "TicketStatus" AS ENUM ('PENDING', 'PROCESSING', 'REPLIED', 'MEMBER_REPLIED', 'COMPLETED');

-- CreateEnum
CREATE TYPE "EscalationState" AS ENUM ('NONE', 'ESCALATED', 'RETURNED', 'UPSTREAM_CLOSED');

-- CreateEnum
CREATE TYPE "UpstreamTicketState" AS ENUM ('OPEN', 'RETURNED', 'CLOSED', 'FINISHED');

-- CreateEnum
CREATE TYPE "AuthorKind" AS ENUM ('MEMBER', 'STAFF', 'UPSTREAM_AGENT', 'PARTNER', 'SYSTEM');

-- CreateEnum
CREATE TYPE "Visibility" AS ENUM ('PUBLIC', 'STAFF_ONLY');

-- CreateEnum
CREATE TYPE "OutboxKind" AS ENUM ('UPSTREAM_REQUEST', 'PARTNER_CALLBACK');

-- CreateEnum
CREATE TYPE "OutboxStatus" AS ENUM ('PENDING', 'DELIVERED', 'DEAD');

-- CreateTable
CREATE TABLE "Member" (
    "id" SERIAL NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "email" VARCHAR(200) NOT NULL,
    "phone" VARCHAR(40),
    "qq" VARCHAR(20),
    "passwordHash" VARCHAR(200) NOT NULL,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "locale" VARCHAR(10),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Member_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MemberService" (
    "id" SERIAL NOT NULL,
    "memberId" INTEGER NOT NULL,
    "businessId" VARCHAR(64) NOT NULL,
    "ip" VARCHAR(64),
    "type" VARCHAR(64) NOT NULL,
    "upstreamConnectionId" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MemberService_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Staff" (
    "id" SERIAL NOT NULL,
    "loginName" VARCHAR(64) NOT NULL,
    "displayName" VARCHAR(64) NOT NULL,
    "role" "StaffRole" NOT NULL DEFAULT 'STAFF',
    "passwordHash" VARCHAR(200) NOT NULL,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "sessionVersion" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Staff_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CategoryGroup" (
    "id" SERIAL NOT NULL,
    "name" VARCHAR(64) NOT NULL,
    "sortOrder" INTEGER NOT NULL DEFAULT 0,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CategoryGroup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Category" (
    "id" SERIAL NOT NULL,
    "name" VARCHAR(64) NOT NULL,
    "description" VARCHAR(500) NOT NULL,
    "groupId" INTEGER NOT NULL,
    "type" "TicketType" NOT NULL,
    "submitToApi" BOOLEAN NOT NULL DEFAULT false,
    "iconKey" VARCHAR(80),
    "sortOrder" INTEGER NOT NULL DEFAULT 0,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Category_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Ticket" (
    "id" SERIAL NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "memberId" INTEGER,
    "categoryId" INTEGER NOT NULL,
    "status" "TicketStatus" NOT NULL DEFAULT 'PENDING',
    "escalation" "EscalationState" NOT NULL DEFAULT 'NONE',
    "assigneeId" INTEGER,
    "contactPhone" VARCHAR(40),
    "contactQq" VARCHAR(20),
    "businessId" VARCHAR(64),
    "businessIp" VARCHAR(64),
    "businessType" VARCHAR(64),
    "respondedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),
    "rating" SMALLINT,
    "ratingComment" VARCHAR(1000),
    "ratedAt" TIMESTAMPTZ(3),
    "lastReplyAt" TIMESTAMPTZ(3),
    "memberReadAt" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "partnerId" INTEGER,
    "partnerTicketNo" VARCHAR(64),
    "guid" VARCHAR(40),
    "partnerState" "UpstreamTicketState",
    "partnerMember" JSONB,

    CONSTRAINT "Ticket_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TicketMessage" (
    "id" SERIAL NOT NULL,
    "ticketId" INTEGER NOT NULL,
    "authorKind" "AuthorKind" NOT NULL,
    "memberId" INTEGER,
    "staffId" INTEGER,
    "agentId" VARCHAR(64),
    "agentName" VARCHAR(100),
    "visibility" "Visibility" NOT NULL DEFAULT 'PUBLIC',
    "body" TEXT NOT NULL,
    "systemCode" VARCHAR(40),
    "systemParams" JSONB,
    "externalId" VARCHAR(100),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TicketMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Attachment" (
    "id" SERIAL NOT NULL,
    "ticketId" INTEGER,
    "messageId" INTEGER,
    "storageKey" VARCHAR(80) NOT NULL,
    "fileName" VARCHAR(200) NOT NULL,
    "mimeType" VARCHAR(100) NOT NULL,
    "size" INTEGER NOT NULL,
    "ownerKey" VARCHAR(80) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Attachment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TicketEvent" (
    "id" SERIAL NOT NULL,
    "ticketId" INTEGER NOT NULL,
    "action" VARCHAR(40) NOT NULL,
    "actorKind" "AuthorKind" NOT NULL,
    "actorId" VARCHAR(64),
    "actorName" VARCHAR(100),
    "fromStatus" "TicketStatus",
    "toStatus" "TicketStatus",
    "fromEscalation" "EscalationState",
    "toEscalation" "EscalationState",
    "data" JSONB,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TicketEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CannedReply" (
    "id" SERIAL NOT NULL,
    "title" VARCHAR(100) NOT NULL,
    "body" TEXT NOT NULL,
    "createdById" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CannedReply_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UpstreamConnection" (
    "id" SERIAL NOT NULL,
    "name" VARCHAR(64) NOT NULL,
    "baseUrl" VARCHAR(300) NOT NULL,
    "partnerId" VARCHAR(64) NOT NULL,
    "keyId" VARCHAR(64) NOT NULL,
    "secretEncrypted" VARCHAR(500) NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "syncCursor" VARCHAR(100),
    "lastSyncAt" TIMESTAMPTZ(3),
    "lastError" VARCHAR(1000),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "UpstreamConnection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UpstreamLink" (
    "id" SERIAL NOT NULL,
    "ticketId" INTEGER NOT NULL,
    "connectionId" INTEGER NOT NULL,
    "guid" VARCHAR(100),
    "state" "UpstreamTicketState" NOT NULL DEFAULT 'OPEN',
    "cursor" VARCHAR(100),
    "lastSyncedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "UpstreamLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DownstreamPartner" (
    "id" SERIAL NOT NULL,
    "name" VARCHAR(64) NOT NULL,
    "partnerId" VARCHAR(64) NOT NULL,
    "keyId" VARCHAR(64) NOT NULL,
    "secretEncrypted" VARCHAR(500) NOT NULL,
    "previousSecretEncrypted" VARCHAR(500),
    "previousSecretExpiresAt" TIMESTAMPTZ(3),
    "callbackUrl" VARCHAR(300) NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "allowedTypes" "TicketType"[],
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "DownstreamPartner_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" SERIAL NOT NULL,
    "kind" "OutboxKind" NOT NULL,
    "type" VARCHAR(40) NOT NULL,
    "connectionId" INTEGER,
    "partnerId" INTEGER,
    "ticketId" INTEGER,
    "orderingKey" VARCHAR(80) NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "OutboxStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedUntil" TIMESTAMPTZ(3),
    "lastError" VARCHAR(1000),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" TIMESTAMPTZ(3),

    CONSTRAINT "OutboxMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InboxEvent" (
    "id" SERIAL NOT NULL,
    "source" VARCHAR(80) NOT NULL,
    "eventId" VARCHAR(100) NOT NULL,
    "type" VARCHAR(40) NOT NULL,
    "payload" JSONB NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMPTZ(3),
    "error" VARCHAR(1000),

    CONSTRAINT "InboxEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TicketCount" (
    "status" "TicketStatus" NOT NULL,
    "escalation" "EscalationState" NOT NULL,
    "categoryId" INTEGER NOT NULL,
    "assigneeId" INTEGER NOT NULL,
    "n" BIGINT NOT NULL,

    CONSTRAINT "TicketCount_pkey" PRIMARY KEY ("status","escalation","categoryId","assigneeId")
);

-- CreateIndex
CREATE UNIQUE INDEX "Member_email_key" ON "Member"("email");

-- CreateIndex
CREATE UNIQUE INDEX "MemberService_memberId_businessId_key" ON "MemberService"("memberId", "businessId");

-- CreateIndex
CREATE UNIQUE INDEX "Staff_loginName_key" ON "Staff"("loginName");

-- CreateIndex
CREATE UNIQUE INDEX "CategoryGroup_name_key" ON "CategoryGroup"("name");

-- CreateIndex
CREATE INDEX "Category_groupId_sortOrder_idx" ON "Category"("groupId", "sortOrder");

-- CreateIndex
CREATE UNIQUE INDEX "Ticket_guid_key" ON "Ticket"("guid");

-- CreateIndex
CREATE INDEX "Ticket_status_updatedAt_id_idx" ON "Ticket"("status", "updatedAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Ticket_updatedAt_id_idx" ON "Ticket"("updatedAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Ticket_categoryId_status_updatedAt_id_idx" ON "Ticket"("categoryId", "status", "updatedAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Ticket_assigneeId_status_updatedAt_id_idx" ON "Ticket"("assigneeId", "status", "updatedAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Ticket_escalation_status_updatedAt_id_idx" ON "Ticket"("escalation", "status", "updatedAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Ticket_memberId_updatedAt_id_idx" ON "Ticket"("memberId", "updatedAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Ticket_createdAt_id_idx" ON "Ticket"("createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "Ticket_partnerId_partnerTicketNo_key" ON "Ticket"("partnerId", "partnerTicketNo");

-- CreateIndex
CREATE INDEX "TicketMessage_ticketId_createdAt_id_idx" ON "TicketMessage"("ticketId", "createdAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "TicketMessage_ticketId_externalId_key" ON "TicketMessage"("ticketId", "externalId");

-- CreateIndex
CREATE INDEX "Attachment_messageId_idx" ON "Attachment"("messageId");

-- CreateIndex
CREATE INDEX "Attachment_ticketId_idx" ON "Attachment"("ticketId");

-- CreateIndex
CREATE INDEX "TicketEvent_ticketId_createdAt_idx" ON "TicketEvent"("ticketId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "UpstreamConnection_name_key" ON "UpstreamConnection"("name");

-- CreateIndex
CREATE UNIQUE INDEX "UpstreamLink_ticketId_key" ON "UpstreamLink"("ticketId");

-- CreateIndex
CREATE UNIQUE INDEX "UpstreamLink_connectionId_guid_key" ON "UpstreamLink"("connectionId", "guid");

-- CreateIndex
CREATE UNIQUE INDEX "DownstreamPartner_name_key" ON "DownstreamPartner"("name");

-- CreateIndex
CREATE UNIQUE INDEX "DownstreamPartner_partnerId_key" ON "DownstreamPartner"("partnerId");

-- CreateIndex
CREATE INDEX "OutboxMessage_status_nextAttemptAt_idx" ON "OutboxMessage"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_orderingKey_id_idx" ON "OutboxMessage"("orderingKey", "id");

-- CreateIndex
CREATE UNIQUE INDEX "InboxEvent_source_eventId_key" ON "InboxEvent"("source", "eventId");

-- AddForeignKey
ALTER TABLE "MemberService" ADD CONSTRAINT "MemberService_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MemberService" ADD CONSTRAINT "MemberService_upstreamConnectionId_fkey" FOREIGN KEY ("upstreamConnectionId") REFERENCES "UpstreamConnection"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Category" ADD CONSTRAINT "Category_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "CategoryGroup"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_categoryId_fkey" FOREIGN KEY ("categoryId") REFERENCES "Category"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_assigneeId_fkey" FOREIGN KEY ("assigneeId") REFERENCES "Staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "DownstreamPartner"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketMessage" ADD CONSTRAINT "TicketMessage_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Attachment" ADD CONSTRAINT "Attachment_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Attachment" ADD CONSTRAINT "Attachment_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "TicketMessage"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketEvent" ADD CONSTRAINT "TicketEvent_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CannedReply" ADD CONSTRAINT "CannedReply_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "Staff"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UpstreamLink" ADD CONSTRAINT "UpstreamLink_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UpstreamLink" ADD CONSTRAINT "UpstreamLink_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "UpstreamConnection"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- ---------------------------------------------------------------------------
-- Rules Prisma's schema language cannot express (docs/DATABASE.md).
-- ---------------------------------------------------------------------------

-- Members are numbered from 1100001, as in the manual.
ALTER SEQUENCE "Member_id_seq" RESTART WITH 1100001;

-- R10: "业务技术工单和商务工单分别只能存在一个分类" — enforced here so that two concurrent creations
-- cannot both win.
CREATE UNIQUE INDEX "Category_one_business_tech_one_trademark" ON "Category"("type")
  WHERE "type" IN ('BUSINESS_TECH', 'TRADEMARK');

-- R1/R10: a NORMAL category never submits to the API.
ALTER TABLE "Category" ADD CONSTRAINT "Category_normal_never_api"
  CHECK ("type" <> 'NORMAL' OR "submitToApi" = false);

-- A ticket belongs to one of our members or to a downstream partner, never both.
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_member_xor_partner"
  CHECK (("memberId" IS NULL) <> ("partnerId" IS NULL));
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_rating_range"
  CHECK ("rating" IS NULL OR "rating" BETWEEN 1 AND 5);

-- Maintained queue counts: one row per (status, escalation, category, assignee).
CREATE FUNCTION "ticket_count_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND OLD."status" = NEW."status" AND OLD."escalation" = NEW."escalation"
     AND OLD."categoryId" = NEW."categoryId"
     AND COALESCE(OLD."assigneeId", 0) = COALESCE(NEW."assigneeId", 0) THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE "TicketCount" SET "n" = "n" - 1
     WHERE "status" = OLD."status" AND "escalation" = OLD."escalation"
       AND "categoryId" = OLD."categoryId" AND "assigneeId" = COALESCE(OLD."assigneeId", 0);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO "TicketCount" ("status", "escalation", "categoryId", "assigneeId", "n")
    VALUES (NEW."status", NEW."escalation", NEW."categoryId", COALESCE(NEW."assigneeId", 0), 1)
    ON CONFLICT ("status", "escalation", "categoryId", "assigneeId")
    DO UPDATE SET "n" = "TicketCount"."n" + 1;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "ticket_count_maintain"
  AFTER INSERT OR DELETE OR UPDATE OF "status", "escalation", "categoryId", "assigneeId" ON "Ticket"
  FOR EACH ROW EXECUTE FUNCTION "ticket_count_apply"();
