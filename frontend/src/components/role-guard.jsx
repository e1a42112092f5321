import { useAuth } from '../features/auth/auth-context';

import { NotAvailablePage } from './status-page';

/**
 * Renders its children only for the listed roles. The server refuses such
 * calls anyway; this keeps the interface from offering what would fail.
 */
export function RoleGuard({
  roles,
  children,
  fallback = <NotAvailablePage />,
}) {
  const { user } = useAuth();
  return user && roles.includes(user.role) ? children : fallback;
}

/** Renders its children for the listed roles and nothing otherwise. */
export function ForRoles({ roles, children }) {
  return (
    <RoleGuard roles={roles} fallback={null}>
      {children}
    </RoleGuard>
  );
}
