// 老年人能力评估 (GB/T 42195-2022): the 26 items with the standard's option wording, grouped by the four
// dimensions; scores, preliminary level, adjustments and final level are computed while the assessor fills
// the form in, by the server's own pure rules (libs/assessments/src/rules, through the `@rules/assessments`
// alias), so what the form shows is what POST /residents/:id/assessments records. After saving, a summary
// sheet prints on A4 for the assessors to sign and file.
import {
  ASSESSMENT_REASON_NAMES,
  ASSESSMENT_REASONS,
  DEFAULT_REQUIRED_ASSESSORS,
  DIMENSION_KEYS,
  DIMENSIONS,
  evaluateAssessment,
  ITEM_KEYS,
  ITEMS,
  MAX_RISK_EVENT_COUNT,
  MAX_TOTAL_SCORE,
  normalizeConditions,
  RISK_EVENT_KEYS,
  RISK_EVENT_NAMES,
  LEVEL_NAMES,
  type AbilityLevel,
  type AssessmentItems,
  type AssessmentOutcome,
  type AssessmentReason,
  type ItemKey,
  type RiskEventKey,
} from '@rules/assessments';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { createAssessment, getResident } from '../../api/endpoints';
import type { Assessment, Resident } from '../../api/types';
import { PageHeader } from '../../components/Layout';
import { useToast } from '../../components/Toast';
import { Badge, Button, Card, ErrorBox, Field, Spinner } from '../../components/ui';
import { dateTime, dayOf, nowIso } from '../../lib/format';
import { errorText, GENDER_LABEL } from '../../lib/labels';
import { useAsync } from '../../lib/useAsync';

type Scores = Partial<Record<ItemKey, number>>;

/** "YYYY-MM-DDTHH:mm" of now in the county, for a datetime-local input. */
const localNow = () => nowIso().slice(0, 16);

