export function parseTrustProxy(value: string | undefined): number;
export function resolveClientAddress(opts: { socketAddress: string | undefined; forwardedFor: string | string[] | undefined; trustProxy: number }): string;
