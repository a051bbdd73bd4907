import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { seedDemoData } from "@/server/db/seed-demo";
import { claimAttachments } from "@/server/db/repos/tickets";
import { LocalDiskBlobStore } from "@/server/storage/local-disk-store";
import type { Viewer } from "@/server/viewer";
import { authorizeAttachmentDownload, readAttachment, readCategoryIcon, storeCategoryIcon, uploadAttachment } from "./file-service";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "relaydesk-files-"));
const store = new LocalDiskBlobStore(root);
const storedFiles = () => (fs.existsSync(root) ? fs.readdirSync(root, { recursive: true }).filter((f) => String(f).length > 2) : []);

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const PDF = new TextEncoder().encode("%PDF-1.4\n%%EOF\n");
const SVG = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

const zhang: Viewer = { kind: "member", memberId: 1100001, name: "张三" };
const li: Viewer = { kind: "member", memberId: 1100002, name: "李四" };
const kefu: Viewer = { kind: "staff", staffId: 2, name: "客服小王", role: "STAFF" };

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemoData(t.prisma);
});
afterAll(async () => {
  await t.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe(`uploads and downloads (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("icons: staff only, PNG/JPEG/WebP by magic bytes, at most 512 KB; a refused file stores nothing", async () => {
    await expect(storeCategoryIcon(t.prisma, store, zhang, { fileName: "a.png", bytes: PNG })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(storeCategoryIcon(t.prisma, store, kefu, { fileName: "logo.png", bytes: SVG })).rejects.toMatchObject({
      code: "VALIDATION",
      messageKey: "categories.uploads.errors.type.icon",
    });
    const big = new Uint8Array(512 * 1024 + 1);
    big.set(PNG);
    await expect(storeCategoryIcon(t.prisma, store, kefu, { fileName: "big.png", bytes: big })).rejects.toMatchObject({
      code: "PAYLOAD_TOO_LARGE",
      params: { max: "512 KB" },
    });
    expect(storedFiles()).toEqual([]);
    const { iconKey } = await storeCategoryIcon(t.prisma, store, kefu, { fileName: "logo.svg", bytes: PNG });
    expect(iconKey).toMatch(/^[a-f0-9]{64}$/);
  });

  it("icons are served only while a category uses them, with the type their bytes have", async () => {
    const { iconKey } = await storeCategoryIcon(t.prisma, store, kefu, { fileName: "x", bytes: PNG });
    await expect(readCategoryIcon(t.prisma, store, iconKey)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await t.prisma.category.updateMany({ where: { name: "使用咨询" }, data: { iconKey } });
    expect(await readCategoryIcon(t.prisma, store, iconKey)).toMatchObject({ mimeType: "image/png" });
    await expect(readCategoryIcon(t.prisma, store, "../../etc/passwd")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("attachments: a pending upload is owned by its uploader, typed by its bytes", async () => {
    const up = await uploadAttachment(t.prisma, store, zhang, { fileName: "../发票.pdf", bytes: PDF });
    expect(up).toEqual({ id: expect.any(Number), fileName: "发票.pdf", mimeType: "application/pdf", size: PDF.length });
    const row = await t.prisma.attachment.findUniqueOrThrow({ where: { id: up.id } });
    expect(row).toMatchObject({ ownerKey: "member:1100001", ticketId: null, messageId: null });
    await expect(uploadAttachment(t.prisma, store, zhang, { fileName: "x.png", bytes: SVG })).rejects.toMatchObject({ code: "VALIDATION" });
    await expect(uploadAttachment(t.prisma, store, { kind: "anonymous" }, { fileName: "x.pdf", bytes: PDF })).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    const staffUp = await uploadAttachment(t.prisma, store, kefu, { fileName: "截图.png", bytes: PNG });
    expect((await t.prisma.attachment.findUniqueOrThrow({ where: { id: staffUp.id } })).ownerKey).toBe("staff:2");
  });

  it("R7: a member cannot download another member's attachment or a staff-only one", async () => {
    const ticket = await t.prisma.ticket.findFirstOrThrow({ where: { memberId: 1100001 } });
    const publicMsg = await t.prisma.ticketMessage.create({ data: { ticketId: ticket.id, authorKind: "STAFF", staffId: 2, body: "见附件" } });
    const noteMsg = await t.prisma.ticketMessage.create({
      data: { ticketId: ticket.id, authorKind: "STAFF", staffId: 2, visibility: "STAFF_ONLY", body: "内部备注" },
    });
    const onPublic = await uploadAttachment(t.prisma, store, kefu, { fileName: "回复.png", bytes: PNG });
    const onNote = await uploadAttachment(t.prisma, store, kefu, { fileName: "内部.pdf", bytes: PDF });
    expect(await claimAttachments(t.prisma, [onPublic.id], "staff:2", ticket.id, publicMsg.id)).toBe(1);
    expect(await claimAttachments(t.prisma, [onNote.id], "staff:2", ticket.id, noteMsg.id)).toBe(1);
    const pendingOfZhang = await uploadAttachment(t.prisma, store, zhang, { fileName: "草稿.png", bytes: PNG });

    // The ticket's member reads the public reply's file and their own pending upload …
    expect(await readAttachment(t.prisma, store, zhang, onPublic.id)).toMatchObject({ mimeType: "image/png", inline: true, fileName: "回复.png" });
    expect(await authorizeAttachmentDownload(t.prisma, zhang, pendingOfZhang.id)).toMatchObject({ id: pendingOfZhang.id });
    // … never a staff-only entry's file, another member's file, or someone's pending upload.
    const refused = [
      [zhang, onNote.id],
      [li, onPublic.id],
      [li, pendingOfZhang.id],
      [zhang, 999_999],
      [{ kind: "anonymous" }, onPublic.id],
    ] as const;
    for (const [viewer, id] of refused) {
      await expect(authorizeAttachmentDownload(t.prisma, viewer, id)).rejects.toMatchObject({ code: "NOT_FOUND", messageKey: "errors.notFound.attachment" });
    }
    // Staff read everything; a PDF is offered as a download, not inline.
    expect(await readAttachment(t.prisma, store, kefu, onNote.id)).toMatchObject({ mimeType: "application/pdf", inline: false });
    expect(await readAttachment(t.prisma, store, kefu, pendingOfZhang.id)).toMatchObject({ inline: true });
  });
});
