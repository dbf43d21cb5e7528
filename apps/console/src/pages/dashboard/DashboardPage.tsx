import { useMemo, useState } from 'react';
import { exportCoverage, getCoverage, getCoverageHistory, getFacilityStats, getNextSteps } from '../../api/endpoints';
import type { FacilityStatsRow, Indicator, NextSteps } from '../../api/types';
import { EChart } from '../../components/EChart';
import { PageHeader } from '../../components/Layout';
import { useToast } from '../../components/Toast';
import { Badge, Button, Card, Empty, ErrorBox, Spinner, TargetBar } from '../../components/ui';
import { addMonths, dateTime, num, pct, thisMonth } from '../../lib/format';
import { errorText, FACILITY_TYPE_LABEL, INDICATOR_META, indicatorLabel, LEVEL_LABEL } from '../../lib/labels';
import { useAsync } from '../../lib/useAsync';

const ORDER = [
  'nursing_bed_share',
  'bed_utilization',
  'township_comprehensive_coverage',
  'doorstep_visit_coverage',
  'service_circle_coverage',
  'assessment_coverage',
  'social_workers_per_100_beds',
];
const rank = (k: string) => (ORDER.indexOf(k) === -1 ? 99 : ORDER.indexOf(k));
const isPercent = (k: string) => (INDICATOR_META[k]?.unit ?? 'percent') === 'percent';

export function fmtIndicator(key: string, v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  return isPercent(key) ? pct(v) : num(v, 2);
}

function comparatorSign(c?: string | null): string {
  switch ((c ?? '').toLowerCase()) {
    case '<=':
    case 'lte':
    case 'le':
    case '≤':
      return '≤';
    case '=':
    case '==':
    case 'eq':
      return '=';
    case '>':
    case 'gt':
      return '>';
    case '<':
    case 'lt':
      return '<';
    default:
      return '≥';
  }
}

function targetText(i: Indicator): string {
  if (i.target === null || i.target === undefined) return '无目标值';
  return `目标 ${comparatorSign(i.comparator)} ${fmtIndicator(i.key, i.target)}`;
}

function MetBadge({ met }: { met: boolean | null | undefined }) {
  if (met === null || met === undefined) return <Badge>—</Badge>;
  return met ? <Badge tone="green">达标</Badge> : <Badge tone="red">未达标</Badge>;
}

