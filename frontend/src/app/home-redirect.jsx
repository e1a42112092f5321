import { Navigate } from 'react-router-dom';

import { NotAvailablePage } from '../components/status-page';
import { useAuth } from '../features/auth/auth-context';

import { homePathFor } from './nav-items';

/** Sends each role to its first section. */
export function HomeRedirect() {
  const { user } = useAuth();
  const home = homePathFor(user.role);
  return home ? <Navigate to={home} replace /> : <NotAvailablePage />;
}
