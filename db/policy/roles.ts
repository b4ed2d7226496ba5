// Who may use the app, and what each role is for. GUEST is a CRM record, never a user of the app.
import type { UserRole } from '../domain/enums.js';

export const SIGN_IN_ROLES = [
  'ADMIN',
  'MANAGER',
  'AGENT',
  'OWNER',
  'CLEANER',
  'MAINTENANCE_STAFF',
] as const satisfies readonly UserRole[];
export type SignInRole = (typeof SIGN_IN_ROLES)[number];

export function canSignIn(role: UserRole): role is SignInRole {
  return (SIGN_IN_ROLES as readonly string[]).includes(role);
}

/** Field staff see tasks and the operational side of properties; never money or guest contacts. */
export const FIELD_STAFF = ['CLEANER', 'MAINTENANCE_STAFF'] as const satisfies readonly SignInRole[];

/** Whose accounts a role may create and change: managers all but admins, agents only guests. */
export function mayAdminister(me: SignInRole, role: UserRole): boolean {
  if (me === 'ADMIN') return true;
  if (me === 'MANAGER') return role !== 'ADMIN';
  return me === 'AGENT' && role === 'GUEST';
}

/** Property columns only managers change: who owns it, who looks after it, and whether it is let. */
export const MANAGER_ONLY_PROPERTY_COLUMNS = ['owner_id', 'agent_id', 'status'] as const;
