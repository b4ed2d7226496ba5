// Pagers: one look on every list, "41–60 of 1,234" with Previous and Next. Keyset lists go
// "next" by the cursor main returned and "previous" back through the cursors already seen; a
// change of filters starts again from the first page. Lists that count their rows page by offset.
import { Button, Group, Text } from '@mantine/core';
import { useState } from 'react';
import { number } from '../format.js';

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

/** "41–60 of 1,234", "1 of 1"; without a total, "41–60". */
export function rangeText(first: number, last: number, total: number | null | undefined): string {
  const span = first === last ? number(first, 0) : `${number(first, 0)}–${number(last, 0)}`;
  return total == null ? span : `${span} of ${number(total, 0)}`;
}

function PagerBar({
  first,
  shown,
  total,
  hasPrevious,
  hasNext,
  onPrevious,
  onNext,
  labels = ['Previous', 'Next'],
}: {
  first: number;
  shown: number;
  total: number | null | undefined;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
  labels?: [string, string];
}) {
  if (shown === 0) return null;
  return (
    <Group justify="space-between" data-testid="pager">
      <Text size="sm" c="dimmed" aria-live="polite">
        {rangeText(first, first + shown - 1, total)}
      </Text>
      {(hasPrevious || hasNext) && (
        <Group gap="xs">
          <Button variant="default" size="xs" disabled={!hasPrevious} onClick={onPrevious}>
            {labels[0]}
          </Button>
          <Button variant="default" size="xs" disabled={!hasNext} onClick={onNext}>
            {labels[1]}
          </Button>
        </Group>
      )}
    </Group>
  );
}

/** Pages by keyset cursor; `pageSize` places the page's rows in the whole list. */
export function Pager({
  page,
  pageSize,
  nextCursor,
  onNext,
  onPrevious,
  shown,
  total,
}: {
  page: number;
  pageSize: number;
  nextCursor: string | null | undefined;
  onNext: (cursor: string) => void;
  onPrevious: () => void;
  shown: number;
  total?: number | null;
}) {
  return (
    <PagerBar
      first={(page - 1) * pageSize + 1}
      shown={shown}
      total={total}
      hasPrevious={page > 1}
      hasNext={Boolean(nextCursor)}
      onPrevious={onPrevious}
      onNext={() => nextCursor && onNext(nextCursor)}
    />
  );
}

/** Pages by offset, for the lists that count their rows (people, the audit log). */
export function OffsetPager({
  offset,
  pageSize,
  total,
  onChange,
  labels,
}: {
  offset: number;
  pageSize: number;
  total: number;
  onChange: (offset: number) => void;
  labels?: [string, string];
}) {
  return (
    <PagerBar
      first={offset + 1}
      shown={Math.max(0, Math.min(pageSize, total - offset))}
      total={total}
      hasPrevious={offset > 0}
      hasNext={offset + pageSize < total}
      onPrevious={() => onChange(offset - pageSize)}
      onNext={() => onChange(offset + pageSize)}
      labels={labels}
    />
  );
}
