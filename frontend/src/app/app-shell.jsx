import Box from '@mui/material/Box';
import Container from '@mui/material/Container';
import Link from '@mui/material/Link';
import { Suspense } from 'react';
import { Outlet, useNavigate } from 'react-router-dom';

import { Loading } from '../components/loading';
import { useAuth } from '../features/auth/auth-context';
import { SessionGuard } from '../features/auth/session-guard';
import { ActiveGrantsProvider } from '../features/emergency/active-grants-context';
import { EmergencyBanner } from '../features/emergency/emergency-banner';
import { CLINICAL_ROLES } from '../lib/roles';

import { AppHeader } from './app-header';

function ClinicianFrame({ clinician, children }) {
  return clinician ? (
    <ActiveGrantsProvider>{children}</ActiveGrantsProvider>
  ) : (
    children
  );
}

/**
 * The frame of every signed-in page: header, the emergency banner for
 * clinicians holding a grant, the page, and the automatic log-off. All page
 * state lives below it, so signing out drops it with the shell.
 */
export function AppShell() {
  const { user, signOut } = useAuth();
  const navigate = useNavigate();
  const clinician = CLINICAL_ROLES.includes(user.role);

  const handleSignOut = async () => {
    await signOut();
    navigate('/sign-in', { replace: true });
  };

  return (
    <ClinicianFrame clinician={clinician}>
      <Box
        sx={{ minHeight: '100vh', display: 'flex', flexDirection: 'column' }}
      >
        <Link
          href="#main-content"
          sx={{
            position: 'absolute',
            left: 8,
            top: -48,
            zIndex: 2000,
            p: 1,
            bgcolor: 'background.paper',
            '&:focus': { top: 8 },
          }}
        >
          Skip to main content
        </Link>
        <AppHeader user={user} onSignOut={handleSignOut} />
        {clinician ? <EmergencyBanner /> : null}
        <Container
          component="main"
          id="main-content"
          tabIndex={-1}
          maxWidth="lg"
          sx={{ py: 4, flexGrow: 1, '&:focus': { outline: 'none' } }}
        >
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </Container>
        <SessionGuard />
      </Box>
    </ClinicianFrame>
  );
}
