import type { Prisma } from "../generated/client.ts";
import type { TicketType } from "../generated/enums.ts";
import type { DbOrTx } from "../client.ts";

/** What the console may see of a partner: never a secret, sealed or not. */
const PUBLIC_FIELDS = {
  id: true,
  name: true,
  partnerId: true,
  keyId: true,
  callbackUrl: true,
  enabled: true,
  allowedTypes: true,
  previousSecretExpiresAt: true,
  createdAt: true,
  updatedAt: true,
} as const satisfies Prisma.DownstreamPartnerSelect;

export type PartnerRow = Prisma.DownstreamPartnerGetPayload<{ select: typeof PUBLIC_FIELDS }>;

export type NewPartner = {
  name: string;
  partnerId: string;
  keyId: string;
  secretEncrypted: string;
  callbackUrl: string;
  enabled: boolean;
  allowedTypes: TicketType[];
};

export function insertPartner(db: DbOrTx, data: NewPartner) {
  return db.downstreamPartner.create({ data, select: PUBLIC_FIELDS });
}

export function listPartners(db: DbOrTx) {
  return db.downstreamPartner.findMany({ orderBy: { id: "asc" }, select: PUBLIC_FIELDS });
}

export function findPartner(db: DbOrTx, id: number) {
  return db.downstreamPartner.findUnique({ where: { id }, select: PUBLIC_FIELDS });
}

export type PartnerPatch = Partial<Pick<NewPartner, "name" | "callbackUrl" | "enabled" | "allowedTypes">>;

export function updatePartner(db: DbOrTx, id: number, data: PartnerPatch) {
  return db.downstreamPartner.update({ where: { id }, data, select: PUBLIC_FIELDS });
}

/** Rotation: the new sealed secret becomes current; the old one is kept (or dropped) as told. */
export function replacePartnerSecret(
  db: DbOrTx,
  id: number,
  data: { secretEncrypted: string; previousSecretEncrypted: string | null; previousSecretExpiresAt: Date | null },
) {
  return db.downstreamPartner.update({ where: { id }, data, select: PUBLIC_FIELDS });
}

const CREDENTIAL_FIELDS = {
  ...PUBLIC_FIELDS,
  secretEncrypted: true,
  previousSecretEncrypted: true,
} as const satisfies Prisma.DownstreamPartnerSelect;
export type PartnerCredentials = Prisma.DownstreamPartnerGetPayload<{ select: typeof CREDENTIAL_FIELDS }>;

/** For signature checks and signing callbacks only; the sealed secrets never leave the service. */
export function findPartnerCredentialsByPartnerId(db: DbOrTx, partnerId: string) {
  return db.downstreamPartner.findUnique({ where: { partnerId }, select: CREDENTIAL_FIELDS });
}

export function findPartnerCredentials(db: DbOrTx, id: number) {
  return db.downstreamPartner.findUnique({ where: { id }, select: CREDENTIAL_FIELDS });
}

/** The delivery log of the partner page: its most recent callbacks, newest first. */
export function listPartnerDeliveries(db: DbOrTx, partnerId: number, take: number) {
  return db.outboxMessage.findMany({
    where: { kind: "PARTNER_CALLBACK", partnerId },
    orderBy: { id: "desc" },
    take,
    select: {
      id: true,
      type: true,
      ticketId: true,
      status: true,
      attempts: true,
      lastError: true,
      nextAttemptAt: true,
      createdAt: true,
      deliveredAt: true,
      payload: true,
    },
  });
}
