import { useState } from 'react';
import type { CareOrder, Vitals } from '../../api/types';
import type { CheckOutBody } from './offline/outbox';
import { quickPosition } from './position';
import { Button, Field, Modal } from '../../components/ui';
import { errorText } from '../../lib/labels';

const VITALS: { key: keyof Vitals; label: string; unit: string; min: number; max: number; step: number }[] = [
  { key: 'systolic', label: '收缩压', unit: 'mmHg', min: 60, max: 260, step: 1 },
  { key: 'diastolic', label: '舒张压', unit: 'mmHg', min: 30, max: 160, step: 1 },
  { key: 'heartRate', label: '心率', unit: '次/分', min: 25, max: 250, step: 1 },
  { key: 'bloodGlucose', label: '血糖', unit: 'mmol/L', min: 1, max: 35, step: 0.1 },
  { key: 'temperature', label: '体温', unit: '℃', min: 34, max: 43, step: 0.1 },
];

export function CheckOutDialog({
  order,
  name,
  serviceName,
  onClose,
  onSubmit,
}: {
  order: CareOrder;
  name: string;
  serviceName: (code: string) => string;
  onClose: () => void;
  /** Takes the check-out (queued with the phone's time; sent when the network allows). */
  onSubmit: (body: CheckOutBody) => Promise<void>;
}) {
  const [done, setDone] = useState<string[]>(order.services);
  const [vitals, setVitals] = useState<Record<string, string>>({});
  const [notes, setNotes] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const wantsVitals = order.services.includes('health_check');

  async function submit() {
    if (!done.length && !notes.trim()) return setError('未完成任何服务项目时，请在备注中说明原因');
    const v: Vitals = {};
    for (const f of VITALS) {
      const raw = vitals[f.key]?.trim();
      if (!raw) continue;
      const n = Number(raw);
      if (!Number.isFinite(n) || n < f.min || n > f.max)
        return setError(`${f.label}应在 ${f.min}–${f.max} ${f.unit} 之间`);
      if (f.step === 1 && !Number.isInteger(n)) return setError(`${f.label}请填写整数`);
      v[f.key] = n;
    }
    setBusy(true);
    setError(null);
    try {
      // the moment the caregiver confirms, before waiting for a position
      const recordedAt = new Date().toISOString();
      // where the visit ended, when the device can tell quickly; never block the check-out on it, never substitute
      const pos = await quickPosition();
      await onSubmit({
        ...(pos ?? {}),
        servicesDone: done,
        ...(notes.trim() ? { notes: notes.trim() } : {}),
        ...(Object.keys(v).length ? { vitals: v } : {}),
        recordedAt,
      });
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      title={`签退 · ${name}`}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>返回</Button>
          <Button variant="success" busy={busy} onClick={submit} data-testid="confirm-check-out">
            确认签退
          </Button>
        </>
      }
    >
      <fieldset className="field">
        <legend className="field-label">已完成的服务</legend>
        <div className="checks checks-col">
          {order.services.map((c) => (
            <label key={c} className="check check-lg">
              <input
                type="checkbox"
                checked={done.includes(c)}
                onChange={(e) => setDone((xs) => (e.target.checked ? [...xs, c] : xs.filter((x) => x !== c)))}
              />
              {serviceName(c)}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset className="field">
        <legend className="field-label">健康监测{wantsVitals ? '' : '（选填）'}</legend>
        <div className="vitals-grid">
          {VITALS.map((f) => (
            <label key={f.key} className="vital">
              <span>{f.label}</span>
              <input
                type="number"
                inputMode="decimal"
                min={f.min}
                max={f.max}
                step={f.step}
                value={vitals[f.key] ?? ''}
                onChange={(e) => setVitals((x) => ({ ...x, [f.key]: e.target.value }))}
                name={f.key}
                aria-label={f.label}
              />
              <small>{f.unit}</small>
            </label>
          ))}
        </div>
      </fieldset>
      <Field label="服务备注">
        <textarea
          rows={2}
          value={notes}
          onChange={(e) => setNotes(e.target.value)}
          placeholder="如：老人精神状态良好，已提醒按时服药"
        />
      </Field>
      {error ? (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      ) : null}
    </Modal>
  );
}
