// The frame around every signed-in screen: the navigation the role may use, the sync status, who
// is signed in, and the way out.
import { AppShell, Badge, Burger, Group, Menu, NavLink, ScrollArea, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { afterSessionChange, callOrThrow } from '../api/operations.js';
import { label } from '../format.js';
import { screensFor } from './navigation.js';
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
            <Text fw={700} size="lg" component={Link} to="/">
              Roomy CRM
            </Text>
          </Group>
          <Group gap="lg" wrap="nowrap" miw={0}>
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
    </AppShell>
  );
}
