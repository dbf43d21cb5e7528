import { useEffect, useState } from 'react';
import { createResident, getRegions, lookUpResidentByIdNumber, searchResidents } from '../../api/endpoints';
import type { Category, Region, Resident, WaitlistEntry } from '../../api/types';
import { Badge, Button, Field } from '../../components/ui';
import { checkIdNumber } from '../../lib/idNumber';
import { fullIdNumberOf, type PickedResident } from '../../lib/residentRef';
import { CATEGORIES, CATEGORY_LABEL, errorText, GENDER_LABEL, LEVEL_LABEL, TIER_LABEL } from '../../lib/labels';
import { useAsync } from '../../lib/useAsync';

type Tab = 'waitlist' | 'search' | 'new';

export { residentRef, type PickedResident } from '../../lib/residentRef';

/** Choose a resident: from the facility's waitlist, by searching, or by registering a new one. */
export function ResidentPicker({
  waitlist,
  waitlistNames,
  defaultRegion,
  facilityId,
  onPick,
}: {
  /** the facility a newly registered resident belongs to */
  facilityId?: string;
  /** omit to hide the waitlist tab */
  waitlist?: WaitlistEntry[];
  waitlistNames?: (e: WaitlistEntry) => string;
  defaultRegion?: string;
  onPick: (r: PickedResident) => void;
}) {
  const names = waitlistNames ?? ((e: WaitlistEntry) => e.resident?.name ?? e.residentName ?? e.residentId);
  const [tab, setTab] = useState<Tab>(waitlist?.length ? 'waitlist' : 'search');
  return (
    <div className="picker">
      <div className="tabs" role="tablist">
        {waitlist ? (
          <button type="button" role="tab" aria-selected={tab === 'waitlist'} onClick={() => setTab('waitlist')}>
            轮候名单 ({waitlist.length})
          </button>
        ) : null}
        <button type="button" role="tab" aria-selected={tab === 'search'} onClick={() => setTab('search')}>
          查找老人
        </button>
        <button type="button" role="tab" aria-selected={tab === 'new'} onClick={() => setTab('new')}>
          登记新老人
        </button>
      </div>
      {tab === 'waitlist' && waitlist ? (
        waitlist.length ? (
          <ul className="pick-list">
            {waitlist.map((e, i) => (
              <li key={e.id ?? e.residentId}>
                <button
                  type="button"
                  onClick={() => onPick({ ...(e.resident ?? {}), id: e.residentId, name: names(e) })}
                >
                  <span className="pick-rank">{i + 1}</span>
                  <span className="pick-name">{names(e)}</span>
                  {e.tier ? <Badge tone="blue">{TIER_LABEL[e.tier] ?? `第${e.tier}档`}</Badge> : null}
                  <span className="pick-meta">{e.reasons.join('、')}</span>
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">轮候名单为空</p>
        )
      ) : null}
      {tab === 'search' ? <ResidentSearch onPick={onPick} /> : null}
      {tab === 'new' ? <ResidentForm defaultRegion={defaultRegion} facilityId={facilityId} onCreated={onPick} /> : null}
    </div>
  );
}

function ResidentSearch({ onPick }: { onPick: (r: PickedResident) => void }) {
  const [q, setQ] = useState('');
  const [term, setTerm] = useState('');
  useEffect(() => {
    const t = setTimeout(() => setTerm(q.trim()), 300);
    return () => clearTimeout(t);
  }, [q]);
  // all 18 characters of a valid number: the exact look-up (also beyond the facility); anything else: by name
  const fullNumber = fullIdNumberOf(term);
  const res = useAsync(
    () =>
      fullNumber
        ? lookUpResidentByIdNumber(fullNumber)
        : term
          ? searchResidents(term)
          : Promise.resolve({ items: [], total: 0 }),
    [term],
  );
  return (
    <div>
      <input
        className="input-block"
        placeholder="输入姓名，或完整的18位身份证号（可查找本机构以外的老人）"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        aria-label="搜索老人"
        data-testid="resident-search"
      />
      {res.error ? <p className="form-error">{errorText(res.error)}</p> : null}
      {term && !res.loading && res.data?.items.length === 0 ? <p className="muted">未找到符合条件的老人</p> : null}
      <ul className="pick-list">
        {res.data?.items.map((r) => (
          <li key={r.id}>
            <button
              type="button"
              onClick={() => onPick(fullNumber ? { ...r, lookupIdNumber: fullNumber } : r)}
              data-testid={`pick-resident-${r.id}`}
            >
              <span className="pick-name">{r.name}</span>
              <span className="pick-meta">
                {[r.gender ? GENDER_LABEL[r.gender] : null, r.age ? `${r.age}岁` : null, r.idNumberMasked]
                  .filter(Boolean)
                  .join(' · ')}
              </span>
              {r.latestAssessment ? (
                <Badge tone="amber">{LEVEL_LABEL[r.latestAssessment.level] ?? `等级${r.latestAssessment.level}`}</Badge>
              ) : null}
              {r.livingArrangement === 'institution' ? <Badge>机构</Badge> : null}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

function ResidentForm({
  defaultRegion,
  facilityId,
  onCreated,
}: {
  defaultRegion?: string;
  facilityId?: string;
  onCreated: (r: Resident) => void;
}) {
  const regions = useAsync(getRegions, []);
  const [name, setName] = useState('');
  const [idNumber, setIdNumber] = useState('');
  const [regionCode, setRegionCode] = useState(defaultRegion ?? '');
  const [phone, setPhone] = useState('');
  const [address, setAddress] = useState('');
  const [cats, setCats] = useState<Category[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const townships: Region[] = (regions.data?.items ?? []).filter((r) => r.code.length > 6);

  async function submit() {
    const idErr = checkIdNumber(idNumber);
    if (!name.trim()) return setError('请填写姓名');
    if (idErr) return setError(idErr);
    if (!regionCode) return setError('请选择所属乡镇');
    setBusy(true);
    setError(null);
    try {
      const r = await createResident({
        name: name.trim(),
        idNumber: idNumber.trim().toUpperCase(),
        regionCode,
        livingArrangement: 'institution',
        categories: cats,
        ...(phone.trim() ? { phone: phone.trim() } : {}),
        ...(address.trim() ? { address: address.trim() } : {}),
        ...(facilityId ? { facilityId } : {}),
      });
      onCreated(r);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="form-grid">
      <Field label="姓名" required>
        <input value={name} onChange={(e) => setName(e.target.value)} name="residentName" />
      </Field>
      <Field label="公民身份号码" required hint="性别、出生日期由号码自动识别">
        <input value={idNumber} onChange={(e) => setIdNumber(e.target.value)} maxLength={18} name="idNumber" />
      </Field>
      <Field label="所属乡镇" required>
        <select value={regionCode} onChange={(e) => setRegionCode(e.target.value)} name="regionCode">
          <option value="">请选择</option>
          {(townships.length ? townships : (regions.data?.items ?? [])).map((r) => (
            <option key={r.code} value={r.code}>
              {r.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label="联系电话">
        <input value={phone} onChange={(e) => setPhone(e.target.value)} inputMode="tel" />
      </Field>
      <Field label="家庭住址">
        <input value={address} onChange={(e) => setAddress(e.target.value)} />
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
      {error ? <p className="form-error field-wide">{error}</p> : null}
      <div className="field-wide">
        <Button variant="primary" busy={busy} onClick={submit}>
          登记并选择
        </Button>
      </div>
    </div>
  );
}
