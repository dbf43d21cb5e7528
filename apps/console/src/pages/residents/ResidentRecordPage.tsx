// One resident's record: personal data (masked ID number), assessments (history, validity, due date),
// stays, doorstep care orders, and edit (PATCH /residents/:id).
import {
  ASSESSMENT_REASON_NAMES,
  DEFAULT_DUE_WITHIN_DAYS,
  validityStatus,
  type ValidityStatus,
} from '@rules/assessments';
import { useState } from 'react';
import {
  getAssessments,
  getFacilities,
  getRegions,
  getResident,
  getResidentOrders,
  getStays,
  updateResident,
} from '../../api/endpoints';
import type { Assessment, Category, LivingArrangement, Resident, Stay } from '../../api/types';
import { PageHeader } from '../../components/Layout';
import { useToast } from '../../components/Toast';
import { Badge, Button, Card, Empty, ErrorBox, Field, Modal, Spinner } from '../../components/ui';
import { dateTime, dayOf } from '../../lib/format';
import {
  CATEGORIES,
  CATEGORY_LABEL,
  DISCHARGE_REASON_LABEL,
  errorText,
  GENDER_LABEL,
  LEVEL_LABEL,
  ORDER_STATUS_LABEL,
  SERVICE_LABEL,
  STATUS_TONE,
} from '../../lib/labels';
import { mapLimit, useAsync } from '../../lib/useAsync';
import { CAN, useUser } from '../../session';
import { LIVING_LABEL } from './ResidentsPage';

const REASON_LABEL: Record<string, string> = Object.fromEntries(
  Object.entries(ASSESSMENT_REASON_NAMES).map(([k, v]) => [k, v.zh]),
);

const VALIDITY_LABEL: Record<ValidityStatus, { text: string; tone: string }> = {
  valid: { text: '有效', tone: 'green' },
  due: { text: '即将到期', tone: 'amber' },
  expired: { text: '已过期', tone: 'red' },
};

export function levelText(a: Pick<Assessment, 'level' | 'levelName'>): string {
  const n = a.levelName;
  if (typeof n === 'string' && n) return n;
  if (n && typeof n === 'object' && n.zh) return n.zh;
  return LEVEL_LABEL[a.level] ?? `等级${a.level}`;
}

