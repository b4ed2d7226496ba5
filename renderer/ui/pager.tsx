// Keyset pages: "next" follows the cursor main returned; "previous" goes back through the
// cursors already seen. A change of filters starts again from the first page.
import { Button, Group, Text } from '@mantine/core';
import { useState } from 'react';

export function useKeysetPages(filtersKey: string) {
  const [state, setState] = useState<{ key: string; cursors: (string | undefined)[] }>({
    key: filtersKey,
    cursors: [undefined],
  });
  const cursors = state.key === filtersKey ? state.cursors : [undefined];
  return {
    cursor: cursors.at(-1),
    page: cursors.length,
    next: (cursor: string) => setState({ key: filtersKey, cursors: [...cursors, cursor] }),
    previous: () => setState({ key: filtersKey, cursors: cursors.slice(0, -1) }),
  };
}

export function Pager({
  page,
  nextCursor,
  onNext,
  onPrevious,
  shown,
}: {
  page: number;
  nextCursor: string | null | undefined;
  onNext: (cursor: string) => void;
  onPrevious: () => void;
  shown: number;
}) {
  if (page === 1 && !nextCursor) return null;
  return (
    <Group justify="space-between">
      <Text size="sm" c="dimmed">
        Page {page} · {shown} shown
      </Text>
      <Group gap="xs">
        <Button variant="default" size="xs" disabled={page === 1} onClick={onPrevious}>
          Previous
        </Button>
        <Button variant="default" size="xs" disabled={!nextCursor} onClick={() => nextCursor && onNext(nextCursor)}>
          Next
        </Button>
      </Group>
    </Group>
  );
}

/** Pages by offset, for the lists that count their rows (people, the audit log). */
export function OffsetPager({
  offset,
  pageSize,
  total,
  onChange,
  labels = ['Previous', 'Next'],
}: {
  offset: number;
  pageSize: number;
  total: number;
  onChange: (offset: number) => void;
  labels?: [string, string];
}) {
  if (total <= pageSize) return null;
  return (
    <Group justify="space-between">
      <Text size="sm" c="dimmed">
        {offset + 1}–{Math.min(offset + pageSize, total)} of {total}
      </Text>
      <Group gap="xs">
        <Button size="xs" variant="default" disabled={offset === 0} onClick={() => onChange(offset - pageSize)}>
          {labels[0]}
        </Button>
        <Button
          size="xs"
          variant="default"
          disabled={offset + pageSize >= total}
          onClick={() => onChange(offset + pageSize)}
        >
          {labels[1]}
        </Button>
      </Group>
    </Group>
  );
}
