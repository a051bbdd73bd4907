-- The rate limiters' counters move from rate-limiter-flexible's Prisma store (two statements per
-- use: delete an expired row, then upsert) to its PostgreSQL store (one upsert that restarts an
-- expired window itself), which keeps the expiry as milliseconds since the epoch. Running windows
-- are kept: each expiry is converted, not dropped.
ALTER TABLE "RateLimit" ALTER COLUMN "expire" SET DATA TYPE BIGINT USING (floor(extract(epoch FROM "expire") * 1000))::bigint;
