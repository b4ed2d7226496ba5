// A list page: the operation's keyset pages drawn as a table, with its loading, empty and error
// states, the pager with the list's total, and the export of every row these filters select.
// Every list screen (properties, reservations, tasks, ledger) is one.
import { Stack } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { InputOf, OutputOf } from '../../main/contract.js';
import { callOrThrow, useOperation, type CallError } from '../api/operations.js';
import { DataTable, type DataTableProps } from './data-table.js';
import { EXPORT_COLUMNS } from './export-columns.js';
import type { ExportColumn } from './export-format.js';
import { ExportMenu, type ExportPage, type ExportSource } from './export.js';
import { Pager, useKeysetPages } from './pager.js';
import { QueryView } from './states.js';

export type KeysetList = 'properties/list' | 'reservations/list' | 'tasks/list' | 'ledger/list';
export type ItemOf<N extends KeysetList> = OutputOf<N>['items'][number];
type Filters<N extends KeysetList> = Omit<InputOf<N>, 'cursor' | 'limit'>;

/** A page as every keyset list answers it; `total` counts every row the filters select. */
interface KeysetPage<T> {
  items: T[];
  nextCursor: string | null;
  total?: number;
}

/** The most rows a list operation gives in one call: exports read in pages this large. */
const EXPORT_PAGE_SIZE = 200;

/** Every page of a keyset list for these filters, following its cursors from the first. */
async function* keysetPages<N extends KeysetList>(
  name: N,
  filters: Filters<N>,
  signal: AbortSignal,
): AsyncGenerator<ExportPage<ItemOf<N>>> {
  let cursor: string | undefined;
  do {
    const input = { ...filters, limit: EXPORT_PAGE_SIZE, cursor } as InputOf<N>;
    const page = (await callOrThrow(name, input)) as KeysetPage<ItemOf<N>>;
    yield page;
    cursor = page.nextCursor ?? undefined;
  } while (cursor && !signal.aborted);
}

/** The current page of a keyset list for these filters; a change of filters starts at page 1. */
export function usePagedList<N extends KeysetList>(name: N, filters: Filters<N>, limit: number) {
  const pages = useKeysetPages(JSON.stringify(filters));
  const query = useOperation(name, { ...filters, limit, cursor: pages.cursor } as InputOf<N>, { keepPrevious: true });
  return {
    query,
    pages,
    limit,
    /** Every row these filters select, for an export: the same operation, page after page. */
    exportable: {
      columns: EXPORT_COLUMNS[name] as ExportColumn<ItemOf<N>>[],
      pages: (signal: AbortSignal) => keysetPages(name, filters, signal),
    },
  };
}

export interface PagedList<T> {
  query: UseQueryResult<KeysetPage<T>, CallError>;
  pages: ReturnType<typeof useKeysetPages>;
  limit: number;
  exportable: Omit<ExportSource<T>, 'title'>;
}

export function PagedTable<T>({
  list,
  loading,
  exportTitle,
  exportColumns,
  ...table
}: {
  list: PagedList<T>;
  loading: string;
  /** The export's file and sheet name; the table's label unless given. */
  exportTitle?: string;
  /** What each row exports as, when it should differ from the list's usual export columns. */
  exportColumns?: readonly ExportColumn<T>[];
} & Omit<DataTableProps<T>, 'data'>) {
  const { query, pages } = list;
  const source: ExportSource<T> = {
    ...list.exportable,
    title: exportTitle ?? table.label,
    columns: exportColumns ?? list.exportable.columns,
  };
  return (
    <QueryView query={query} loading={loading}>
      {(data) => (
        <Stack gap="sm">
          {data.items.length > 0 && <ExportMenu source={source} />}
          <DataTable data={data.items} {...table} />
          <Pager
            page={pages.page}
            pageSize={list.limit}
            nextCursor={data.nextCursor}
            onNext={pages.next}
            onPrevious={pages.previous}
            shown={data.items.length}
            total={data.total}
          />
        </Stack>
      )}
    </QueryView>
  );
}
