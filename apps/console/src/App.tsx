import { lazy, Suspense, useEffect } from 'react';
import { Layout } from './components/Layout';
import { Empty, Spinner } from './components/ui';
import { navigate, useRoute } from './lib/router';
import { BedBoardPage } from './pages/beds/BedBoardPage';
import { VisitsPage } from './pages/caregiver/VisitsPage';
import { DispatchPage } from './pages/dispatch/DispatchPage';
import { LoginPage } from './pages/LoginPage';
import { CAN, homeFor, PAGES, useSession, type PageKey } from './session';

// The dashboard carries ECharts; load it only for the roles that open it.
const DashboardPage = lazy(() => import('./pages/dashboard/DashboardPage').then((m) => ({ default: m.DashboardPage })));

// The office screens, each in its own chunk: a caregiver's phone never loads them.
const ResidentsPage = lazy(() => import('./pages/residents/ResidentsPage').then((m) => ({ default: m.ResidentsPage })));
const ResidentRecordPage = lazy(() =>
  import('./pages/residents/ResidentRecordPage').then((m) => ({ default: m.ResidentRecordPage })),
);
const AssessmentFormPage = lazy(() =>
  import('./pages/assessment/AssessmentFormPage').then((m) => ({ default: m.AssessmentFormPage })),
);
const FacilitiesPage = lazy(() => import('./pages/setup/FacilitiesPage').then((m) => ({ default: m.FacilitiesPage })));
const CaregiversPage = lazy(() => import('./pages/setup/CaregiversPage').then((m) => ({ default: m.CaregiversPage })));
const UsersPage = lazy(() => import('./pages/users/UsersPage').then((m) => ({ default: m.UsersPage })));

export function App() {
  const { user } = useSession();
  const route = useRoute();
  const first = route.segments[0] ?? '';

  // Route guard: no session → login; known page the role may not see → its home page.
  const page = (first in PAGES ? first : null) as PageKey | null;
  const allowed = user && page ? PAGES[page].roles.includes(user.role) : false;
  useEffect(() => {
    if (!user) {
      if (first !== 'login') navigate('/login', true);
    } else if (first === 'login' || first === '' || (page && !allowed)) {
      navigate(homeFor(user.role), true);
    }
  }, [user, first, page, allowed]);

  if (!user) return <LoginPage />;
  // the assessment form only for the roles that may record one (the others see the record)
  const assessing = route.segments[2] === 'assess' && CAN.assess(user.role);
  if (!page || !allowed) {
    return (
      <Layout active={null}>
        <Empty>页面不存在，正在返回首页…</Empty>
      </Layout>
    );
  }
  return (
    <Layout active={page}>
      {page === 'beds' && <BedBoardPage facilityId={route.segments[1]} />}
      {page === 'dispatch' && <DispatchPage />}
      {page === 'dashboard' && (
        <Suspense fallback={<Spinner />}>
          <DashboardPage />
        </Suspense>
      )}
      {page === 'visits' && <VisitsPage />}
      <Suspense fallback={<Spinner />}>
        {page === 'residents' && !route.segments[1] && <ResidentsPage />}
        {page === 'residents' && route.segments[1] && assessing && (
          <AssessmentFormPage residentId={route.segments[1]} />
        )}
        {page === 'residents' && route.segments[1] && !assessing && (
          <ResidentRecordPage residentId={route.segments[1]} />
        )}
        {page === 'facilities' && <FacilitiesPage facilityId={route.segments[1]} />}
        {page === 'caregivers' && <CaregiversPage />}
        {page === 'users' && <UsersPage />}
      </Suspense>
    </Layout>
  );
}
