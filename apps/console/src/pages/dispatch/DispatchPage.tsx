import { useEffect, useMemo, useState } from 'react';
import {
  cancelOrder,
  generateVisitPlans,
  getCareOrders,
  getCaregivers,
  getRegions,
  getResidents,
  getSchedule,
  getServicePoints,
} from '../../api/endpoints';
import type { CareOrder, Caregiver, OrderStatus, Region, Resident, ServicePoint } from '../../api/types';
import { PageHeader } from '../../components/Layout';
import { useToast } from '../../components/Toast';
import { Badge, Button, Card, Empty, ErrorBox, Field, Modal, Pager, Spinner } from '../../components/ui';
import { addDays, dayOf, hhmm, today, weekday } from '../../lib/format';
import {
  errorText,
  ORDER_STATUS_LABEL,
  ORDER_STATUSES,
  SERVICE_LABEL,
  STATUS_TONE,
  UNASSIGNED_REASON_LABEL,
  VISIT_FLAG_LABEL,
} from '../../lib/labels';
import { mapLimit, useAsync } from '../../lib/useAsync';
import { CountyMap, type MapResident, type MapServicePoint } from './CountyMap';
import { DispatchKpisPanel } from './DispatchKpisPanel';
import { NewOrderDialog } from './NewOrderDialog';
import { Timeline, type TimelineRow } from './Timeline';
import { AlertsPanel } from '../emergency/AlertsPanel';
import { SimulatePressButton } from '../emergency/SimulatePressButton';

const ACTIVE_STATUSES: OrderStatus[] = ['assigned', 'accepted', 'in_progress', 'completed'];
/** Timelines per page: a county has hundreds of caregivers; only the page shown is fetched. */
const CG_PAGE = 20;
type CaregiverFilter = 'busy' | 'idle' | 'all';
const CG_FILTER_LABEL: Record<CaregiverFilter, string> = { busy: '有服务', idle: '空闲', all: '全部在岗' };

