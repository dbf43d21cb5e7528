import { useEffect, useMemo, useState } from 'react';
import { dischargeStay, getBedRecommendations, getResident, patchBed, transferStay } from '../../api/endpoints';
import type { Bed, DischargeReason, Resident, Stay } from '../../api/types';
import { Badge, Button, Field, Modal } from '../../components/ui';
import { dateTime, nowIso } from '../../lib/format';
import {
  BED_STATUS_LABEL,
  BED_TYPE_LABEL,
  BED_TYPE_SHORT,
  CATEGORY_LABEL,
  DISCHARGE_REASON_LABEL,
  errorText,
  GENDER_LABEL,
  LEVEL_LABEL,
} from '../../lib/labels';
import { bedName, floorLabel } from './model';

type Mode = 'view' | 'transfer' | 'discharge';

export function BedDialog({
  facilityId,
  bed,
  beds,
  stay,
  residentName,
  canEdit,
  onAdmit,
  onClose,
  onDone,
}: {
  facilityId: string;
  bed: Bed;
  beds: Bed[];
  stay?: Stay;
  residentName?: string;
  canEdit: boolean;
  onAdmit: () => void;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const [mode, setMode] = useState<Mode>('view');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [resident, setResident] = useState<Resident | null>(null);
  const [target, setTarget] = useState('');
  const [recs, setRecs] = useState<Set<string>>(new Set());
  const [reason, setReason] = useState<DischargeReason>('returned_home');
  // left untouched, the time is not sent and the server records the moment of the request
  const [initialTime] = useState(() => nowIso().slice(0, 16));
  const [dischargedAt, setDischargedAt] = useState(initialTime);

  const residentId = stay?.residentId ?? (bed.status === 'reserved' ? bed.reservedForResidentId : null);
  useEffect(() => {
    if (!residentId) return;
    let live = true;
    getResident(residentId).then(
      (r) => live && setResident(r),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [residentId]);

  useEffect(() => {
    if (mode !== 'transfer' || !stay) return;
    getBedRecommendations(facilityId, stay.residentId).then(
      (list) => setRecs(new Set(list.map((r) => r.bedId))),
      () => undefined,
    );
  }, [mode, stay, facilityId]);

  const vacant = useMemo(
    () =>
      beds
        .filter((b) => b.status === 'vacant' && b.id !== bed.id)
        .sort((a, b) => (recs.has(b.id) ? 1 : 0) - (recs.has(a.id) ? 1 : 0)),
    [beds, bed.id, recs],
  );

  async function run(action: () => Promise<unknown>, message: string) {
    setBusy(true);
    setError(null);
    try {
      await action();
      onDone(message);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  const name = residentName ?? resident?.name ?? '老人';
  const level = resident?.latestAssessment?.level;

  let footer;
  if (mode === 'transfer' && stay) {
    footer = (
      <>
        <Button onClick={() => setMode('view')}>返回</Button>
        <Button
          variant="primary"
          busy={busy}
          disabled={!target}
          onClick={() =>
            run(() => transferStay(stay.id, target), `${name} 已转至 ${bedName(beds.find((b) => b.id === target)!)}`)
          }
          data-testid="confirm-transfer"
        >
          确认转床
        </Button>
      </>
    );
  } else if (mode === 'discharge' && stay) {
    footer = (
      <>
        <Button onClick={() => setMode('view')}>返回</Button>
        <Button
          variant="danger"
          busy={busy}
          onClick={() =>
            run(
              () =>
                dischargeStay(stay.id, reason, dischargedAt === initialTime ? undefined : `${dischargedAt}:00+08:00`),
              `${name} 已办理退住`,
            )
          }
          data-testid="confirm-discharge"
        >
          确认退住
        </Button>
      </>
    );
  } else {
    footer = (
      <>
        {canEdit && bed.status === 'vacant' ? (
          <Button variant="primary" onClick={onAdmit} data-testid="start-admit">
            办理入住
          </Button>
        ) : null}
        {canEdit && stay ? (
          <>
            <Button onClick={() => setMode('transfer')} data-testid="start-transfer">
              转床
            </Button>
            <Button variant="danger" onClick={() => setMode('discharge')} data-testid="start-discharge">
              退住
            </Button>
          </>
        ) : null}
        <Button onClick={onClose}>关闭</Button>
      </>
    );
  }

  return (
    <Modal title={`床位 ${bedName(bed)}`} onClose={onClose} footer={footer}>
      <dl className="kv">
        <dt>床位类型</dt>
        <dd>
          {BED_TYPE_LABEL[bed.type]}
          {bed.gender ? `（限${GENDER_LABEL[bed.gender]}）` : ''}
        </dd>
        <dt>状态</dt>
        <dd>
          <span className={`status-dot bed-${bed.status}`} /> {BED_STATUS_LABEL[bed.status]}
        </dd>
        {bed.floor !== undefined && bed.floor !== null && bed.floor !== '' ? (
          <>
            <dt>楼层</dt>
            <dd>
              {bed.building ? `${bed.building} ` : ''}
              {floorLabel(String(bed.floor))}
            </dd>
          </>
        ) : null}
        {bed.status === 'reserved' && !stay ? (
          <>
            <dt>预留给</dt>
            <dd>{resident?.name ?? '—'}</dd>
            {bed.reservedUntil ? (
              <>
                <dt>预留至</dt>
                <dd>{dateTime(bed.reservedUntil)}</dd>
              </>
            ) : null}
          </>
        ) : null}
        {stay ? (
          <>
            <dt>入住老人</dt>
            <dd data-testid="occupant-name">
              <strong>{name}</strong>{' '}
              {resident ? (
                <span className="muted">
                  {[
                    resident.gender ? GENDER_LABEL[resident.gender] : null,
                    resident.age ? `${resident.age}岁` : null,
                    resident.idNumberMasked,
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </span>
              ) : null}
            </dd>
            <dt>能力等级</dt>
            <dd>
              {level !== undefined ? <Badge tone={level >= 2 ? 'red' : 'green'}>{LEVEL_LABEL[level]}</Badge> : '—'}
            </dd>
            {resident?.categories?.length ? (
              <>
                <dt>人员类别</dt>
                <dd className="tags">
                  {resident.categories.map((c) => (
                    <Badge key={c}>{CATEGORY_LABEL[c] ?? c}</Badge>
                  ))}
                </dd>
              </>
            ) : null}
            <dt>入住时间</dt>
            <dd>{dateTime(stay.admittedAt)}</dd>
            {stay.overrideReason ? (
              <>
                <dt>特殊安排原因</dt>
                <dd>{stay.overrideReason}</dd>
              </>
            ) : null}
          </>
        ) : null}
      </dl>

      {mode === 'view' && canEdit && !stay && bed.status !== 'reserved' ? (
        <div className="bed-admin">
          <span className="muted">床位维护：</span>
          {bed.status !== 'vacant' ? (
            <Button
              size="sm"
              busy={busy}
              onClick={() => run(() => patchBed(bed.id, { status: 'vacant' }), '床位已恢复为空闲')}
            >
              恢复空闲
            </Button>
          ) : null}
          {bed.status !== 'maintenance' ? (
            <Button
              size="sm"
              busy={busy}
              onClick={() => run(() => patchBed(bed.id, { status: 'maintenance' }), '床位已设为维修中')}
            >
              设为维修
            </Button>
          ) : null}
          {bed.status !== 'closed' ? (
            <Button
              size="sm"
              busy={busy}
              onClick={() => run(() => patchBed(bed.id, { status: 'closed' }), '床位已停用')}
            >
              停用
            </Button>
          ) : null}
          <Button
            size="sm"
            busy={busy}
            onClick={() => {
              const type = bed.type === 'nursing' ? 'ordinary' : 'nursing';
              return run(() => patchBed(bed.id, { type }), `床位已改为${BED_TYPE_LABEL[type]}`);
            }}
          >
            改为{bed.type === 'nursing' ? '普通床位' : '护理型床位'}
          </Button>
        </div>
      ) : null}

      {mode === 'transfer' ? (
        <Field label="转入床位" required hint={recs.size ? '★ 为系统推荐床位' : undefined}>
          <select value={target} onChange={(e) => setTarget(e.target.value)} data-testid="transfer-target">
            <option value="">请选择空闲床位</option>
            {vacant.map((b) => (
              <option key={b.id} value={b.id}>
                {recs.has(b.id) ? '★ ' : ''}
                {bedName(b)} · {BED_TYPE_SHORT[b.type]}
                {b.gender ? ` · ${GENDER_LABEL[b.gender]}` : ''}
              </option>
            ))}
          </select>
        </Field>
      ) : null}

      {mode === 'discharge' ? (
        <div className="form-grid">
          <Field label="退住原因" required>
            <select
              value={reason}
              onChange={(e) => setReason(e.target.value as DischargeReason)}
              data-testid="discharge-reason"
            >
              {(Object.keys(DISCHARGE_REASON_LABEL) as DischargeReason[]).map((r) => (
                <option key={r} value={r}>
                  {DISCHARGE_REASON_LABEL[r]}
                </option>
              ))}
            </select>
          </Field>
          <Field label="退住时间">
            <input type="datetime-local" value={dischargedAt} onChange={(e) => setDischargedAt(e.target.value)} />
          </Field>
        </div>
      ) : null}

      {error ? (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      ) : null}
    </Modal>
  );
}
