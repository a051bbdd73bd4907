// A sender re-signs every attempt; two attempts of the same message within one second would carry
// the same signature, which a receiver refuses as a replay. Test senders fire identical requests
// faster than that, so each identical message gets a signing second of its own (now, or just
// before: always inside the 300 s window).

const used = new Map<string, Set<number>>();

export function freshSigningTime(message: string): Date {
  const seconds = used.get(message) ?? new Set<number>();
  used.set(message, seconds);
  let candidate = Math.floor(Date.now() / 1000);
  while (seconds.has(candidate)) candidate--;
  seconds.add(candidate);
  return new Date(candidate * 1000);
}
