import CssBaseline from '@mui/material/CssBaseline';
import { ThemeProvider } from '@mui/material/styles';

import { AuthProvider } from '../features/auth/auth-context';
import { StepUpProvider } from '../features/auth/step-up';

import { theme } from './theme';

/** Everything the pages need from above, except the router. */
export function AppProviders({ children, restoreSession = true }) {
  return (
    <ThemeProvider theme={theme}>
      <CssBaseline />
      <AuthProvider restore={restoreSession}>
        <StepUpProvider>{children}</StepUpProvider>
      </AuthProvider>
    </ThemeProvider>
  );
}
