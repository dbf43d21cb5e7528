// 护理员与服务网点: service points (POST /service-points) and their caregivers (POST /caregivers,
// PATCH /caregivers/:id), filtered by township and paged through the server.
import { useMemo, useState } from 'react';
import {
  createCaregiver,
  createServicePoint,
  getCaregiversPage,
  getRegions,
  getServicePoints,
  updateCaregiver,
} from '../../api/endpoints';
import type { Caregiver, Gender, ServicePoint } from '../../api/types';
import { PageHeader } from '../../components/Layout';
import { useToast } from '../../components/Toast';
import { Badge, Button, Card, Empty, ErrorBox, Field, Modal, Pager, Spinner } from '../../components/ui';
import { errorText, GENDER_LABEL, SKILL_LABEL } from '../../lib/labels';
import { useAsync } from '../../lib/useAsync';
import { CAN, useUser } from '../../session';

const LIMIT = 25;
const SKILLS = Object.keys(SKILL_LABEL);

export function CaregiversPage() {
  const user = useUser();
  const toast = useToast();
  const canWrite = CAN.writeCaregivers(user.role);
  const [regionCode, setRegionCode] = useState('');
  const [active, setActive] = useState<'true' | 'false' | ''>('true');
  const [offset, setOffset] = useState(0);
  const [dialog, setDialog] = useState<'caregiver' | 'point' | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  const regions = useAsync(getRegions, []);
  const points = useAsync(() => getServicePoints().then((l) => l.items), []);
  const caregivers = useAsync(
    () => getCaregiversPage({ regionCode: regionCode || undefined, active: active || undefined }, LIMIT, offset),
    [regionCode, active, offset],
  );
  const regionName = useMemo(() => new Map((regions.data?.items ?? []).map((r) => [r.code, r.name])), [regions.data]);
  const pointById = useMemo(() => new Map((points.data ?? []).map((p) => [p.id, p])), [points.data]);
  const shownPoints = (points.data ?? []).filter((p) => !regionCode || p.regionCode === regionCode);

  async function toggle(c: Caregiver) {
    setBusyId(c.id);
    try {
      await updateCaregiver(c.id, { active: c.active === false });
      toast(c.active === false ? `${c.name} 已恢复接单` : `${c.name} 已停止接单`, 'success');
      caregivers.reload();
    } catch (e) {
      toast(errorText(e), 'error');
    } finally {
      setBusyId(null);
    }
  }

  return (
    <div className="page">
      <PageHeader
        title="护理员与服务网点"
        sub="服务网点、护理员技能与班次；服务圈城市15分钟、农村30分钟"
        extra={
          canWrite ? (
            <div className="toolbar">
              <Button onClick={() => setDialog('point')} data-testid="new-service-point">
                ＋ 新建服务网点
              </Button>
              <Button variant="primary" onClick={() => setDialog('caregiver')} data-testid="new-caregiver">
                ＋ 新建护理员
              </Button>
            </div>
          ) : null
        }
      />
      <div className="search-row">
        <select
          value={regionCode}
          onChange={(e) => {
            setOffset(0);
            setRegionCode(e.target.value);
          }}
          aria-label="乡镇"
        >
          <option value="">全县</option>
          {(regions.data?.items ?? [])
            .filter((r) => r.code.length > 6)
            .map((r) => (
              <option key={r.code} value={r.code}>
                {r.name}
              </option>
            ))}
        </select>
        <select
          value={active}
          onChange={(e) => {
            setOffset(0);
            setActive(e.target.value as 'true' | 'false' | '');
          }}
          aria-label="状态"
        >
          <option value="true">在岗</option>
          <option value="false">停止接单</option>
          <option value="">全部</option>
        </select>
      </div>
      <Card title={`护理员（${caregivers.data?.total ?? '—'}）`} testId="caregivers-table">
        <ErrorBox error={caregivers.error} onRetry={caregivers.reload} />
        {caregivers.loading && !caregivers.data ? <Spinner /> : null}
        {caregivers.data?.items.length === 0 ? <Empty>没有护理员</Empty> : null}
        {caregivers.data?.items.length ? (
          <div className="table-wrap">
            <table className="table table-dense">
              <thead>
                <tr>
                  <th>姓名</th>
                  <th>性别</th>
                  <th>电话</th>
                  <th>服务网点</th>
                  <th>技能</th>
                  <th>班次</th>
                  <th className="num">每日上限</th>
                  <th>状态</th>
                  {canWrite ? <th /> : null}
                </tr>
              </thead>
              <tbody>
                {caregivers.data.items.map((c) => {
                  const sp = c.servicePoint ?? (c.servicePointId ? pointById.get(c.servicePointId) : undefined);
                  return (
                    <tr key={c.id}>
                      <td>{c.name}</td>
                      <td>{c.gender ? GENDER_LABEL[c.gender] : '—'}</td>
                      <td>{c.phone ?? '—'}</td>
                      <td>{sp?.name ?? '—'}</td>
                      <td className="wrap">{(c.skills ?? []).map((s) => SKILL_LABEL[s] ?? s).join('、') || '—'}</td>
                      <td className="nowrap">
                        {c.shiftStart ?? '—'}–{c.shiftEnd ?? '—'}
                      </td>
                      <td className="num">{c.maxDailyVisits ?? '—'}</td>
                      <td>
                        {c.active === false ? <Badge tone="grey">停止接单</Badge> : <Badge tone="green">在岗</Badge>}
                      </td>
                      {canWrite ? (
                        <td>
                          <Button size="sm" variant="ghost" busy={busyId === c.id} onClick={() => toggle(c)}>
                            {c.active === false ? '恢复接单' : '停止接单'}
                          </Button>
                        </td>
                      ) : null}
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <Pager total={caregivers.data.total} offset={offset} limit={LIMIT} onChange={setOffset} />
          </div>
        ) : null}
      </Card>
      <Card title={`服务网点（${shownPoints.length}）`} testId="service-points">
        <ErrorBox error={points.error} onRetry={points.reload} />
        {points.data && shownPoints.length === 0 ? <Empty>没有服务网点</Empty> : null}
        {shownPoints.length ? (
          <table className="table table-dense">
            <thead>
              <tr>
                <th>名称</th>
                <th>乡镇</th>
                <th>坐标</th>
              </tr>
            </thead>
            <tbody>
              {shownPoints.map((p) => (
                <tr key={p.id}>
                  <td>{p.name}</td>
                  <td>{regionName.get(p.regionCode) ?? p.regionCode}</td>
                  <td className="nowrap">
                    {Number(p.lat).toFixed(4)}, {Number(p.lng).toFixed(4)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </Card>
      {dialog === 'point' ? (
        <ServicePointDialog
          onClose={() => setDialog(null)}
          onDone={(p) => {
            setDialog(null);
            toast(`已新建服务网点 ${p.name}`, 'success');
            points.reload();
          }}
        />
      ) : null}
      {dialog === 'caregiver' ? (
        <CaregiverDialog
          points={points.data ?? []}
          onClose={() => setDialog(null)}
          onDone={(c) => {
            setDialog(null);
            toast(`已新建护理员 ${c.name}`, 'success');
            caregivers.reload();
          }}
        />
      ) : null}
    </div>
  );
}

function ServicePointDialog({ onClose, onDone }: { onClose: () => void; onDone: (p: ServicePoint) => void }) {
  const regions = useAsync(getRegions, []);
  const [name, setName] = useState('');
  const [regionCode, setRegionCode] = useState('');
  const [lat, setLat] = useState('');
  const [lng, setLng] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function submit() {
    if (!name.trim() || !regionCode) return setError('请填写名称并选择乡镇');
    if (!Number.isFinite(Number(lat)) || !Number.isFinite(Number(lng)) || !lat.trim() || !lng.trim())
      return setError('请填写经纬度');
    setBusy(true);
    setError(null);
    try {
      onDone(await createServicePoint({ name: name.trim(), regionCode, lat: Number(lat), lng: Number(lng) }));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal
      title="新建服务网点"
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>取消</Button>
          <Button variant="primary" busy={busy} onClick={submit}>
            保存
          </Button>
        </>
      }
    >
      <div className="form-grid">
        <Field label="名称" required>
          <input value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label="乡镇" required>
          <select value={regionCode} onChange={(e) => setRegionCode(e.target.value)}>
            <option value="">请选择</option>
            {(regions.data?.items ?? [])
              .filter((r) => r.code.length > 6)
              .map((r) => (
                <option key={r.code} value={r.code}>
                  {r.name}
                </option>
              ))}
          </select>
        </Field>
        <Field label="纬度" required>
          <input value={lat} onChange={(e) => setLat(e.target.value)} inputMode="decimal" />
        </Field>
        <Field label="经度" required>
          <input value={lng} onChange={(e) => setLng(e.target.value)} inputMode="decimal" />
        </Field>
        {error ? (
          <p className="form-error field-wide" role="alert">
            {error}
          </p>
        ) : null}
      </div>
    </Modal>
  );
}

function CaregiverDialog({
  points,
  onClose,
  onDone,
}: {
  points: ServicePoint[];
  onClose: () => void;
  onDone: (c: Caregiver) => void;
}) {
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [gender, setGender] = useState<Gender>('female');
  const [servicePointId, setServicePointId] = useState('');
  const [skills, setSkills] = useState<string[]>(['housekeeping', 'personal_care']);
  const [shiftStart, setShiftStart] = useState('08:00');
  const [shiftEnd, setShiftEnd] = useState('17:00');
  const [maxDailyVisits, setMax] = useState('6');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function submit() {
    if (!name.trim() || !phone.trim()) return setError('请填写姓名和电话');
    if (!servicePointId) return setError('请选择服务网点');
    if (shiftEnd <= shiftStart) return setError('下班时间应晚于上班时间');
    const max = Number(maxDailyVisits);
    if (!Number.isInteger(max) || max < 1) return setError('每日上限应为正整数');
    setBusy(true);
    setError(null);
    try {
      onDone(
        await createCaregiver({
          name: name.trim(),
          phone: phone.trim(),
          gender,
          servicePointId,
          skills,
          shiftStart,
          shiftEnd,
          maxDailyVisits: max,
        }),
      );
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal
      title="新建护理员"
      wide
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>取消</Button>
          <Button variant="primary" busy={busy} onClick={submit}>
            保存
          </Button>
        </>
      }
    >
      <div className="form-grid">
        <Field label="姓名" required>
          <input value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label="电话" required>
          <input value={phone} onChange={(e) => setPhone(e.target.value)} inputMode="tel" />
        </Field>
        <Field label="性别" required>
          <select value={gender} onChange={(e) => setGender(e.target.value as Gender)}>
            <option value="female">女</option>
            <option value="male">男</option>
          </select>
        </Field>
        <Field label="服务网点" required>
          <select value={servicePointId} onChange={(e) => setServicePointId(e.target.value)}>
            <option value="">请选择</option>
            {points.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="上班时间" required>
          <input type="time" value={shiftStart} onChange={(e) => setShiftStart(e.target.value)} />
        </Field>
        <Field label="下班时间" required>
          <input type="time" value={shiftEnd} onChange={(e) => setShiftEnd(e.target.value)} />
        </Field>
        <Field label="每日服务上限" required>
          <input value={maxDailyVisits} onChange={(e) => setMax(e.target.value)} inputMode="numeric" />
        </Field>
        <fieldset className="field field-wide">
          <legend className="field-label">技能</legend>
          <div className="checks">
            {SKILLS.map((s) => (
              <label key={s} className="check">
                <input
                  type="checkbox"
                  checked={skills.includes(s)}
                  onChange={(e) => setSkills((xs) => (e.target.checked ? [...xs, s] : xs.filter((x) => x !== s)))}
                />
                {SKILL_LABEL[s]}
              </label>
            ))}
          </div>
        </fieldset>
        {error ? (
          <p className="form-error field-wide" role="alert">
            {error}
          </p>
        ) : null}
      </div>
    </Modal>
  );
}
