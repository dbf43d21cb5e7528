import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  addToWaitlist,
  getBeds,
  getBedSummary,
  getFacilities,
  getFacility,
  getResident,
  getResidents,
  getStays,
  getWaitlist,
} from '../../api/endpoints';
import type { Bed, BedSummary, Facility, Resident, Stay, WaitlistEntry } from '../../api/types';
import { PageHeader } from '../../components/Layout';
import { useToast } from '../../components/Toast';
import { Badge, Button, Card, Empty, ErrorBox, Modal, Spinner, Stat, TargetBar } from '../../components/ui';
import { dateTime, pct } from '../../lib/format';
import { BED_STATUS_LABEL, errorText, FACILITY_TYPE_LABEL, TIER_LABEL } from '../../lib/labels';
import { navigate } from '../../lib/router';
import { mapLimit, useAsync } from '../../lib/useAsync';
import { useUser } from '../../session';
import { AdmitDialog } from './AdmitDialog';
import { BedDialog } from './BedDialog';
import { BedGrid, BedLegend, type BedFilter } from './BedGrid';
import { entryResidentName, stayResidentName } from './model';
import { ResidentPicker, residentRef, type PickedResident } from './ResidentPicker';

export function BedBoardPage({ facilityId }: { facilityId?: string }) {
  const user = useUser();
  const facilities = useAsync<Facility[]>(async () => {
    if (user.role === 'manager') {
      return Promise.all(
        user.facilityIds.map((id) => getFacility(id).catch(() => ({ id, name: `机构 ${id}` }) as Facility)),
      );
    }
    const all = (await getFacilities()).items;
    return all.sort((a, b) => Number(a.type === 'community_station') - Number(b.type === 'community_station'));
  }, [user.id]);

  const list = facilities.data ?? [];
  useEffect(() => {
    if (!facilityId && list.length) navigate(`/beds/${list[0].id}`, true);
  }, [facilityId, list]);

  const facility = list.find((f) => f.id === facilityId);

  return (
    <div className="page">
      <PageHeader
        title="床位管理"
        sub={
          facility
            ? `${facility.name}${facility.type ? ` · ${FACILITY_TYPE_LABEL[facility.type]}` : ''}`
            : '机构床位一览'
        }
        extra={
          <div className="toolbar">
            {facilityId && (user.role === 'manager' || user.role === 'admin') ? (
              <a className="btn btn-ghost btn-sm" href={`#/facilities/${facilityId}`} data-testid="bed-set-up-link">
                床位设置
              </a>
            ) : null}
            {list.length > 1 ? (
              <label className="inline-field">
                <span>机构</span>
                <select
                  value={facilityId ?? ''}
                  onChange={(e) => navigate(`/beds/${e.target.value}`)}
                  data-testid="facility-select"
                >
                  {list.map((f) => (
                    <option key={f.id} value={f.id}>
                      {f.name}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
          </div>
        }
      />
      <ErrorBox error={facilities.error} onRetry={facilities.reload} />
      {facilities.loading && !facilities.data ? <Spinner /> : null}
      {facilities.data && list.length === 0 ? <Empty>当前账号未关联任何养老机构，请联系系统管理员。</Empty> : null}
      {facilityId ? (
        <FacilityBoard
          key={facilityId}
          facilityId={facilityId}
          facility={facility}
          canEdit={user.role === 'manager' || user.role === 'admin'}
        />
      ) : null}
    </div>
  );
}

interface BoardData {
  beds: Bed[];
  stays: Stay[];
  residents: Map<string, Partial<Resident>>;
}

async function loadBoard(facilityId: string): Promise<BoardData> {
  const [beds, stays] = await Promise.all([getBeds(facilityId), getStays(facilityId, 'active')]);
  const residents = new Map<string, Partial<Resident>>();
  for (const s of stays.items) if (s.resident?.name) residents.set(s.residentId, s.resident);
  const missing = () =>
    stays.items.filter((s) => !s.residentName && !residents.has(s.residentId)).map((s) => s.residentId);
  if (missing().length > 3) {
    // one list call usually names everybody; fall back to one call per resident for the rest
    try {
      const all = await getResidents({}, 2000);
      for (const r of all.items) residents.set(r.id, r);
    } catch {
      /* the list may be unavailable for this role */
    }
  }
  await mapLimit(missing().slice(0, 300), 6, async (id) => {
    try {
      residents.set(id, await getResident(id));
    } catch {
      /* leave unnamed */
    }
  });
  return { beds: beds.items, stays: stays.items, residents };
}

function FacilityBoard({
  facilityId,
  facility,
  canEdit,
}: {
  facilityId: string;
  facility?: Facility;
  canEdit: boolean;
}) {
  const toast = useToast();
  const board = useAsync(() => loadBoard(facilityId), [facilityId]);
  const summary = useAsync(() => getBedSummary(facilityId), [facilityId]);
  const waitlist = useAsync(() => getWaitlist(facilityId).then((l) => l.items), [facilityId]);
  const [waitNames, setWaitNames] = useState<Map<string, Partial<Resident>>>(new Map());
  const [filter, setFilter] = useState<BedFilter>({ status: 'all', type: 'all' });
  const [selected, setSelected] = useState<Bed | null>(null);
  const [admitting, setAdmitting] = useState<{ bed?: Bed; resident?: Partial<Resident> & { id: string } } | null>(null);
  const [addingWait, setAddingWait] = useState(false);

  // Name waitlisted residents the list did not name.
  useEffect(() => {
    const entries = waitlist.data ?? [];
    const todo = entries
      .filter((e) => !e.resident?.name && !e.residentName && !waitNames.has(e.residentId))
      .map((e) => e.residentId);
    if (!todo.length) return;
    let live = true;
    mapLimit(todo.slice(0, 100), 6, (id) => getResident(id).catch(() => null)).then((rs) => {
      if (!live) return;
      setWaitNames((m) => {
        const n = new Map(m);
        rs.forEach((r) => r && n.set(r.id, r));
        return n;
      });
    });
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [waitlist.data]);

  const staysByBed = useMemo(() => new Map((board.data?.stays ?? []).map((s) => [s.bedId, s])), [board.data]);
  const residents = board.data?.residents ?? new Map<string, Partial<Resident>>();
  const beds = board.data?.beds ?? [];
  const waitName = useCallback((e: WaitlistEntry) => entryResidentName(e, waitNames), [waitNames]);

  const reloadAll = useCallback(() => {
    board.reload();
    summary.reload();
    waitlist.reload();
  }, [board, summary, waitlist]);

  const done = (message: string) => {
    setSelected(null);
    setAdmitting(null);
    setAddingWait(false);
    toast(message, 'success');
    reloadAll();
  };

  const counts = useMemo(() => {
    const c: Record<string, number> = {};
    for (const b of beds) c[b.status] = (c[b.status] ?? 0) + 1;
    return c;
  }, [beds]);

  return (
    <div className="board-layout">
      <div className="board-main">
        <Card
          title="床位图"
          extra={
            <div className="filters">
              <select
                aria-label="按状态筛选"
                value={filter.status}
                onChange={(e) => setFilter((f) => ({ ...f, status: e.target.value as BedFilter['status'] }))}
              >
                <option value="all">全部状态</option>
                {(Object.keys(BED_STATUS_LABEL) as (keyof typeof BED_STATUS_LABEL)[]).map((s) => (
                  <option key={s} value={s}>
                    {BED_STATUS_LABEL[s]} ({counts[s] ?? 0})
                  </option>
                ))}
              </select>
              <select
                aria-label="按类型筛选"
                value={filter.type}
                onChange={(e) => setFilter((f) => ({ ...f, type: e.target.value as BedFilter['type'] }))}
              >
                <option value="all">全部类型</option>
                <option value="nursing">护理型床位</option>
                <option value="ordinary">普通床位</option>
              </select>
              <Button size="sm" variant="ghost" onClick={reloadAll} title="刷新">
                ⟳ 刷新
              </Button>
            </div>
          }
        >
          <BedLegend />
          <ErrorBox error={board.error} onRetry={board.reload} />
          {board.loading && !board.data ? <Spinner /> : null}
          {board.data && beds.length === 0 ? <Empty>本机构尚未登记床位</Empty> : null}
          {beds.length ? (
            <BedGrid
              beds={beds}
              staysByBed={staysByBed}
              residents={residents}
              filter={filter}
              selectedId={selected?.id}
              onSelect={setSelected}
            />
          ) : null}
        </Card>
      </div>
      <aside className="board-side">
        <NursingShareCard summary={summary.data} error={summary.error} onRetry={summary.reload} />
        <Card
          title={`轮候名单${waitlist.data ? ` (${waitlist.data.length})` : ''}`}
          extra={
            canEdit ? (
              <Button size="sm" onClick={() => setAddingWait(true)}>
                ＋ 登记轮候
              </Button>
            ) : null
          }
          testId="waitlist"
        >
          <ErrorBox error={waitlist.error} onRetry={waitlist.reload} />
          {waitlist.loading && !waitlist.data ? <Spinner /> : null}
          {waitlist.data && waitlist.data.length === 0 ? <Empty>暂无轮候老人</Empty> : null}
          <ol className="waitlist">
            {(waitlist.data ?? []).map((e, i) => (
              <li key={e.id ?? e.residentId} className="wait-item">
                <span className="wait-rank">{i + 1}</span>
                <div className="wait-body">
                  <div className="wait-name">
                    <strong>{waitName(e)}</strong>
                    {e.tier ? (
                      <Badge tone={e.tier === 1 ? 'red' : e.tier === 4 ? 'grey' : 'blue'} title={e.tierName}>
                        {TIER_LABEL[e.tier] ?? `第${e.tier}档`}
                      </Badge>
                    ) : null}
                  </div>
                  <div className="wait-reasons">
                    {e.reasons.map((r) => (
                      <span key={r} className="reason">
                        {r}
                      </span>
                    ))}
                  </div>
                  {e.hints.length ? <div className="small warn-text">{e.hints.join('；')}</div> : null}
                  {e.appliedAt ? <div className="muted small">申请于 {dateTime(e.appliedAt)}</div> : null}
                </div>
                {canEdit ? (
                  <Button
                    size="sm"
                    variant="primary"
                    onClick={() =>
                      setAdmitting({
                        resident: {
                          ...(e.resident ?? {}),
                          ...(waitNames.get(e.residentId) ?? {}),
                          id: e.residentId,
                          name: waitName(e),
                        },
                      })
                    }
                  >
                    安排入住
                  </Button>
                ) : null}
              </li>
            ))}
          </ol>
        </Card>
      </aside>

      {selected && !admitting ? (
        <BedDialog
          facilityId={facilityId}
          bed={selected}
          beds={beds}
          stay={staysByBed.get(selected.id)}
          residentName={
            staysByBed.get(selected.id) ? stayResidentName(staysByBed.get(selected.id)!, residents) : undefined
          }
          canEdit={canEdit}
          onAdmit={() => setAdmitting({ bed: selected })}
          onClose={() => setSelected(null)}
          onDone={done}
        />
      ) : null}
      {admitting ? (
        <AdmitDialog
          facilityId={facilityId}
          facilityRegion={facility?.regionCode}
          beds={beds}
          bed={admitting.bed}
          resident={admitting.resident}
          waitlist={waitlist.data ?? []}
          waitlistName={waitName}
          onClose={() => {
            setAdmitting(null);
            setSelected(null);
          }}
          onDone={done}
        />
      ) : null}
      {addingWait ? (
        <WaitlistAddDialog
          facilityId={facilityId}
          regionCode={facility?.regionCode}
          onClose={() => setAddingWait(false)}
          onDone={done}
        />
      ) : null}
    </div>
  );
}

function NursingShareCard({ summary, error, onRetry }: { summary?: BedSummary; error: unknown; onRetry: () => void }) {
  const target = summary?.nursingShareTarget ?? 0.55;
  return (
    <Card title="护理型床位占比" testId="nursing-share">
      <ErrorBox error={error} onRetry={onRetry} />
      {!summary && !error ? <Spinner /> : null}
      {summary ? (
        <>
          <div className="share-head">
            <span className="share-value" data-testid="nursing-share-value">
              {pct(summary.nursingShare)}
            </span>
            <Badge tone={summary.meetsNursingShareTarget ? 'green' : 'red'}>
              {summary.meetsNursingShareTarget ? '达标' : '未达标'}
            </Badge>
          </div>
          <TargetBar value={summary.nursingShare} target={target} label="护理型床位占比" />
          <div className="share-target muted">目标 ≥ {Math.round(target * 100)}%（约束性指标）</div>
          <div className="stats-grid">
            <Stat label="在用床位" value={summary.total} />
            <Stat label="护理型" value={summary.nursing} />
            <Stat label="普通" value={summary.ordinary} />
            <Stat label="已入住" value={summary.occupied} />
            <Stat label="空闲" value={summary.vacant} />
            <Stat label="床位利用率" value={pct(summary.utilization)} />
          </div>
          <p className="muted small">停用床位不计入统计。</p>
        </>
      ) : null}
    </Card>
  );
}

function WaitlistAddDialog({
  facilityId,
  regionCode,
  onClose,
  onDone,
}: {
  facilityId: string;
  regionCode?: string;
  onClose: () => void;
  onDone: (m: string) => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function pick(r: PickedResident) {
    setBusy(true);
    setError(null);
    try {
      await addToWaitlist(facilityId, residentRef(r));
      onDone(`${r.name ?? '老人'} 已登记轮候`);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal title="登记轮候" onClose={onClose} wide>
      {busy ? (
        <Spinner label="正在登记…" />
      ) : (
        <ResidentPicker defaultRegion={regionCode} facilityId={facilityId} onPick={pick} />
      )}
      {error ? (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      ) : null}
    </Modal>
  );
}
