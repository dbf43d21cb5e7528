import { useMemo, useState } from 'react';
import { createCareOrder, getServices } from '../../api/endpoints';
import type { Resident } from '../../api/types';
import { Button, Field, Modal } from '../../components/ui';
import { isoAt } from '../../lib/format';
import { errorText, GENDER_LABEL, SERVICE_LABEL } from '../../lib/labels';
import { useAsync } from '../../lib/useAsync';

function uuid(): string {
  // crypto.randomUUID needs a secure context; getRandomValues does not.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function NewOrderDialog({
  date,
  residents,
  onClose,
  onDone,
}: {
  date: string;
  residents: Resident[];
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const services = useAsync(getServices, []);
  const catalogue = services.data?.items.length
    ? services.data.items
    : Object.entries(SERVICE_LABEL).map(([code, name]) => ({ code, name, defaultMinutes: 0, skill: null }));
  const [key] = useState(uuid);
  const [q, setQ] = useState('');
  const [residentId, setResidentId] = useState('');
  const [chosen, setChosen] = useState<string[]>(['health_check', 'safety_check']);
  const [day, setDay] = useState(date);
  const [from, setFrom] = useState('09:00');
  const [to, setTo] = useState('17:00');
  const [duration, setDuration] = useState('');
  const [urgent, setUrgent] = useState(false);
  const [notes, setNotes] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const matches = useMemo(() => {
    const t = q.trim();
    if (!t) return residents.slice(0, 8);
    // the masked ID number keeps only its first 6 and last 1 characters: search by name
    return residents.filter((r) => r.name.includes(t)).slice(0, 8);
  }, [q, residents]);
  const picked = residents.find((r) => r.id === residentId);
  const minutes = chosen.reduce((a, c) => a + (catalogue.find((s) => s.code === c)?.defaultMinutes ?? 0), 0);

  async function submit() {
    if (!residentId) return setError('请选择服务对象');
    if (!chosen.length) return setError('请至少选择一项服务');
    if (from >= to) return setError('服务时段的结束时间应晚于开始时间');
    setBusy(true);
    setError(null);
    try {
      await createCareOrder(
        {
          residentId,
          services: chosen,
          windowStart: isoAt(day, from),
          windowEnd: isoAt(day, to),
          ...(duration ? { durationMinutes: Number(duration) } : {}),
          priority: urgent ? 'urgent' : 'normal',
          ...(notes.trim() ? { notes: notes.trim() } : {}),
        },
        key,
      );
      onDone(`已为 ${picked?.name ?? '老人'} 创建工单，系统正在派单`);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      title="新建上门服务工单"
      onClose={onClose}
      wide
      footer={
        <>
          <Button onClick={onClose}>取消</Button>
          <Button variant="primary" busy={busy} onClick={submit}>
            提交派单
          </Button>
        </>
      }
    >
      <div className="admit-grid">
        <div>
          <Field label="服务对象" required>
            <input placeholder="输入姓名筛选居家老人" value={q} onChange={(e) => setQ(e.target.value)} />
          </Field>
          <ul className="pick-list pick-list-compact">
            {matches.map((r) => (
              <li key={r.id}>
                <button
                  type="button"
                  className={r.id === residentId ? 'is-active' : ''}
                  onClick={() => setResidentId(r.id)}
                >
                  <span className="pick-name">{r.name}</span>
                  <span className="pick-meta">
                    {[r.gender ? GENDER_LABEL[r.gender] : null, r.age ? `${r.age}岁` : null, r.address]
                      .filter(Boolean)
                      .join(' · ')}
                  </span>
                </button>
              </li>
            ))}
            {matches.length === 0 ? <li className="muted">没有匹配的居家老人</li> : null}
          </ul>
        </div>
        <div>
          <fieldset className="field">
            <legend className="field-label">
              服务项目<em className="req">*</em>
              {minutes ? <span className="muted small">（约 {minutes} 分钟）</span> : null}
            </legend>
            <div className="checks checks-2">
              {catalogue.map((s) => (
                <label key={s.code} className="check">
                  <input
                    type="checkbox"
                    checked={chosen.includes(s.code)}
                    onChange={(e) =>
                      setChosen((xs) => (e.target.checked ? [...xs, s.code] : xs.filter((x) => x !== s.code)))
                    }
                  />
                  {s.name || SERVICE_LABEL[s.code] || s.code}
                </label>
              ))}
            </div>
          </fieldset>
          <div className="form-grid">
            <Field label="服务日期" required>
              <input type="date" value={day} onChange={(e) => setDay(e.target.value)} />
            </Field>
            <Field label="时长（分钟）" hint="不填按服务项目默认时长">
              <input type="number" min={5} step={5} value={duration} onChange={(e) => setDuration(e.target.value)} />
            </Field>
            <Field label="最早开始" required>
              <input type="time" value={from} onChange={(e) => setFrom(e.target.value)} />
            </Field>
            <Field label="最晚结束" required>
              <input type="time" value={to} onChange={(e) => setTo(e.target.value)} />
            </Field>
          </div>
          <label className="check">
            <input type="checkbox" checked={urgent} onChange={(e) => setUrgent(e.target.checked)} /> 加急
          </label>
          <Field label="备注">
            <textarea rows={2} value={notes} onChange={(e) => setNotes(e.target.value)} />
          </Field>
        </div>
      </div>
      {error ? <div className="alert alert-error">{error}</div> : null}
    </Modal>
  );
}
