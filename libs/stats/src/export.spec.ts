import { neutraliseCell } from './export';

describe('neutraliseCell (spreadsheet formula injection)', () => {
  it.each(['=HYPERLINK("http://x","点我")', '+1+1', '-2+3', '@SUM(A1)', '\tx', '\rx', '=', '-'])(
    'prefixes text that a spreadsheet would run: %j',
    (text) => {
      expect(neutraliseCell(text)).toBe(`'${text}`);
    },
  );

  it('leaves other text, numbers and empty cells alone', () => {
    expect(neutraliseCell('会师镇')).toBe('会师镇');
    expect(neutraliseCell('>= 0.55')).toBe('>= 0.55');
    expect(neutraliseCell('a=b')).toBe('a=b');
    expect(neutraliseCell('')).toBe('');
    expect(neutraliseCell(-1.5)).toBe(-1.5);
    expect(neutraliseCell(0)).toBe(0);
    expect(neutraliseCell(null)).toBeNull();
  });
});