export function DispatchPage() {
  const toast = useToast();
  const [date, setDate] = useState(today);
  const [regionCode, setRegionCode] = useState('');
  const [statusFilter, setStatusFilter] = useState<OrderStatus | 'all'>('all');
  const [shown, setShown] = useState(50);
  const [selectedCg, setSelectedCg] = useState<string>();
  const [cgFilter, setCgFilter] = useState<CaregiverFilter>('busy');
  const [cgQuery, setCgQuery] = useState('');
  const [cgOffset, setCgOffset] = useState(0);
  const [cancelling, setCancelling] = useState<CareOrder | null>(null);
  const [creating, setCreating] = useState(false);
  const [planBusy, setPlanBusy] = useState(false);

  const regions = useAsync(getRegions, []);
  const orders = useAsync(() => getCareOrders({ date, regionCode: regionCode || undefined }), [date, regionCode]);
  const unassigned = useAsync(
    () => getCareOrders({ status: 'unassigned', regionCode: regionCode || undefined }),
    [regionCode],
  );
  const caregivers = useAsync(() => getCaregivers(regionCode ? { regionCode } : {}), [regionCode]);
  const residents = useAsync(
    () => getResidents({ livingArrangement: 'home', regionCode: regionCode || undefined }),
    [regionCode],
  );
  const servicePoints = useAsync<ServicePoint[]>(
    () =>
      getServicePoints().then(
        (l) => l.items,
        () => [],
      ),
    [],
  );

  const regionByCode = useMemo(() => new Map((regions.data?.items ?? []).map((r) => [r.code, r])), [regions.data]);
  const residentById = useMemo(() => new Map((residents.data?.items ?? []).map((r) => [r.id, r])), [residents.data]);
  const caregiverById = useMemo(() => new Map((caregivers.data?.items ?? []).map((c) => [c.id, c])), [caregivers.data]);
  const items = orders.data?.items ?? [];

  const residentName = (id?: string, fallback?: string) =>
    fallback ?? (id ? residentById.get(id)?.name : undefined) ?? (id ? `老人 ${id.slice(0, 6)}` : '—');
  const orderResident = (o: CareOrder) => o.resident?.name ?? o.residentName ?? residentName(o.residentId);

  const counts = useMemo(() => {
    const c = Object.fromEntries(ORDER_STATUSES.map((s) => [s, 0])) as Record<OrderStatus, number>;
    for (const o of items) c[o.status] = (c[o.status] ?? 0) + 1;
    return c;
  }, [items]);

  // Caregivers with a visit that day get a timeline from GET /caregivers/:id/schedule.
  const busyIds = useMemo(() => {
    const ids = new Set<string>();
    for (const o of items) if (o.caregiverId && ACTIVE_STATUSES.includes(o.status)) ids.add(o.caregiverId);
    return [...ids];
  }, [items]);
  // Caregivers of the township filter (regionCode above), by status, by name; then one page of them.
  const rowIds = useMemo(() => {
    const busy = new Set(busyIds);
    const inService = (caregivers.data?.items ?? []).filter((c) => c.active !== false);
    let ids: string[];
    if (cgFilter === 'busy') ids = busyIds;
    else if (cgFilter === 'idle') ids = inService.filter((c) => !busy.has(c.id)).map((c) => c.id);
    else ids = [...busyIds, ...inService.filter((c) => !busy.has(c.id)).map((c) => c.id)];
    const q = cgQuery.trim();
    if (q) ids = ids.filter((id) => (caregiverById.get(id)?.name ?? '').includes(q));
    return ids;
  }, [busyIds, caregivers.data, cgFilter, cgQuery, caregiverById]);
  const pageIds = rowIds.slice(cgOffset, cgOffset + CG_PAGE);
  useEffect(() => setCgOffset(0), [cgFilter, cgQuery, regionCode, date]);
  const schedules = useAsync<TimelineRow[]>(
    () =>
      mapLimit(pageIds, 4, async (id): Promise<TimelineRow> => {
        const caregiver: Caregiver = caregiverById.get(id) ?? { id, name: `护理员 ${id.slice(0, 6)}` };
        try {
          return { caregiver, schedule: await getSchedule(id, date) };
        } catch (e) {
          return { caregiver, error: errorText(e) };
        }
      }),
    [pageIds.join(','), date, caregiverById],
  );

  const spList: MapServicePoint[] = useMemo(() => {
    const byId = new Map<string, ServicePoint>();
    for (const sp of servicePoints.data ?? []) byId.set(sp.id, sp);
    for (const c of caregivers.data?.items ?? []) {
      const sp = c.servicePoint;
      if (sp?.id && sp.lat !== undefined && sp.lng !== undefined && !byId.has(sp.id))
        byId.set(sp.id, sp as ServicePoint);
    }
    return [...byId.values()]
      .filter((sp) => !regionCode || sp.regionCode === regionCode)
      .map((sp) => ({
        id: sp.id,
        name: sp.name,
        lat: Number(sp.lat),
        lng: Number(sp.lng),
        kind: regionByCode.get(sp.regionCode)?.kind ?? 'rural',
      }));
  }, [servicePoints.data, caregivers.data, regionByCode, regionCode]);

  const mapResidents: MapResident[] = useMemo(() => {
    const statusOf = new Map<string, OrderStatus>();
    for (const o of items) if (o.status !== 'cancelled') statusOf.set(o.residentId, o.status);
    return (residents.data?.items ?? [])
      .filter((r) => r.lat !== null && r.lat !== undefined && r.lng !== null && r.lng !== undefined)
      .map((r) => ({ id: r.id, name: r.name, lat: Number(r.lat), lng: Number(r.lng), status: statusOf.get(r.id) }));
  }, [residents.data, items]);

  const route = useMemo(() => {
    if (!selectedCg) return undefined;
    const row = schedules.data?.find((r) => r.caregiver.id === selectedCg);
    const cg = caregiverById.get(selectedCg);
    const sp = row?.schedule?.servicePoint ?? spList.find((s) => s.id === (cg?.servicePointId ?? cg?.servicePoint?.id));
    const pts: { lat: number; lng: number }[] = [];
    if (sp) pts.push(sp);
    for (const v of row?.schedule?.visits ?? []) {
      const r = v.residentId ? residentById.get(v.residentId) : undefined;
      if (r?.lat !== undefined && r.lat !== null && r.lng !== undefined && r.lng !== null)
        pts.push({ lat: Number(r.lat), lng: Number(r.lng) });
    }
    if (sp && pts.length > 1) pts.push(sp);
    return pts;
  }, [selectedCg, schedules.data, caregiverById, spList, residentById]);

  const filtered = statusFilter === 'all' ? items : items.filter((o) => o.status === statusFilter);
  const sorted = [...filtered].sort((a, b) =>
    (a.plannedStart ?? a.windowStart).localeCompare(b.plannedStart ?? b.windowStart),
  );
  const idleCount = (caregivers.data?.items.length ?? 0) - busyIds.length;

  const reloadAll = () => {
    orders.reload();
    unassigned.reload();
    schedules.reload();
  };

  async function generatePlans() {
    setPlanBusy(true);
    try {
      const month = date.slice(0, 7);
      const r = await generateVisitPlans(month, regionCode || undefined);
      toast(`已提交${month}月度探访计划生成任务${r?.jobId ? `（任务号 ${r.jobId}）` : ''}`, 'success');
    } catch (e) {
      toast(errorText(e), 'error');
    } finally {
      setPlanBusy(false);
    }
  }

  return (
    <div className="page">
      {/* EMERGENCY (issue 13): open alerts with beep and title blink */}
      <AlertsPanel />
      <PageHeader
        title="派单调度"
        sub={`${date} ${weekday(date)} · 上门服务工单`}
        extra={
          <div className="toolbar">
            <Button size="sm" onClick={() => setDate(addDays(date, -1))} aria-label="前一天">
              ‹
            </Button>
            <input
              type="date"
              value={date}
              onChange={(e) => e.target.value && setDate(e.target.value)}
              aria-label="日期"
            />
            <Button size="sm" onClick={() => setDate(addDays(date, 1))} aria-label="后一天">
              ›
            </Button>
            {date !== dayOf() ? (
              <Button size="sm" variant="ghost" onClick={() => setDate(today())}>
                今天
              </Button>
            ) : null}
            <select value={regionCode} onChange={(e) => setRegionCode(e.target.value)} aria-label="乡镇">
              <option value="">全县</option>
              {(regions.data?.items ?? [])
                .filter((r: Region) => r.code.length > 6)
                .map((r) => (
                  <option key={r.code} value={r.code}>
                    {r.name}
                  </option>
                ))}
            </select>
            <SimulatePressButton />
            <Button size="sm" onClick={reloadAll}>
              ⟳ 刷新
            </Button>
            <Button
              size="sm"
              busy={planBusy}
              onClick={generatePlans}
              title="为分散特困、经济困难居家老人生成本月3次探访"
            >
              生成月度探访计划
            </Button>
            <Button size="sm" variant="primary" onClick={() => setCreating(true)}>
              ＋ 新建工单
            </Button>
          </div>
        }
      />

      <div className="status-strip" data-testid="order-status-counts">
        <button
          type="button"
          className={`status-card ${statusFilter === 'all' ? 'is-active' : ''}`}
          onClick={() => setStatusFilter('all')}
        >
          <span className="status-card-label">全部工单</span>
          <span className="status-card-value">{orders.data ? items.length : '—'}</span>
        </button>
        {ORDER_STATUSES.map((s) => (
          <button
            key={s}
            type="button"
            className={`status-card tone-${STATUS_TONE[s]} ${statusFilter === s ? 'is-active' : ''}`}
            onClick={() => setStatusFilter(s)}
            data-testid={`count-${s}`}
          >
            <span className="status-card-label">{ORDER_STATUS_LABEL[s]}</span>
            <span className="status-card-value">{orders.data ? counts[s] : '—'}</span>
          </button>
        ))}
      </div>

      <DispatchKpisPanel date={date} regionCode={regionCode || undefined} />

      <div className="dispatch-grid">
        <Card title={`无法派单（${unassigned.data?.total ?? '—'}）`} className="card-alert" testId="unassigned">
          <ErrorBox error={unassigned.error} onRetry={unassigned.reload} />
          {unassigned.loading && !unassigned.data ? <Spinner /> : null}
          {unassigned.data?.items.length === 0 ? <Empty>没有无法派单的工单</Empty> : null}
          <ul className="unassigned-list">
            {(unassigned.data?.items ?? []).slice(0, 50).map((o) => (
              <li key={o.id}>
                <div>
                  <strong>{orderResident(o)}</strong>
                  {o.priority === 'urgent' ? <Badge tone="red">加急</Badge> : null}
                  <div className="muted small">
                    {dayOf(o.windowStart)} {hhmm(o.windowStart)}–{hhmm(o.windowEnd)} ·{' '}
                    {o.services.map((c) => SERVICE_LABEL[c] ?? c).join('、')}
                  </div>
                </div>
                <div className="unassigned-reason">
                  <Badge tone="red">
                    {o.unassignedReason
                      ? (UNASSIGNED_REASON_LABEL[o.unassignedReason] ?? o.unassignedReason)
                      : '原因未知'}
                  </Badge>
                  <Button size="sm" variant="ghost" onClick={() => setCancelling(o)}>
                    取消工单
                  </Button>
                </div>
              </li>
            ))}
          </ul>
        </Card>

        <Card title="服务分布图" testId="map-card">
          <CountyMap residents={mapResidents} servicePoints={spList} route={route} />
        </Card>
      </div>

      <Card
        title="护理员当日行程"
        extra={
          <span className="muted small">
            {busyIds.length} 人有服务 · {Math.max(0, idleCount)} 人空闲 · 点击一行在地图上显示路线
          </span>
        }
        testId="schedules"
      >
        <div className="search-row">
          <div className="tabs" role="tablist" aria-label="护理员状态">
            {(Object.keys(CG_FILTER_LABEL) as CaregiverFilter[]).map((f) => (
              <button
                key={f}
                type="button"
                role="tab"
                aria-selected={cgFilter === f}
                onClick={() => setCgFilter(f)}
                data-testid={`cg-filter-${f}`}
              >
                {CG_FILTER_LABEL[f]}
              </button>
            ))}
          </div>
          <input
            type="search"
            placeholder="护理员姓名"
            value={cgQuery}
            onChange={(e) => setCgQuery(e.target.value)}
            aria-label="按姓名筛选护理员"
          />
        </div>
        <ErrorBox error={schedules.error} />
        {schedules.loading && !schedules.data ? <Spinner /> : null}
        {schedules.data && schedules.data.length === 0 ? (
          <Empty>{cgFilter === 'busy' ? '当日暂无已派工单' : '没有符合条件的护理员'}</Empty>
        ) : null}
        {schedules.data?.length ? (
          <>
            <Timeline
              rows={schedules.data}
              residentName={residentName}
              selectedId={selectedCg}
              onSelect={(id) => setSelectedCg((cur) => (cur === id ? undefined : id))}
            />
            <div className="legend">
              {(['assigned', 'accepted', 'in_progress', 'completed'] as OrderStatus[]).map((s) => (
                <span key={s} className="legend-item">
                  <span className={`legend-swatch tl-visit st-${s}`} />
                  {ORDER_STATUS_LABEL[s]}
                </span>
              ))}
              <span className="legend-item">
                <span className="legend-swatch tl-travel" />
                路程
              </span>
              <span className="legend-item">
                <span className="legend-swatch tl-shift" />
                班次
              </span>
            </div>
            <Pager total={rowIds.length} offset={cgOffset} limit={CG_PAGE} onChange={setCgOffset} />
          </>
        ) : null}
      </Card>

      <Card title={`工单列表${statusFilter === 'all' ? '' : ` · ${ORDER_STATUS_LABEL[statusFilter]}`}`} testId="orders">
        <ErrorBox error={orders.error} onRetry={orders.reload} />
        {orders.loading && !orders.data ? <Spinner /> : null}
        {orders.data && sorted.length === 0 ? <Empty>当日没有符合条件的工单</Empty> : null}
        {sorted.length ? (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th>老人</th>
                  <th>服务项目</th>
                  <th>服务时段</th>
                  <th>计划时间</th>
                  <th>护理员</th>
                  <th>路程</th>
                  <th>状态</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {sorted.slice(0, shown).map((o) => (
                  <tr key={o.id} data-testid={`order-${o.id}`}>
                    <td>
                      {orderResident(o)}
                      {o.priority === 'urgent' ? <Badge tone="red">加急</Badge> : null}
                    </td>
                    <td className="wrap">{o.services.map((c) => SERVICE_LABEL[c] ?? c).join('、')}</td>
                    <td className="nowrap">
                      {hhmm(o.windowStart)}–{hhmm(o.windowEnd)}
                    </td>
                    <td className="nowrap">{o.plannedStart ? `${hhmm(o.plannedStart)}–${hhmm(o.plannedEnd)}` : '—'}</td>
                    <td>
                      {o.caregiverId ? (caregiverById.get(o.caregiverId)?.name ?? o.caregiverId.slice(0, 6)) : '—'}
                    </td>
                    <td>
                      {o.travelMinutes !== null && o.travelMinutes !== undefined ? `${o.travelMinutes}分钟` : '—'}
                    </td>
                    <td>
                      <Badge tone={STATUS_TONE[o.status]}>{ORDER_STATUS_LABEL[o.status]}</Badge>
                      {o.status === 'unassigned' && o.unassignedReason ? (
                        <div className="small muted">
                          {UNASSIGNED_REASON_LABEL[o.unassignedReason] ?? o.unassignedReason}
                        </div>
                      ) : null}
                      {o.flags?.length ? (
                        <div className="small warn-text">{o.flags.map((f) => VISIT_FLAG_LABEL[f] ?? f).join('、')}</div>
                      ) : null}
                    </td>
                    <td>
                      {['pending', 'assigned', 'accepted', 'unassigned'].includes(o.status) ? (
                        <Button size="sm" variant="ghost" onClick={() => setCancelling(o)}>
                          取消
                        </Button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {sorted.length > shown ? (
              <div className="more">
                <Button size="sm" onClick={() => setShown((n) => n + 100)}>
                  显示更多（还有 {sorted.length - shown} 条）
                </Button>
              </div>
            ) : null}
          </div>
        ) : null}
      </Card>

      {cancelling ? (
        <CancelDialog
          order={cancelling}
          name={orderResident(cancelling)}
          onClose={() => setCancelling(null)}
          onDone={() => {
            setCancelling(null);
            toast('工单已取消', 'success');
            reloadAll();
          }}
        />
      ) : null}
      {creating ? (
        <NewOrderDialog
          date={date}
          residents={residents.data?.items ?? ([] as Resident[])}
          onClose={() => setCreating(false)}
          onDone={(msg) => {
            setCreating(false);
            toast(msg, 'success');
            // dispatch runs in the background; look again shortly
            setTimeout(reloadAll, 1500);
            reloadAll();
          }}
        />
      ) : null}
    </div>
  );
}

function CancelDialog({
  order,
  name,
  onClose,
  onDone,
}: {
  order: CareOrder;
  name: string;
  onClose: () => void;
  onDone: () => void;
}) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setError(null), [reason]);
  async function submit() {
    if (!reason.trim()) return setError('请填写取消原因');
    setBusy(true);
    try {
      await cancelOrder(order.id, reason.trim());
      onDone();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal
      title={`取消工单 · ${name}`}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>返回</Button>
          <Button variant="danger" busy={busy} onClick={submit}>
            确认取消
          </Button>
        </>
      }
    >
      <Field label="取消原因" required>
        <textarea rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />
      </Field>
      {error ? <div className="alert alert-error">{error}</div> : null}
    </Modal>
  );
}
