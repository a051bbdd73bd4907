#!/bin/sh
# Prisma's CLI wants a native schema engine it would download; Relaydesk never needs it:
# migrations are applied by scripts/db/migrate.ts and authored with the WASM engine of prisma6.
echo "relaydesk: Prisma's native schema engine is not used here (see docs/DATABASE.md)" >&2
exit 1
