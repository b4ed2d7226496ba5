// Tables: column definitions and cells from TanStack Table, drawn with Mantine. Sorting and paging
// happen in main (the lists are keyset-paginated), so the table only reports the sort chosen.
// Rows open with a click, or with Enter when focused: every table works from the keyboard.
import { Table, Text, UnstyledButton } from '@mantine/core';
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef, type SortingState } from '@tanstack/react-table';
import type { KeyboardEvent, ReactNode } from 'react';

export interface DataTableProps<T> {
  data: T[];
  columns: ColumnDef<T, unknown>[];
  rowKey: (row: T) => string;
  onOpen?: (row: T) => void;
  sorting?: SortingState;
  onSortingChange?: (sorting: SortingState) => void;
  empty: ReactNode;
  label: string;
}

export function DataTable<T>(props: DataTableProps<T>) {
  const table = useReactTable({
    data: props.data,
    columns: props.columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: props.rowKey,
  });
  if (props.data.length === 0) return <>{props.empty}</>;
  const open = (row: T) => props.onOpen?.(row);
  const onKey = (event: KeyboardEvent, row: T) => {
    if (event.key === 'Enter') open(row);
  };
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table striped highlightOnHover={Boolean(props.onOpen)} aria-label={props.label} verticalSpacing="xs">
        <Table.Thead>
          {table.getHeaderGroups().map((group) => (
            <Table.Tr key={group.id}>
              {group.headers.map((header) => {
                const sorted = props.sorting?.[0]?.id === header.id ? (props.sorting[0]!.desc ? 'desc' : 'asc') : false;
                const content = flexRender(header.column.columnDef.header, header.getContext());
                // Columns opt in with enableSorting: the sort itself happens in main.
                const sortable = props.onSortingChange && header.column.columnDef.enableSorting === true;
                const toggle = () => props.onSortingChange?.([{ id: header.id, desc: sorted === 'asc' }]);
                return (
                  <Table.Th
                    key={header.id}
                    aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                  >
                    {sortable ? (
                      <UnstyledButton
                        onClick={toggle}
                        fw={600}
                        fz="sm"
                        aria-label={`Sort by ${String(header.column.columnDef.header)}`}
                      >
                        {content}{' '}
                        {sorted === 'asc' ? (
                          '▲'
                        ) : sorted === 'desc' ? (
                          '▼'
                        ) : (
                          <Text span c="dimmed">
                            ↕
                          </Text>
                        )}
                      </UnstyledButton>
                    ) : (
                      content
                    )}
                  </Table.Th>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Thead>
        <Table.Tbody>
          {table.getRowModel().rows.map((row) => (
            <Table.Tr
              key={row.id}
              tabIndex={props.onOpen ? 0 : undefined}
              onClick={props.onOpen ? () => open(row.original) : undefined}
              onKeyDown={props.onOpen ? (event) => onKey(event, row.original) : undefined}
              style={props.onOpen ? { cursor: 'pointer' } : undefined}
            >
              {row.getVisibleCells().map((cell) => (
                <Table.Td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
