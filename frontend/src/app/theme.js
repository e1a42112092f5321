import { createTheme } from '@mui/material/styles';

// The system font stack: no web font is loaded, from the network or bundled.
const SYSTEM_FONTS = [
  'system-ui',
  '-apple-system',
  '"Segoe UI"',
  'Roboto',
  '"Helvetica Neue"',
  'Arial',
  '"Noto Sans"',
  'sans-serif',
].join(',');

export const theme = createTheme({
  palette: {
    primary: { main: '#0b5394' },
    secondary: { main: '#6a1b9a' },
  },
  typography: {
    fontFamily: SYSTEM_FONTS,
    h4: { fontSize: '1.75rem', fontWeight: 600 },
  },
  components: {
    MuiButtonBase: {
      styleOverrides: {
        root: {
          '&.Mui-focusVisible': {
            outline: '3px solid #ffb300',
            outlineOffset: '2px',
          },
        },
      },
    },
    MuiLink: {
      styleOverrides: {
        root: {
          '&:focus-visible': {
            outline: '3px solid #ffb300',
            outlineOffset: '2px',
          },
        },
      },
    },
  },
});
