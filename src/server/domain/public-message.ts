/** A public conversation entry just written (member or staff), as the peers of a ticket need it. */
export type PublicMessageEvent = {
  id: number;
  authorKind: "MEMBER" | "STAFF";
  authorName: string;
  body: string;
  createdAt: Date;
  attachmentIds: number[];
};
