// Shapes of the JSON columns, shared by both schemas.

export interface Coordinates {
  lat: number;
  lng: number;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** One row change inside a changeset (ARCHITECTURE.md, sync protocol). */
export interface ChangesetOp {
  table: string;
  op: 'insert' | 'update' | 'delete';
  id: string;
  /** insert: the whole row; update: only the changed columns; delete: absent. */
  values?: JsonObject;
  /** update: the changed columns as this device saw them before the edit (stale edits are refused). */
  expected?: JsonObject;
}
