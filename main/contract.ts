// The one typed surface between the UI and main: which operations exist, what each takes and
// returns, and how change events arrive. The preload bridge is checked against `RoomyApi` with
// `satisfies`, the browser-host client implements it, and the renderer imports only these types.
import type { z } from 'zod';
import type { AppErrorData, ErrorCode, Result } from './core/errors.js';
import type { SyncedTableName } from './core/synced-tables.js';
import type { Contract, OperationName } from './operations/index.js';

export type { AppErrorData, ErrorCode, OperationName, Result, SyncedTableName };

/** What a caller may send: the schema's input type, so fields with defaults are optional. */
export type InputOf<N extends OperationName> = z.input<Contract[N]['input']>;

/** What the operation answers with, once it has run. */
export type OutputOf<N extends OperationName> = Awaited<ReturnType<Contract[N]['run']>>;

/** Tables whose rows changed, or 'sync' when the sync status did. */
export type ChangeTopic = SyncedTableName | 'sync';
export type ChangeListener = (tables: ChangeTopic[]) => void;

export interface RoomyApi {
  call<N extends OperationName>(name: N, input?: InputOf<N>): Promise<Result<OutputOf<N>>>;
  /** Tells the listener which tables changed after each committed change; returns the unsubscribe. */
  onChange(listener: ChangeListener): () => void;
}

/** The IPC channels the preload and the Electron shell speak over. */
export const IPC_CHANNELS = { call: 'roomy:call', changed: 'roomy:changed' } as const;
