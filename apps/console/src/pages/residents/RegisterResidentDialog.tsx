// 登记老人: POST /residents. The ID number is checked as it is typed with the server's own rule
// (libs/residents/src/rules/id-number.ts); birth date and gender are read from it, never typed.
import { useState } from 'react';
import { createResident, getFacilities, getRegions } from '../../api/endpoints';
import type { Category, LivingArrangement, NewResident, Resident } from '../../api/types';
import { Button, Field, Modal } from '../../components/ui';
import { readIdNumber } from '../../lib/idNumber';
import { CATEGORIES, CATEGORY_LABEL, errorText, GENDER_LABEL } from '../../lib/labels';
import { useAsync } from '../../lib/useAsync';
import { useUser } from '../../session';

export function RegisterResidentDialog({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (r: Resident) => void;
}) {
  const user = useUser();
  const regions = useAsync(getRegions, []);
  const facilities = useAsync(
    () => (user.role === 'manager' && user.facilityIds.length > 1 ? getFacilities() : Promise.resolve(null)),
    [],
  );
  const [name, setName] = useState('');
  const [idNumber, setIdNumber] = useState('');
  const [regionCode, setRegionCode] = useState('');
  const [living, setLiving] = useState<LivingArrangement>(user.role === 'manager' ? 'institution' : 'home');
  const [cats, setCats] = useState<Category[]>([]);
  const [phone, setPhone] = useState('');
  const [address, setAddress] = useState('');
  const [lat, setLat] = useState('');
  const [lng, setLng] = useState('');
  const [facilityId, setFacilityId] = useState(user.role === 'manager' ? (user.facilityIds[0] ?? '') : '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const id = readIdNumber(idNumber);
  const typed = idNumber.trim().length > 0;

  async function submit() {
    if (!name.trim()) return setError('请填写姓名');
    if (!id.ok) return setError(id.message);
    if (!regionCode) return setError('请选择所属乡镇');
    if ((lat.trim() === '') !== (lng.trim() === '')) return setError('经纬度需同时填写');
    const body: NewResident = {
      name: name.trim(),
      idNumber: id.value.normalized,
      regionCode,
      livingArrangement: living,
      categories: cats,
      ...(phone.trim() ? { phone: phone.trim() } : {}),
      ...(address.trim() ? { address: address.trim() } : {}),
      ...(lat.trim() ? { lat: Number(lat), lng: Number(lng) } : {}),
      ...(user.role === 'manager' && facilityId ? { facilityId } : {}),
    };
    setBusy(true);
    setError(null);
    try {
      onCreated(await createResident(body));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      title="登记老人"
      wide
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>取消</Button>
          <Button variant="primary" busy={busy} onClick={submit} data-testid="register-submit">
            登记
          </Button>
        </>
      }
    >
      <div className="form-grid">
        <Field label="姓名" required>
          <input name="residentName" value={name} onChange={(e) => setName(e.target.value)} maxLength={64} />
        </Field>
        <Field
          label="公民身份号码"
          required
          hint={
            typed ? (
              id.ok ? (
                <span className="id-check is-ok" data-testid="id-derived">
                  ✓ 出生日期 {id.value.birthDate} · {GENDER_LABEL[id.value.gender]}
                </span>
              ) : (
                <span className="id-check is-bad" data-testid="id-problem">
                  {id.message}
                </span>
              )
            ) : (
              '性别、出生日期由号码自动识别'
            )
          }
        >
          <input
            name="idNumber"
            value={idNumber}
            onChange={(e) => setIdNumber(e.target.value)}
            maxLength={18}
            autoComplete="off"
            aria-invalid={typed && !id.ok ? true : undefined}
          />
        </Field>
        <Field label="所属乡镇" required>
          <select name="regionCode" value={regionCode} onChange={(e) => setRegionCode(e.target.value)}>
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
        <Field label="居住方式" required>
          <select
            name="livingArrangement"
            value={living}
            onChange={(e) => setLiving(e.target.value as LivingArrangement)}
            disabled={user.role === 'dispatcher'}
          >
            <option value="home">居家</option>
            <option value="institution">机构</option>
          </select>
        </Field>
        {facilities.data && facilities.data.items.length > 1 ? (
          <Field label="登记机构" required>
            <select value={facilityId} onChange={(e) => setFacilityId(e.target.value)}>
              {facilities.data.items
                .filter((f) => user.facilityIds.includes(f.id))
                .map((f) => (
                  <option key={f.id} value={f.id}>
                    {f.name}
                  </option>
                ))}
            </select>
          </Field>
        ) : null}
        <Field label="联系电话">
          <input name="phone" value={phone} onChange={(e) => setPhone(e.target.value)} inputMode="tel" />
        </Field>
        <Field label="家庭住址">
          <input name="address" value={address} onChange={(e) => setAddress(e.target.value)} />
        </Field>
        <Field label="纬度" hint="上门服务派单需要住址坐标">
          <input name="lat" value={lat} onChange={(e) => setLat(e.target.value)} inputMode="decimal" />
        </Field>
        <Field label="经度">
          <input name="lng" value={lng} onChange={(e) => setLng(e.target.value)} inputMode="decimal" />
        </Field>
        <fieldset className="field field-wide">
          <legend className="field-label">人员类别</legend>
          <div className="checks">
            {CATEGORIES.map((c) => (
              <label key={c} className="check">
                <input
                  type="checkbox"
                  value={c}
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
