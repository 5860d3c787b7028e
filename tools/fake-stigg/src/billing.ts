/**
 * Billing periods in UTC: a monthly period runs from the anchor's day of month to the same day a month later
 * (the 31st falls back to the month's last day, as billing systems do), an annual one twelve months.
 */
import type { BillingPeriod } from "./catalog";

const DAY_MS = 86_400_000;

export function monthsIn(period: BillingPeriod): number {
  return period === "ANNUALLY" ? 12 : 1;
}

/** The anchor moved by whole months, keeping its time of day; the day is clamped to the target month's length. */
export function addMonths(anchorMs: number, months: number): number {
  const anchor = new Date(anchorMs);
  const year = anchor.getUTCFullYear();
  const month = anchor.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const timeOfDay = anchorMs - Date.UTC(year, anchor.getUTCMonth(), anchor.getUTCDate());
  return Date.UTC(year, month, Math.min(anchor.getUTCDate(), lastDay)) + timeOfDay;
}

/** The period of `months` months, counted from the anchor, that holds `nowMs` (the first one before the anchor). */
export function periodAt(anchorMs: number, months: number, nowMs: number): { startMs: number; endMs: number } {
  if (nowMs < anchorMs) return { startMs: anchorMs, endMs: addMonths(anchorMs, months) };
  // Start from an estimate by average month length, then settle on the exact period.
  let count = Math.max(0, Math.floor((nowMs - anchorMs) / (30.44 * DAY_MS) / months) - 1);
  while (addMonths(anchorMs, (count + 1) * months) <= nowMs) count++;
  while (count > 0 && addMonths(anchorMs, count * months) > nowMs) count--;
  return { startMs: addMonths(anchorMs, count * months), endMs: addMonths(anchorMs, (count + 1) * months) };
}

export function billingPeriodAt(anchorMs: number, period: BillingPeriod, nowMs: number) {
  return periodAt(anchorMs, monthsIn(period), nowMs);
}

/** The end of the billing month that holds nowMs: for a monthly subscription, the end of its billing period. */
export function billingMonthEndAt(anchorMs: number, nowMs: number): number {
  return periodAt(anchorMs, 1, nowMs).endMs;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