export function DashboardPage() {
  const toast = useToast();
  // The last closed month first: its figures are final and are what the bureau reports upward. The month under way is
  // one pick away; its doorstep coverage stays low until its last third (three visits, one in each third, count).
  const [month, setMonth] = useState(() => addMonths(thisMonth(), -1));
  const [chartKey, setChartKey] = useState('nursing_bed_share');
  const [sortKey, setSortKey] = useState<string | null>(null);
  const [exporting, setExporting] = useState<string | null>(null);

  const coverage = useAsync(() => getCoverage({ month }), [month]);
  const history = useAsync(() => getCoverageHistory(addMonths(month, -11), month), [month]);
  const next = useAsync(() => getNextSteps(month), [month]);
  const facilities = useAsync(getFacilityStats, []);

  const indicators = useMemo(
    () => [...(coverage.data?.indicators ?? [])].sort((a, b) => rank(a.key) - rank(b.key)),
    [coverage.data],
  );
  const keys = indicators.map((i) => i.key);
  const regions = useMemo(() => {
    const rows = coverage.data?.byRegion ?? [];
    if (!sortKey) return rows;
    const val = (r: (typeof rows)[number]) => r.indicators.find((i) => i.key === sortKey)?.value ?? -1;
    return [...rows].sort((a, b) => val(b) - val(a));
  }, [coverage.data, sortKey]);

  async function doExport(format: 'xlsx' | 'csv') {
    setExporting(format);
    try {
      const name = await exportCoverage(format, month);
      toast(`已导出：${name}`, 'success');
    } catch (e) {
      toast(errorText(e), 'error');
    } finally {
      setExporting(null);
    }
  }

  // ---- charts ----
  const barOption = useMemo(() => {
    const rows = coverage.data?.byRegion ?? [];
    const county = indicators.find((i) => i.key === chartKey);
    const pctKey = isPercent(chartKey);
    const data = rows.map((r) => {
      const i = r.indicators.find((x) => x.key === chartKey);
      const v = i?.value ?? null;
      return {
        value: v === null ? null : pctKey ? +(v * 100).toFixed(2) : v,
        itemStyle: { color: i?.met === false ? '#dc6b5a' : i?.met ? '#2f9e6e' : '#6b8fc7' },
      };
    });
    const target = county?.target;
    return {
      grid: { left: 48, right: 24, top: 36, bottom: 86 },
      tooltip: {
        trigger: 'axis',
        valueFormatter: (v: unknown) => (v === null || v === undefined ? '无数据' : pctKey ? `${v}%` : String(v)),
      },
      xAxis: { type: 'category', data: rows.map((r) => r.name), axisLabel: { rotate: 50, fontSize: 11, interval: 0 } },
      yAxis: {
        type: 'value',
        axisLabel: { formatter: pctKey ? '{value}%' : '{value}' },
        max: pctKey ? 100 : undefined,
      },
      series: [
        {
          type: 'bar',
          name: indicatorLabel(chartKey),
          data,
          barMaxWidth: 22,
          markLine:
            target !== null && target !== undefined
              ? {
                  symbol: 'none',
                  lineStyle: { color: '#b45309', type: 'dashed', width: 1.5 },
                  label: { formatter: `目标 ${fmtIndicator(chartKey, target)}`, position: 'insideEndTop' },
                  data: [{ yAxis: pctKey ? target * 100 : target }],
                }
              : undefined,
        },
      ],
    };
  }, [coverage.data, indicators, chartKey]);

  // Snapshots exist for past months only: the month on screen is added from the live figures.
  const trend = useMemo(() => {
    const pts = [...(history.data?.points ?? [])];
    if (coverage.data && !pts.some((p) => p.month === month)) pts.push({ month, indicators: coverage.data.indicators });
    return pts.sort((a, b) => a.month.localeCompare(b.month));
  }, [history.data, coverage.data, month]);

  const lineOption = useMemo(() => {
    const pts = trend;
    const ks = [...new Set(pts.flatMap((p) => p.indicators.map((i) => i.key)))]
      .filter(isPercent)
      .sort((a, b) => rank(a) - rank(b));
    return {
      grid: { left: 48, right: 24, top: 56, bottom: 32 },
      legend: { top: 0, type: 'scroll' },
      tooltip: {
        trigger: 'axis',
        valueFormatter: (v: unknown) => (v === null || v === undefined ? '无数据' : `${v}%`),
      },
      xAxis: {
        type: 'category',
        data: pts.map((p) =>
          p.month === month && !history.data?.points.some((h) => h.month === month) ? `${p.month}（实时）` : p.month,
        ),
      },
      yAxis: { type: 'value', axisLabel: { formatter: '{value}%' }, max: 100 },
      series: ks.map((k) => ({
        type: 'line',
        name: indicatorLabel(k),
        connectNulls: false,
        symbolSize: 6,
        data: pts.map((p) => {
          const v = p.indicators.find((i) => i.key === k)?.value;
          return v === null || v === undefined ? null : +(v * 100).toFixed(2);
        }),
      })),
    };
  }, [trend, history.data, month]);

  return (
    <div className="page">
      <PageHeader
        title="养老服务统计看板"
        sub={
          coverage.data?.asOf ? `会宁县 · 数据截至 ${dateTime(coverage.data.asOf)}` : '会宁县 · 覆盖率与目标完成情况'
        }
        extra={
          <div className="toolbar">
            <label className="inline-field">
              <span>统计月份</span>
              <input
                type="month"
                value={month}
                onChange={(e) => e.target.value && setMonth(e.target.value)}
                data-testid="month"
              />
            </label>
            {month !== thisMonth() ? (
              <Button size="sm" onClick={() => setMonth(thisMonth())} data-testid="month-current">
                本月（实时）
              </Button>
            ) : null}
            <Button size="sm" busy={exporting === 'xlsx'} onClick={() => doExport('xlsx')} data-testid="export-xlsx">
              ⇩ 导出 Excel
            </Button>
            <Button size="sm" busy={exporting === 'csv'} onClick={() => doExport('csv')} data-testid="export-csv">
              ⇩ 导出 CSV
            </Button>
          </div>
        }
      />
      <ErrorBox error={coverage.error} onRetry={coverage.reload} />
      {coverage.loading && !coverage.data ? <Spinner /> : null}

      {indicators.length ? (
        <div className="indicator-grid" data-testid="indicators">
          {indicators.map((i) => (
            <div
              key={i.key}
              className={`indicator ${i.met === false ? 'is-bad' : i.met ? 'is-good' : ''}`}
              data-testid={`indicator-${i.key}`}
            >
              <div className="indicator-head">
                <span className="indicator-label" title={INDICATOR_META[i.key]?.hint}>
                  {indicatorLabel(i.key)}
                </span>
                <MetBadge met={i.met} />
              </div>
              <div className="indicator-value" data-testid={`indicator-value-${i.key}`}>
                {fmtIndicator(i.key, i.value)}
              </div>
              {isPercent(i.key) && i.value !== null ? <TargetBar value={i.value} target={i.target} /> : null}
              <div className="indicator-foot">
                <span>
                  {num(i.numerator)} / {num(i.denominator)}
                </span>
                <span>{targetText(i)}</span>
              </div>
            </div>
          ))}
        </div>
      ) : null}

      {coverage.data ? (
        <div className="dash-grid">
          <Card
            title="各乡镇指标对比"
            extra={
              <select value={chartKey} onChange={(e) => setChartKey(e.target.value)} aria-label="图表指标">
                {(keys.length ? keys : ORDER).map((k) => (
                  <option key={k} value={k}>
                    {indicatorLabel(k)}
                  </option>
                ))}
              </select>
            }
          >
            {coverage.data.byRegion.length ? (
              <EChart option={barOption} height={340} testId="region-chart" />
            ) : (
              <Empty>暂无乡镇数据</Empty>
            )}
          </Card>
          <Card title="近12个月趋势">
            <ErrorBox error={history.error} onRetry={history.reload} />
            {history.loading && !history.data ? <Spinner /> : null}
            {trend.length ? (
              <EChart option={lineOption} height={320} testId="history-chart" />
            ) : history.data ? (
              <Empty>暂无历史数据</Empty>
            ) : null}
            {history.data?.missing.length ? (
              <p className="muted small">
                {history.data.missing.length} 个月份尚无月度快照（{history.data.missing[0]}
                {history.data.missing.length > 1 ? ` 至 ${history.data.missing[history.data.missing.length - 1]}` : ''}
                ）；快照于每月1日生成。
              </p>
            ) : null}
          </Card>
        </div>
      ) : null}

      {coverage.data ? (
        <Card
          title={`乡镇明细（${coverage.data.byRegion.length}个乡镇）`}
          extra={<span className="muted small">点击列标题按该指标排序；“—”表示该乡镇无统计对象</span>}
        >
          <div className="table-wrap">
            <table className="table table-dense" data-testid="region-table">
              <thead>
                <tr>
                  <th>乡镇</th>
                  {keys.map((k) => (
                    <th
                      key={k}
                      className="num sortable"
                      onClick={() => setSortKey((s) => (s === k ? null : k))}
                      aria-sort={sortKey === k ? 'descending' : undefined}
                    >
                      {indicatorLabel(k)}
                      {sortKey === k ? ' ↓' : ''}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {regions.map((r) => (
                  <tr key={r.regionCode}>
                    <td className="nowrap">{r.name}</td>
                    {keys.map((k) => {
                      const i = r.indicators.find((x) => x.key === k);
                      return (
                        <td
                          key={k}
                          className={`num ${i?.met === false ? 'cell-bad' : i?.met ? 'cell-good' : ''}`}
                          title={
                            i && i.denominator !== null ? `${num(i.numerator)} / ${num(i.denominator)}` : undefined
                          }
                        >
                          {fmtIndicator(k, i?.value)}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th>全县</th>
                  {keys.map((k) => (
                    <th key={k} className="num">
                      {fmtIndicator(k, indicators.find((i) => i.key === k)?.value)}
                    </th>
                  ))}
                </tr>
              </tfoot>
            </table>
          </div>
        </Card>
      ) : null}

      {next.data?.total ? <NextStepsCard steps={next.data.total} /> : null}

      <Card title="养老机构床位统计">
        <ErrorBox error={facilities.error} onRetry={facilities.reload} />
        {facilities.loading && !facilities.data ? <Spinner /> : null}
        {facilities.data && facilities.data.items.length === 0 ? <Empty>暂无机构数据</Empty> : null}
        {facilities.data?.items.length ? <FacilityTable rows={facilities.data.items} /> : null}
      </Card>
    </div>
  );
}

function FacilityTable({ rows }: { rows: FacilityStatsRow[] }) {
  const bedsOf = (r: FacilityStatsRow) => {
    const b = typeof r.beds === 'object' && r.beds ? r.beds : {};
    return {
      total: (typeof r.beds === 'number' ? r.beds : b.total) ?? r.total,
      nursing: b.nursing ?? r.nursing,
      ordinary: b.ordinary ?? r.ordinary,
    };
  };
  const levels = (r: FacilityStatsRow): string => {
    const l = r.residentsByLevel;
    if (!l) return '—';
    const entries = Array.isArray(l) ? l.map((n, i) => [String(i), n] as const) : Object.entries(l);
    return (
      entries
        .filter(([, n]) => n)
        .map(([k, n]) => `${k === 'unassessed' ? '未评估' : (LEVEL_LABEL[Number(k)] ?? k)} ${n}`)
        .join('，') || '—'
    );
  };
  return (
    <div className="table-wrap">
      <table className="table table-dense" data-testid="facility-table">
        <thead>
          <tr>
            <th>机构</th>
            <th>类型</th>
            <th className="num">床位</th>
            <th className="num">护理型</th>
            <th className="num">普通</th>
            <th className="num">已入住</th>
            <th className="num">护理型占比</th>
            <th className="num">利用率</th>
            <th>入住老人能力等级</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, idx) => {
            const b = bedsOf(r);
            return (
              <tr key={r.facilityId ?? r.id ?? idx}>
                <td>
                  {r.name ?? r.facilityName ?? '—'}
                  {r.comprehensive ? <Badge tone="blue">综合功能</Badge> : null}
                </td>
                <td className="nowrap">{r.type ? FACILITY_TYPE_LABEL[r.type] : '—'}</td>
                <td className="num">{num(b.total)}</td>
                <td className="num">{num(b.nursing)}</td>
                <td className="num">{num(b.ordinary)}</td>
                <td className="num">{num(r.occupied)}</td>
                <td
                  className={`num ${r.nursingShare !== null && r.nursingShare !== undefined ? (r.nursingShare >= 0.55 ? 'cell-good' : 'cell-bad') : ''}`}
                >
                  {pct(r.nursingShare)}
                </td>
                <td className="num">{pct(r.utilization)}</td>
                <td className="small">
                  {levels(r)}
                  {r.residentsWithExpiredAssessment ? (
                    <span className="warn-text">（评估过期 {r.residentsWithExpiredAssessment}）</span>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function NextStepsCard({ steps }: { steps: NextSteps }) {
  const g = steps.nursingBeds;
  const rows: { label: string; value: string; tone: 'good' | 'bad' }[] = [];
  if (g && g.toConvert !== null) {
    rows.push({
      label: `护理型床位占比达到 ${Math.round(g.target * 100)}%`,
      value:
        g.toConvert === 0
          ? '已达标'
          : `需将 ${g.toConvert} 张普通床位改为护理型${g.toAdd !== null ? `，或新建 ${g.toAdd} 张护理型床位` : ''}`,
      tone: g.toConvert === 0 ? 'good' : 'bad',
    });
    if (g.plannedBeds > 0 && g.plannedMustBeNursing !== null) {
      rows.push({
        label: `规划新增床位 ${g.plannedBeds} 张`,
        value: `其中至少 ${g.plannedMustBeNursing} 张应为护理型`,
        tone: 'bad',
      });
    }
  }
  const count = (label: string, n: number | undefined, unit: string) => {
    if (n === undefined) return;
    rows.push({ label, value: n === 0 ? '无' : `${n} ${unit}`, tone: n === 0 ? 'good' : 'bad' });
  };
  count('尚无综合功能养老机构的乡镇', steps.townshipsWithoutComprehensive, '个');
  count('不在服务圈内的应服务对象', steps.eligibleOutsideServiceCircle, '人');
  count('本月上门探访不足3次', steps.eligibleShortOfVisits, '人');
  count('能力评估已过期', steps.expiredAssessments, '人');
  count('尚未进行能力评估', steps.neverAssessed, '人');
  if (!rows.length) return null;
  return (
    <Card title="下一步工作（全县）" testId="next-steps">
      <ul className="next-steps">
        {rows.map((r) => (
          <li key={r.label} className={r.tone === 'good' ? 'is-good' : 'is-bad'}>
            <span>{r.label}</span>
            <strong>{r.value}</strong>
          </li>
        ))}
      </ul>
    </Card>
  );
}
