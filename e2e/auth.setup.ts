import { test as setup } from "@playwright/test";
import { loginAsMember, loginAsStaff, MEMBER_STATE, STAFF_STATE } from "./helpers";

// One signed-in storage state per role, reused by the specs.
setup("sign in as staff", async ({ page }) => {
  await loginAsStaff(page);
  await page.context().storageState({ path: STAFF_STATE });
});

setup("sign in as member", async ({ page }) => {
  await loginAsMember(page);
  await page.context().storageState({ path: MEMBER_STATE });
});
