// The ID-number check (GB 11643-1999) is the server's own pure rule, libs/residents/src/rules/id-number.ts,
// imported through the `@rules/id-number` alias (vite.config.ts, tsconfig.json); here only its Chinese wording.
import { parseIdNumber, type IdNumberProblem, type ParsedIdNumber } from '@rules/id-number';
import { today } from './format';

const PROBLEM_TEXT: Record<IdNumberProblem, string> = {
  FORMAT: '公民身份号码应为18位（前17位为数字，末位为数字或X）',
  CHECK_DIGIT: '公民身份号码校验位不正确',
  BIRTH_DATE_INVALID: '公民身份号码中的出生日期无效',
  BIRTH_DATE_IN_FUTURE: '公民身份号码中的出生日期晚于今天',
};

export type IdCheck = { ok: true; value: ParsedIdNumber } | { ok: false; message: string };

/** Checks a number as typed: check digit, a real birth date not in the future; derives birth date and gender. */
export function readIdNumber(raw: string): IdCheck {
  const r = parseIdNumber(raw, today());
  return r.ok ? { ok: true, value: r.value } : { ok: false, message: PROBLEM_TEXT[r.problem] };
}

/** The error text for a number, or null when it is valid. */
export function checkIdNumber(raw: string): string | null {
  const r = readIdNumber(raw);
  return r.ok ? null : r.message;
}
