import { describe, expect, it } from "vitest";
import {
  DEFAULT_SHARING_POLICY,
  checkRegex,
  findBlockingRule,
  maskInboundForMember,
  maskOutbound,
  memberForUpstream,
  memberPseudonym,
  shareTicket,
  sharingPolicyFrom,
  textsForBlockRules,
  type SharingPolicy,
} from "./sharing-policy";

const KEY = "test-instance-key";
const policy = (over: Partial<SharingPolicy> = {}): SharingPolicy => ({ ...DEFAULT_SHARING_POLICY, ...over });

describe("pseudonyms", () => {
  it("are stable per (member, upstream) and differ across upstreams and members", () => {
    const a = memberPseudonym(KEY, 1, 1100001);
    expect(memberPseudonym(KEY, 1, 1100001)).toBe(a);
    expect(memberPseudonym(KEY, 1, "1100001")).toBe(a);
    expect(memberPseudonym(KEY, 2, 1100001)).not.toBe(a);
    expect(memberPseudonym(KEY, 1, 1100002)).not.toBe(a);
    expect(memberPseudonym("another-instance", 1, 1100001)).not.toBe(a);
    expect(a).toMatch(/^C-[0-9A-HJKMNP-TV-Z]{10}$/);
    expect(a).not.toContain("1100001");
  });

  it("the member object carries the pseudonym and no contact field by default", () => {
    const member = { id: 1100001, name: "张三", email: "zs@example.com", phone: "13812345678", qq: "12345678" };
    expect(memberForUpstream(DEFAULT_SHARING_POLICY, KEY, 1, member)).toEqual({ id: memberPseudonym(KEY, 1, 1100001) });
    expect(memberForUpstream(policy({ shareMemberId: true, sharePhone: true, shareQq: true }), KEY, 1, member)).toEqual({
      id: "1100001",
      phone: "13812345678",
      qq: "12345678",
    });
  });
});

describe("outbound masks", () => {
  it("a phone, QQ, e-mail and an ID-card number never pass unmasked", () => {
    const text = "请联系 138-1234-5678 或 +86 139 8765 4321，QQ：12345678，邮箱 zhang.san@example.com，身份证 11010519491231002X。";
    const out = maskOutbound(DEFAULT_SHARING_POLICY, text);
    expect(out.text).toBe("请联系 [已隐藏手机号] 或 [已隐藏手机号]，QQ：[已隐藏QQ号]，邮箱 [已隐藏邮箱]，身份证 [已隐藏身份证号]。");
    for (const secret of ["1234-5678", "8765", "12345678", "zhang.san", "11010519491231002X"]) expect(out.text).not.toContain(secret);
    expect(out.masked.map((m) => m.rule)).toEqual(["mobile", "mobile", "qq", "email", "idCard"]);
    // Each hit points at its token in the output, for highlighting.
    for (const m of out.masked) expect(out.text.slice(m.start, m.end)).toBe(m.token);
  });

  it("leaves what the vendor needs: IPs, business IDs, order numbers, ticket numbers, dates", () => {
    const text = "服务器 203.0.113.10（VPS-10086）订单 202611301234567890123 工单 598，2026-11-28 15:58 起无法连接。";
    expect(maskOutbound(DEFAULT_SHARING_POLICY, text).text).toBe(text);
  });

  it("a mobile number is not cut out of a longer digit run", () => {
    expect(maskOutbound(DEFAULT_SHARING_POLICY, "订单号 9913812345678").text).toBe("订单号 9913812345678");
  });

  it("the member's own contact values are masked in any spelling the patterns miss, unless shared", () => {
    const known = { qq: "8888866", name: "张三丰" };
    expect(maskOutbound(DEFAULT_SHARING_POLICY, "我是张三丰，号 8888866", known).text).toBe("我是[已隐藏联系方式]，号 [已隐藏QQ号]");
    expect(maskOutbound(policy({ shareQq: true, shareName: true }), "我是张三丰，号 8888866", known).text).toBe("我是张三丰，号 8888866");
  });

  it("brand terms and domains are masked case-insensitively", () => {
    const p = policy({ brandTerms: ["云帆互联", "yunfan.example"] });
    expect(maskOutbound(p, "云帆互联客户，面板 https://panel.YUNFAN.example/login").text).toBe("[已隐藏品牌]客户，面板 https://panel.[已隐藏品牌]/login");
    expect(maskOutbound(policy({ brandTerms: ["云帆互联"], masks: { ...DEFAULT_SHARING_POLICY.masks, brand: false } }), "云帆互联").text).toBe("云帆互联");
  });

  it("staff keywords and expressions each use their own token", () => {
    const p = policy({
      customMasks: [
        { label: "内部单号", kind: "regex", pattern: "YF-\\d{6}" },
        { label: "项目", kind: "keyword", pattern: "星河计划" },
      ],
    });
    expect(maskOutbound(p, "关联 YF-123456，属于星河计划").text).toBe("关联 [已隐藏内部单号]，属于[已隐藏项目]");
  });

  it("switched-off built-in masks leave their matches", () => {
    const p = policy({ masks: { ...DEFAULT_SHARING_POLICY.masks, mobile: false } });
    expect(maskOutbound(p, "13812345678").text).toBe("13812345678");
  });
});

