import { z } from "zod";
import { ZId } from "../../schemas.ts";
import { memberProcedure, router, staffProcedure } from "../trpc.ts";
import {
  createCategory,
  deleteCategory,
  getCategory,
  listCategoriesForConsole,
  listCategoriesForNewTicket,
  reorderCategories,
  setCategoryEnabled,
  updateCategory,
  ZCategoryInput,
  ZUpdateCategoryInput,
} from "../../services/category-service.ts";
import {
  createCategoryGroup,
  deleteCategoryGroup,
  listCategoryGroups,
  reorderCategoryGroups,
  updateCategoryGroup,
  ZCreateCategoryGroupInput,
  ZUpdateCategoryGroupInput,
} from "../../services/category-group-service.ts";
import { ZIdList } from "../../services/category-shared.ts";
import { getBlobStore } from "../../storage/index.ts";

const ZIdInput = z.object({ id: ZId });

/** 所属分组 (console). */
const groupsRouter = router({
  list: staffProcedure.query(({ ctx }) => listCategoryGroups(ctx.db)),
  create: staffProcedure.input(ZCreateCategoryGroupInput).mutation(({ ctx, input }) => createCategoryGroup(ctx.db, input)),
  update: staffProcedure.input(ZUpdateCategoryGroupInput).mutation(({ ctx, input }) => updateCategoryGroup(ctx.db, input)),
  reorder: staffProcedure.input(z.object({ ids: ZIdList })).mutation(({ ctx, input }) => reorderCategoryGroups(ctx.db, input.ids)),
  delete: staffProcedure.input(ZIdInput).mutation(({ ctx, input }) => deleteCategoryGroup(ctx.db, input.id)),
});

/** 工单分类: managed by staff in the console; members only see the open ones when filing. */
export const categoriesRouter = router({
  groups: groupsRouter,
  list: staffProcedure.query(({ ctx }) => listCategoriesForConsole(ctx.db)),
  get: staffProcedure.input(ZIdInput).query(({ ctx, input }) => getCategory(ctx.db, input.id)),
  create: staffProcedure.input(ZCategoryInput).mutation(({ ctx, input }) => createCategory(ctx.db, getBlobStore(), input)),
  update: staffProcedure.input(ZUpdateCategoryInput).mutation(({ ctx, input }) => updateCategory(ctx.db, getBlobStore(), input)),
  setEnabled: staffProcedure
    .input(ZIdInput.extend({ enabled: z.boolean() }))
    .mutation(({ ctx, input }) => setCategoryEnabled(ctx.db, input.id, input.enabled)),
  reorder: staffProcedure.input(z.object({ ids: ZIdList })).mutation(({ ctx, input }) => reorderCategories(ctx.db, input.ids)),
  delete: staffProcedure.input(ZIdInput).mutation(({ ctx, input }) => deleteCategory(ctx.db, input.id)),
  listForNewTicket: memberProcedure.query(({ ctx }) => listCategoriesForNewTicket(ctx.db)),
});
