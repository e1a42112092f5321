import { Navigate, useLocation } from 'react-router-dom';

import { Loading } from '../../components/loading';

import { useAuth } from './auth-context';

/** Sends visitors who are not signed in to the sign-in page, then back. */
export function RequireAuth({ children }) {
  const { status } = useAuth();
  const location = useLocation();
  if (status === 'restoring') return <Loading label="Checking your session…" />;
  if (status !== 'signed-in') {
    return <Navigate to="/sign-in" replace state={{ from: location }} />;
  }
  return children;
}
