import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { login as apiLogin } from './api/endpoints';
import { clearSession, loadSession, saveSession, setUnauthorizedListener } from './api/http';
import type { Role, SessionUser } from './api/types';

interface SessionValue {
  user: SessionUser | null;
  /** set when the server ended the session (401) so the login page can say why */
  expired: boolean;
  login: (username: string, password: string) => Promise<SessionUser>;
  logout: () => void;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<SessionUser | null>(() => loadSession()?.user ?? null);
  const [expired, setExpired] = useState(false);

  useEffect(() => {
    setUnauthorizedListener(() => {
      setUser(null);
      setExpired(true);
    });
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    const res = await apiLogin(username, password);
    const u: SessionUser = {
      ...res.user,
      facilityIds: res.user.facilityIds ?? [],
      caregiverId: res.user.caregiverId ?? null,
    };
    saveSession({ token: res.accessToken, user: u });
    setExpired(false);
    setUser(u);
    return u;
  }, []);

  const logout = useCallback(() => {
    clearSession();
    setExpired(false);
    setUser(null);
  }, []);

  const value = useMemo(() => ({ user, expired, login, logout }), [user, expired, login, logout]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}

export function useUser(): SessionUser {
  const { user } = useSession();
  if (!user) throw new Error('no user');
  return user;
}

// ---- what each role sees ----

export type PageKey =
  'beds' | 'dispatch' | 'dashboard' | 'visits' | 'residents' | 'facilities' | 'caregivers' | 'users';

// Roles as the contract gives them (shared/spec/api-contract.md, "Roles"); the server checks again.
export const PAGES: Record<PageKey, { label: string; icon: string; roles: Role[] }> = {
  dashboard: { label: '统计看板', icon: '▤', roles: ['admin', 'bureau'] },
  beds: { label: '床位管理', icon: '▦', roles: ['admin', 'bureau', 'manager'] },
  dispatch: { label: '派单调度', icon: '⇄', roles: ['admin', 'dispatcher'] },
  residents: { label: '居民档案', icon: '☷', roles: ['admin', 'bureau', 'manager', 'dispatcher'] },
  facilities: { label: '机构', icon: '⌂', roles: ['admin', 'bureau', 'manager'] },
  caregivers: { label: '护理员与网点', icon: '☺', roles: ['admin', 'bureau', 'dispatcher'] },
  users: { label: '用户管理', icon: '⚙', roles: ['admin'] },
  visits: { label: '今日服务', icon: '✓', roles: ['caregiver'] },
};

/** Who may write what on the office screens (the contract's role table). */
export const CAN = {
  registerResident: (r: Role) => r === 'admin' || r === 'manager' || r === 'dispatcher',
  editResident: (r: Role) => r === 'admin' || r === 'manager' || r === 'dispatcher',
  assess: (r: Role) => r === 'admin' || r === 'manager' || r === 'dispatcher',
  writeFacilities: (r: Role) => r === 'admin' || r === 'bureau',
  setUpBeds: (r: Role) => r === 'admin' || r === 'manager',
  writeCaregivers: (r: Role) => r === 'admin' || r === 'dispatcher',
  /** the full-ID look-up of GET /residents?idNumber= (scope stream) */
  lookUpIdNumber: (r: Role) => r === 'admin' || r === 'manager' || r === 'dispatcher',
};

export function pagesFor(role: Role): PageKey[] {
  return (Object.keys(PAGES) as PageKey[]).filter((k) => PAGES[k].roles.includes(role));
}

export function homeFor(role: Role): string {
  switch (role) {
    case 'admin':
    case 'bureau':
      return '/dashboard';
    case 'manager':
      return '/beds';
    case 'dispatcher':
      return '/dispatch';
    case 'caregiver':
      return '/visits';
    case 'integration':
      // a machine user has no screen; the login page says so
      return '/login';
  }
}
