-- AlterTable
ALTER TABLE "UpstreamConnection" ADD COLUMN     "previousSecretEncrypted" VARCHAR(500),
ADD COLUMN     "previousSecretExpiresAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "UsedSignature" (
    "signature" VARCHAR(80) NOT NULL,
    "seenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UsedSignature_pkey" PRIMARY KEY ("signature")
);

-- CreateIndex
CREATE INDEX "UsedSignature_seenAt_idx" ON "UsedSignature"("seenAt");
