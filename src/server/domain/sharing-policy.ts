// What the upstream vendor may learn about a reseller's members (white-label escalation).
// Pure: the policy, the masks and the block rules; the caller passes the texts and the key.
import { createHmac } from "node:crypto";
import { z } from "zod";
import { zText } from "../schemas.ts";

/** A rule a staff member writes: a keyword (literal, case-insensitive) or a regular expression. */
const ZTextRule = z.object({
  label: zText({ max: 40, min: 1 }),
  kind: z.enum(["keyword", "regex"]),
  pattern: zText({ max: 200, min: 1, trim: false }),
});
type TextRule = z.infer<typeof ZTextRule>;

const ZBlockRule = ZTextRule.extend({ reason: zText({ max: 200, min: 1 }) });
const ZTerm = zText({ max: 60, min: 1 });
export type BlockRule = z.infer<typeof ZBlockRule>;

type BuiltInMask = "mobile" | "email" | "qq" | "idCard" | "brand";

export const ZSharingPolicy = z.object({
  /** The real 会员ID instead of a pseudonym. */
  shareMemberId: z.boolean(),
  sharePhone: z.boolean(),
  shareQq: z.boolean(),
  shareEmail: z.boolean(),
  shareName: z.boolean(),
  masks: z.object({ mobile: z.boolean(), email: z.boolean(), qq: z.boolean(), idCard: z.boolean(), brand: z.boolean() }),
  /** The reseller's own brand names and domains (masked when `masks.brand`). */
  brandTerms: z.array(ZTerm).max(50),
  customMasks: z.array(ZTextRule).max(50),
  blockRules: z.array(ZBlockRule).max(50),
  /** Whether the escalate dialog ticks a public attachment by default; later replies follow it. */
  forwardFilesByDefault: z.boolean(),
  /** Masks applied for the member to the vendor's replies (staff see the original). */
  inbound: z.object({
    maskContacts: z.boolean(),
    vendorTerms: z.array(ZTerm).max(50),
  }),
});
export type SharingPolicy = z.infer<typeof ZSharingPolicy>;

/** Private by default: nothing that identifies or reaches the member leaves unless switched on. */
export const DEFAULT_SHARING_POLICY: SharingPolicy = {
  shareMemberId: false,
  sharePhone: false,
  shareQq: false,
  shareEmail: false,
  shareName: false,
  masks: { mobile: true, email: true, qq: true, idCard: true, brand: true },
  brandTerms: [],
  customMasks: [],
  blockRules: [],
  forwardFilesByDefault: false,
  inbound: { maskContacts: true, vendorTerms: [] },
};

/** Read a stored policy leniently: fields added later take their defaults. */
export function sharingPolicyFrom(stored: unknown): SharingPolicy {
  const parsed = ZSharingPolicy.partial().safeParse(stored ?? {});
  if (!parsed.success) return DEFAULT_SHARING_POLICY;
  const p = parsed.data;
  return {
    ...DEFAULT_SHARING_POLICY,
    ...p,
    masks: { ...DEFAULT_SHARING_POLICY.masks, ...p.masks },
    inbound: { ...DEFAULT_SHARING_POLICY.inbound, ...p.inbound },
  };
}

// ----------------------------------------------------------------------------- tokens
const MASK_TOKENS: Record<BuiltInMask | "custom" | "contact", string> = {
  mobile: "[已隐藏手机号]",
  email: "[已隐藏邮箱]",
  qq: "[已隐藏QQ号]",
  idCard: "[已隐藏身份证号]",
  brand: "[已隐藏品牌]",
  contact: "[已隐藏联系方式]",
  custom: "[已隐藏]",
};

