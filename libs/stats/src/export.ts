/**
 * The coverage report as a file a clerk can hand upward: one row per area and indicator, Chinese headers and
 * names first. CSV carries a UTF-8 byte-order mark so that Excel opens the Chinese text correctly.
 */

import type { CoverageReport } from './coverage.service';
import type { Indicator, IndicatorKey } from './rules/indicators';
import { writeXlsx } from './xlsx';

export const INDICATOR_NAMES: Readonly<Record<IndicatorKey, { zh: string; en: string }>> = {
  nursing_bed_share: { zh: '养老机构护理型床位占比', en: 'Nursing-type bed share' },
  bed_utilization: { zh: '床位利用率', en: 'Bed utilisation' },
  township_comprehensive_coverage: {
    zh: '乡镇具备综合功能的养老服务机构覆盖率',
    en: 'Townships with a comprehensive institution',
  },
  doorstep_visit_coverage: { zh: '上门探访覆盖率（每月3次）', en: 'Eligible elders with 3 visits this month' },
  service_circle_coverage: { zh: '服务圈覆盖率', en: 'Eligible elders inside a service circle' },
  assessment_coverage: { zh: '能力评估覆盖率', en: 'Elders with a valid ability assessment' },
  social_workers_per_100_beds: { zh: '每百张床位社会工作者数', en: 'Social workers per 100 beds' },
};

export const EXPORT_HEADERS = [
  '区域代码',
  '区域',
  '指标代码',
  '指标',
  '数值',
  '分子',
  '分母',
  '目标',
  '是否达标',
] as const;

export type ExportFormat = 'xlsx' | 'csv';

function rowsOf(report: CoverageReport, countyName: string): (string | number | null)[][] {
  const areas: { code: string; name: string; indicators: Indicator[] }[] = [
    { code: report.regionCode ?? '', name: countyName, indicators: report.indicators },
    ...report.byRegion.map((r) => ({ code: r.regionCode, name: r.name, indicators: r.indicators })),
  ];
  return areas.flatMap((a) =>
    a.indicators.map((i) => [
      a.code,
      a.name,
      i.key,
      INDICATOR_NAMES[i.key].zh,
      i.value,
      i.numerator,
      i.denominator,
      i.target === null ? null : `${i.comparator ?? ''} ${i.target}`.trim(),
      i.met === null ? '—' : i.met ? '达标' : '未达标',
    ]),
  );
}

/**
 * Spreadsheet formula injection: a text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is
 * read by Excel/WPS as a formula (`=HYPERLINK(...)`, DDE). Such text gets a leading `'`, which spreadsheets show as
 * text. Numbers stay numbers (a negative number is a number, not text).
 */
export function neutraliseCell<T extends string | number | null>(value: T): T | string {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const csvCell = (value: string | number | null): string => {
  const v = neutraliseCell(value);
  if (v === null) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export async function exportCoverage(
  report: CoverageReport,
  format: ExportFormat,
  countyName = '全县',
): Promise<{ filename: string; contentType: string; body: Buffer }> {
  const rows = rowsOf(report, countyName);
  const base = `coverage-${report.month}`;
  if (format === 'csv') {
    const lines = [EXPORT_HEADERS.join(','), ...rows.map((r) => r.map(csvCell).join(','))];
    return {
      filename: `${base}.csv`,
      contentType: 'text/csv; charset=utf-8',
      body: Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8'),
    };
  }
  const body = writeXlsx({
    name: `覆盖率 ${report.month}`,
    rows: [
      [`养老服务覆盖率统计 ${report.month}（截至 ${report.asOf}）`],
      [...EXPORT_HEADERS],
      ...rows.map((r) => r.map(neutraliseCell)),
    ],
    boldRows: [2],
    widths: [12, 16, 32, 36, 10, 10, 10, 10, 10],
  });
  return {
    filename: `${base}.xlsx`,
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    body,
  };
}
