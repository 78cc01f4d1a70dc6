/** The latest instant a `Date` can hold, in ms since the epoch. */
export const MAX_DATE_MS = 8.64e15;

/** The instant `ms` from now, capped at the last valid `Date`. */
export function dateInMs(ms: number): Date {
  return new Date(Math.min(Date.now() + ms, MAX_DATE_MS));
}
