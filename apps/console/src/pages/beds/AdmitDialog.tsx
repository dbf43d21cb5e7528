import { useEffect, useMemo, useState } from 'react';
import { admit, getBedRecommendations, getResident, type NormalRecommendation } from '../../api/endpoints';
import { ApiError } from '../../api/http';
import type { Bed, WaitlistEntry } from '../../api/types';
import { Badge, Button, Field, Modal } from '../../components/ui';
import { nowIso } from '../../lib/format';
import { BED_TYPE_SHORT, CATEGORY_LABEL, errorText, GENDER_LABEL, LEVEL_LABEL } from '../../lib/labels';
import { bedName } from './model';
import { ResidentPicker, residentRef, type PickedResident } from './ResidentPicker';

export function AdmitDialog({
  facilityId,
  facilityRegion,
  beds,
  bed,
  resident: initialResident,
  waitlist,
  waitlistName,
  onClose,
  onDone,
}: {
  facilityId: string;
  facilityRegion?: string;
  beds: Bed[];
  bed?: Bed;
  resident?: PickedResident;
  waitlist: WaitlistEntry[];
  waitlistName: (e: WaitlistEntry) => string;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const [resident, setResident] = useState<PickedResident | undefined>(initialResident);
  const [bedId, setBedId] = useState(bed?.id ?? '');
  // left untouched, the time is not sent and the server records the moment of the request
  const [initialTime] = useState(() => nowIso().slice(0, 16));
  const [admittedAt, setAdmittedAt] = useState(initialTime);
  const [overrideReason, setOverrideReason] = useState('');
  const [needOverride, setNeedOverride] = useState(false);
  const [recs, setRecs] = useState<NormalRecommendation[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // Fill in the resident's details (gender, latest assessment) and the beds that fit them.
  useEffect(() => {
    if (!resident) return;
    let live = true;
    if (!resident.latestAssessment || !resident.gender) {
      getResident(resident.id).then(
        (full) => live && setResident((r) => (r && r.id === full.id ? { ...r, ...full } : r)),
        () => undefined,
      );
    }
    setRecs(null);
    getBedRecommendations(facilityId, resident.id).then(
      (list) => live && setRecs(list),
      () => live && setRecs([]),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [resident?.id, facilityId]);

  const vacant = useMemo(() => beds.filter((b) => b.status === 'vacant' || b.id === bed?.id), [beds, bed]);
  const chosenBed = beds.find((b) => b.id === bedId);
  const level = resident?.latestAssessment?.level;
  const nursingRuleHit = level !== undefined && level >= 2 && chosenBed?.type === 'ordinary';
  const genderClash = Boolean(chosenBed?.gender && resident?.gender && chosenBed.gender !== resident.gender);
  const showOverride = nursingRuleHit || needOverride;
  const recommended = new Map((recs ?? []).map((r) => [r.bedId, r]));

  async function submit() {
    if (!resident) return setError('请选择入住老人');
    if (!bedId) return setError('请选择床位');
    if (showOverride && !overrideReason.trim()) return setError('该老人需入住护理型床位；如安排普通床位，请填写原因');
    setBusy(true);
    setError(null);
    try {
      await admit(facilityId, {
        ...residentRef(resident),
        bedId,
        ...(admittedAt !== initialTime ? { admittedAt: `${admittedAt}:00+08:00` } : {}),
        ...(showOverride && overrideReason.trim() ? { overrideReason: overrideReason.trim() } : {}),
      });
      onDone(`${resident.name ?? '老人'} 已入住 ${chosenBed ? bedName(chosenBed) : ''}`);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'NURSING_BED_REQUIRED') setNeedOverride(true);
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      title="办理入住"
      onClose={onClose}
      wide
      footer={
        <>
          <Button onClick={onClose}>取消</Button>
          <Button
            variant="primary"
            busy={busy}
            onClick={submit}
            disabled={!resident || !bedId}
            data-testid="confirm-admit"
          >
            确认入住
          </Button>
        </>
      }
    >
      <div className="admit-grid">
        <div>
          <h4 className="section-title">入住老人</h4>
          {resident ? (
            <div className="picked" data-testid="picked-resident">
              <div className="picked-main">
                <strong>{resident.name}</strong>
                <span className="muted">
                  {[
                    resident.gender ? GENDER_LABEL[resident.gender] : null,
                    resident.age ? `${resident.age}岁` : null,
                    resident.idNumberMasked,
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </span>
              </div>
              <div className="tags">
                {level !== undefined ? (
                  <Badge tone={level >= 2 ? 'red' : 'green'}>{LEVEL_LABEL[level] ?? `等级${level}`}</Badge>
                ) : (
                  <Badge>暂无能力评估</Badge>
                )}
                {(resident.categories ?? []).map((c) => (
                  <Badge key={c}>{CATEGORY_LABEL[c] ?? c}</Badge>
                ))}
              </div>
              {!initialResident ? (
                <Button size="sm" variant="ghost" onClick={() => setResident(undefined)}>
                  重新选择
                </Button>
              ) : null}
            </div>
          ) : (
            <ResidentPicker
              waitlist={waitlist}
              waitlistNames={waitlistName}
              defaultRegion={facilityRegion}
              facilityId={facilityId}
              onPick={setResident}
            />
          )}
        </div>
        <div>
          <h4 className="section-title">床位</h4>
          <Field label="入住床位" required>
            <select value={bedId} onChange={(e) => setBedId(e.target.value)} data-testid="admit-bed">
              <option value="">请选择空闲床位</option>
              {[...vacant]
                .sort((a, b) => (recommended.has(b.id) ? 1 : 0) - (recommended.has(a.id) ? 1 : 0))
                .map((b) => (
                  <option key={b.id} value={b.id}>
                    {recommended.has(b.id) ? '★ 推荐 · ' : ''}
                    {bedName(b)} · {BED_TYPE_SHORT[b.type]}
                    {b.gender ? ` · ${GENDER_LABEL[b.gender]}` : ''}
                  </option>
                ))}
            </select>
          </Field>
          {recs && recs.length > 0 ? (
            <div className="recs">
              <span className="muted">系统推荐：</span>
              {recs.slice(0, 5).map((r) => {
                const b = beds.find((x) => x.id === r.bedId);
                return (
                  <button
                    type="button"
                    key={r.bedId}
                    className={`rec ${bedId === r.bedId ? 'is-active' : ''}`}
                    onClick={() => setBedId(r.bedId)}
                    title={r.reasons.join('；')}
                  >
                    {b ? bedName(b) : r.bedId}
                    <small>{r.reasons.join('、')}</small>
                  </button>
                );
              })}
            </div>
          ) : null}
          {chosenBed && nursingRuleHit ? (
            <div className="alert alert-warn">该老人能力等级为{LEVEL_LABEL[level!]}，按规定应入住护理型床位。</div>
          ) : null}
          {genderClash ? (
            <div className="alert alert-warn">床位限{GENDER_LABEL[chosenBed!.gender!]}性入住，与老人性别不符。</div>
          ) : null}
          {showOverride ? (
            <Field label="安排普通床位的原因" required>
              <textarea
                value={overrideReason}
                onChange={(e) => setOverrideReason(e.target.value)}
                rows={2}
                name="overrideReason"
              />
            </Field>
          ) : null}
          <Field label="入住时间">
            <input type="datetime-local" value={admittedAt} onChange={(e) => setAdmittedAt(e.target.value)} />
          </Field>
        </div>
      </div>
      {error ? (
        <div className="alert alert-error" role="alert" data-testid="admit-error">
          {error}
        </div>
      ) : null}
    </Modal>
  );
}
