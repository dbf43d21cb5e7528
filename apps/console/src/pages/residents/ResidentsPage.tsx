// 居民档案: search by name or full ID number, filter, page through the server, register a resident.
import { useMemo, useState } from 'react';
import { getRegions, getResidentsPage } from '../../api/endpoints';
import { ApiError } from '../../api/http';
import type { Category, LivingArrangement, Region, Resident } from '../../api/types';
import { PageHeader } from '../../components/Layout';
import { useToast } from '../../components/Toast';
import { Badge, Button, Card, Empty, ErrorBox, Pager, Spinner } from '../../components/ui';
import { readIdNumber } from '../../lib/idNumber';
import { CATEGORIES, CATEGORY_LABEL, GENDER_LABEL, LEVEL_LABEL } from '../../lib/labels';
import { navigate } from '../../lib/router';
import { useAsync } from '../../lib/useAsync';
import { CAN, useUser } from '../../session';
import { DueAssessments } from './DueAssessments';
import { RegisterResidentDialog } from './RegisterResidentDialog';

const LIMIT = 20;

export const LIVING_LABEL: Record<LivingArrangement, string> = { home: '居家', institution: '机构' };

export function ResidentsPage() {
  const user = useUser();
  const toast = useToast();
  const [text, setText] = useState('');
  const [search, setSearch] = useState('');
  const [regionCode, setRegionCode] = useState('');
  const [living, setLiving] = useState<LivingArrangement | ''>('');
  const [category, setCategory] = useState<Category | ''>('');
  const [offset, setOffset] = useState(0);
  const [registering, setRegistering] = useState(false);
  const [view, setView] = useState<'all' | 'due'>('all');

  const regions = useAsync(getRegions, []);
  const regionName = useMemo(
    () => new Map((regions.data?.items ?? []).map((r: Region) => [r.code, r.name])),
    [regions.data],
  );

  // A full, valid ID number is looked up exactly (GET /residents?idNumber=, for the roles that may);
  // anything else is a name search (q=).
  const byId = CAN.lookUpIdNumber(user.role) && readIdNumber(search).ok;
  const list = useAsync(
    () =>
      getResidentsPage(
        {
          ...(byId ? { idNumber: search.trim().toUpperCase() } : { q: search.trim() || undefined }),
          regionCode: regionCode || undefined,
          livingArrangement: living || undefined,
          category: category || undefined,
        },
        LIMIT,
        offset,
      ),
    [search, byId, regionCode, living, category, offset],
  );
  const idLookupMissing = byId && list.error instanceof ApiError && list.error.statusCode === 400;

  const submit = () => {
    setOffset(0);
    setSearch(text);
  };

  return (
    <div className="page">
      <PageHeader
        title="居民档案"
        sub="老年人基本信息、能力评估、入住记录与上门服务"
        extra={
          CAN.registerResident(user.role) ? (
            <Button variant="primary" onClick={() => setRegistering(true)} data-testid="register-resident">
              ＋ 登记老人
            </Button>
          ) : null
        }
      />
      <div className="tabs" role="tablist" aria-label="视图">
        <button type="button" role="tab" aria-selected={view === 'all'} onClick={() => setView('all')}>
          全部老人
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={view === 'due'}
          onClick={() => setView('due')}
          data-testid="tab-due"
        >
          评估到期
        </button>
      </div>
      {view === 'due' ? (
        <Card>
          <DueAssessments />
        </Card>
      ) : (
        <Card>
          <form
            className="search-row"
            role="search"
            onSubmit={(e) => {
              e.preventDefault();
              submit();
            }}
          >
            <input
              type="search"
              name="q"
              placeholder={CAN.lookUpIdNumber(user.role) ? '姓名或完整公民身份号码' : '姓名'}
              value={text}
              onChange={(e) => setText(e.target.value)}
              aria-label="搜索老人"
            />
            <Button type="submit" size="sm" variant="primary">
              查询
            </Button>
            <select
              value={regionCode}
              onChange={(e) => {
                setOffset(0);
                setRegionCode(e.target.value);
              }}
              aria-label="乡镇"
            >
              <option value="">全部乡镇</option>
              {(regions.data?.items ?? [])
                .filter((r) => r.code.length > 6)
                .map((r) => (
                  <option key={r.code} value={r.code}>
                    {r.name}
                  </option>
                ))}
            </select>
            <select
              value={living}
              onChange={(e) => {
                setOffset(0);
                setLiving(e.target.value as LivingArrangement | '');
              }}
              aria-label="居住方式"
            >
              <option value="">全部居住方式</option>
              <option value="home">居家</option>
              <option value="institution">机构</option>
            </select>
            <select
              value={category}
              onChange={(e) => {
                setOffset(0);
                setCategory(e.target.value as Category | '');
              }}
              aria-label="人员类别"
            >
              <option value="">全部类别</option>
              {CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {CATEGORY_LABEL[c]}
                </option>
              ))}
            </select>
          </form>
          {idLookupMissing ? (
            <div className="alert alert-error" role="alert">
              服务器尚不支持按完整公民身份号码查询，请按姓名查询。
            </div>
          ) : (
            <ErrorBox error={list.error} onRetry={list.reload} />
          )}
          {list.loading && !list.data ? <Spinner /> : null}
          {list.data && list.data.items.length === 0 ? <Empty>没有符合条件的老人</Empty> : null}
          {list.data?.items.length ? (
            <div className="table-wrap">
              <table className="table" data-testid="residents-table">
                <thead>
                  <tr>
                    <th>姓名</th>
                    <th>公民身份号码</th>
                    <th>性别</th>
                    <th className="num">年龄</th>
                    <th>乡镇</th>
                    <th>居住方式</th>
                    <th>人员类别</th>
                    <th>能力等级</th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.items.map((r: Resident) => (
                    <tr key={r.id} data-testid={`resident-${r.id}`}>
                      <td>
                        <a href={`#/residents/${r.id}`}>{r.name}</a>
                      </td>
                      <td className="nowrap">{r.idNumberMasked ?? '—'}</td>
                      <td>{r.gender ? GENDER_LABEL[r.gender] : '—'}</td>
                      <td className="num">{r.age ?? '—'}</td>
                      <td>{(r.regionCode && regionName.get(r.regionCode)) ?? r.regionCode ?? '—'}</td>
                      <td>{r.livingArrangement ? LIVING_LABEL[r.livingArrangement] : '—'}</td>
                      <td className="wrap">
                        {(r.categories ?? []).map((c) => CATEGORY_LABEL[c] ?? c).join('、') || '—'}
                      </td>
                      <td>
                        {r.latestAssessment ? (
                          <Badge tone="amber">{LEVEL_LABEL[r.latestAssessment.level]}</Badge>
                        ) : (
                          <span className="muted">—</span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <Pager total={list.data.total} offset={offset} limit={LIMIT} onChange={setOffset} />
            </div>
          ) : null}
        </Card>
      )}
      {registering ? (
        <RegisterResidentDialog
          onClose={() => setRegistering(false)}
          onCreated={(r) => {
            setRegistering(false);
            toast(`已登记 ${r.name}`, 'success');
            navigate(`/residents/${r.id}`);
          }}
        />
      ) : null}
    </div>
  );
}
