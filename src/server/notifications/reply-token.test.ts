import { describe, expect, it } from "vitest";
import { parseReplyAddress, replyAddress } from "./reply-token";

const SECRET = "reply-token-test-secret-0123456789abcdef";

describe("reply addresses", () => {
  it("name their ticket and member, and parse back — also folded to upper case or in angle brackets", () => {
    const a = replyAddress(SECRET, "reply.example.com", 598, 1100001);
    expect(a).toMatch(/^reply\+598\.1100001\.[0-9a-f]{24}@reply\.example\.com$/);
    expect(parseReplyAddress(SECRET, a, "reply.example.com")).toEqual({ ticketId: 598, memberId: 1100001 });
    expect(parseReplyAddress(SECRET, a.toUpperCase(), "reply.example.com")).toEqual({ ticketId: 598, memberId: 1100001 });
    expect(parseReplyAddress(SECRET, `<${a}>`, null)).toEqual({ ticketId: 598, memberId: 1100001 });
  });

  it("cannot be guessed or moved to another ticket, member, domain or instance", () => {
    const a = replyAddress(SECRET, "reply.example.com", 598, 1100001);
    const sig = a.split(".")[2]!.split("@")[0]!;
    expect(parseReplyAddress(SECRET, `reply+599.1100001.${sig}@reply.example.com`, "reply.example.com")).toBeNull();
    expect(parseReplyAddress(SECRET, `reply+598.1100002.${sig}@reply.example.com`, "reply.example.com")).toBeNull();
    expect(parseReplyAddress(SECRET, a.replace("reply.example.com", "evil.example"), "reply.example.com")).toBeNull();
    expect(parseReplyAddress("another-instance-secret-0123456789abcdef", a, "reply.example.com")).toBeNull();
    expect(parseReplyAddress(SECRET, "reply+598.1100001@reply.example.com", null)).toBeNull();
    expect(parseReplyAddress(SECRET, "support@reply.example.com", null)).toBeNull();
  });
});
