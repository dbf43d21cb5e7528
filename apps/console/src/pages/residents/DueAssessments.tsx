// 评估到期: residents whose assessment has expired, falls due within 30 days, is an imported legacy result,
// or who were never assessed (GET /assessments/due, scoped like the resident list), paged by the server.
import { useState } from 'react';
import { getDueAssessments } from '../../api/endpoints';
import type { DueStatus } from '../../api/types';
import { Badge, Empty, ErrorBox, Pager, Spinner } from '../../components/ui';
import { dayOf } from '../../lib/format';
import { GENDER_LABEL, LEVEL_LABEL } from '../../lib/labels';
import { useAsync } from '../../lib/useAsync';
import { CAN, useUser } from '../../session';

const LIMIT = 20;

const STATUS: Record<DueStatus, { text: string; tone: string }> = {
  expired: { text: '已过期', tone: 'red' },
  due: { text: '即将到期', tone: 'amber' },
  legacy: { text: '旧标准结果，需重新评估', tone: 'amber' },
  none: { text: '从未评估', tone: 'grey' },
};

export function DueAssessments({ regionCode }: { regionCode?: string }) {
  const user = useUser();
  const [status, setStatus] = useState<DueStatus | ''>('');
  const [offset, setOffset] = useState(0);
  const list = useAsync(
    () => getDueAssessments({ status: status || undefined, regionCode }, LIMIT, offset),
    [status, regionCode, offset],
  );
  return (
    <div data-testid="due-assessments">
      <div className="search-row">
        <select
          value={status}
          onChange={(e) => {
            setOffset(0);
            setStatus(e.target.value as DueStatus | '');
          }}
          aria-label="评估状态"
        >
          <option value="">已过期、即将到期与旧标准结果</option>
          <option value="expired">已过期</option>
          <option value="due">30天内到期</option>
          <option value="legacy">旧标准结果</option>
          <option value="none">从未评估</option>
        </select>
      </div>
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.loading && !list.data ? <Spinner /> : null}
      {list.data?.items.length === 0 ? <Empty>没有需要评估的老人</Empty> : null}
      {list.data?.items.length ? (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>姓名</th>
                <th>公民身份号码</th>
                <th>性别</th>
                <th>状态</th>
                <th>上次等级</th>
                <th>有效期至</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((d) => (
                <tr key={d.resident.id}>
                  <td>
                    <a href={`#/residents/${d.resident.id}`}>{d.resident.name}</a>
                  </td>
                  <td className="nowrap">{d.resident.idNumberMasked ?? '—'}</td>
                  <td>{d.resident.gender ? (GENDER_LABEL[d.resident.gender] ?? '—') : '—'}</td>
                  <td>
                    <Badge tone={STATUS[d.status].tone}>{STATUS[d.status].text}</Badge>
                  </td>
                  <td>{d.latestAssessment ? LEVEL_LABEL[d.latestAssessment.level] : '—'}</td>
                  <td className="nowrap">
                    {d.latestAssessment?.validUntil ? dayOf(d.latestAssessment.validUntil) : '—'}
                  </td>
                  <td>
                    {CAN.assess(user.role) ? (
                      <a className="btn btn-ghost btn-sm" href={`#/residents/${d.resident.id}/assess`}>
                        评估
                      </a>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager total={list.data.total} offset={offset} limit={LIMIT} onChange={setOffset} />
        </div>
      ) : null}
    </div>
  );
}
