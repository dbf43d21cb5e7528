import { toCountyIso } from '@care/core';

/** An instant as the contract prints it (2026-12-01T09:00:00+08:00). */
export function iso(date: Date): string {
  return toCountyIso(date) as string;
}

export function isoOrNull(date: Date | null | undefined): string | null {
  return toCountyIso(date ?? null);
}

/** `?, ?, ?` for an IN list. */
export function placeholders(values: readonly unknown[]): string {
  return values.map(() => '?').join(',');
}
