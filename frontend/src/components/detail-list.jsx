import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';

/** Label and value pairs as a definition list, two columns on wide screens. */
export function DetailList({ items, dense = false }) {
  return (
    <Box
      component="dl"
      sx={{
        display: 'grid',
        gridTemplateColumns: {
          xs: '1fr',
          sm: 'minmax(10rem, max-content) 1fr',
        },
        columnGap: 3,
        rowGap: dense ? 0.5 : 1.5,
        m: 0,
      }}
    >
      {items.map(({ key, label, value }) => (
        <Box key={key} sx={{ display: 'contents' }}>
          <Typography component="dt" color="text.secondary" variant="body2">
            {label}
          </Typography>
          <Typography
            component="dd"
            sx={{ m: 0, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
          >
            {value}
          </Typography>
        </Box>
      ))}
    </Box>
  );
}
