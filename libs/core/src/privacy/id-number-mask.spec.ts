import { MASKED_ID_NUMBER, maskIdNumber, maskIdNumbersIn } from './id-number-mask';

describe('the ID-number mask (one rule for server, logs and console)', () => {
  it('keeps the first 6 characters and the last 1 (620422***********X)', () => {
    expect(maskIdNumber('62042219380615123x')).toBe('620422***********X');
    expect(maskIdNumber(' 620422193806150024 ')).toBe('620422***********4');
    expect(maskIdNumber('620422193806150024')).not.toContain('19380615');
    expect(MASKED_ID_NUMBER.test(maskIdNumber('620422193806150024'))).toBe(true);
  });

  it('masks anything that is not 18 characters entirely', () => {
    expect(maskIdNumber('123')).toBe('***');
    expect(maskIdNumber('')).toBe('*');
  });

  it('masks every ID number inside a text the same way', () => {
    expect(maskIdNumbersIn('/lookup/62042219450101001x?a=620422193806150024')).toBe(
      '/lookup/620422***********X?a=620422***********4',
    );
    expect(maskIdNumbersIn('no number here 12345')).toBe('no number here 12345');
  });
});
