// The frame around every signed-in screen: the navigation the role may use, the search (Ctrl+K),
// the sync status, who is signed in, and the way out.
import {
  AppShell,
  Badge,
  Burger,
  Button,
  Group,
  Kbd,
  Menu,
  NavLink,
  ScrollArea,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure, useHotkeys, useOs } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, type ReactNode } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { afterSessionChange, callOrThrow } from '../api/operations.js';
import { label } from '../format.js';
import { CommandPalette, type HitTargets } from '../ui/command-palette.js';
import { RECORD_PATHS, screensFor } from './navigation.js';
import { useIdentity } from './session.js';
import { SyncIndicator, useSyncStatus } from './sync-status.js';

export function Layout({ children }: { children: ReactNode }) {
  const identity = useIdentity();
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const sync = useSyncStatus();
  const conflicts = sync.data?.mode === 'server' ? sync.data.conflicts : 0;
  const [searching, search] = useDisclosure();
  const mac = ['macos', 'ios'].includes(useOs());
  // Also from inside a text field: the search is the way out of wherever one is.
  useHotkeys([['mod+K', search.toggle]], []);
  const targets = useMemo<HitTargets>(
    () => ({
      property: (p) => navigate(RECORD_PATHS.property(p.id)),
      guest: (g) => navigate(RECORD_PATHS.guest(g.id)),
      reservation: (r) => navigate(RECORD_PATHS.reservation(r.id)),
      task: (t) => navigate(RECORD_PATHS.task(t, identity.role)),
    }),
    [navigate, identity.role],
  );
  const signOut = async () => {
    await callOrThrow('auth/sign-out', {});
    navigate('/');
    await afterSessionChange(client);
  };
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="sm">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Menu" />
            {/* On a phone the header keeps the search, the sync status and the account. */}
            <Text fw={700} size="lg" c="bright" component={Link} to="/" visibleFrom="xs">
              Roomy CRM
            </Text>
          </Group>
          <Group gap="lg" wrap="nowrap" miw={0}>
            <Button
              variant="default"
              size="xs"
              onClick={search.open}
              aria-keyshortcuts={mac ? 'Meta+K' : 'Control+K'}
              data-testid="open-search"
              rightSection={
                <Kbd size="xs" visibleFrom="sm">
                  {mac ? '⌘K' : 'Ctrl K'}
                </Kbd>
              }
            >
              Search
            </Button>
            <SyncIndicator onSignInAgain={() => void signOut()} />
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <UnstyledButton aria-label="Account menu" data-testid="account-menu">
                  <Text size="sm" fw={600}>
                    {identity.name}
                  </Text>
                  <Text size="xs" c="dimmed" ta="right">
                    {label(identity.role)}
                  </Text>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item component={Link} to="/account">
                  Change password
                </Menu.Item>
                <Menu.Item color="red" onClick={() => void signOut()}>
                  Sign out
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main navigation">
        <ScrollArea>
          {screensFor(identity.role).map((screen) => (
            <NavLink
              key={screen.path}
              component={Link}
              to={screen.path}
              label={screen.label}
              rightSection={
                screen.path === '/sync' && conflicts > 0 ? (
                  <Badge
                    size="sm"
                    color="red"
                    circle
                    data-testid="conflicts-badge"
                    aria-label={`${conflicts} sync ${conflicts === 1 ? 'conflict' : 'conflicts'}`}
                  >
                    {conflicts}
                  </Badge>
                ) : undefined
              }
              active={location.pathname === screen.path || location.pathname.startsWith(`${screen.path}/`)}
              onClick={close}
            />
          ))}
          <NavLink
            component={Link}
            to="/account"
            label="Your account"
            active={location.pathname === '/account'}
            onClick={close}
          />
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main>{children}</AppShell.Main>
      <CommandPalette opened={searching} onClose={search.close} targets={targets} />
    </AppShell>
  );
}
