import { BrowserRouter } from 'react-router-dom';

import { AppProviders } from './app-providers';
import { AppRoutes } from './app-routes';

export const ROUTER_FUTURE = Object.freeze({
  v7_startTransition: true,
  v7_relativeSplatPath: true,
});

export function App() {
  return (
    <BrowserRouter future={ROUTER_FUTURE}>
      <AppProviders>
        <AppRoutes />
      </AppProviders>
    </BrowserRouter>
  );
}
