// Calling operations from React: queries keyed by [operation, input] that refresh when main
// reports a change to a table they read, and actions that refresh what is on screen once done.
import {
  keepPreviousData,
  QueryClient,
  useMutation,
  useQuery,
  useQueryClient,
  type Query,
} from '@tanstack/react-query';
import { useEffect } from 'react';
import type { AppErrorData, ErrorCode, InputOf, OperationName, OutputOf, ChangeTopic } from '../../main/contract.js';
import { api } from './bridge.js';

/** A refused call, as the UI handles it: a stable code, a message for people, and field errors. */
export class CallError extends Error {
  readonly code: ErrorCode;
  readonly fields: Record<string, string>;
  constructor(error: AppErrorData) {
    super(error.message);
    this.code = error.code;
    this.fields = error.fields ?? {};
  }
}

export async function callOrThrow<N extends OperationName>(name: N, input?: InputOf<N>): Promise<OutputOf<N>> {
  const result = await api.call(name, input);
  if (!result.ok) throw new CallError(result.error);
  return result.value;
}

/** Which tables each group of operations reads: a change to one refreshes the group's queries. */
const READS: Record<string, readonly ChangeTopic[]> = {
  auth: ['users'],
  users: ['users', 'reservations', 'properties'],
  locations: ['locations'],
  properties: ['properties', 'locations', 'reservations', 'tasks', 'ledger_entries', 'users'],
  reservations: ['reservations', 'ledger_entries', 'properties', 'locations'],
  tasks: ['tasks', 'properties', 'reservations'],
  ledger: ['ledger_entries'],
  finance: ['ledger_entries', 'reservations', 'properties'],
  audit: ['audit_log'],
  guests: ['users', 'reservations', 'ledger_entries', 'properties'],
  availability: ['reservations', 'properties', 'locations', 'users'],
  search: ['properties', 'users', 'reservations', 'tasks', 'locations'],
  // The status changes with the outbox too (a local change waits to upload).
  sync: ['sync', 'users', 'locations', 'properties', 'reservations', 'tasks', 'ledger_entries', 'audit_log'],
};

const readsAny = (query: Query, tables: readonly ChangeTopic[]) => {
  const group = String(query.queryKey[0]).split('/')[0] ?? '';
  return (READS[group] ?? []).some((table) => tables.includes(table));
};

export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    defaultOptions: {
      queries: {
        // Main answers from a local database: a refused call will not succeed on a retry.
        retry: false,
        refetchOnWindowFocus: false,
        staleTime: 30_000,
      },
    },
  });
  client.getQueryCache().subscribe((event) => {
    const error = event.query.state.error;
    // A session that ended elsewhere (password changed, account deactivated) sends the user to sign-in.
    if (event.type === 'updated' && error instanceof CallError && error.code === 'unauthenticated') {
      void client.invalidateQueries({ queryKey: ['auth/status'] });
    }
  });
  return client;
}

/** Keeps the screen current: refreshes the queries that read a table main reports as changed. */
export function useChangeEvents(): void {
  const client = useQueryClient();
  useEffect(() => api.onChange((tables) => void refreshReaders(client, tables)), [client]);
}

/**
 * Marks the queries that read the changed tables stale and refetches those on screen. A query
 * still on its first fetch is started again: that fetch may have read before the change, and
 * invalidating would only wait for it (a query with no data yet keeps its running fetch).
 */
async function refreshReaders(client: QueryClient, tables: readonly ChangeTopic[]): Promise<void> {
  await client.cancelQueries({
    predicate: (query) =>
      readsAny(query, tables) && query.state.fetchStatus === 'fetching' && query.state.data === undefined,
  });
  await client.invalidateQueries({ predicate: (query) => readsAny(query, tables) });
}

export function useOperation<N extends OperationName>(
  name: N,
  input: InputOf<N>,
  options: { enabled?: boolean; keepPrevious?: boolean; refetchEveryMs?: number } = {},
) {
  return useQuery<OutputOf<N>, CallError>({
    queryKey: [name, input],
    queryFn: () => callOrThrow(name, input),
    enabled: options.enabled ?? true,
    placeholderData: options.keepPrevious ? keepPreviousData : undefined,
    refetchInterval: options.refetchEveryMs ?? false,
  });
}

export function useAction<N extends OperationName>(
  name: N,
  options: { onSuccess?: (value: OutputOf<N>) => void } = {},
) {
  const client = useQueryClient();
  return useMutation<OutputOf<N>, CallError, InputOf<N>>({
    mutationFn: (input) => callOrThrow(name, input),
    onSuccess: (value) => {
      // Everything on screen may show what just changed; only the visible queries refetch.
      void client.invalidateQueries();
      options.onSuccess?.(value);
    },
  });
}

/** After signing in or out: nothing cached for the previous user may show, and the app re-reads who is signed in. */
export async function afterSessionChange(client: QueryClient): Promise<void> {
  client.removeQueries({ predicate: (query) => query.queryKey[0] !== 'auth/status' });
  await client.refetchQueries({ queryKey: ['auth/status'] });
}
