-- CreateEnum
CREATE TYPE "AutomationTrigger" AS ENUM ('TICKET_CREATED', 'SLA_WARNING', 'SLA_BREACHED');

-- CreateTable
CREATE TABLE "AutomationRule" (
    "id" SERIAL NOT NULL,
    "name" VARCHAR(64) NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "trigger" "AutomationTrigger" NOT NULL,
    "sortOrder" INTEGER NOT NULL DEFAULT 0,
    "categoryIds" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    "keywords" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "clocks" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "moveToCategoryId" INTEGER,
    "assignStaffIds" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    "notifyChannelIds" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    "lastAssignedStaffId" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "AutomationRule_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AutomationRule_name_key" ON "AutomationRule"("name");

-- CreateIndex
CREATE INDEX "AutomationRule_trigger_enabled_sortOrder_idx" ON "AutomationRule"("trigger", "enabled", "sortOrder");
