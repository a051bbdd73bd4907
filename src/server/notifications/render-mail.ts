// Notification mails in zh-CN or English, as text and HTML. Everything quoted comes from the
// notification row (rendered for the recipient's audience) and the public message it names.
import { translate, type Locale } from "@/i18n/messages";

export type MailNotification = {
  kind: string;
  ticketId: number;
  ticketTitle: string;
  actorName: string | null;
  /** The public message in full (the bell shows an excerpt). */
  message: string | null;
};

export type MailView = {
  locale: Locale;
  recipientName: string;
  ticketUrl: string;
  preferencesUrl: string;
  /** Set when the recipient may answer by replying (reply+<token>@…). */
  replyAddress: string | null;
};

export type RenderedMail = { subject: string; text: string; html: string };

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** Subject lines stay on one line and within what mail clients show. */
const oneLine = (s: string, max = 120) => {
  const flat = s.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

export function renderNotificationMail(n: MailNotification, view: MailView): RenderedMail {
  const t = (key: string, params: Record<string, string | number> = {}) => translate(view.locale, key, params);
  const kindKey = `notifications.kinds.${n.kind}`;
  const headline = t(`${kindKey}.headline`, { actor: n.actorName ?? t("notifications.someone"), ticket: n.ticketId });
  const subject = t("notifications.mail.subject", { ticket: n.ticketId, title: oneLine(n.ticketTitle), what: t(`${kindKey}.subject`) });
  const app = t("common.appName");

  const text = [
    ...(view.replyAddress ? [t("notifications.mail.replyAbove"), ""] : []),
    t("notifications.mail.greeting", { name: view.recipientName }),
    "",
    `${headline}「${n.ticketTitle}」`,
    ...(n.message ? ["", t("notifications.mail.message"), "", n.message] : []),
    "",
    t("notifications.mail.link", { url: view.ticketUrl }),
    ...(view.replyAddress ? [t("notifications.mail.replyHint")] : []),
    "",
    "--",
    t("notifications.mail.footer", { app, prefs: view.preferencesUrl }),
  ].join("\n");

  const paragraphs = (s: string) => escapeHtml(s).replace(/\r?\n/g, "<br>");
  const html = [
    "<!doctype html>",
    `<html lang="${view.locale}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family:-apple-system,Segoe UI,PingFang SC,Microsoft YaHei,sans-serif;font-size:14px;color:#1e293b;line-height:1.6">',
    ...(view.replyAddress ? [`<p style="color:#94a3b8;font-size:12px">${escapeHtml(t("notifications.mail.replyAbove"))}</p>`] : []),
    `<p>${escapeHtml(t("notifications.mail.greeting", { name: view.recipientName }))}</p>`,
    `<p><strong>${escapeHtml(headline)}</strong>「${escapeHtml(n.ticketTitle)}」</p>`,
    ...(n.message ? [`<blockquote style="margin:12px 0;padding:8px 12px;border-left:3px solid #cbd5e1;background:#f8fafc">${paragraphs(n.message)}</blockquote>`] : []),
    `<p><a href="${escapeHtml(view.ticketUrl)}" style="color:#2563eb">${escapeHtml(t("notifications.mail.link", { url: view.ticketUrl }))}</a></p>`,
    ...(view.replyAddress ? [`<p style="color:#64748b">${escapeHtml(t("notifications.mail.replyHint"))}</p>`] : []),
    `<hr style="border:none;border-top:1px solid #e2e8f0"><p style="color:#94a3b8;font-size:12px">${escapeHtml(t("notifications.mail.footer", { app, prefs: view.preferencesUrl }))}</p>`,
    "</body></html>",
  ].join("\n");

  return { subject, text, html };
}

export function renderTestMail(locale: Locale): RenderedMail {
  const app = translate(locale, "common.appName");
  const body = translate(locale, "notifications.mail.testBody");
  return {
    subject: translate(locale, "notifications.mail.testSubject", { app }),
    text: body,
    html: `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"></head><body><p>${escapeHtml(body)}</p></body></html>`,
  };
}
