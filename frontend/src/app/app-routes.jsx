import { Route, Routes } from 'react-router-dom';

import { RoleGuard } from '../components/role-guard';
import { NotFoundPage } from '../components/status-page';
import { RequireAuth } from '../features/auth/require-auth';
import { SignInPage } from '../features/auth/sign-in-page';
import { CLINICAL_ROLES, ROLES } from '../lib/roles';

import { AppShell } from './app-shell';
import { HomeRedirect } from './home-redirect';
import {
  CareTeamPage,
  PatientDetailPage,
  PatientListPage,
  UsersPage,
} from './lazy-pages';

const ADMIN = [ROLES.admin];

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
        <Route
          path="patients"
          element={
            <RoleGuard roles={CLINICAL_ROLES}>
              <PatientListPage />
            </RoleGuard>
          }
        />
        <Route
          path="patients/:patientId"
          element={
            <RoleGuard roles={CLINICAL_ROLES}>
              <PatientDetailPage />
            </RoleGuard>
          }
        />
        <Route
          path="admin/users"
          element={
            <RoleGuard roles={ADMIN}>
              <UsersPage />
            </RoleGuard>
          }
        />
        <Route
          path="admin/care-teams"
          element={
            <RoleGuard roles={ADMIN}>
              <CareTeamPage />
            </RoleGuard>
          }
        />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
