import "server-only";
import { cache } from "react";
import { createCaller } from "@/server/api/root";
import { createRequestContext } from "@/server/api/context";

/** Server Components call procedures directly, with the same authorization as HTTP calls. */
export const getServerCaller = cache(async () => createCaller(await createRequestContext()));
