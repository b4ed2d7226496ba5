// Who is signed in, as main reported it, and what their role may use. The navigation and the
// buttons follow the same policy table main enforces (db/policy/access.ts); main still checks
// every call, so hiding a button is a courtesy, never the protection.
import { createContext, useContext } from 'react';
import { accessFor, type GuardedOperation } from '../../db/policy/access.js';
import { FIELD_STAFF } from '../../db/policy/roles.js';
import type { OutputOf } from '../../main/contract.js';

export type Identity = NonNullable<OutputOf<'auth/status'>['identity']>;

const SessionContext = createContext<Identity | null>(null);
export const SessionProvider = SessionContext.Provider;

export function useIdentity(): Identity {
  const identity = useContext(SessionContext);
  if (!identity) throw new Error('useIdentity is used outside a signed-in screen');
  return identity;
}

export function useCan(): (operation: GuardedOperation) => boolean {
  const { role } = useIdentity();
  return (operation) => accessFor(operation, role) !== null;
}

export const isFieldStaff = (role: string) => (FIELD_STAFF as readonly string[]).includes(role);
