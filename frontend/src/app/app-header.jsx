import MenuIcon from '@mui/icons-material/Menu';
import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Drawer from '@mui/material/Drawer';
import IconButton from '@mui/material/IconButton';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemText from '@mui/material/ListItemText';
import Toolbar from '@mui/material/Toolbar';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { NavLink } from 'react-router-dom';

import { roleLabel } from '../lib/roles';

import { navItemsFor } from './nav-items';

const navButtonSx = {
  color: 'inherit',
  '&.active': { backgroundColor: 'rgba(255, 255, 255, 0.18)' },
};

function WideNav({ items }) {
  return (
    <Box
      component="nav"
      aria-label="Main"
      sx={{ flexGrow: 1, display: { xs: 'none', md: 'block' } }}
    >
      <Box
        component="ul"
        sx={{ display: 'flex', gap: 1, listStyle: 'none', m: 0, p: 0 }}
      >
        {items.map((item) => (
          <li key={item.to}>
            <Button component={NavLink} to={item.to} sx={navButtonSx}>
              {item.label}
            </Button>
          </li>
        ))}
      </Box>
    </Box>
  );
}

/** On narrow screens the sections move into a drawer behind a menu button. */
function NarrowNav({ items }) {
  const [open, setOpen] = useState(false);
  return (
    <Box sx={{ display: { xs: 'block', md: 'none' }, flexGrow: 1 }}>
      <IconButton
        color="inherit"
        edge="start"
        aria-label="Open the menu"
        onClick={() => setOpen(true)}
      >
        <MenuIcon />
      </IconButton>
      <Drawer
        open={open}
        onClose={() => setOpen(false)}
        slotProps={{ paper: { 'aria-label': 'Menu' } }}
      >
        <Box component="nav" aria-label="Main" sx={{ width: 260 }}>
          <List>
            {items.map((item) => (
              <ListItem key={item.to} disablePadding>
                <ListItemButton
                  component={NavLink}
                  to={item.to}
                  onClick={() => setOpen(false)}
                  sx={{ '&.active': { bgcolor: 'action.selected' } }}
                >
                  <ListItemText primary={item.label} />
                </ListItemButton>
              </ListItem>
            ))}
          </List>
        </Box>
      </Drawer>
    </Box>
  );
}

/** Product name, the sections the user's role may open, who is signed in. */
export function AppHeader({ user, onSignOut }) {
  const items = navItemsFor(user.role);
  return (
    <AppBar position="static" component="header" elevation={0}>
      <Toolbar sx={{ gap: 2 }}>
        <Typography
          variant="h6"
          component="p"
          sx={{ fontWeight: 700, whiteSpace: 'nowrap' }}
        >
          HealthSecure
        </Typography>
        <WideNav items={items} />
        <NarrowNav items={items} />
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5 }}>
          <Typography
            component="span"
            sx={{ display: { xs: 'none', sm: 'inline' } }}
          >
            {user.name}
          </Typography>
          <Chip
            label={roleLabel(user.role)}
            size="small"
            sx={{ bgcolor: 'common.white', color: 'primary.main' }}
          />
          <Button
            color="inherit"
            variant="outlined"
            onClick={onSignOut}
            sx={{ whiteSpace: 'nowrap', flexShrink: 0 }}
          >
            Sign out
          </Button>
        </Box>
      </Toolbar>
    </AppBar>
  );
}
