import { describe, expect, it } from "vitest";
import {
  ONE_PER_TYPE,
  TICKET_TYPES,
  canReceiveNewTickets,
  isEscalationEligible,
  validateCategoryInput,
  type CategoryInput,
} from "./category-rules";

const valid: CategoryInput = {
  name: "备案类问题",
  description: "备案相关",
  groupId: 1,
  type: "ICP_FILING",
  submitToApi: true,
  sortOrder: 0,
};

describe("category rules", () => {
  it("R1: only the four non-NORMAL types with submit-to-API on are eligible", () => {
    const eligible = TICKET_TYPES.flatMap((type) => [true, false].map((submitToApi) => ({ type, submitToApi }))).filter(
      isEscalationEligible,
    );
    expect(eligible.map((c) => c.type)).toEqual(["BUSINESS_TECH", "ICP_FILING", "TRADEMARK", "OTHER"]);
    expect(eligible.every((c) => c.submitToApi)).toBe(true);
  });

  it("R10: a valid category has no issues", () => {
    expect(validateCategoryInput(valid)).toEqual([]);
  });

  it("R10: required fields and a sane sort order", () => {
    expect(validateCategoryInput({ ...valid, name: " ", description: "", groupId: null, sortOrder: -1 })).toEqual([
      { field: "name", code: "NAME_REQUIRED" },
      { field: "description", code: "DESCRIPTION_REQUIRED" },
      { field: "groupId", code: "GROUP_REQUIRED" },
      { field: "sortOrder", code: "SORT_ORDER_INVALID" },
    ]);
  });

  it("R10: a NORMAL category cannot submit to the API", () => {
    expect(validateCategoryInput({ ...valid, type: "NORMAL", submitToApi: true })).toEqual([
      { field: "submitToApi", code: "NORMAL_CANNOT_SUBMIT_TO_API" },
    ]);
  });

  it("R10: one BUSINESS_TECH and one TRADEMARK category at most; editing that one is fine", () => {
    expect(ONE_PER_TYPE).toEqual(["BUSINESS_TECH", "TRADEMARK"]);
    const others = [
      { id: 1, type: "BUSINESS_TECH" as const },
      { id: 2, type: "OTHER" as const },
    ];
    expect(validateCategoryInput({ ...valid, type: "BUSINESS_TECH" }, others)).toEqual([{ field: "type", code: "ONE_PER_TYPE" }]);
    expect(validateCategoryInput({ ...valid, id: 1, type: "BUSINESS_TECH" }, others)).toEqual([]);
    expect(validateCategoryInput({ ...valid, type: "OTHER" }, others)).toEqual([]);
  });

  it("R10: a disabled category takes no new tickets", () => {
    expect(canReceiveNewTickets({ enabled: false, group: { enabled: true } })).toBe(false);
    expect(canReceiveNewTickets({ enabled: true, group: { enabled: false } })).toBe(false);
    expect(canReceiveNewTickets({ enabled: true, group: { enabled: true } })).toBe(true);
  });
});
