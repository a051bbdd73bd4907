// What the member wrote in a reply mail, without the quoted history below it. Pure.
//
// Mail clients quote in their own ways; the cut happens at the first line that starts a quote:
// our own "reply above this line" marker, "On … wrote:" (Gmail, Apple Mail, Thunderbird; also
// wrapped over two lines), "在 … 写道：" (Chinese clients), QQ/Foxmail's "原始邮件" rule, Outlook's
// header block (发件人/From followed by 发送时间/Sent/Date within a few lines) or its long
// underscore rule, and the "-- " signature delimiter. Lines quoted with ">" are dropped wherever
// they are. (email-reply-parser would do this, but its current release needs Node 22.)

const MARKERS = [/请在此行以上回复/, /reply above this line/i];
const WROTE = [/^on\b.+\bwrote:\s*$/i, /^在.+(写道|寫道)\s*[:：]\s*$/, /^.+(写道|寫道)\s*[:：]\s*$/, /^\d{4}[-/年].+\bwrote:\s*$/i];
const RULES = [/^-{2,}\s*(original message|原始邮件|原始郵件|邮件原文)\s*-{2,}\s*$/i, /^_{10,}\s*$/, /^-{3,}\s*(forwarded message|转发的邮件)\s*-{3,}\s*$/i];
const HEADER_START = /^\s*\**\s*(from|发件人|寄件者)\s*\**\s*[:：]/i;
const HEADER_NEXT = /^\s*\**\s*(sent|date|to|subject|发送时间|日期|时间|收件人|主题)\s*\**\s*[:：]/i;
const SIGNATURE = /^-- ?$/;

function startsQuote(lines: string[], i: number): boolean {
  const line = lines[i]!.trim();
  if (MARKERS.some((r) => r.test(line))) return true;
  if (RULES.some((r) => r.test(line))) return true;
  if (SIGNATURE.test(lines[i]!)) return true;
  if (WROTE.some((r) => r.test(line))) return true;
  // "On Tue, 1 Dec 2026 at 10:00, 张三 <a@b.c>" + "wrote:" on the next line.
  const next = lines[i + 1]?.trim() ?? "";
  if (/^on\b/i.test(line) && /^[^:]*wrote:\s*$/i.test(next)) return true;
  if (HEADER_START.test(line)) return lines.slice(i + 1, i + 4).some((l) => HEADER_NEXT.test(l));
  return false;
}

export function extractReplyText(text: string): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const cut = lines.findIndex((_, i) => startsQuote(lines, i));
  const kept = (cut === -1 ? lines : lines.slice(0, cut)).filter((l) => !/^\s*>/.test(l));
  return kept.join("\n").replace(/[ \t]+$/gm, "").replace(/\n{3,}/g, "\n\n").trim();
}
