-- AlterTable
ALTER TABLE "UpstreamConnection" ADD COLUMN     "sharingPolicy" JSONB;

-- CreateTable
CREATE TABLE "UpstreamDelivery" (
    "id" SERIAL NOT NULL,
    "connectionId" INTEGER NOT NULL,
    "ticketId" INTEGER NOT NULL,
    "type" VARCHAR(40) NOT NULL,
    "method" VARCHAR(10) NOT NULL,
    "path" VARCHAR(300) NOT NULL,
    "bodySha256" CHAR(64) NOT NULL,
    "bodySize" INTEGER NOT NULL,
    "status" INTEGER,
    "messageIds" INTEGER[],
    "maskedMessageIds" INTEGER[],
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UpstreamDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "UpstreamDelivery_ticketId_id_idx" ON "UpstreamDelivery"("ticketId", "id");

-- CreateIndex
CREATE INDEX "UpstreamDelivery_connectionId_id_idx" ON "UpstreamDelivery"("connectionId", "id");
