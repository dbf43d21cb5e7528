/**
 * The one masking rule for resident ID numbers (the contract's `620422***********X`), for every place a number
 * could show: responses and the stored masked column (libs/residents), messages, logs (config/redact.ts), the
 * console and its development mock. Pure and self-contained (imports nothing): the console bundles it through the
 * `@care/core/privacy` alias (apps/console/vite.config.ts, apps/console/tsconfig.json), jest maps it from the root
 * tsconfig.
 *
 * Kept: the first 6 characters (where the number was issued) and the last 1 (the check character); the 11 between
 * become `*`. The birth date (digits 7–14) is shown elsewhere, so an earlier form that kept the last 4 gave the whole
 * number away; this one, with the birth date and the gender, leaves dozens of valid candidates (digits 15–17, see
 * countIdNumberCandidates in libs/residents/src/rules/id-number.ts). Anything that is not 18 characters is masked
 * entirely.
 */
export function maskIdNumber(raw: string): string {
  const n = raw.trim().toUpperCase();
  if (n.length !== 18) return '*'.repeat(Math.max(n.length, 1));
  return `${n.slice(0, 6)}${'*'.repeat(11)}${n.slice(17)}`;
}

/** The masked form's shape: 6 digits, 11 `*`, a digit or X. */
export const MASKED_ID_NUMBER = /^\d{6}\*{11}[\dX]$/;

/** Something shaped like an ID number (17 digits and a digit or X) anywhere in a text. */
const ID_NUMBER_IN_TEXT = /\d{17}[\dXx]/g;

/** A text (a URL, a message) with every ID-number-shaped run masked by {@link maskIdNumber}. */
export function maskIdNumbersIn(text: string): string {
  return text.replace(ID_NUMBER_IN_TEXT, (found) => maskIdNumber(found));
}
