import { describe, expect, it } from "vitest";
import { canDownloadAttachment, ownerKeyOf, type AttachmentAccessFacts } from "./attachment-access";
import type { Viewer } from "../viewer";

const member: Viewer = { kind: "member", memberId: 1100001, name: "张三" };
const other: Viewer = { kind: "member", memberId: 1100002, name: "李四" };
const staff: Viewer = { kind: "staff", staffId: 2, name: "客服小王", role: "STAFF" };

const onMessage = (memberId: number | null, visibility: "PUBLIC" | "STAFF_ONLY"): AttachmentAccessFacts => ({
  ownerKey: "member:1100001",
  messageId: 7,
  ticket: { memberId },
  message: { visibility },
});
const pending = (ownerKey: string): AttachmentAccessFacts => ({ ownerKey, messageId: null, ticket: null, message: null });

describe("R7 attachment access", () => {
  it("staff read everything", () => {
    expect(canDownloadAttachment(staff, onMessage(1100001, "STAFF_ONLY"))).toBe(true);
    expect(canDownloadAttachment(staff, pending("member:1100002"))).toBe(true);
  });

  it("a member reads public files on their own tickets only", () => {
    expect(canDownloadAttachment(member, onMessage(1100001, "PUBLIC"))).toBe(true);
    expect(canDownloadAttachment(member, onMessage(1100001, "STAFF_ONLY"))).toBe(false);
    expect(canDownloadAttachment(other, onMessage(1100001, "PUBLIC"))).toBe(false);
    expect(canDownloadAttachment(member, onMessage(null, "PUBLIC"))).toBe(false); // a partner's ticket
  });

  it("a pending upload is readable by its uploader only", () => {
    expect(canDownloadAttachment(member, pending("member:1100001"))).toBe(true);
    expect(canDownloadAttachment(other, pending("member:1100001"))).toBe(false);
    expect(canDownloadAttachment(member, pending("staff:1100001"))).toBe(false);
  });

  it("anonymous callers read nothing and own nothing", () => {
    expect(canDownloadAttachment({ kind: "anonymous" }, pending("member:1100001"))).toBe(false);
    expect(ownerKeyOf({ kind: "anonymous" })).toBeNull();
    expect(ownerKeyOf(staff)).toBe("staff:2");
  });
});
