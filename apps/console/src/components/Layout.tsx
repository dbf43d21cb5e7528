import type { ReactNode } from 'react';
import { ROLE_LABEL } from '../lib/labels';
import { PAGES, pagesFor, useSession, type PageKey } from '../session';

export function Layout({ active, children }: { active: PageKey | null; children: ReactNode }) {
  const { user, logout } = useSession();
  if (!user) return null;
  const pages = pagesFor(user.role);
  return (
    <div className={`shell role-${user.role}`}>
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden>
            会
          </span>
          <div className="brand-text">
            <strong className="brand-long">会宁县智慧养老服务平台</strong>
            <strong className="brand-short">会宁智慧养老</strong>
            <span>县民政局 · 养老服务管理</span>
          </div>
        </div>
        {pages.length > 1 ? (
          <nav className="nav" aria-label="主导航">
            {pages.map((p) => (
              <a
                key={p}
                href={`#/${p}`}
                className={p === active ? 'is-active' : ''}
                aria-current={p === active ? 'page' : undefined}
              >
                <span aria-hidden>{PAGES[p].icon}</span>
                <span className="nav-label">{PAGES[p].label}</span>
              </a>
            ))}
          </nav>
        ) : (
          <div className="nav-spacer" />
        )}
        <div className="userbox">
          <span className="user-name" data-testid="current-user">
            {user.username}
            <small>{ROLE_LABEL[user.role]}</small>
          </span>
          <button type="button" className="btn btn-ghost btn-sm" onClick={logout}>
            退出
          </button>
        </div>
      </header>
      <main className="main">{children}</main>
    </div>
  );
}

export function PageHeader({ title, sub, extra }: { title: string; sub?: ReactNode; extra?: ReactNode }) {
  return (
    <div className="page-head">
      <div>
        <h1>{title}</h1>
        {sub ? <p className="page-sub">{sub}</p> : null}
      </div>
      {extra ? <div className="page-extra">{extra}</div> : null}
    </div>
  );
}
