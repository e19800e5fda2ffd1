/**
 * The numbers CloudTrail's event history imposes, defined once (docs/cloudtrail.md §1, §6).
 */

/** LookupEvents sees the last 90 days, per Region. */
export const EVENT_HISTORY_DAYS = 90;
export const EVENT_HISTORY_MS = EVENT_HISTORY_DAYS * 24 * 60 * 60_000;

/** How late an event may reach event history after the call (about 5 minutes on average, up to ~15). */
export const DELIVERY_LAG_MS = 15 * 60_000;
