import { useCallback, useEffect, useMemo, useState } from 'react';
import { declineOrder, getCareOrders, getSchedule, getServices } from '../../api/endpoints';
import type { CareOrder, ScheduleVisit } from '../../api/types';
import { useToast } from '../../components/Toast';
import { Badge, Button, Empty, ErrorBox, Field, Modal, Spinner } from '../../components/ui';
import { addDays, dateTime, hhmm, today, weekday } from '../../lib/format';
import { errorText, ORDER_STATUS_LABEL, SERVICE_LABEL, STATUS_TONE } from '../../lib/labels';
import { useAsync } from '../../lib/useAsync';
import { useUser } from '../../session';
import { CheckOutDialog } from './CheckOutDialog';
import { loadDay } from './offline/day-cache';
import {
  dismiss,
  enqueue,
  flush,
  KIND_LABEL,
  onOutboxChange,
  queued,
  STATUS_AFTER,
  type QueuedAction,
  type QueuedKind,
} from './offline/outbox';
import { currentPosition } from './position';

/** How often the app retries sending what waits, besides the browser's `online` event. */
const RETRY_MS = 15_000;

export function VisitsPage() {
  const user = useUser();
  const toast = useToast();
  const caregiverId = user.caregiverId;
  const [date, setDate] = useState(today);
  const [busy, setBusy] = useState<string | null>(null);
  const [declining, setDeclining] = useState<CareOrder | null>(null);
  const [checkingOut, setCheckingOut] = useState<CareOrder | null>(null);
  const [noGeo, setNoGeo] = useState<{ order: CareOrder; why: string; recordedAt: string } | null>(null);
  const [waiting, setWaiting] = useState<QueuedAction[]>([]);
  const [online, setOnline] = useState(() => navigator.onLine);

  const orders = useAsync(
    () =>
      loadDay(user.id, date, () =>
        caregiverId ? getCareOrders({ caregiverId, date }).then((r) => r.items) : Promise.resolve([]),
      ),
    [user.id, caregiverId, date],
  );
  const schedule = useAsync(
    () => (caregiverId ? getSchedule(caregiverId, date).catch(() => null) : Promise.resolve(null)),
    [caregiverId, date],
  );
  const services = useAsync(() => getServices().catch(() => ({ items: [], total: 0 })), []);
  const serviceName = (code: string) =>
    services.data?.items.find((s) => s.code === code)?.name ?? SERVICE_LABEL[code] ?? code;

  const visitOf = useMemo(() => {
    const m = new Map<string, ScheduleVisit>();
    for (const v of schedule.data?.visits ?? []) m.set(v.orderId, v);
    return m;
  }, [schedule.data]);

  // the queue of actions (IndexedDB): shown as 待上传, sent in order when the network allows
  const refreshQueue = useCallback(() => {
    queued(user.id).then(setWaiting, () => setWaiting([]));
  }, [user.id]);
  const reloadOrders = orders.reload;
  const reloadSchedule = schedule.reload;
  const send = useCallback(async () => {
    const result = await flush(user.id).catch(() => null);
    if (!result) return;
    setOnline(!result.offline && navigator.onLine);
    for (const f of result.failed) toast(`${KIND_LABEL[f.kind]}未能上传：${f.failed ?? ''}`, 'error');
    if (result.sent > 0) {
      reloadOrders();
      reloadSchedule();
    }
  }, [user.id, toast, reloadOrders, reloadSchedule]);
  useEffect(() => {
    refreshQueue();
    const off = onOutboxChange(refreshQueue);
    void send();
    const goOnline = () => {
      setOnline(true);
      void send();
    };
    const goOffline = () => setOnline(false);
    window.addEventListener('online', goOnline);
    window.addEventListener('offline', goOffline);
    const timer = window.setInterval(() => void send(), RETRY_MS);
    return () => {
      off();
      window.removeEventListener('online', goOnline);
      window.removeEventListener('offline', goOffline);
      window.clearInterval(timer);
    };
  }, [refreshQueue, send]);

  /** An order as the caregiver last left it: its status after the actions still waiting to be sent. */
  const pendingOf = useMemo(() => {
    const m = new Map<string, QueuedKind>();
    for (const a of waiting) if (!a.failed) m.set(a.orderId, a.kind);
    return m;
  }, [waiting]);

  const list = useMemo(
    () =>
      [...(orders.data?.items ?? [])]
        .map((o) => {
          const kind = pendingOf.get(o.id);
          return kind ? { ...o, status: STATUS_AFTER[kind] } : o;
        })
        .filter((o) => o.status !== 'cancelled')
        // an emergency call's order comes first, whatever its time
        .sort(
          (a, b) =>
            Number(b.source === 'emergency') - Number(a.source === 'emergency') ||
            (a.plannedStart ?? a.windowStart).localeCompare(b.plannedStart ?? b.windowStart),
        ),
    [orders.data, pendingOf],
  );
  const done = list.filter((o) => o.status === 'completed').length;

  const nameOf = (o: CareOrder) => o.resident?.name ?? o.residentName ?? visitOf.get(o.id)?.residentName ?? '服务对象';

  /** Keeps the action in the queue first (the phone's time, its position or none), then tries to send it. */
  async function record(o: CareOrder, kind: QueuedKind, body: QueuedAction['body'], message: string) {
    await enqueue({ userId: user.id, orderId: o.id, kind, body, residentName: nameOf(o) });
    const result = await flush(user.id).catch(() => null);
    if (result && !result.offline && !result.failed.some((f) => f.orderId === o.id)) {
      toast(message, 'success');
      orders.reload();
      schedule.reload();
    } else if (result?.failed.some((f) => f.orderId === o.id)) {
      toast(`${KIND_LABEL[kind]}未能上传：${result.failed.find((f) => f.orderId === o.id)?.failed ?? ''}`, 'error');
    } else {
      setOnline(false);
      toast(`${message}（已保存在手机上，待网络恢复后自动上传）`, 'success');
    }
  }

  async function act(o: CareOrder, fn: () => Promise<unknown>, message: string) {
    setBusy(o.id);
    try {
      await fn();
      toast(message, 'success');
      orders.reload();
      schedule.reload();
    } catch (e) {
      toast(errorText(e), 'error');
    } finally {
      setBusy(null);
    }
  }

  async function accept(o: CareOrder) {
    setBusy(o.id);
    try {
      await record(o, 'accept', { recordedAt: new Date().toISOString() }, '已接单');
    } finally {
      setBusy(null);
    }
  }

  async function startCheckIn(o: CareOrder) {
    // the moment the caregiver tapped, not when a position came
    const recordedAt = new Date().toISOString();
    setBusy(o.id);
    try {
      const pos = await currentPosition();
      await record(o, 'check_in', { ...pos, recordedAt }, `已签到：${nameOf(o)}`);
    } catch (e) {
      setNoGeo({ order: o, why: (e as Error).message, recordedAt });
    } finally {
      setBusy(null);
    }
  }

  if (!caregiverId) {
    return (
      <div className="page page-narrow">
        <Empty>当前账号未关联护理员档案，请联系管理员。</Empty>
      </div>
    );
  }

  return (
    <div className="page page-narrow visits-page">
      <div className="visits-head">
        <div>
          <h1>{date === today() ? '今日服务' : '服务安排'}</h1>
          <p className="page-sub">
            {date} {weekday(date)} · 共 {list.length} 单，已完成 {done} 单
          </p>
        </div>
        <div className="seg">
          <button type="button" className={date === today() ? 'is-active' : ''} onClick={() => setDate(today())}>
            今天
          </button>
          <button
            type="button"
            className={date === addDays(today(), 1) ? 'is-active' : ''}
            onClick={() => setDate(addDays(today(), 1))}
          >
            明天
          </button>
        </div>
      </div>
      {orders.data?.offline || !online ? (
        <div className="alert alert-warn" role="status" data-testid="offline-banner">
          当前无网络
          {orders.data?.offline ? `，显示的是 ${dateTime(orders.data.fetchedAt)} 获取的服务安排` : ''}
          。接单、签到、签退会先保存在手机上，网络恢复后按顺序自动上传。
        </div>
      ) : null}
      {waiting.length ? (
        <section className="outbox" data-testid="outbox">
          <h2 className="outbox-title">
            待上传 <Badge tone="amber">{waiting.filter((a) => !a.failed).length}</Badge>
          </h2>
          <ul>
            {waiting.map((a) => (
              <li key={a.seq} data-testid="outbox-item" data-kind={a.kind} className={a.failed ? 'is-failed' : ''}>
                <strong>{KIND_LABEL[a.kind]}</strong> · {a.residentName} · {dateTime(a.body.recordedAt)}
                {'lat' in a.body && a.body.lat !== undefined ? '' : a.kind === 'check_in' ? ' · 未定位' : ''}
                {a.failed ? (
                  <>
                    <span className="outbox-failed"> · 上传失败：{a.failed}</span>
                    <Button size="sm" onClick={() => void dismiss(a.seq as number)}>
                      知道了
                    </Button>
                  </>
                ) : (
                  <span className="muted"> · 等待上传</span>
                )}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <ErrorBox error={orders.error} onRetry={orders.reload} />
      {orders.loading && !orders.data ? <Spinner /> : null}
      {orders.data && list.length === 0 ? (
        <Empty>{date === today() ? '今天暂无服务安排' : '暂无服务安排'}</Empty>
      ) : null}

      <ol className="visit-list">
        {list.map((o, idx) => {
          const v = visitOf.get(o.id);
          const travel = o.travelMinutes ?? v?.travelMinutes;
          return (
            <li key={o.id} className={`visit-card st-${o.status}`} data-testid={`visit-${o.id}`} data-status={o.status}>
              <div className="visit-time">
                <span className="visit-no">{idx + 1}</span>
                <strong>
                  {o.plannedStart
                    ? `${hhmm(o.plannedStart)}–${hhmm(o.plannedEnd)}`
                    : `${hhmm(o.windowStart)}–${hhmm(o.windowEnd)}`}
                </strong>
                <Badge tone={STATUS_TONE[o.status]}>{ORDER_STATUS_LABEL[o.status]}</Badge>
                {o.source === 'emergency' ? (
                  <Badge tone="red" title="一键呼叫产生的紧急工单">
                    紧急呼叫
                  </Badge>
                ) : o.priority === 'urgent' ? (
                  <Badge tone="red">加急</Badge>
                ) : null}
                {pendingOf.has(o.id) ? (
                  <span data-testid="pending-upload">
                    <Badge tone="amber">待上传</Badge>
                  </span>
                ) : null}
              </div>
              <div className="visit-who">
                <strong className="visit-name">{nameOf(o)}</strong>
                {o.resident?.phone ? (
                  <a className="visit-phone" href={`tel:${o.resident.phone}`}>
                    ☎ {o.resident.phone}
                  </a>
                ) : null}
              </div>
              {(o.resident?.address ?? v?.address) ? (
                <div className="visit-addr">住址：{o.resident?.address ?? v?.address}</div>
              ) : null}
              <div className="visit-services">
                {o.services.map((c) => (
                  <span key={c} className="chip">
                    {serviceName(c)}
                  </span>
                ))}
              </div>
              <div className="visit-meta muted small">
                {travel !== undefined && travel !== null ? `路程约 ${travel} 分钟 · ` : ''}服务时段{' '}
                {hhmm(o.windowStart)}–{hhmm(o.windowEnd)}
                {o.checkInAt ? ` · 签到 ${dateTime(o.checkInAt)}` : ''}
                {o.checkOutAt ? ` · 签退 ${dateTime(o.checkOutAt)}` : ''}
              </div>
              {o.notes ? <div className="visit-notes">备注：{o.notes}</div> : null}
              <div className="visit-actions">
                {o.status === 'assigned' ? (
                  <>
                    <Button
                      variant="primary"
                      size="lg"
                      busy={busy === o.id}
                      onClick={() => void accept(o)}
                      data-testid="accept"
                    >
                      接单
                    </Button>
                    <Button size="lg" onClick={() => setDeclining(o)} data-testid="decline">
                      拒单
                    </Button>
                  </>
                ) : null}
                {o.status === 'accepted' ? (
                  <>
                    <Button
                      variant="primary"
                      size="lg"
                      busy={busy === o.id}
                      onClick={() => startCheckIn(o)}
                      data-testid="check-in"
                    >
                      签到（开始服务）
                    </Button>
                    <Button size="lg" className="btn-narrow" onClick={() => setDeclining(o)} data-testid="decline">
                      拒单
                    </Button>
                  </>
                ) : null}
                {o.status === 'in_progress' ? (
                  <Button variant="success" size="lg" onClick={() => setCheckingOut(o)} data-testid="check-out">
                    签退（完成服务）
                  </Button>
                ) : null}
                {o.status === 'completed' ? <span className="done-mark">✓ 服务已完成</span> : null}
              </div>
            </li>
          );
        })}
      </ol>

      {noGeo ? (
        <Modal
          title="无法获取定位"
          onClose={() => setNoGeo(null)}
          footer={
            <>
              <Button onClick={() => setNoGeo(null)}>暂不签到</Button>
              <Button
                variant="primary"
                data-testid="confirm-checkin-nogeo"
                onClick={() => {
                  const o = noGeo.order;
                  setNoGeo(null);
                  setBusy(o.id);
                  // no position: the check-in says so (no_location); never the home's or any other position
                  void record(
                    o,
                    'check_in',
                    { recordedAt: noGeo.recordedAt },
                    `已签到（未定位）：${nameOf(o)}`,
                  ).finally(() => setBusy(null));
                }}
              >
                确认签到
              </Button>
            </>
          }
        >
          <p>
            {noGeo.why}。请确认您已到达 <strong>{nameOf(noGeo.order)}</strong> 家中。
          </p>
          <p className="muted" data-testid="nogeo-note">
            将不带位置信息签到（签到时间按您点击签到的时间记录），调度员会看到本次签到“未定位”。
          </p>
        </Modal>
      ) : null}

      {declining ? (
        <DeclineDialog
          name={nameOf(declining)}
          onClose={() => setDeclining(null)}
          onSubmit={(reason) => {
            const o = declining;
            setDeclining(null);
            void act(o, () => declineOrder(o.id, reason), '已拒单，系统将重新派单');
          }}
        />
      ) : null}

      {checkingOut ? (
        <CheckOutDialog
          order={checkingOut}
          name={nameOf(checkingOut)}
          serviceName={serviceName}
          onClose={() => setCheckingOut(null)}
          onSubmit={async (body) => {
            const o = checkingOut;
            setCheckingOut(null);
            await record(o, 'check_out', body, `服务已完成：${nameOf(o)}`);
          }}
        />
      ) : null}
    </div>
  );
}

const DECLINE_REASONS = ['时间冲突', '身体不适', '距离太远', '交通不便'];

function DeclineDialog({
  name,
  onClose,
  onSubmit,
}: {
  name: string;
  onClose: () => void;
  onSubmit: (reason: string) => void;
}) {
  const [reason, setReason] = useState('');
  return (
    <Modal
      title={`拒单 · ${name}`}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>返回</Button>
          <Button variant="danger" disabled={!reason.trim()} onClick={() => onSubmit(reason.trim())}>
            确认拒单
          </Button>
        </>
      }
    >
      <div className="chips-pick">
        {DECLINE_REASONS.map((r) => (
          <button
            type="button"
            key={r}
            className={`chip ${reason === r ? 'is-active' : ''}`}
            onClick={() => setReason(r)}
          >
            {r}
          </button>
        ))}
      </div>
      <Field label="拒单原因" required>
        <textarea rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
      </Field>
    </Modal>
  );
}
