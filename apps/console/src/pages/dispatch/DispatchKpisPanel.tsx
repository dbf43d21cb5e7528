// 派单质量: the day's dispatch KPIs from GET /dispatch/kpis. While the endpoint does not exist yet (404)
// every figure shows "—" and the panel says so; other errors show as usual.
import { getDispatchKpis } from '../../api/endpoints';
import type { UnassignedReason } from '../../api/types';
import { Card, ErrorBox, Stat } from '../../components/ui';
import { num, pct } from '../../lib/format';
import { UNASSIGNED_REASON_LABEL } from '../../lib/labels';
import { useAsync } from '../../lib/useAsync';

const share = (part: number | undefined, whole: number | undefined) =>
  part === undefined || whole === undefined || whole === 0 ? null : part / whole;

export function DispatchKpisPanel({ date, regionCode }: { date: string; regionCode?: string }) {
  const kpis = useAsync(() => getDispatchKpis(date, regionCode), [date, regionCode]);
  const k = kpis.data ?? undefined;
  const unavailable = kpis.data === null;
  const reasons = Object.entries(k?.unassignedByReason ?? {}).filter(([, n]) => (n ?? 0) > 0);
  return (
    <Card
      title="派单质量"
      testId="dispatch-kpis"
      extra={
        unavailable ? (
          <span className="muted small" data-testid="kpis-unavailable">
            派单质量统计暂未开放
          </span>
        ) : null
      }
    >
      <ErrorBox error={kpis.error} onRetry={kpis.reload} />
      <div className="kpi-strip">
        <Stat
          label="派单率"
          value={pct(share(k?.assigned, k?.orders))}
          sub={k ? `${k.assigned} / ${k.orders} 单` : '—'}
        />
        <Stat
          label="加急派单率"
          value={pct(share(k?.urgentAssigned, k?.urgentOrders))}
          sub={k ? `${k.urgentAssigned} / ${k.urgentOrders} 单` : '—'}
        />
        <Stat
          label="平均路程"
          value={k?.travelMinutesPerVisit != null ? `${num(k.travelMinutesPerVisit, 1)} 分钟` : '—'}
          sub="每次上门"
        />
        <Stat label="服务连续性" value={pct(k?.continuityShare)} sub="由熟悉的护理员服务" />
        <Stat label="工作量离散度" value={num(k?.visitsPerCaregiverSd, 2)} sub="每人服务次数标准差" />
        <Stat
          label="派单耗时"
          value={k?.assignSecondsP50 != null ? `${num(k.assignSecondsP50, 1)} 秒` : '—'}
          sub={k?.assignSecondsP95 != null ? `P95 ${num(k.assignSecondsP95, 1)} 秒` : 'P50 / P95'}
        />
      </div>
      {reasons.length ? (
        <p className="small muted" data-testid="kpis-unassigned">
          无法派单：
          {reasons.map(([r, n]) => `${UNASSIGNED_REASON_LABEL[r as UnassignedReason] ?? r} ${n}`).join('；')}
        </p>
      ) : null}
    </Card>
  );
}
