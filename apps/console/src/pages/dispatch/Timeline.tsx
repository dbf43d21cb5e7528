import type { Caregiver, CaregiverSchedule } from '../../api/types';
import { hhmm, minutesOfDay } from '../../lib/format';
import { ORDER_STATUS_LABEL, SERVICE_LABEL } from '../../lib/labels';

export interface TimelineRow {
  caregiver: Caregiver;
  schedule?: CaregiverSchedule;
  error?: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** One row per caregiver: shift band, travel (hatched) and visits, on a shared hour axis. */
export function Timeline({
  rows,
  residentName,
  selectedId,
  onSelect,
}: {
  rows: TimelineRow[];
  residentName: (id?: string, fallback?: string) => string;
  selectedId?: string;
  onSelect?: (caregiverId: string) => void;
}) {
  // Axis: from the earliest shift/visit to the latest, whole hours, at least 08:00–18:00.
  let lo = 8 * 60;
  let hi = 18 * 60;
  for (const r of rows) {
    const s = r.schedule;
    const shiftStart = s?.shiftStart ?? r.caregiver.shiftStart;
    const shiftEnd = s?.shiftEnd ?? r.caregiver.shiftEnd;
    if (shiftStart) lo = Math.min(lo, minutesOfDay(shiftStart));
    if (shiftEnd) hi = Math.max(hi, minutesOfDay(shiftEnd));
    for (const v of s?.visits ?? []) {
      lo = Math.min(lo, minutesOfDay(v.plannedStart) - v.travelMinutes);
      hi = Math.max(hi, minutesOfDay(v.plannedEnd));
    }
  }
  lo = Math.max(0, Math.floor(lo / 60) * 60);
  hi = Math.min(24 * 60, Math.ceil(hi / 60) * 60);
  const span = hi - lo;
  const x = (m: number) => `${((Math.max(lo, Math.min(hi, m)) - lo) / span) * 100}%`;
  const w = (a: number, b: number) => `${(Math.max(0, Math.min(hi, b) - Math.max(lo, a)) / span) * 100}%`;
  const hours: number[] = [];
  for (let h = lo; h <= hi; h += 60) hours.push(h);

  return (
    <div className="timeline" data-testid="timeline">
      <div className="tl-row tl-axis">
        <div className="tl-name" />
        <div className="tl-track">
          {hours.map((h) => (
            <span key={h} className="tl-hour" style={{ left: x(h) }}>
              {pad(h / 60)}:00
            </span>
          ))}
        </div>
      </div>
      {rows.map(({ caregiver: c, schedule: s, error }) => {
        const shiftStart = s?.shiftStart ?? c.shiftStart;
        const shiftEnd = s?.shiftEnd ?? c.shiftEnd;
        const visits = s?.visits ?? [];
        const travel = visits.reduce((a, v) => a + v.travelMinutes, 0) + (s?.returnTravelMinutes ?? 0);
        const last = visits[visits.length - 1];
        return (
          <div
            key={c.id}
            className={`tl-row ${selectedId === c.id ? 'is-selected' : ''}`}
            onClick={() => onSelect?.(c.id)}
            data-testid={`timeline-${c.id}`}
          >
            <div className="tl-name">
              <strong>{c.name}</strong>
              <small>
                {visits.length}单 · 路程{travel}分钟
                {c.maxDailyVisits ? ` · 上限${c.maxDailyVisits}` : ''}
              </small>
            </div>
            <div className="tl-track">
              {hours.map((h) => (
                <span key={h} className="tl-grid" style={{ left: x(h) }} />
              ))}
              {shiftStart && shiftEnd ? (
                <div
                  className="tl-shift"
                  style={{
                    left: x(minutesOfDay(shiftStart)),
                    width: w(minutesOfDay(shiftStart), minutesOfDay(shiftEnd)),
                  }}
                  title={`班次 ${shiftStart}–${shiftEnd}`}
                />
              ) : null}
              {visits.map((v) => {
                const a = minutesOfDay(v.plannedStart);
                const b = minutesOfDay(v.plannedEnd);
                const name = residentName(v.residentId, v.residentName);
                const services = (v.services ?? []).map((code) => SERVICE_LABEL[code] ?? code).join('、');
                return (
                  <div key={v.orderId || v.plannedStart}>
                    {v.travelMinutes > 0 ? (
                      <div
                        className="tl-travel"
                        style={{ left: x(a - v.travelMinutes), width: w(a - v.travelMinutes, a) }}
                        title={`路程 ${v.travelMinutes} 分钟`}
                      />
                    ) : null}
                    <div
                      className={`tl-visit st-${v.status ?? 'assigned'}`}
                      style={{ left: x(a), width: w(a, b) }}
                      title={`${hhmm(v.plannedStart)}–${hhmm(v.plannedEnd)} ${name}${v.status ? ` · ${ORDER_STATUS_LABEL[v.status]}` : ''}${services ? `\n${services}` : ''}\n路程 ${v.travelMinutes} 分钟`}
                    >
                      <span>{name}</span>
                    </div>
                  </div>
                );
              })}
              {last && s?.returnTravelMinutes ? (
                <div
                  className="tl-travel"
                  style={{
                    left: x(minutesOfDay(last.plannedEnd)),
                    width: w(minutesOfDay(last.plannedEnd), minutesOfDay(last.plannedEnd) + s.returnTravelMinutes),
                  }}
                  title={`返回网点 ${s.returnTravelMinutes} 分钟`}
                />
              ) : null}
              {error ? <span className="tl-error">{error}</span> : null}
            </div>
          </div>
        );
      })}
    </div>
  );
}
