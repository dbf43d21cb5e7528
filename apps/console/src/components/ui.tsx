import { useEffect, useId, useRef, type ButtonHTMLAttributes, type ReactNode } from 'react';
import { errorText } from '../lib/labels';

type Variant = 'primary' | 'default' | 'danger' | 'ghost' | 'success';

export function Button({
  variant = 'default',
  size,
  busy,
  children,
  className,
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; size?: 'sm' | 'lg'; busy?: boolean }) {
  return (
    <button
      type="button"
      {...rest}
      disabled={rest.disabled || busy}
      aria-busy={busy || undefined}
      className={['btn', `btn-${variant}`, size ? `btn-${size}` : '', className ?? ''].join(' ').trim()}
    >
      {busy ? <span className="spinner spinner-inline" aria-hidden /> : null}
      {children}
    </button>
  );
}

export function Card({
  title,
  extra,
  children,
  className,
  testId,
}: {
  title?: ReactNode;
  extra?: ReactNode;
  children: ReactNode;
  className?: string;
  testId?: string;
}) {
  return (
    <section className={`card ${className ?? ''}`} data-testid={testId}>
      {title || extra ? (
        <header className="card-head">
          <h2 className="card-title">{title}</h2>
          {extra ? <div className="card-extra">{extra}</div> : null}
        </header>
      ) : null}
      <div className="card-body">{children}</div>
    </section>
  );
}

export function Badge({ tone = 'grey', children, title }: { tone?: string; children: ReactNode; title?: string }) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}

export function Spinner({ label = '加载中…' }: { label?: string }) {
  return (
    <div className="loading" role="status">
      <span className="spinner" aria-hidden />
      {label}
    </div>
  );
}

export function ErrorBox({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (!error) return null;
  return (
    <div className="alert alert-error" role="alert">
      <span>{errorText(error)}</span>
      {onRetry ? (
        <Button size="sm" variant="ghost" onClick={onRetry}>
          重试
        </Button>
      ) : null}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}

export function Field({
  label,
  hint,
  children,
  required,
}: {
  label: string;
  hint?: ReactNode;
  children: ReactNode;
  required?: boolean;
}) {
  return (
    <label className="field">
      <span className="field-label">
        {label}
        {required ? <em className="req">*</em> : null}
      </span>
      {children}
      {hint ? <span className="field-hint">{hint}</span> : null}
    </label>
  );
}

export function Modal({
  title,
  onClose,
  children,
  footer,
  wide,
}: {
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  wide?: boolean;
}) {
  const id = useId();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    document.addEventListener('keydown', onKey);
    const first = ref.current?.querySelector<HTMLElement>('input,select,textarea,button:not(.modal-close)');
    first?.focus();
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        className={`modal ${wide ? 'modal-wide' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={id}
        ref={ref}
      >
        <header className="modal-head">
          <h3 id={id}>{title}</h3>
          <button type="button" className="modal-close" aria-label="关闭" onClick={onClose}>
            ×
          </button>
        </header>
        <div className="modal-body">{children}</div>
        {footer ? <footer className="modal-foot">{footer}</footer> : null}
      </div>
    </div>
  );
}

export function Stat({ label, value, sub, tone }: { label: string; value: ReactNode; sub?: ReactNode; tone?: string }) {
  return (
    <div className={`stat ${tone ? `stat-${tone}` : ''}`}>
      <div className="stat-label">{label}</div>
      <div className="stat-value">{value}</div>
      {sub ? <div className="stat-sub">{sub}</div> : null}
    </div>
  );
}

/** A bar showing a fraction against a target line. */
export function TargetBar({ value, target, label }: { value: number | null; target: number | null; label?: string }) {
  const v = Math.max(0, Math.min(1, value ?? 0));
  const met = value !== null && target !== null ? value >= target : null;
  return (
    <div className="target-bar" aria-label={label}>
      <div
        className={`target-fill ${met === false ? 'is-bad' : met ? 'is-good' : ''}`}
        style={{ width: `${v * 100}%` }}
      />
      {target !== null ? (
        <div className="target-line" style={{ left: `${target * 100}%` }} title={`目标 ${Math.round(target * 100)}%`} />
      ) : null}
    </div>
  );
}

/** Previous / next for a server-paged list (`limit`/`offset`). */
export function Pager({
  total,
  offset,
  limit,
  onChange,
}: {
  total: number;
  offset: number;
  limit: number;
  onChange: (offset: number) => void;
}) {
  if (total <= limit && offset === 0) return null;
  const page = Math.floor(offset / limit) + 1;
  const pages = Math.max(1, Math.ceil(total / limit));
  return (
    <div className="pager" data-testid="pager">
      <Button size="sm" disabled={offset === 0} onClick={() => onChange(Math.max(0, offset - limit))}>
        ‹ 上一页
      </Button>
      <span className="muted small">
        第 {page} / {pages} 页 · 共 {total} 条
      </span>
      <Button size="sm" disabled={offset + limit >= total} onClick={() => onChange(offset + limit)}>
        下一页 ›
      </Button>
    </div>
  );
}