// ----------------------------------------------------------------------------- patterns
// Digits are bounded on both sides so a mobile number is never cut out of a longer number (an
// order number, an ID card) and an ID card never out of a longer one.
const ID_CARD = /(?<![0-9A-Za-z])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])/g;
const MOBILE = /(?<![\d])(?:(?:\+|00)?86[-\s]?)?1[3-9]\d(?:[-\s]?\d{4}){2}(?!\d)/g;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
/** A QQ number is only recognisable by what stands before it (QQ, 扣扣, 企鹅号 …). */
const QQ = /(?:QQ|qq|Qq|扣扣|企鹅号?)\s*(?:号码?|號)?\s*[:：]?\s*([1-9]\d{4,10})(?!\d)/g;

export type MaskHit = { start: number; end: number; token: string; rule: string };

/** Identifying values known for this ticket's member: masked wherever they appear. */
export type KnownContacts = { phone?: string | null; qq?: string | null; email?: string | null; name?: string | null };

function escapeRegExp(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Whether a staff-written expression may run on every forwarded text: it must compile, and it may
 * not nest quantifiers or refer back, which is where catastrophic backtracking comes from.
 */
export function checkRegex(pattern: string): { ok: true } | { ok: false; reason: "invalid" | "unsafe" } {
  try {
    new RegExp(pattern, "giu");
  } catch {
    return { ok: false, reason: "invalid" };
  }
  if (/\\[1-9]|\\k</.test(pattern)) return { ok: false, reason: "unsafe" };
  // A quantified group that itself contains a quantifier: (a+)+, (\d*)*, (?:x{2,})+ …
  if (/\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*(?:[+*]|\{\d+,?\d*\})/.test(pattern)) return { ok: false, reason: "unsafe" };
  return { ok: true };
}

function ruleRegex(rule: TextRule): RegExp | null {
  if (rule.kind === "keyword") return new RegExp(escapeRegExp(rule.pattern), "giu");
  if (!checkRegex(rule.pattern).ok) return null;
  const re = new RegExp(rule.pattern, "giu");
  // An expression that matches the empty string would mask nothing and loop forever.
  return re.test("") ? null : new RegExp(rule.pattern, "giu");
}

function collect(text: string, re: RegExp, token: string, rule: string, group = 0): MaskHit[] {
  const hits: MaskHit[] = [];
  re.lastIndex = 0;
  for (const m of text.matchAll(re)) {
    const whole = m[0];
    if (whole.length === 0) continue;
    const part = m[group] ?? whole;
    const start = (m.index ?? 0) + (group === 0 ? 0 : whole.lastIndexOf(part));
    hits.push({ start, end: start + part.length, token, rule });
  }
  return hits;
}

function literalHits(text: string, terms: string[], token: string, rule: string): MaskHit[] {
  return terms.filter((t) => t.trim().length >= 2).flatMap((t) => collect(text, new RegExp(escapeRegExp(t.trim()), "giu"), token, rule));
}

/** Every place a rule of the policy applies to `text`, before overlaps are resolved. */
function outboundHits(policy: SharingPolicy, text: string, known: KnownContacts): MaskHit[] {
  const m = policy.masks;
  const hits: MaskHit[] = [];
  if (m.idCard) hits.push(...collect(text, ID_CARD, MASK_TOKENS.idCard, "idCard"));
  if (m.mobile) hits.push(...collect(text, MOBILE, MASK_TOKENS.mobile, "mobile"));
  if (m.email) hits.push(...collect(text, EMAIL, MASK_TOKENS.email, "email"));
  if (m.qq) hits.push(...collect(text, QQ, MASK_TOKENS.qq, "qq", 1));
  if (m.brand) hits.push(...literalHits(text, policy.brandTerms, MASK_TOKENS.brand, "brand"));
  // The member's own values, whatever their shape, unless the policy shares that field.
  if (!policy.sharePhone && known.phone) hits.push(...literalHits(text, [known.phone], MASK_TOKENS.mobile, "mobile"));
  if (!policy.shareQq && known.qq) hits.push(...literalHits(text, [known.qq], MASK_TOKENS.qq, "qq"));
  if (!policy.shareEmail && known.email) hits.push(...literalHits(text, [known.email], MASK_TOKENS.email, "email"));
  if (!policy.shareName && known.name) hits.push(...literalHits(text, [known.name], MASK_TOKENS.contact, "name"));
  for (const rule of policy.customMasks) {
    const re = ruleRegex(rule);
    if (re) hits.push(...collect(text, re, `[已隐藏${rule.label}]`, `custom:${rule.label}`));
  }
  return hits;
}

export type MaskedText = {
  text: string;
  /** Where each token stands in `text` (for highlighting), and which rule put it there. */
  masked: MaskHit[];
};

/** Replaces every hit by its token; of overlapping hits the earliest, then the longest, wins. */
function applyHits(text: string, hits: MaskHit[]): MaskedText {
  const ordered = [...hits].sort((a, b) => a.start - b.start || b.end - a.end);
  let out = "";
  let at = 0;
  const masked: MaskHit[] = [];
  for (const h of ordered) {
    if (h.start < at) continue;
    out += text.slice(at, h.start);
    masked.push({ start: out.length, end: out.length + h.token.length, token: h.token, rule: h.rule });
    out += h.token;
    at = h.end;
  }
  return { text: out + text.slice(at), masked };
}

/** A text as the vendor will receive it. */
export function maskOutbound(policy: SharingPolicy, text: string, known: KnownContacts = {}): MaskedText {
  return applyHits(text, outboundHits(policy, text, known));
}

/** A vendor's reply as the member will see it (staff see the original). */
export function maskInboundForMember(policy: SharingPolicy, text: string): MaskedText {
  const hits: MaskHit[] = [];
  if (policy.inbound.maskContacts) {
    hits.push(...collect(text, MOBILE, MASK_TOKENS.mobile, "mobile"));
    hits.push(...collect(text, EMAIL, MASK_TOKENS.email, "email"));
    hits.push(...collect(text, QQ, MASK_TOKENS.qq, "qq", 1));
  }
  hits.push(...literalHits(text, policy.inbound.vendorTerms, MASK_TOKENS.brand, "vendor"));
  return applyHits(text, hits);
}

/** The first block rule any of the texts matches: such a ticket is not escalated. */
export function findBlockingRule(policy: SharingPolicy, texts: string[]): BlockRule | null {
  for (const rule of policy.blockRules) {
    const re = ruleRegex(rule);
    if (re && texts.some((t) => (re.lastIndex = 0, re.test(t)))) return rule;
  }
  return null;
}

/**
 * The member as the vendor knows them: a pseudonym stable per (member, upstream), so the vendor can
 * tell "the same customer as last week" without learning who, and two vendors cannot join their
 * records. Keyed by an instance secret: without it the pseudonym cannot be reversed by trying ids.
 */
export function memberPseudonym(key: string, connectionId: number, memberId: number | string): string {
  const mac = createHmac("sha256", key).update(`member-pseudonym:${connectionId}:${memberId}`).digest();
  // Crockford base32 of the first 50 bits: 10 characters, no I/L/O/U.
  const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  let n = mac.readBigUInt64BE(0) >> 14n;
  let out = "";
  for (let i = 0; i < 10; i++) {
    out = alphabet[Number(n & 31n)] + out;
    n >>= 5n;
  }
  return `C-${out}`;
}

export type MemberForUpstream = { id: number | string; name?: string | null; email?: string | null; phone?: string | null; qq?: string | null };

/** The `member` object of a create: a pseudonym and only the contact fields the policy shares. */
export function memberForUpstream(policy: SharingPolicy, key: string, connectionId: number, member: MemberForUpstream) {
  return {
    id: policy.shareMemberId ? String(member.id) : memberPseudonym(key, connectionId, member.id),
    ...(policy.shareName && member.name ? { name: member.name } : {}),
    ...(policy.shareEmail && member.email ? { email: member.email } : {}),
    ...(policy.sharePhone && member.phone ? { phone: member.phone } : {}),
    ...(policy.shareQq && member.qq ? { qq: member.qq } : {}),
  };
}

// ----------------------------------------------------------------------------- the payload
/** The member's own name stays with us; the upstream sees 客户, as in the manual. */
const MEMBER_NAME_UPSTREAM = "客户";

export type TicketForSharing = {
  id: number;
  title: string;
  memberId: number | null;
  contactPhone: string | null;
  contactQq: string | null;
  member: { name: string; email: string; phone: string | null; qq: string | null } | null;
};
export type FileForSharing = { id: number; fileName: string; mimeType: string; size: number };
export type MessageForSharing<F extends FileForSharing = FileForSharing> = {
  id: number;
  authorKind: "MEMBER" | "STAFF";
  staffName: string | null;
  body: string;
  createdAt: Date;
  files: F[];
};

export type SharedFile<F extends FileForSharing = FileForSharing> = F & { maskedName: MaskedText; forwarded: boolean };
export type SharedMessage<F extends FileForSharing = FileForSharing> = {
  messageId: number;
  author: { role: "member" | "staff"; name: string };
  body: MaskedText;
  createdAt: Date;
  files: SharedFile<F>[];
};

/** Exactly what the vendor receives of a ticket under a policy; the sender and the preview both use it. */
export type SharedTicket<F extends FileForSharing = FileForSharing> = {
  title: MaskedText;
  member: ReturnType<typeof memberForUpstream>;
  messages: SharedMessage<F>[];
  /** Whether any mask applied (the conversation marks such messages 已转发（已脱敏）). */
  anyMasked: boolean;
};

export function knownContactsOf(ticket: TicketForSharing): KnownContacts {
  return {
    phone: ticket.contactPhone ?? ticket.member?.phone ?? null,
    qq: ticket.contactQq ?? ticket.member?.qq ?? null,
    email: ticket.member?.email ?? null,
    name: ticket.member?.name ?? null,
  };
}

/** One message as it leaves: masked text, masked file names, and which files go (`sendFile`). */
export function shareMessage<F extends FileForSharing>(
  policy: SharingPolicy,
  known: KnownContacts,
  message: MessageForSharing<F>,
  sendFile: (fileId: number) => boolean,
): SharedMessage<F> {
  return {
    messageId: message.id,
    author: message.authorKind === "STAFF" ? { role: "staff", name: message.staffName ?? "客服" } : { role: "member", name: MEMBER_NAME_UPSTREAM },
    body: maskOutbound(policy, message.body, known),
    createdAt: message.createdAt,
    files: message.files.map((f) => {
      const maskedName = maskOutbound(policy, f.fileName, known);
      return { ...f, fileName: maskedName.text, maskedName, forwarded: sendFile(f.id) };
    }),
  };
}

export function shareTicket<F extends FileForSharing>(
  policy: SharingPolicy,
  key: string,
  connectionId: number,
  ticket: TicketForSharing,
  messages: MessageForSharing<F>[],
  sendFile: (fileId: number) => boolean,
): SharedTicket<F> {
  const known = knownContactsOf(ticket);
  const title = maskOutbound(policy, ticket.title, known);
  const shared = messages.map((m) => shareMessage(policy, known, m, sendFile));
  const member = memberForUpstream(policy, key, connectionId, {
    id: ticket.memberId ?? "-",
    name: ticket.member?.name,
    email: ticket.member?.email,
    phone: ticket.contactPhone ?? ticket.member?.phone,
    qq: ticket.contactQq ?? ticket.member?.qq,
  });
  return { title, member, messages: shared, anyMasked: title.masked.length > 0 || shared.some(messageWasMasked) };
}

export function messageWasMasked(m: SharedMessage<FileForSharing>): boolean {
  return m.body.masked.length > 0 || m.files.some((f) => f.forwarded && f.maskedName.masked.length > 0);
}

/** The texts a block rule is tested against: the title and every public message. */
export function textsForBlockRules(ticket: Pick<TicketForSharing, "title">, messages: Pick<MessageForSharing, "body" | "files">[]): string[] {
  return [ticket.title, ...messages.flatMap((m) => [m.body, ...m.files.map((f) => f.fileName)])];
}
