// The screens of the app, and which operation each needs: a role sees a screen only if the
// policy lets it run that operation.
import { accessFor, type GuardedOperation } from '../../db/policy/access.js';
import type { SignInRole } from '../../db/policy/roles.js';
import { isFieldStaff } from './session.js';

export interface Screen {
  path: string;
  label: string;
  requires: GuardedOperation;
}

export function screensFor(role: SignInRole): Screen[] {
  const all: Screen[] = [
    { path: '/dashboard', label: 'Dashboard', requires: 'finance/summary' },
    { path: '/calendar', label: 'Calendar', requires: 'reservations/list' },
    { path: '/availability', label: 'Availability', requires: 'availability/search' },
    { path: '/reservations', label: 'Reservations', requires: 'reservations/list' },
    { path: '/properties', label: 'Properties', requires: 'properties/list' },
    { path: '/tasks', label: isFieldStaff(role) ? 'My tasks' : 'Tasks', requires: 'tasks/list' },
    { path: '/ledger', label: 'Ledger', requires: 'ledger/list' },
    { path: '/people', label: 'People', requires: 'users/create' },
    { path: '/locations', label: 'Locations', requires: 'locations/create' },
    { path: '/audit', label: 'Audit log', requires: 'audit/list' },
    { path: '/sync', label: 'Sync', requires: 'sync/status' },
    { path: '/system', label: 'About and backups', requires: 'app/about' },
  ];
  return all.filter((screen) => accessFor(screen.requires, role) !== null);
}

/** Where a role lands after signing in: field staff on their tasks, everyone else on the dashboard. */
export function homeOf(role: SignInRole): string {
  if (isFieldStaff(role)) return '/tasks';
  return screensFor(role)[0]?.path ?? '/account';
}

/** Where each kind of record found by the search opens, for a role that may open it. */
export const RECORD_PATHS = {
  property: (id: string) => `/properties/${id}`,
  reservation: (id: string) => `/reservations/${id}`,
  /** A guest's page: contact, stays past and upcoming, what they spent. */
  guest: (id: string) => `/guests/${id}`,
  /** A task opens with what it belongs to: its stay, else its property, else the task list. */
  task: (task: { reservationId: string | null; propertyId: string }, role: SignInRole) => {
    if (task.reservationId && accessFor('reservations/get', role)) return `/reservations/${task.reservationId}`;
    if (accessFor('properties/overview', role)) return `/properties/${task.propertyId}`;
    return '/tasks';
  },
};
