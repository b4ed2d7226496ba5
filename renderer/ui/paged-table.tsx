// A list page: the operation's keyset pages drawn as a table, with its loading, empty and error
// states and the pager. Every list screen (properties, reservations, tasks, ledger) is one.
import { Stack } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { InputOf, OutputOf } from '../../main/contract.js';
import { useOperation, type CallError } from '../api/operations.js';
import { DataTable, type DataTableProps } from './data-table.js';
import { Pager, useKeysetPages } from './pager.js';
import { QueryView } from './states.js';

type KeysetList = 'properties/list' | 'reservations/list' | 'tasks/list' | 'ledger/list';
export type ItemOf<N extends KeysetList> = OutputOf<N>['items'][number];

/** The current page of a keyset list for these filters; a change of filters starts at page 1. */
export function usePagedList<N extends KeysetList>(
  name: N,
  filters: Omit<InputOf<N>, 'cursor' | 'limit'>,
  limit: number,
) {
  const pages = useKeysetPages(JSON.stringify(filters));
  const query = useOperation(name, { ...filters, limit, cursor: pages.cursor } as InputOf<N>, { keepPrevious: true });
  return { query, pages };
}

export interface PagedList<T> {
  query: UseQueryResult<{ items: T[]; nextCursor: string | null }, CallError>;
  pages: ReturnType<typeof useKeysetPages>;
}

export function PagedTable<T>({
  list,
  loading,
  ...table
}: { list: PagedList<T>; loading: string } & Omit<DataTableProps<T>, 'data'>) {
  const { query, pages } = list;
  return (
    <QueryView query={query} loading={loading}>
      {(data) => (
        <Stack gap="sm">
          <DataTable data={data.items} {...table} />
          <Pager
            page={pages.page}
            nextCursor={data.nextCursor}
            onNext={pages.next}
            onPrevious={pages.previous}
            shown={data.items.length}
          />
        </Stack>
      )}
    </QueryView>
  );
}