export function ResidentRecordPage({ residentId }: { residentId: string }) {
  const user = useUser();
  const toast = useToast();
  const [editing, setEditing] = useState(false);
  const resident = useAsync(() => getResident(residentId), [residentId]);
  const regions = useAsync(getRegions, []);
  const assessments = useAsync(() => getAssessments(residentId), [residentId]);
  const orders = useAsync(
    () => (user.role === 'manager' ? Promise.resolve(null) : getResidentOrders(residentId)),
    [residentId],
  );
  const stays = useAsync(() => residentStays(user.role, user.facilityIds, residentId), [residentId]);

  const r = resident.data;
  if (resident.error) return <ErrorBox error={resident.error} onRetry={resident.reload} />;
  if (!r) return <Spinner />;
  const region = regions.data?.items.find((x) => x.code === r.regionCode);
  const latest = assessments.data?.items.find((a) => !a.legacy && a.validUntil) ?? null;
  const now = new Date();
  const validity = latest?.validUntil ? validityStatus(new Date(latest.validUntil), now) : null;

  return (
    <div className="page">
      <PageHeader
        title={r.name}
        sub={
          <>
            <a href="#/residents">居民档案</a> · {r.idNumberMasked ?? ''}
          </>
        }
        extra={
          <div className="toolbar">
            {CAN.editResident(user.role) ? (
              <Button onClick={() => setEditing(true)} data-testid="edit-resident">
                编辑
              </Button>
            ) : null}
            {CAN.assess(user.role) ? (
              <a className="btn btn-primary" href={`#/residents/${r.id}/assess`} data-testid="new-assessment">
                ＋ 能力评估
              </a>
            ) : null}
          </div>
        }
      />
      <div className="record-grid">
        <Card title="基本信息" testId="resident-info">
          <dl className="kv">
            <dt>姓名</dt>
            <dd data-testid="resident-name">{r.name}</dd>
            <dt>公民身份号码</dt>
            <dd>{r.idNumberMasked ?? '—'}</dd>
            <dt>性别</dt>
            <dd>{r.gender ? GENDER_LABEL[r.gender] : '—'}</dd>
            <dt>出生日期</dt>
            <dd>
              {r.birthDate ?? '—'}
              {r.age !== undefined ? `（${r.age}岁）` : ''}
              {r.age !== undefined && r.age >= 80 ? <Badge tone="amber">高龄</Badge> : null}
            </dd>
            <dt>乡镇</dt>
            <dd>{region?.name ?? r.regionCode ?? '—'}</dd>
            <dt>居住方式</dt>
            <dd>{r.livingArrangement ? LIVING_LABEL[r.livingArrangement] : '—'}</dd>
            <dt>人员类别</dt>
            <dd>{(r.categories ?? []).map((c) => CATEGORY_LABEL[c] ?? c).join('、') || '—'}</dd>
            <dt>联系电话</dt>
            <dd>{r.phone ?? '—'}</dd>
            <dt>家庭住址</dt>
            <dd>{r.address ?? '—'}</dd>
            <dt>坐标</dt>
            <dd>{r.lat !== null && r.lat !== undefined ? `${r.lat}, ${r.lng}` : '—'}</dd>
          </dl>
        </Card>

        <Card
          title="老年人能力评估"
          testId="assessments"
          extra={
            latest ? (
              <span data-testid="assessment-due">
                有效期至 {dayOf(latest.validUntil ?? '')}{' '}
                {validity ? <Badge tone={VALIDITY_LABEL[validity].tone}>{VALIDITY_LABEL[validity].text}</Badge> : null}
              </span>
            ) : (
              <Badge tone="red">尚无有效评估</Badge>
            )
          }
        >
          <ErrorBox error={assessments.error} onRetry={assessments.reload} />
          {assessments.loading && !assessments.data ? <Spinner /> : null}
          {assessments.data?.items.length === 0 ? <Empty>尚未评估</Empty> : null}
          {validity === 'due' ? (
            <p className="small warn-text">评估将在 {DEFAULT_DUE_WITHIN_DAYS} 天内到期，请安排复评。</p>
          ) : null}
          {assessments.data?.items.length ? (
            <div className="table-wrap">
              <table className="table table-dense">
                <thead>
                  <tr>
                    <th>评估时间</th>
                    <th>原因</th>
                    <th className="num">总分</th>
                    <th>初步等级</th>
                    <th>最终等级</th>
                    <th>评估员</th>
                    <th>有效期至</th>
                  </tr>
                </thead>
                <tbody>
                  {assessments.data.items.map((a) => (
                    <tr key={a.id} data-testid={`assessment-${a.id}`}>
                      <td className="nowrap">{a.assessedAt ? dateTime(a.assessedAt) : '—'}</td>
                      <td>{a.legacy ? '历史结果导入' : (REASON_LABEL[a.reason ?? ''] ?? a.reason ?? '—')}</td>
                      <td className="num">{a.total ?? '—'}</td>
                      <td>
                        {a.preliminaryLevel !== null && a.preliminaryLevel !== undefined
                          ? LEVEL_LABEL[a.preliminaryLevel]
                          : '—'}
                      </td>
                      <td>
                        <Badge tone={a.level >= 2 ? 'red' : a.level === 1 ? 'amber' : 'green'}>{levelText(a)}</Badge>
                      </td>
                      <td>{(a.assessors ?? []).join('、') || '—'}</td>
                      <td className="nowrap">{a.validUntil ? dayOf(a.validUntil) : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </Card>
      </div>

      {stays.data !== null ? (
        <Card title="入住记录" testId="stays">
          <ErrorBox error={stays.error} onRetry={stays.reload} />
          {stays.loading && !stays.data ? <Spinner /> : null}
          {stays.data && stays.data.length === 0 ? <Empty>没有入住记录</Empty> : null}
          {stays.data?.length ? (
            <table className="table table-dense">
              <thead>
                <tr>
                  <th>机构</th>
                  <th>入住时间</th>
                  <th>状态</th>
                  <th>退住</th>
                </tr>
              </thead>
              <tbody>
                {stays.data.map((s) => (
                  <tr key={s.stay.id}>
                    <td>
                      <a href={`#/beds/${s.stay.facilityId}`}>{s.facilityName}</a>
                    </td>
                    <td>{dateTime(s.stay.admittedAt)}</td>
                    <td>
                      <Badge tone={s.stay.status === 'active' ? 'green' : 'grey'}>
                        {s.stay.status === 'active' ? '在住' : '已退住'}
                      </Badge>
                    </td>
                    <td>
                      {s.stay.dischargedAt ? dateTime(s.stay.dischargedAt) : '—'}
                      {s.stay.dischargeReason
                        ? ` · ${DISCHARGE_REASON_LABEL[s.stay.dischargeReason as keyof typeof DISCHARGE_REASON_LABEL] ?? s.stay.dischargeReason}`
                        : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </Card>
      ) : null}

      {orders.data !== null ? (
        <Card title="上门服务工单" testId="resident-orders">
          <ErrorBox error={orders.error} onRetry={orders.reload} />
          {orders.data && orders.data.items.length === 0 ? <Empty>没有服务工单</Empty> : null}
          {orders.data?.items.length ? (
            <table className="table table-dense">
              <thead>
                <tr>
                  <th>服务时段</th>
                  <th>服务项目</th>
                  <th>状态</th>
                </tr>
              </thead>
              <tbody>
                {orders.data.items.map((o) => (
                  <tr key={o.id}>
                    <td className="nowrap">{dateTime(o.windowStart)}</td>
                    <td className="wrap">{o.services.map((c) => SERVICE_LABEL[c] ?? c).join('、')}</td>
                    <td>
                      <Badge tone={STATUS_TONE[o.status]}>{ORDER_STATUS_LABEL[o.status]}</Badge>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </Card>
      ) : null}

      {editing ? (
        <EditResidentDialog
          resident={r}
          onClose={() => setEditing(false)}
          onSaved={(next) => {
            setEditing(false);
            resident.setData({ ...r, ...next, latestAssessment: r.latestAssessment });
            toast('已保存', 'success');
          }}
        />
      ) : null}
    </div>
  );
}

interface StayRow {
  stay: Stay;
  facilityName: string;
}

/**
 * The resident's stays. The contract has no per-resident stay list, so this reads the stays of the facilities
 * the user sees (a manager's own; the county's for admin and bureau) and keeps the resident's. A dispatcher
 * may not read stays: null (the card is not shown).
 */
async function residentStays(role: string, facilityIds: string[], residentId: string): Promise<StayRow[] | null> {
  if (role !== 'admin' && role !== 'bureau' && role !== 'manager') return null;
  const facilities = (await getFacilities()).items.filter((f) => role !== 'manager' || facilityIds.includes(f.id));
  const rows = await mapLimit(facilities.slice(0, 100), 4, async (f) => {
    const [active, discharged] = await Promise.all([getStays(f.id, 'active'), getStays(f.id, 'discharged')]);
    return [...active.items, ...discharged.items]
      .filter((s) => s.residentId === residentId)
      .map((stay) => ({ stay, facilityName: f.name }));
  });
  return rows.flat().sort((a, b) => b.stay.admittedAt.localeCompare(a.stay.admittedAt));
}

function EditResidentDialog({
  resident,
  onClose,
  onSaved,
}: {
  resident: Resident;
  onClose: () => void;
  onSaved: (r: Resident) => void;
}) {
  const [name, setName] = useState(resident.name);
  const [phone, setPhone] = useState(resident.phone ?? '');
  const [address, setAddress] = useState(resident.address ?? '');
  const [lat, setLat] = useState(resident.lat !== null && resident.lat !== undefined ? String(resident.lat) : '');
  const [lng, setLng] = useState(resident.lng !== null && resident.lng !== undefined ? String(resident.lng) : '');
  const [living, setLiving] = useState<LivingArrangement>(resident.livingArrangement ?? 'home');
  const [cats, setCats] = useState<Category[]>(resident.categories ?? []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function save() {
    if (!name.trim()) return setError('请填写姓名');
    if ((lat.trim() === '') !== (lng.trim() === '')) return setError('经纬度需同时填写');
    setBusy(true);
    setError(null);
    try {
      const saved = await updateResident(resident.id, {
        name: name.trim(),
        phone: phone.trim() || null,
        address: address.trim() || null,
        lat: lat.trim() ? Number(lat) : null,
        lng: lng.trim() ? Number(lng) : null,
        categories: cats,
        ...(living !== resident.livingArrangement ? { livingArrangement: living } : {}),
      });
      onSaved(saved);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      title={`编辑 · ${resident.name}`}
      wide
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>取消</Button>
          <Button variant="primary" busy={busy} onClick={save} data-testid="edit-submit">
            保存
          </Button>
        </>
      }
    >
      <p className="muted small">公民身份号码、性别和出生日期不可修改。</p>
      <div className="form-grid">
        <Field label="姓名" required>
          <input value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label="居住方式">
          <select value={living} onChange={(e) => setLiving(e.target.value as LivingArrangement)}>
            <option value="home">居家</option>
            <option value="institution">机构</option>
          </select>
        </Field>
        <Field label="联系电话">
          <input name="editPhone" value={phone} onChange={(e) => setPhone(e.target.value)} />
        </Field>
        <Field label="家庭住址">
          <input value={address} onChange={(e) => setAddress(e.target.value)} />
        </Field>
        <Field label="纬度">
          <input value={lat} onChange={(e) => setLat(e.target.value)} inputMode="decimal" />
        </Field>
        <Field label="经度">
          <input value={lng} onChange={(e) => setLng(e.target.value)} inputMode="decimal" />
        </Field>
        <fieldset className="field field-wide">
          <legend className="field-label">人员类别</legend>
          <div className="checks">
            {CATEGORIES.map((c) => (
              <label key={c} className="check">
                <input
                  type="checkbox"
                  checked={cats.includes(c)}
                  onChange={(e) => setCats((xs) => (e.target.checked ? [...xs, c] : xs.filter((x) => x !== c)))}
                />
                {CATEGORY_LABEL[c]}
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
