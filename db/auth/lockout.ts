// Repeated failed sign-ins first slow down, then lock the account for a while.

export const FAILURES_BEFORE_LOCK = 5;
export const LOCK_MINUTES = 15;

/** Delay before answering the n-th consecutive failure: 0.25 s, 0.5 s, 1 s, 2 s, then 4 s. */
export function failureDelayMs(failures: number): number {
  return Math.min(250 * 2 ** Math.max(failures - 1, 0), 4_000);
}

export function lockedUntilAfter(failures: number, now: Date): string | null {
  return failures >= FAILURES_BEFORE_LOCK ? new Date(now.getTime() + LOCK_MINUTES * 60_000).toISOString() : null;
}
