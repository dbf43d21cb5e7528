// 机构: the county's facilities (bureau and admin create and edit them) and, per facility, bed set-up:
// a building's rooms and beds added in one go (POST /facilities/:id/beds/bulk, all or nothing) and each bed's
// type or status changed (PATCH /beds/:id).
import { useMemo, useState } from 'react';
import {
  createBedsBulk,
  createFacility,
  getBeds,
  getBedSummary,
  getFacilities,
  getFacility,
  getRegions,
  patchBed,
  updateFacility,
} from '../../api/endpoints';
import type { Bed, BedStatus, BedType, Facility, FacilityType, Gender, NewBed, NewFacility } from '../../api/types';
import { PageHeader } from '../../components/Layout';
import { useToast } from '../../components/Toast';
import { Badge, Button, Card, Empty, ErrorBox, Field, Modal, Spinner, Stat } from '../../components/ui';
import { pct } from '../../lib/format';
import { BED_STATUS_LABEL, BED_TYPE_LABEL, errorText, FACILITY_TYPE_LABEL, GENDER_LABEL } from '../../lib/labels';
import { navigate } from '../../lib/router';
import { useAsync } from '../../lib/useAsync';
import { CAN, useUser } from '../../session';

const FACILITY_TYPES = Object.keys(FACILITY_TYPE_LABEL) as FacilityType[];

export function FacilitiesPage({ facilityId }: { facilityId?: string }) {
  return facilityId ? <BedSetUp facilityId={facilityId} /> : <FacilityList />;
}

