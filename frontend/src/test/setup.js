import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

import { setAccessToken } from '../lib/api-client';

// Pages load lazily and MUI renders slowly in jsdom; on a busy two-core
// machine the default one-second wait for an element is too short.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => {
  cleanup();
  setAccessToken(null);
  window.localStorage.clear();
  window.sessionStorage.clear();
});
