import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Container from '@mui/material/Container';
import Link from '@mui/material/Link';
import Toolbar from '@mui/material/Toolbar';
import Typography from '@mui/material/Typography';
import { Suspense } from 'react';
import { NavLink, Outlet, useNavigate } from 'react-router-dom';

import { Loading } from '../components/loading';
import { useAuth } from '../features/auth/auth-context';
import { roleLabel } from '../lib/roles';

import { navItemsFor } from './nav-items';

const navButtonSx = {
  color: 'inherit',
  '&.active': { backgroundColor: 'rgba(255, 255, 255, 0.18)' },
};

/** The frame of every signed-in page: product, navigation, user, sign-out. */
export function AppShell() {
  const { user, signOut } = useAuth();
  const navigate = useNavigate();

  const handleSignOut = async () => {
    await signOut();
    navigate('/sign-in', { replace: true });
  };

  return (
    <Box sx={{ minHeight: '100vh', display: 'flex', flexDirection: 'column' }}>
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
      <AppBar position="static" component="header">
        <Toolbar sx={{ gap: 2, flexWrap: 'wrap' }}>
          <Typography variant="h6" component="p" sx={{ fontWeight: 700 }}>
            HealthSecure
          </Typography>
          <Box component="nav" aria-label="Main" sx={{ flexGrow: 1 }}>
            <Box
              component="ul"
              sx={{ display: 'flex', gap: 1, listStyle: 'none', m: 0, p: 0 }}
            >
              {navItemsFor(user.role).map((item) => (
                <li key={item.to}>
                  <Button component={NavLink} to={item.to} sx={navButtonSx}>
                    {item.label}
                  </Button>
                </li>
              ))}
            </Box>
          </Box>
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5 }}>
            <Typography component="span">{user.name}</Typography>
            <Chip
              label={roleLabel(user.role)}
              size="small"
              sx={{ bgcolor: 'common.white', color: 'primary.main' }}
            />
            <Button color="inherit" variant="outlined" onClick={handleSignOut}>
              Sign out
            </Button>
          </Box>
        </Toolbar>
      </AppBar>
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
    </Box>
  );
}
