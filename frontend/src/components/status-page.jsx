import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { Link as RouterLink } from 'react-router-dom';

/** A full-page message such as "not found" or "not on the care team". */
export function StatusPage({ title, message, linkTo = '/', linkLabel }) {
  return (
    <Paper variant="outlined" sx={{ p: 4, maxWidth: 640, mx: 'auto', mt: 4 }}>
      <Typography variant="h4" component="h1" gutterBottom>
        {title}
      </Typography>
      <Typography sx={{ mb: 3 }}>{message}</Typography>
      <Button component={RouterLink} to={linkTo} variant="contained">
        {linkLabel ?? 'Go to the start page'}
      </Button>
    </Paper>
  );
}

export function NotFoundPage() {
  return (
    <StatusPage
      title="Page not found"
      message="There is no page at this address. Check the link or use the navigation above."
    />
  );
}

export function NotAvailablePage() {
  return (
    <StatusPage
      title="Not available"
      message="This page is not available for your role."
    />
  );
}
