/** Sanity of a new order's window: "field: reason" lines, empty when sound. */

/** The longest window an order may have (a plan visit spans at most an 11-day third). */
export const MAX_WINDOW_DAYS = 31;
/** The longest visit. */
export const MAX_DURATION_MINUTES = 12 * 60;

export interface WindowInput {
  readonly windowStart: Date;
  readonly windowEnd: Date;
  /** The effective duration (given, or the services' default minutes). */
  readonly durationMinutes: number;
  /** Whether durationMinutes was given (names the field in the message). */
  readonly durationGiven: boolean;
  readonly now: Date;
}

export function windowProblems(input: WindowInput): string[] {
  const problems: string[] = [];
  const start = input.windowStart.getTime();
  const end = input.windowEnd.getTime();
  if (end <= start) {
    problems.push('windowEnd: must be after windowStart');
    return problems;
  }
  if (end <= input.now.getTime()) problems.push('windowEnd: lies in the past');
  if (end - start > MAX_WINDOW_DAYS * 24 * 3600_000)
    problems.push(`windowEnd: a window spans at most ${MAX_WINDOW_DAYS} days`);
  if (input.durationMinutes > MAX_DURATION_MINUTES) {
    problems.push(
      `${input.durationGiven ? 'durationMinutes' : 'services'}: a visit lasts at most ${MAX_DURATION_MINUTES} minutes`,
    );
  } else if (input.durationMinutes * 60_000 > end - start) {
    const field = input.durationGiven ? 'durationMinutes' : 'services';
    problems.push(`${field}: the visit (${input.durationMinutes} min) does not fit between windowStart and windowEnd`);
  } else if (end > input.now.getTime() && end - Math.max(start, input.now.getTime()) < input.durationMinutes * 60_000) {
    problems.push(`windowEnd: too little of the window is left for the visit (${input.durationMinutes} min)`);
  }
  return problems;
}
