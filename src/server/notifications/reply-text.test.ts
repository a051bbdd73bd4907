import { describe, expect, it } from "vitest";
import { extractReplyText } from "./reply-text";

describe("reply text: the member's words without the quoted history", () => {
  it("cuts at our own marker", () => {
    expect(extractReplyText("好的，谢谢\n\n—— 请在此行以上回复，回复将添加到工单中 ——\n张三，您好：")).toBe("好的，谢谢");
    expect(extractReplyText("Thanks!\n—— Reply above this line; your reply is added to the ticket ——\nHello")).toBe("Thanks!");
  });

  it("cuts at the quote headers of common clients (Gmail/Apple, wrapped, Chinese, QQ/Foxmail, Outlook)", () => {
    expect(extractReplyText("OK\n\nOn Tue, 1 Dec 2026 at 10:00, Relaydesk <desk@example.test> wrote:\n> old")).toBe("OK");
    expect(extractReplyText("OK\nOn Tue, 1 Dec 2026 at 10:00, Relaydesk\n<desk@example.test> wrote:\n> old")).toBe("OK");
    expect(extractReplyText("收到\n\n在 2026年12月1日 10:00，Relaydesk <desk@example.test> 写道：\n> 旧内容")).toBe("收到");
    expect(extractReplyText("收到\n\n------------------ 原始邮件 ------------------\n发件人: Relaydesk")).toBe("收到");
    expect(extractReplyText("Done\n\nFrom: Relaydesk <desk@example.test>\nSent: Tuesday\nTo: me\nSubject: x\nold")).toBe("Done");
    expect(extractReplyText("好\n\n发件人: Relaydesk\n发送时间: 2026年12月1日\n收件人: 张三\n旧")).toBe("好");
    expect(extractReplyText("Done\n________________________________\nFrom: x")).toBe("Done");
  });

  it("drops '>' quoted lines anywhere and the signature after '-- '", () => {
    expect(extractReplyText("> quoted\nmy answer\n> more quoted\nsecond line\n-- \n张三\n138")).toBe("my answer\nsecond line");
  });

  it("keeps what merely looks similar: a sentence that mentions 发件人 without a header block, a plain dash line", () => {
    expect(extractReplyText("发件人: 我自己\n内容是这样的")).toBe("发件人: 我自己\n内容是这样的");
    expect(extractReplyText("第一段\n-----\n第二段")).toBe("第一段\n-----\n第二段");
  });

  it("normalises line endings and blank runs; an all-quote mail is empty", () => {
    expect(extractReplyText("a\r\n\r\n\r\n\r\nb  \r\n")).toBe("a\n\nb");
    expect(extractReplyText("> only quoted\n> lines")).toBe("");
  });
});