function FacilityList() {
  const user = useUser();
  const toast = useToast();
  const [regionCode, setRegionCode] = useState('');
  const [type, setType] = useState<FacilityType | ''>('');
  const [editing, setEditing] = useState<Facility | 'new' | null>(null);
  const regions = useAsync(getRegions, []);
  const facilities = useAsync(
    () => getFacilities({ regionCode: regionCode || undefined, type: type || undefined }),
    [regionCode, type],
  );
  const regionName = useMemo(() => new Map((regions.data?.items ?? []).map((r) => [r.code, r.name])), [regions.data]);

  return (
    <div className="page">
      <PageHeader
        title="机构"
        sub="养老机构、区域综合养老服务中心与居家和社区养老服务站；床位设置"
        extra={
          CAN.writeFacilities(user.role) ? (
            <Button variant="primary" onClick={() => setEditing('new')} data-testid="new-facility">
              ＋ 新建机构
            </Button>
          ) : null
        }
      />
      <Card>
        <div className="search-row">
          <select value={regionCode} onChange={(e) => setRegionCode(e.target.value)} aria-label="乡镇">
            <option value="">全部乡镇</option>
            {(regions.data?.items ?? [])
              .filter((r) => r.code.length > 6)
              .map((r) => (
                <option key={r.code} value={r.code}>
                  {r.name}
                </option>
              ))}
          </select>
          <select value={type} onChange={(e) => setType(e.target.value as FacilityType | '')} aria-label="机构类型">
            <option value="">全部类型</option>
            {FACILITY_TYPES.map((t) => (
              <option key={t} value={t}>
                {FACILITY_TYPE_LABEL[t]}
              </option>
            ))}
          </select>
        </div>
        <ErrorBox error={facilities.error} onRetry={facilities.reload} />
        {facilities.loading && !facilities.data ? <Spinner /> : null}
        {facilities.data?.items.length === 0 ? <Empty>没有机构</Empty> : null}
        {facilities.data?.items.length ? (
          <div className="table-wrap">
            <table className="table" data-testid="facilities-table">
              <thead>
                <tr>
                  <th>名称</th>
                  <th>类型</th>
                  <th>乡镇</th>
                  <th>性质</th>
                  <th>综合功能</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {facilities.data.items.map((f) => (
                  <tr key={f.id}>
                    <td>
                      <a href={`#/facilities/${f.id}`}>{f.name}</a>
                    </td>
                    <td>{FACILITY_TYPE_LABEL[f.type] ?? f.type}</td>
                    <td>{regionName.get(f.regionCode) ?? f.regionCode}</td>
                    <td>{f.ownership === 'public' ? '公办' : '民办'}</td>
                    <td>{f.comprehensive ? <Badge tone="green">具备综合功能</Badge> : '—'}</td>
                    <td>
                      <div className="row-actions">
                        <a className="btn btn-ghost btn-sm" href={`#/facilities/${f.id}`}>
                          床位设置
                        </a>
                        {CAN.writeFacilities(user.role) ? (
                          <Button size="sm" variant="ghost" onClick={() => setEditing(f)}>
                            编辑
                          </Button>
                        ) : null}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </Card>
      {editing ? (
        <FacilityDialog
          facility={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onDone={(f, created) => {
            setEditing(null);
            toast(created ? `已新建 ${f.name}` : `已保存 ${f.name}`, 'success');
            if (created) navigate(`/facilities/${f.id}`);
            else facilities.reload();
          }}
        />
      ) : null}
    </div>
  );
}

function FacilityDialog({
  facility,
  onClose,
  onDone,
}: {
  facility: Facility | null;
  onClose: () => void;
  onDone: (f: Facility, created: boolean) => void;
}) {
  const regions = useAsync(getRegions, []);
  const [name, setName] = useState(facility?.name ?? '');
  const [type, setType] = useState<FacilityType>(facility?.type ?? 'nursing_home');
  const [regionCode, setRegionCode] = useState(facility?.regionCode ?? '');
  const [address, setAddress] = useState(facility?.address ?? '');
  const [lat, setLat] = useState(facility ? String(facility.lat) : '');
  const [lng, setLng] = useState(facility ? String(facility.lng) : '');
  const [ownership, setOwnership] = useState<'public' | 'private'>(facility?.ownership ?? 'public');
  const [comprehensive, setComprehensive] = useState(facility?.comprehensive ?? false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit() {
    if (!name.trim()) return setError('请填写机构名称');
    if (!regionCode) return setError('请选择乡镇');
    const la = Number(lat);
    const ln = Number(lng);
    if (!lat.trim() || !lng.trim() || !Number.isFinite(la) || !Number.isFinite(ln)) return setError('请填写经纬度');
    const body: NewFacility = {
      name: name.trim(),
      type,
      regionCode,
      lat: la,
      lng: ln,
      ownership,
      comprehensive,
      ...(address.trim() ? { address: address.trim() } : {}),
    };
    setBusy(true);
    setError(null);
    try {
      if (facility) onDone(await updateFacility(facility.id, body), false);
      else onDone(await createFacility(body), true);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      title={facility ? `编辑机构 · ${facility.name}` : '新建机构'}
      wide
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>取消</Button>
          <Button variant="primary" busy={busy} onClick={submit} data-testid="facility-submit">
            保存
          </Button>
        </>
      }
    >
      <div className="form-grid">
        <Field label="机构名称" required>
          <input name="facilityName" value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label="机构类型" required>
          <select name="facilityType" value={type} onChange={(e) => setType(e.target.value as FacilityType)}>
            {FACILITY_TYPES.map((t) => (
              <option key={t} value={t}>
                {FACILITY_TYPE_LABEL[t]}
              </option>
            ))}
          </select>
        </Field>
        <Field label="乡镇" required>
          <select name="facilityRegion" value={regionCode} onChange={(e) => setRegionCode(e.target.value)}>
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
        <Field label="性质" required>
          <select value={ownership} onChange={(e) => setOwnership(e.target.value as 'public' | 'private')}>
            <option value="public">公办</option>
            <option value="private">民办</option>
          </select>
        </Field>
        <Field label="地址">
          <input value={address} onChange={(e) => setAddress(e.target.value)} />
        </Field>
        <Field label="纬度" required>
          <input name="facilityLat" value={lat} onChange={(e) => setLat(e.target.value)} inputMode="decimal" />
        </Field>
        <Field label="经度" required>
          <input name="facilityLng" value={lng} onChange={(e) => setLng(e.target.value)} inputMode="decimal" />
        </Field>
        <label className="check field-wide">
          <input type="checkbox" checked={comprehensive} onChange={(e) => setComprehensive(e.target.checked)} />
          具备综合功能（全日托养、日间照料、上门服务、区域统筹）
        </label>
        {error ? (
          <p className="form-error field-wide" role="alert">
            {error}
          </p>
        ) : null}
      </div>
    </Modal>
  );
}

// ---- bed set-up ----

/** The beds a bulk form describes: rooms `first…first+rooms-1` on one floor, `perRoom` beds each (label room-n). */
export function plannedBeds(p: {
  building: string;
  floor: number | null;
  firstRoom: number;
  rooms: number;
  perRoom: number;
  type: BedType;
  gender: Gender | '';
}): NewBed[] {
  const beds: NewBed[] = [];
  for (let i = 0; i < p.rooms; i++) {
    const room = String(p.firstRoom + i);
    for (let n = 1; n <= p.perRoom; n++) {
      beds.push({
        room,
        label: `${room}-${n}`,
        type: p.type,
        ...(p.building ? { building: p.building } : {}),
        ...(p.floor !== null ? { floor: p.floor } : {}),
        ...(p.gender ? { gender: p.gender } : {}),
      });
    }
  }
  return beds;
}

function BedSetUp({ facilityId }: { facilityId: string }) {
  const user = useUser();
  const toast = useToast();
  const facility = useAsync(() => getFacility(facilityId), [facilityId]);
  const beds = useAsync(() => getBeds(facilityId), [facilityId]);
  const summary = useAsync(() => getBedSummary(facilityId), [facilityId]);
  const [adding, setAdding] = useState(false);
  const [busyBed, setBusyBed] = useState<string | null>(null);
  const canSetUp = CAN.setUpBeds(user.role);

  const reload = () => {
    beds.reload();
    summary.reload();
  };

  async function change(bed: Bed, body: { type?: BedType; status?: 'vacant' | 'maintenance' | 'closed' }) {
    setBusyBed(bed.id);
    try {
      await patchBed(bed.id, body);
      toast(`床位 ${bed.label} 已更新`, 'success');
      reload();
    } catch (e) {
      toast(errorText(e), 'error');
    } finally {
      setBusyBed(null);
    }
  }

  const sorted = [...(beds.data?.items ?? [])].sort(
    (a, b) =>
      (a.building ?? '').localeCompare(b.building ?? '') ||
      Number(a.floor ?? 0) - Number(b.floor ?? 0) ||
      a.room.localeCompare(b.room, 'zh', { numeric: true }) ||
      a.label.localeCompare(b.label, 'zh', { numeric: true }),
  );
  const s = summary.data;

  return (
    <div className="page">
      <PageHeader
        title={facility.data ? `床位设置 · ${facility.data.name}` : '床位设置'}
        sub={
          <>
            <a href="#/facilities">机构</a> · <a href={`#/beds/${facilityId}`}>床位管理</a>
          </>
        }
        extra={
          canSetUp ? (
            <Button variant="primary" onClick={() => setAdding(true)} data-testid="bulk-beds">
              ＋ 批量添加床位
            </Button>
          ) : null
        }
      />
      <ErrorBox error={facility.error} />
      <div className="kpi-strip" data-testid="bed-summary">
        <Stat label="床位总数" value={s ? s.total : '—'} sub="停用床位不计" />
        <Stat label="护理型床位" value={s ? s.nursing : '—'} />
        <Stat label="普通床位" value={s ? s.ordinary : '—'} />
        <Stat
          label="护理型床位占比"
          value={s ? pct(s.nursingShare) : '—'}
          tone={s ? (s.meetsNursingShareTarget ? 'good' : 'bad') : undefined}
          sub={s ? `目标 ${pct(s.nursingShareTarget, 0)}` : undefined}
        />
        <Stat label="床位利用率" value={s ? pct(s.utilization) : '—'} />
      </div>
      <Card title={`床位（${beds.data?.total ?? '—'}）`} testId="beds-table">
        <ErrorBox error={beds.error} onRetry={beds.reload} />
        {beds.loading && !beds.data ? <Spinner /> : null}
        {beds.data?.items.length === 0 ? <Empty>尚未设置床位</Empty> : null}
        {sorted.length ? (
          <div className="table-wrap">
            <table className="table table-dense">
              <thead>
                <tr>
                  <th>楼栋</th>
                  <th>楼层</th>
                  <th>房间</th>
                  <th>床位</th>
                  <th>性别</th>
                  <th>类型</th>
                  <th>状态</th>
                </tr>
              </thead>
              <tbody>
                {sorted.map((b) => (
                  <tr key={b.id} data-testid={`bed-${b.label}`}>
                    <td>{b.building ?? '—'}</td>
                    <td>{b.floor ?? '—'}</td>
                    <td>{b.room}</td>
                    <td>{b.label}</td>
                    <td>{b.gender ? GENDER_LABEL[b.gender] : '不限'}</td>
                    <td>
                      {canSetUp ? (
                        <select
                          aria-label={`床位 ${b.label} 类型`}
                          value={b.type}
                          disabled={busyBed === b.id}
                          onChange={(e) => change(b, { type: e.target.value as BedType })}
                        >
                          <option value="nursing">{BED_TYPE_LABEL.nursing}</option>
                          <option value="ordinary">{BED_TYPE_LABEL.ordinary}</option>
                        </select>
                      ) : (
                        BED_TYPE_LABEL[b.type]
                      )}
                    </td>
                    <td>
                      {canSetUp && (b.status === 'vacant' || b.status === 'maintenance' || b.status === 'closed') ? (
                        <select
                          aria-label={`床位 ${b.label} 状态`}
                          value={b.status}
                          disabled={busyBed === b.id}
                          onChange={(e) =>
                            change(b, {
                              status: e.target.value as Extract<BedStatus, 'vacant' | 'maintenance' | 'closed'>,
                            })
                          }
                        >
                          <option value="vacant">{BED_STATUS_LABEL.vacant}</option>
                          <option value="maintenance">{BED_STATUS_LABEL.maintenance}</option>
                          <option value="closed">{BED_STATUS_LABEL.closed}</option>
                        </select>
                      ) : (
                        <Badge tone={b.status === 'occupied' ? 'blue' : 'grey'}>{BED_STATUS_LABEL[b.status]}</Badge>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </Card>
      {adding ? (
        <BulkBedsDialog
          facilityId={facilityId}
          onClose={() => setAdding(false)}
          onDone={(n) => {
            setAdding(false);
            toast(`已添加 ${n} 张床位`, 'success');
            reload();
          }}
        />
      ) : null}
    </div>
  );
}

function BulkBedsDialog({
  facilityId,
  onClose,
  onDone,
}: {
  facilityId: string;
  onClose: () => void;
  onDone: (n: number) => void;
}) {
  const [building, setBuilding] = useState('');
  const [floor, setFloor] = useState('1');
  const [firstRoom, setFirstRoom] = useState('101');
  const [rooms, setRooms] = useState('10');
  const [perRoom, setPerRoom] = useState('2');
  const [type, setType] = useState<BedType>('nursing');
  const [gender, setGender] = useState<Gender | ''>('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const nums = { floor: Number(floor), firstRoom: Number(firstRoom), rooms: Number(rooms), perRoom: Number(perRoom) };
  const valid =
    (floor.trim() === '' || Number.isInteger(nums.floor)) &&
    Number.isInteger(nums.firstRoom) &&
    nums.firstRoom > 0 &&
    Number.isInteger(nums.rooms) &&
    nums.rooms >= 1 &&
    nums.rooms <= 200 &&
    Number.isInteger(nums.perRoom) &&
    nums.perRoom >= 1 &&
    nums.perRoom <= 12;
  const planned = valid
    ? plannedBeds({
        building: building.trim(),
        floor: floor.trim() === '' ? null : nums.floor,
        firstRoom: nums.firstRoom,
        rooms: nums.rooms,
        perRoom: nums.perRoom,
        type,
        gender,
      })
    : [];

  async function submit() {
    if (!valid || planned.length === 0) return setError('请检查房间号、房间数（1–200）和每间床位数（1–12）');
    setBusy(true);
    setError(null);
    try {
      const r = await createBedsBulk(facilityId, planned);
      onDone(r?.created ?? planned.length);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      title="批量添加床位"
      wide
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>取消</Button>
          <Button variant="primary" busy={busy} onClick={submit} data-testid="bulk-submit">
            添加 {planned.length} 张床位
          </Button>
        </>
      }
    >
      <p className="muted small">
        一次添加一层楼的房间和床位；全部成功或全部不添加（同一房间内床位编号重复时整批退回）。
      </p>
      <div className="form-grid">
        <Field label="楼栋">
          <input
            name="building"
            value={building}
            onChange={(e) => setBuilding(e.target.value)}
            placeholder="如 1号楼"
          />
        </Field>
        <Field label="楼层">
          <input name="floor" value={floor} onChange={(e) => setFloor(e.target.value)} inputMode="numeric" />
        </Field>
        <Field label="起始房间号" required>
          <input
            name="firstRoom"
            value={firstRoom}
            onChange={(e) => setFirstRoom(e.target.value)}
            inputMode="numeric"
          />
        </Field>
        <Field label="房间数" required>
          <input name="rooms" value={rooms} onChange={(e) => setRooms(e.target.value)} inputMode="numeric" />
        </Field>
        <Field label="每间床位数" required>
          <input name="perRoom" value={perRoom} onChange={(e) => setPerRoom(e.target.value)} inputMode="numeric" />
        </Field>
        <Field label="床位类型" required>
          <select name="bedType" value={type} onChange={(e) => setType(e.target.value as BedType)}>
            <option value="nursing">{BED_TYPE_LABEL.nursing}</option>
            <option value="ordinary">{BED_TYPE_LABEL.ordinary}</option>
          </select>
        </Field>
        <Field label="性别">
          <select name="bedGender" value={gender} onChange={(e) => setGender(e.target.value as Gender | '')}>
            <option value="">不限</option>
            <option value="male">男</option>
            <option value="female">女</option>
          </select>
        </Field>
      </div>
      {planned.length ? (
        <div className="bulk-preview small" data-testid="bulk-preview">
          将添加：{planned[0].label} … {planned[planned.length - 1].label}，共 {nums.rooms} 间 {planned.length} 张
          {BED_TYPE_LABEL[type]}
        </div>
      ) : null}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </Modal>
  );
}
