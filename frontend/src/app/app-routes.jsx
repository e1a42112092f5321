import { Route, Routes } from 'react-router-dom';

import { RoleGuard } from '../components/role-guard';
import { NotFoundPage } from '../components/status-page';
import { RequireAuth } from '../features/auth/require-auth';
import { SignInPage } from '../features/auth/sign-in-page';
import { CLINICAL_ROLES, ROLES } from '../lib/roles';

import { AppShell } from './app-shell';
import { HomeRedirect } from './home-redirect';
import {
  AuditPage,
  CareTeamPage,
  EmergencyPage,
  LiveAuditPage,
  PatientDetailPage,
  PatientListPage,
  ReviewPage,
  SecurityPage,
  UsersPage,
} from './lazy-pages';

const ADMIN = [ROLES.admin];

/** Each signed-in route with the roles that may open it. */
const GUARDED = [
  ['patients', CLINICAL_ROLES, PatientListPage],
  ['patients/:patientId', CLINICAL_ROLES, PatientDetailPage],
  ['emergency', CLINICAL_ROLES, EmergencyPage],
  ['admin/users', ADMIN, UsersPage],
  ['admin/care-teams', ADMIN, CareTeamPage],
  ['admin/audit', ADMIN, AuditPage],
  ['admin/live-audit', ADMIN, LiveAuditPage],
  ['admin/emergency', ADMIN, ReviewPage],
  ['account/security', [...CLINICAL_ROLES, ...ADMIN], SecurityPage],
];

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/sign-in" element={<SignInPage />} />
      <Route
        element={
          <RequireAuth>
            <AppShell />
          </RequireAuth>
        }
      >
        <Route index element={<HomeRedirect />} />
        {GUARDED.map(([path, roles, Page]) => (
          <Route
            key={path}
            path={path}
            element={
              <RoleGuard roles={roles}>
                <Page />
              </RoleGuard>
            }
          />
        ))}
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