describe("block rules", () => {
  it("a matching text refuses the escalation with the rule's reason", () => {
    const p = policy({ blockRules: [{ label: "退款", kind: "keyword", pattern: "退款", reason: "退款问题由财务处理，不转上级" }] });
    expect(findBlockingRule(p, ["服务器宕机", "我要申请退款"])?.reason).toBe("退款问题由财务处理，不转上级");
    expect(findBlockingRule(p, ["服务器宕机"])).toBeNull();
  });
});

describe("staff-written expressions", () => {
  it("refuses what does not compile and what can backtrack catastrophically", () => {
    expect(checkRegex("YF-\\d{6}")).toEqual({ ok: true });
    expect(checkRegex("(")).toEqual({ ok: false, reason: "invalid" });
    expect(checkRegex("(a+)+$")).toEqual({ ok: false, reason: "unsafe" });
    expect(checkRegex("(\\d*)*x")).toEqual({ ok: false, reason: "unsafe" });
    expect(checkRegex("(x)\\1")).toEqual({ ok: false, reason: "unsafe" });
  });

  it("an expression matching the empty string masks nothing instead of looping", () => {
    const p = policy({ customMasks: [{ label: "空", kind: "regex", pattern: "x*" }] });
    expect(maskOutbound(p, "abc").text).toBe("abc");
  });
});

describe("inbound masks for the member", () => {
  it("the vendor's brand and contact details are hidden from the member", () => {
    const p = policy({ inbound: { maskContacts: true, vendorTerms: ["小鸟云"] } });
    expect(maskInboundForMember(p, "小鸟云工程师：请拨 400-000-0000 或 13900001111").text).toBe("[已隐藏品牌]工程师：请拨 400-000-0000 或 [已隐藏手机号]");
  });
});

describe("stored policies", () => {
  it("read leniently: missing fields take the private defaults, garbage gives the defaults", () => {
    expect(sharingPolicyFrom(null)).toEqual(DEFAULT_SHARING_POLICY);
    expect(sharingPolicyFrom({ sharePhone: true }).sharePhone).toBe(true);
    expect(sharingPolicyFrom({ sharePhone: true }).masks).toEqual(DEFAULT_SHARING_POLICY.masks);
    expect(sharingPolicyFrom({ sharePhone: "yes" })).toEqual(DEFAULT_SHARING_POLICY);
  });
});

describe("the shared ticket (what the vendor receives)", () => {
  const ticket = {
    id: 598,
    title: "服务器无法连接 13812345678",
    memberId: 1100001,
    contactPhone: null,
    contactQq: "7654321",
    member: { name: "张三", email: "zs@example.com", phone: "13812345678", qq: null },
  };
  const messages = [
    {
      id: 1,
      authorKind: "MEMBER" as const,
      staffName: null,
      body: "您好，我的 QQ 是 7654321，邮件 zs@example.com",
      createdAt: new Date("2026-11-28T07:58:00Z"),
      files: [
        { id: 10, fileName: "截图-张三.png", mimeType: "image/png", size: 100 },
        { id: 11, fileName: "日志.txt", mimeType: "text/plain", size: 100 },
      ],
    },
    { id: 2, authorKind: "STAFF" as const, staffName: "客服小王", body: "已收到", createdAt: new Date("2026-11-28T08:00:00Z"), files: [] },
  ];

  it("masks the title, messages and file names, sends only the ticked files, and says the member is 客户", () => {
    const shared = shareTicket(DEFAULT_SHARING_POLICY, KEY, 1, ticket, messages, (id) => id === 11);
    expect(shared.title.text).toBe("服务器无法连接 [已隐藏手机号]");
    expect(shared.member).toEqual({ id: memberPseudonym(KEY, 1, 1100001) });
    expect(shared.messages[0]!.author).toEqual({ role: "member", name: "客户" });
    expect(shared.messages[0]!.body.text).toBe("您好，我的 QQ 是 [已隐藏QQ号]，邮件 [已隐藏邮箱]");
    expect(shared.messages[0]!.files.map((f) => [f.id, f.maskedName.text, f.forwarded])).toEqual([
      [10, "截图-[已隐藏联系方式].png", false],
      [11, "日志.txt", true],
    ]);
    expect(shared.messages[1]!.author).toEqual({ role: "staff", name: "客服小王" });
    expect(shared.anyMasked).toBe(true);
    expect(JSON.stringify(shared)).not.toMatch(/13812345678|7654321|zs@example\.com|1100001|张三/);
  });

  it("block rules see the title, every message and the file names", () => {
    expect(textsForBlockRules(ticket, messages)).toEqual([ticket.title, messages[0]!.body, "截图-张三.png", "日志.txt", "已收到"]);
  });
});
