// The app: first run, sign-in, or the signed-in screens the role may use.
import { Center } from '@mantine/core';
import { useState } from 'react';
import { HashRouter, Navigate, Route, Routes } from 'react-router';
import { useChangeEvents, useOperation } from '../api/operations.js';
import { AccountScreen, SetupScreen, SignInScreen } from '../screens/auth.js';
import { AuditScreen } from '../screens/audit.js';
import { AvailabilityScreen } from '../screens/availability.js';
import { CalendarScreen } from '../screens/calendar.js';
import { DashboardScreen } from '../screens/dashboard.js';
import { GuestScreen } from '../screens/guest.js';
import { LedgerScreen } from '../screens/ledger.js';
import { LocationsScreen } from '../screens/locations.js';
import { PeopleScreen } from '../screens/people.js';
import { ConfirmationScreen, ReceiptScreen } from '../screens/print.js';
import { PropertiesScreen, PropertyScreen } from '../screens/properties.js';
import { ReservationScreen, ReservationsScreen } from '../screens/reservations.js';
import { SyncScreen } from '../screens/sync.js';
import { SystemScreen } from '../screens/system.js';
import { TaskScreen } from '../screens/task.js';
import { TasksScreen } from '../screens/tasks.js';
import { ErrorState, Loading } from '../ui/states.js';
import { Layout } from './layout.js';
import { homeOf, screensFor } from './navigation.js';
import { SessionProvider, type Identity } from './session.js';

export function App() {
  useChangeEvents();
  const status = useOperation('auth/status', {});
  // The first run stays on screen until the office is ready, sample data and all: signed in
  // halfway, the screens would wait on an empty database and say nothing of why.
  const [settingUp, setSettingUp] = useState(false);
  if (status.isPending) return <Loading label="Opening Roomy…" />;
  if (status.isError) {
    return (
      <Center mih="100vh" p="xl">
        <ErrorState error={status.error} onRetry={() => void status.refetch()} />
      </Center>
    );
  }
  const { needsSetup, identity, syncServerUrl } = status.data;
  return (
    <HashRouter>
      {needsSetup || settingUp ? (
        <SetupScreen onSettingUp={setSettingUp} />
      ) : identity ? (
        <SignedIn identity={identity} />
      ) : (
        <SignInScreen syncServerUrl={syncServerUrl} />
      )}
    </HashRouter>
  );
}

function SignedIn({ identity }: { identity: Identity }) {
  const allowed = new Set(screensFor(identity.role).map((s) => s.path));
  const guard = (path: string, element: React.ReactNode) =>
    allowed.has(path) ? element : <Navigate to={homeOf(identity.role)} replace />;
  return (
    <SessionProvider value={identity}>
      <Layout>
        <Routes>
          <Route path="/" element={<Navigate to={homeOf(identity.role)} replace />} />
          <Route path="/dashboard" element={guard('/dashboard', <DashboardScreen />)} />
          <Route path="/calendar" element={guard('/calendar', <CalendarScreen />)} />
          <Route path="/availability" element={guard('/availability', <AvailabilityScreen />)} />
          <Route path="/reservations" element={guard('/reservations', <ReservationsScreen />)} />
          <Route path="/reservations/:id" element={guard('/reservations', <ReservationScreen />)} />
          <Route path="/reservations/:id/confirmation" element={guard('/reservations', <ConfirmationScreen />)} />
          <Route path="/reservations/:id/receipt" element={guard('/reservations', <ReceiptScreen />)} />
          <Route path="/properties" element={guard('/properties', <PropertiesScreen />)} />
          <Route path="/properties/:id" element={guard('/properties', <PropertyScreen />)} />
          <Route path="/tasks" element={guard('/tasks', <TasksScreen />)} />
          <Route path="/tasks/:id" element={guard('/tasks', <TaskScreen />)} />
          <Route path="/ledger" element={guard('/ledger', <LedgerScreen />)} />
          <Route path="/people" element={guard('/people', <PeopleScreen />)} />
          <Route path="/guests/:id" element={guard('/people', <GuestScreen />)} />
          <Route path="/locations" element={guard('/locations', <LocationsScreen />)} />
          <Route path="/audit" element={guard('/audit', <AuditScreen />)} />
          <Route path="/sync" element={guard('/sync', <SyncScreen />)} />
          <Route path="/system" element={guard('/system', <SystemScreen />)} />
          <Route path="/account" element={<AccountScreen />} />
          <Route path="*" element={<Navigate to={homeOf(identity.role)} replace />} />
        </Routes>
      </Layout>
    </SessionProvider>
  );
}
