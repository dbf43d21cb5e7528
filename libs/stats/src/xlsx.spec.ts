import { unzipSync, strFromU8 } from 'fflate';
import { readXlsx } from '@care/testing/xlsx';
import { columnName, writeXlsx } from './xlsx';

describe('writeXlsx', () => {
  it('names columns as spreadsheets do', () => {
    expect([0, 25, 26, 27, 51, 52, 701, 702].map(columnName)).toEqual(['A', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA']);
  });

  it('writes a workbook whose cells read back with their types: text, numbers, empty, gaps', () => {
    const file = writeXlsx({
      name: '覆盖率 2026-05',
      rows: [['标题'], ['a', 'b', 'c'], ['', 0.2857, null, -3, '<&>"\'', 'tab\there', '第\n二行']],
      boldRows: [2],
      widths: [12, 16],
    });
    const [sheet, ...more] = readXlsx(file);
    expect(more).toHaveLength(0);
    expect(sheet.name).toBe('覆盖率 2026-05');
    expect(sheet.rows).toEqual([['标题'], ['a', 'b', 'c'], ['', 0.2857, null, -3, '<&>"\'', 'tab\there', '第\n二行']]);
  });

  it('keeps the parts Excel needs, the bold style on the asked rows, and valid XML for control characters', () => {
    const file = writeXlsx({
      name: 'a/b:c[d]*?e-with-a-name-longer-than-31-characters',
      rows: [['x\u0001y'], ['h']],
      boldRows: [2],
    });
    const parts = unzipSync(file);
    expect(Object.keys(parts).sort()).toEqual(
      [
        '[Content_Types].xml',
        '_rels/.rels',
        'xl/_rels/workbook.xml.rels',
        'xl/styles.xml',
        'xl/workbook.xml',
        'xl/worksheets/sheet1.xml',
      ].sort(),
    );
    const sheetXml = strFromU8(parts['xl/worksheets/sheet1.xml']);
    expect(sheetXml).toContain('<c r="A2" s="1" t="inlineStr">');
    expect(sheetXml).not.toContain('\u0001');
    const [sheet] = readXlsx(file);
    expect(sheet.name).toBe('a b c d   e-with-a-name-longer-'); // 31 characters, no \ / ? * [ ] :
    expect(sheet.rows[0]).toEqual(['xy']);
  });
});