export function AssessmentFormPage({ residentId }: { residentId: string }) {
  const toast = useToast();
  const resident = useAsync(() => getResident(residentId), [residentId]);
  const [scores, setScores] = useState<Scores>({});
  const [assessedAt, setAssessedAt] = useState(localNow);
  const [assessors, setAssessors] = useState<string[]>(Array.from({ length: DEFAULT_REQUIRED_ASSESSORS }, () => ''));
  const [reason, setReason] = useState<AssessmentReason>('initial');
  // a resident assessed before is reassessed periodically unless the assessor says otherwise
  const [reasonTouched, setReasonTouched] = useState(false);
  useEffect(() => {
    if (!reasonTouched && resident.data?.latestAssessment) setReason('periodic');
  }, [resident.data, reasonTouched]);
  const [coma, setComa] = useState(false);
  const [dementia, setDementia] = useState(false);
  const [mentalDisorder, setMentalDisorder] = useState(false);
  const [risk, setRisk] = useState<Record<RiskEventKey, number>>(
    () => Object.fromEntries(RISK_EVENT_KEYS.map((k) => [k, 0])) as Record<RiskEventKey, number>,
  );
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [showMissing, setShowMissing] = useState(false);
  const [saved, setSaved] = useState<{ server: Assessment; local: AssessmentOutcome } | null>(null);

  const missing = ITEM_KEYS.filter((k) => scores[k] === undefined);
  const conditions = useMemo(
    () => normalizeConditions({ coma, dementia, mentalDisorder, riskEvents30d: risk }),
    [coma, dementia, mentalDisorder, risk],
  );
  const at = useMemo(() => new Date(`${assessedAt}:00+08:00`), [assessedAt]);
  // The full outcome once every item is scored; until then the running sums per dimension.
  const outcome = useMemo(
    () =>
      missing.length === 0 && !Number.isNaN(at.getTime())
        ? evaluateAssessment(scores as AssessmentItems, conditions, at)
        : null,
    [missing.length, scores, conditions, at],
  );
  const partial = Object.fromEntries(
    DIMENSION_KEYS.map((d) => [d, DIMENSIONS[d].items.reduce((s, k) => s + (scores[k] ?? 0), 0)]),
  ) as Record<(typeof DIMENSION_KEYS)[number], number>;

  async function submit() {
    setShowMissing(true);
    if (missing.length)
      return setError(`尚有 ${missing.length} 项未评分：${missing.map((k) => ITEMS[k].zh).join('、')}`);
    const names = assessors.map((a) => a.trim());
    if (names.some((a) => !a)) return setError(`请填写 ${DEFAULT_REQUIRED_ASSESSORS} 名评估员姓名`);
    if (new Set(names).size !== names.length) return setError('评估员不能为同一人');
    if (Number.isNaN(at.getTime()) || at.getTime() > Date.now() + 60_000) return setError('评估时间无效或晚于现在');
    if (!outcome) return;
    setBusy(true);
    setError(null);
    try {
      const server = await createAssessment(residentId, {
        assessedAt: `${assessedAt}:00+08:00`,
        assessors: names,
        reason,
        items: scores as Record<string, number>,
        conditions: { coma, dementia, mentalDisorder, riskEvents30d: risk },
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      setSaved({ server, local: outcome });
      toast('评估已保存', 'success');
      window.scrollTo(0, 0);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  const r = resident.data;
  if (resident.error) return <ErrorBox error={resident.error} onRetry={resident.reload} />;
  if (!r) return <Spinner />;

  if (saved) {
    return (
      <div className="page">
        <div className="no-print">
          <PageHeader
            title="评估结果"
            sub={`${r.name} · 老年人能力评估（GB/T 42195-2022）`}
            extra={
              <div className="toolbar no-print">
                <Button variant="primary" onClick={() => window.print()} data-testid="print-sheet">
                  打印评估结果表
                </Button>
                <a className="btn btn-default" href={`#/residents/${r.id}`}>
                  返回档案
                </a>
              </div>
            }
          />
        </div>
        {saved.server.level !== saved.local.level ? (
          <div className="alert alert-error no-print" role="alert">
            服务器评定等级与本页计算不一致，以服务器为准。
          </div>
        ) : null}
        <SummarySheet
          resident={r}
          assessedAt={`${assessedAt}:00+08:00`}
          assessors={assessors}
          reason={reason}
          scores={scores as AssessmentItems}
          outcome={saved.local}
          server={saved.server}
        />
      </div>
    );
  }

  return (
    <div className="page">
      <PageHeader
        title="老年人能力评估"
        sub={
          <>
            <a href={`#/residents/${r.id}`}>{r.name}</a> · {r.idNumberMasked} · {r.gender ? GENDER_LABEL[r.gender] : ''}{' '}
            {r.age !== undefined ? `${r.age}岁` : ''} · GB/T 42195-2022
          </>
        }
      />
      <div className="assess-layout">
        <div>
          <Card title="评估基本信息">
            <div className="form-grid">
              <Field label="评估时间" required>
                <input
                  type="datetime-local"
                  name="assessedAt"
                  value={assessedAt}
                  max={localNow()}
                  onChange={(e) => setAssessedAt(e.target.value)}
                />
              </Field>
              <Field label="评估原因" required>
                <select
                  name="reason"
                  value={reason}
                  onChange={(e) => {
                    setReasonTouched(true);
                    setReason(e.target.value as AssessmentReason);
                  }}
                >
                  {ASSESSMENT_REASONS.map((k) => (
                    <option key={k} value={k}>
                      {ASSESSMENT_REASON_NAMES[k].zh}
                    </option>
                  ))}
                </select>
              </Field>
              {assessors.map((a, i) => (
                <Field key={i} label={`评估员${i + 1}`} required>
                  <input
                    name={`assessor${i + 1}`}
                    value={a}
                    maxLength={64}
                    onChange={(e) => setAssessors((xs) => xs.map((x, j) => (j === i ? e.target.value : x)))}
                  />
                </Field>
              ))}
            </div>
          </Card>

          {DIMENSION_KEYS.map((d) => {
            const dim = DIMENSIONS[d];
            return (
              <Card
                key={d}
                title={`${dim.code} ${dim.zh}`}
                extra={
                  <span className="muted small">
                    {partial[d]} / {dim.max} 分
                  </span>
                }
                testId={`dimension-${d}`}
              >
                {dim.items.map((k) => {
                  const item = ITEMS[k];
                  return (
                    <fieldset
                      key={k}
                      className={`assess-item ${showMissing && scores[k] === undefined ? 'is-missing' : ''}`}
                      data-testid={`item-${k}`}
                    >
                      <div className="assess-item-head">
                        <strong>
                          {item.code} {item.zh}
                        </strong>
                        <small>{item.definitionZh}</small>
                      </div>
                      {item.noteZh ? <div className="small muted">注：{item.noteZh}</div> : null}
                      <div className="assess-options">
                        {item.options.map((o) => (
                          <label key={o.score}>
                            <input
                              type="radio"
                              name={k}
                              value={o.score}
                              checked={scores[k] === o.score}
                              onChange={() => setScores((s) => ({ ...s, [k]: o.score }))}
                            />
                            <span className="score">{o.score}分</span>
                            <span>{o.zh}</span>
                          </label>
                        ))}
                      </div>
                    </fieldset>
                  );
                })}
              </Card>
            );
          })}

          <Card title="能力等级变更依据">
            <div className="checks">
              <label className="check">
                <input type="checkbox" name="coma" checked={coma} onChange={(e) => setComa(e.target.checked)} />
                处于昏迷状态
              </label>
              <label className="check">
                <input
                  type="checkbox"
                  name="dementia"
                  checked={dementia}
                  onChange={(e) => setDementia(e.target.checked)}
                />
                确诊为痴呆（F00–F03）
              </label>
              <label className="check">
                <input
                  type="checkbox"
                  name="mentalDisorder"
                  checked={mentalDisorder}
                  onChange={(e) => setMentalDisorder(e.target.checked)}
                />
                精神科专科医生诊断的其他精神和行为障碍（F04–F99）
              </label>
            </div>
            <p className="small muted">近30天内照护风险事件次数（3 表示 3 次及以上）：</p>
            <div className="form-grid">
              {RISK_EVENT_KEYS.map((k) => (
                <Field key={k} label={RISK_EVENT_NAMES[k].zh}>
                  <select
                    name={`risk-${k}`}
                    value={risk[k]}
                    onChange={(e) => setRisk((x) => ({ ...x, [k]: Number(e.target.value) }))}
                  >
                    {Array.from({ length: MAX_RISK_EVENT_COUNT + 1 }, (_, n) => (
                      <option key={n} value={n}>
                        {n === MAX_RISK_EVENT_COUNT ? `${n}次及以上` : `${n}次`}
                      </option>
                    ))}
                  </select>
                </Field>
              ))}
            </div>
            <Field label="备注">
              <textarea rows={2} value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
            </Field>
          </Card>
        </div>

        <aside className="assess-summary">
          <Card title="评估结果" testId="assessment-result">
            <dl className="kv">
              {DIMENSION_KEYS.map((d) => (
                <FragmentRow key={d} label={DIMENSIONS[d].zh} value={`${partial[d]} / ${DIMENSIONS[d].max}`} />
              ))}
              <FragmentRow
                label="总分"
                value={<span data-testid="result-total">{outcome ? outcome.total : '—'}</span>}
                sub={`/ ${MAX_TOTAL_SCORE}`}
              />
              <FragmentRow
                label="初步等级"
                value={
                  <span data-testid="result-preliminary">{outcome ? LEVEL_TEXT(outcome.preliminaryLevel) : '—'}</span>
                }
              />
            </dl>
            <div className="level-big" data-testid="result-level" data-level={outcome?.level ?? ''}>
              {outcome ? outcome.levelName.zhShort : '—'}
            </div>
            {outcome ? (
              <div className="small muted">
                {outcome.levelName.zh} · 有效期至 {dayOf(outcome.validUntil)}
              </div>
            ) : (
              <div className="small muted" data-testid="result-missing">
                尚有 {missing.length} 项未评分
              </div>
            )}
            {outcome?.reasons.length ? (
              <ul className="small" data-testid="result-adjustments">
                {outcome.reasons.map((x) => (
                  <li key={x.code}>{x.zh}</li>
                ))}
              </ul>
            ) : null}
            {error ? (
              <p className="form-error" role="alert">
                {error}
              </p>
            ) : null}
            <Button variant="primary" busy={busy} onClick={submit} data-testid="submit-assessment">
              保存评估
            </Button>
          </Card>
        </aside>
      </div>
    </div>
  );
}

const LEVEL_TEXT = (level: AbilityLevel) => LEVEL_NAMES[level].zhShort;

function FragmentRow({ label, value, sub }: { label: string; value: ReactNode; sub?: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>
        {value} {sub ? <span className="muted small">{sub}</span> : null}
      </dd>
    </>
  );
}

/** The A4 sheet the assessors sign: resident, items with scores, dimension totals, levels, signatures. */
function SummarySheet({
  resident,
  assessedAt,
  assessors,
  reason,
  scores,
  outcome,
  server,
}: {
  resident: Resident;
  assessedAt: string;
  assessors: string[];
  reason: AssessmentReason;
  scores: AssessmentItems;
  outcome: AssessmentOutcome;
  server: Assessment;
}) {
  return (
    <article className="print-sheet is-preview" data-testid="summary-sheet">
      <h1>老年人能力评估结果表</h1>
      <p className="small">依据 GB/T 42195-2022《老年人能力评估规范》 · 评估编号 {server.id}</p>
      <table>
        <tbody>
          <tr>
            <th>姓名</th>
            <td>{resident.name}</td>
            <th>公民身份号码</th>
            <td>{resident.idNumberMasked}</td>
          </tr>
          <tr>
            <th>性别</th>
            <td>{resident.gender ? GENDER_LABEL[resident.gender] : '—'}</td>
            <th>出生日期</th>
            <td>{resident.birthDate ?? '—'}</td>
          </tr>
          <tr>
            <th>评估时间</th>
            <td>{dateTime(assessedAt)}</td>
            <th>评估原因</th>
            <td>{ASSESSMENT_REASON_NAMES[reason].zh}</td>
          </tr>
        </tbody>
      </table>
      <table>
        <thead>
          <tr>
            <th>一级指标</th>
            <th>二级指标</th>
            <th>得分</th>
          </tr>
        </thead>
        <tbody>
          {DIMENSION_KEYS.flatMap((d) =>
            DIMENSIONS[d].items.map((k, i) => (
              <tr key={k}>
                {i === 0 ? (
                  <td rowSpan={DIMENSIONS[d].items.length}>
                    {DIMENSIONS[d].zh}
                    <br />
                    小计 {outcome.scores[d]} / {DIMENSIONS[d].max}
                  </td>
                ) : null}
                <td>
                  {ITEMS[k].code} {ITEMS[k].zh}
                </td>
                <td>{scores[k]}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
      <table>
        <tbody>
          <tr>
            <th>总分</th>
            <td data-testid="sheet-total">
              {outcome.total} / {MAX_TOTAL_SCORE}
            </td>
            <th>初步等级</th>
            <td>{LEVEL_TEXT(outcome.preliminaryLevel)}</td>
          </tr>
          <tr>
            <th>等级变更依据</th>
            <td colSpan={3}>{outcome.reasons.length ? outcome.reasons.map((x) => x.zh).join('；') : '无'}</td>
          </tr>
          <tr>
            <th>最终等级</th>
            <td data-testid="sheet-level">
              <Badge tone="amber">{outcome.levelName.zh}</Badge>
            </td>
            <th>有效期至</th>
            <td>{dayOf(server.validUntil ?? outcome.validUntil)}</td>
          </tr>
        </tbody>
      </table>
      <table>
        <tbody>
          <tr className="sign-row">
            {assessors.map((a, i) => (
              <td key={i}>
                评估员{i + 1}：{a}
                <br />
                签名：
              </td>
            ))}
            <td>
              老年人或代理人签名：
              <br />
              日期：
            </td>
          </tr>
        </tbody>
      </table>
    </article>
  );
}
