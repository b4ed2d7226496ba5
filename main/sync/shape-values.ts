// Shape messages carry Postgres text; the Electric client parses it by the schema header. These
// parsers give the local forms instead: int8 as a number (our integers are minor units and
// counts, far below 2^53) and timestamptz as the ISO text SQLite keeps (`...T08:00:00.000Z`).
import { FetchError, ShapeStream, type Message, type Row } from '@electric-sql/client';
import type { ColumnValues } from './replica.js';

const PG_UTC = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d+))?\+00$/;

export function isoFromPostgres(text: string): string {
  const m = PG_UTC.exec(text);
  if (m) return `${m[1]}T${m[2]}.${(m[3] ?? '').padEnd(3, '0').slice(0, 3)}Z`;
  return new Date(text.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')).toISOString();
}

export const SHAPE_PARSER = {
  int8: (value: string) => Number(value),
  timestamptz: isoFromPostgres,
};

/** Backoff for shape requests: quick to notice a server that is back, gentle on one that is not. */
export const SHAPE_BACKOFF = { initialDelay: 250, maxDelay: 10_000, multiplier: 2 };

/**
 * The rows of one table (those matching a narrowing `where`), read once, not followed. 'unreadable' if
 * this user may not read the table at all.
 */
export function readRowsOnce(
  url: string,
  fetchClient: typeof fetch,
  table: string,
  where: { sql: string; params: string[] } | null,
  timeoutMs = 15_000,
): Promise<ColumnValues[] | 'unreadable'> {
  return new Promise((resolve, reject) => {
    const controller = new AbortController();
    const rows = new Map<string, ColumnValues>();
    const finish = (outcome: () => void) => {
      clearTimeout(timer);
      controller.abort();
      outcome();
    };
    const timer = setTimeout(
      () => finish(() => reject(new Error(`Reading ${table} from the sync server took too long.`))),
      timeoutMs,
    );
    const stream = new ShapeStream<Row>({
      url: `${url}/v1/shape`,
      params: where ? { table, where: where.sql, params: where.params } : { table },
      fetchClient,
      parser: SHAPE_PARSER,
      backoffOptions: { ...SHAPE_BACKOFF, maxRetries: 3 },
      signal: controller.signal,
      onError: (error) => {
        if (error instanceof FetchError && error.status === 403) finish(() => resolve('unreadable'));
        else finish(() => reject(error instanceof Error ? error : new Error(String(error))));
      },
    });
    stream.subscribe((messages: Message<Row>[]) => {
      for (const message of messages) {
        if ('key' in message) {
          if (message.headers.operation === 'delete') rows.delete(String(message.value.id));
          else rows.set(String(message.value.id), { ...rows.get(String(message.value.id)), ...message.value });
        } else if (message.headers.control === 'up-to-date') {
          finish(() => resolve([...rows.values()]));
        }
      }
    });
  });
}
