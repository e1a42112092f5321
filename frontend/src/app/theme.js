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
  // Every colour used for text (outlined chips, links, alerts) keeps a
  // contrast of at least 4.5:1 on white and on the page background.
  palette: {
    primary: { main: '#0b5394' },
    secondary: { main: '#6a1b9a' },
    error: { main: '#c62828' },
    warning: { main: '#b45309' },
    info: { main: '#0277bd' },
    success: { main: '#2e7d32' },
    background: { default: '#f5f7fa', paper: '#ffffff' },
  },
  shape: { borderRadius: 8 },
  typography: {
    fontFamily: SYSTEM_FONTS,
    h4: { fontSize: '1.75rem', fontWeight: 600 },
    button: { textTransform: 'none', fontWeight: 600 },
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
