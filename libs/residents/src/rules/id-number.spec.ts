import fc from 'fast-check';
import {
  countIdNumberCandidates,
  idNumberCheckCharacter,
  isRealDate,
  MASKED_ID_NUMBER,
  isValidIdNumber,
  maskIdNumber,
  normalizeIdNumber,
  parseIdNumber,
} from './id-number';

const TODAY = '2026-12-01';

describe('ID number (GB 11643-1999)', () => {
  it.each([
    ['11010519491231002X', '1949-12-31', 'female'],
    ['620422194501010017', '1945-01-01', 'male'],
    ['620422193806150024', '1938-06-15', 'female'],
  ])('accepts the known valid number %s', (number, birthDate, gender) => {
    const result = parseIdNumber(number, TODAY);
    expect(result).toEqual({
      ok: true,
      value: { normalized: number, addressCode: number.slice(0, 6), birthDate, gender },
    });
  });

  it('computes the check character from the weights', () => {
    expect(idNumberCheckCharacter('11010519491231002')).toBe('X');
    expect(idNumberCheckCharacter('62042219450101001')).toBe('7');
    expect(idNumberCheckCharacter('62042219380615002')).toBe('4');
    expect(() => idNumberCheckCharacter('1234')).toThrow(RangeError);
  });

  it('reads a lower-case x as X and ignores surrounding blanks', () => {
    const result = parseIdNumber(' 11010519491231002x ', TODAY);
    expect(result.ok && result.value.normalized).toBe('11010519491231002X');
    expect(normalizeIdNumber('11010519491231002x')).toBe('11010519491231002X');
  });

  it('refuses a wrong check digit', () => {
    expect(parseIdNumber('620422194501010018', TODAY)).toMatchObject({ ok: false, problem: 'CHECK_DIGIT' });
    expect(parseIdNumber('110105194912310021', TODAY)).toMatchObject({ ok: false, problem: 'CHECK_DIGIT' });
  });

  it('refuses anything that is not 17 digits and a check character', () => {
    for (const bad of [
      '',
      '62042219450101001',
      '6204221945010100177',
      '62042219450101001A',
      'X20422194501010017',
      '6204221945-1010017',
    ]) {
      expect(parseIdNumber(bad, TODAY)).toMatchObject({ ok: false, problem: 'FORMAT' });
    }
  });

  it('refuses a birth date that does not exist (with a correct check digit)', () => {
    const withCheck = (body: string) => body + idNumberCheckCharacter(body);
    expect(parseIdNumber(withCheck('62042219450230001'), TODAY)).toMatchObject({
      ok: false,
      problem: 'BIRTH_DATE_INVALID',
    });
    expect(parseIdNumber(withCheck('62042219451301001'), TODAY)).toMatchObject({
      ok: false,
      problem: 'BIRTH_DATE_INVALID',
    });
    expect(parseIdNumber(withCheck('62042219450100001'), TODAY)).toMatchObject({
      ok: false,
      problem: 'BIRTH_DATE_INVALID',
    });
    expect(parseIdNumber(withCheck('62042219000229001'), TODAY)).toMatchObject({
      ok: false,
      problem: 'BIRTH_DATE_INVALID',
    });
    expect(parseIdNumber(withCheck('62042220000229001'), TODAY)).toMatchObject({ ok: true });
  });

  it('refuses a birth date after today, accepts today', () => {
    const withCheck = (body: string) => body + idNumberCheckCharacter(body);
    expect(parseIdNumber(withCheck('62042220261202001'), TODAY)).toMatchObject({
      ok: false,
      problem: 'BIRTH_DATE_IN_FUTURE',
    });
    expect(parseIdNumber(withCheck('62042220261201001'), TODAY)).toMatchObject({ ok: true });
    expect(isValidIdNumber(withCheck('62042220261202001'), '2026-12-02')).toBe(true);
  });

  it('takes the gender from digit 17: odd male, even female', () => {
    const withCheck = (body: string) => body + idNumberCheckCharacter(body);
    for (let d = 0; d <= 9; d++) {
      const result = parseIdNumber(withCheck(`6204221945010100${d}`), TODAY);
      expect(result.ok && result.value.gender).toBe(d % 2 === 1 ? 'male' : 'female');
    }
  });

  it('masks to the first 6 characters and the last 1 (the contract form 620422***********X)', () => {
    expect(maskIdNumber('62042219380615123x')).toBe('620422***********X');
    expect(maskIdNumber('11010519491231002X')).toBe('110105***********X');
    expect(maskIdNumber('620422193806150024')).toBe('620422***********4');
    expect(maskIdNumber('123')).toBe('***');
    expect(maskIdNumber('620422193806150024')).not.toContain('19380615');
    expect(maskIdNumber('620422193806150024')).not.toContain('0024');
    expect(MASKED_ID_NUMBER.test(maskIdNumber('620422193806150024'))).toBe(true);
  });

  it('counts the candidates by brute force over digits 15–17 for a known number', () => {
    const n = '620422193806150024';
    const candidates = countIdNumberCandidates(maskIdNumber(n), '1938-06-15', 'female');
    // the number itself is one of them
    expect(candidates).toBeGreaterThanOrEqual(1);
    // the earlier form (first 6 + last 4) left exactly one
    let old = 0;
    for (let seq = 0; seq < 1000; seq++) {
      const body = `62042219380615${String(seq).padStart(3, '0')}`;
      const candidate = body + idNumberCheckCharacter(body);
      if (candidate.slice(14) === n.slice(14) && seq % 2 === 0) old++;
    }
    expect(old).toBe(1);
  });

  it('property: masked form + birth date + gender leave at least 20 valid candidates, the number among them', () => {
    const valid = fc
      .record({
        area: fc.integer({ min: 110000, max: 659999 }),
        date: fc.date({
          min: new Date('1900-01-01T00:00:00Z'),
          max: new Date('2026-11-30T00:00:00Z'),
          noInvalidDate: true,
        }),
        seq: fc.integer({ min: 0, max: 999 }),
      })
      .map(({ area, date, seq }) => {
        const body = `${area}${date.toISOString().slice(0, 10).replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
        return body + idNumberCheckCharacter(body);
      });
    fc.assert(
      fc.property(valid, (n) => {
        const parsed = parseIdNumber(n, TODAY);
        if (!parsed.ok) throw new Error(`generated an invalid number: ${parsed.problem}`);
        const { birthDate, gender } = parsed.value;
        const masked = maskIdNumber(n);
        // what a reader sees: the masked form, the birth date and the gender; nothing else of the number
        expect(masked).toMatch(MASKED_ID_NUMBER);
        expect(masked.replace(/\*/g, '')).toBe(n.slice(0, 6) + n.slice(17));
        const candidates: string[] = [];
        for (let seq = 0; seq < 1000; seq++) {
          const body = `${masked.slice(0, 6)}${birthDate.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
          const candidate = body + idNumberCheckCharacter(body);
          const p = parseIdNumber(candidate, TODAY);
          if (
            p.ok &&
            maskIdNumber(candidate) === masked &&
            p.value.birthDate === birthDate &&
            p.value.gender === gender
          ) {
            candidates.push(candidate);
          }
        }
        expect(candidates).toContain(n);
        expect(candidates.length).toBeGreaterThanOrEqual(20);
        expect(countIdNumberCandidates(masked, birthDate, gender)).toBe(candidates.length);
      }),
      { numRuns: 300 },
    );
  });

  it('the fewest candidates any masked form, birth date and gender can leave is at least 20 (exhaustive over the check character)', () => {
    // the count depends only on the check character and the weighted sum of digits 1–14 mod 11, and the gender:
    // enumerate every residue of that sum by varying one address digit
    let fewest = Infinity;
    for (let d = 0; d <= 9; d++) {
      for (const gender of ['male', 'female'] as const) {
        for (const check of '0123456789X') {
          const c = countIdNumberCandidates(`62042${d}***********${check}`, '1945-01-01', gender);
          fewest = Math.min(fewest, c);
        }
      }
    }
    expect(fewest).toBeGreaterThanOrEqual(20);
  });

  it('knows real dates', () => {
    expect(isRealDate(2024, 2, 29)).toBe(true);
    expect(isRealDate(2023, 2, 29)).toBe(false);
    expect(isRealDate(2000, 2, 29)).toBe(true);
    expect(isRealDate(1900, 2, 29)).toBe(false);
    expect(isRealDate(2023, 4, 31)).toBe(false);
    expect(isRealDate(2023, 0, 1)).toBe(false);
  });

  it('property: every body with its computed check character is accepted; any other check character is not', () => {
    const body = fc
      .record({
        area: fc.integer({ min: 110000, max: 659999 }),
        date: fc.date({
          min: new Date('1900-01-01T00:00:00Z'),
          max: new Date('2026-11-30T00:00:00Z'),
          noInvalidDate: true,
        }),
        seq: fc.integer({ min: 0, max: 999 }),
      })
      .map(
        ({ area, date, seq }) =>
          `${area}${date.toISOString().slice(0, 10).replace(/-/g, '')}${String(seq).padStart(3, '0')}`,
      );
    fc.assert(
      fc.property(body, fc.constantFrom(...'0123456789X'.split('')), (b, other) => {
        const check = idNumberCheckCharacter(b);
        expect(isValidIdNumber(b + check, TODAY)).toBe(true);
        expect(isValidIdNumber(b + check.toLowerCase(), TODAY)).toBe(true);
        if (other !== check) expect(isValidIdNumber(b + other, TODAY)).toBe(false);
      }),
    );
  });
});
