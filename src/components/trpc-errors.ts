/** The server already translated messages (errorFormatter); these just read them out. */
type ErrorWithData = { data?: { fieldErrors?: Record<string, string> | null } | null } | null | undefined;

export function fieldError(error: ErrorWithData, field: string): string | null {
  return error?.data?.fieldErrors?.[field] ?? null;
}
