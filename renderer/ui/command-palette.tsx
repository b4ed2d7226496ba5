// The search palette (Ctrl+K, ⌘K on a Mac): a few letters find properties, guests, reservations
// and tasks, as far as the user may see them; the arrow keys pick one and Enter opens it.
import { Group, Kbd, Loader, Modal, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useId, useMemo, useState, type KeyboardEvent } from 'react';
import type { OutputOf } from '../../main/contract.js';
import { useOperation } from '../api/operations.js';
import { formatDate, label } from '../format.js';
import './command-palette.css';

type Found = OutputOf<'search/everything'>;

/** One line of the palette: what it is, what it says, and where it leads. */
export interface PaletteHit {
  key: string;
  group: string;
  title: string;
  detail: string;
  /** Opens the record; the palette closes first. */
  open: () => void;
}

const GROUPS = ['Properties', 'Guests', 'Reservations', 'Tasks'] as const;

export interface HitTargets {
  property: (hit: NonNullable<Found['properties']>[number]) => void;
  guest: (hit: NonNullable<Found['guests']>[number]) => void;
  reservation: (hit: NonNullable<Found['reservations']>[number]) => void;
  task: (hit: NonNullable<Found['tasks']>[number]) => void;
}

function hitsOf(found: Found, targets: HitTargets): PaletteHit[] {
  return [
    ...(found.properties ?? []).map((p) => ({
      key: `p-${p.id}`,
      group: 'Properties',
      title: p.name,
      detail: [p.nickname, p.address, p.locationName].filter(Boolean).join(' · '),
      open: () => targets.property(p),
    })),
    ...(found.guests ?? []).map((g) => ({
      key: `g-${g.id}`,
      group: 'Guests',
      title: `${g.firstName} ${g.lastName}`,
      detail: g.email,
      open: () => targets.guest(g),
    })),
    ...(found.reservations ?? []).map((r) => ({
      key: `r-${r.id}`,
      group: 'Reservations',
      title: `${r.guestName} at ${r.propertyName}`,
      detail: `${formatDate(r.checkIn)} → ${formatDate(r.checkOut)} · ${label(r.status)}`,
      open: () => targets.reservation(r),
    })),
    ...(found.tasks ?? []).map((t) => ({
      key: `t-${t.id}`,
      group: 'Tasks',
      title: t.title,
      detail: [t.propertyName, label(t.status), t.scheduledAt ? formatDate(t.scheduledAt.slice(0, 10)) : null]
        .filter(Boolean)
        .join(' · '),
      open: () => targets.task(t),
    })),
  ];
}

export function CommandPalette({
  opened,
  onClose,
  targets,
}: {
  opened: boolean;
  onClose: () => void;
  targets: HitTargets;
}) {
  const [text, setText] = useState('');
  const [active, setActive] = useState(0);
  const [term] = useDebouncedValue(text.trim(), 150);
  const listId = useId();
  const searching = term.length >= 2;
  const found = useOperation(
    'search/everything',
    { query: term },
    { enabled: opened && searching, keepPrevious: true },
  );
  const hits = useMemo(
    () => (searching && found.data ? hitsOf(found.data, targets) : []),
    [searching, found.data, targets],
  );

  // Each new search starts at its first hit; a closed palette opens empty.
  useEffect(() => setActive(0), [term]);
  useEffect(() => {
    if (!opened) setText('');
  }, [opened]);

  const choose = (hit: PaletteHit | undefined) => {
    if (!hit) return;
    onClose();
    hit.open();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (hits.length === 0) return;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => (i + step + hits.length) % hits.length);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      choose(hits[active]);
    }
  };
  const optionId = (i: number) => `${listId}-${i}`;
  const waiting = searching && (found.isFetching || text.trim() !== term);

  return (
    <Modal opened={opened} onClose={onClose} title="Search" size="lg" yOffset="10vh" data-testid="command-palette">
      <Stack gap="sm">
        <TextInput
          data-autofocus
          role="combobox"
          aria-label="Search properties, guests, reservations and tasks"
          aria-expanded={hits.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={hits.length > 0 ? optionId(active) : undefined}
          placeholder="Property, guest, booking or task…"
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          onKeyDown={onKeyDown}
          rightSection={waiting ? <Loader size="xs" /> : null}
        />
        <div id={listId} role="listbox" aria-label="Found" className="command-palette-list">
          {GROUPS.map((group) => {
            const inGroup = hits.map((hit, index) => ({ hit, index })).filter(({ hit }) => hit.group === group);
            if (inGroup.length === 0) return null;
            return (
              <div key={group} role="group" aria-label={group}>
                <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="xs" pt="xs" aria-hidden>
                  {group}
                </Text>
                {inGroup.map(({ hit, index }) => (
                  <UnstyledButton
                    key={hit.key}
                    id={optionId(index)}
                    role="option"
                    aria-selected={index === active}
                    tabIndex={-1}
                    className="command-palette-option"
                    data-active={index === active || undefined}
                    onMouseMove={() => setActive(index)}
                    onClick={() => choose(hit)}
                  >
                    <Text size="sm" fw={600} truncate>
                      {hit.title}
                    </Text>
                    <Text size="xs" c="dimmed" truncate>
                      {hit.detail}
                    </Text>
                  </UnstyledButton>
                ))}
              </div>
            );
          })}
        </div>
        {!searching ? (
          <Text size="sm" c="dimmed">
            Type at least two letters: a name, an email, a booking reference, an address or a task.
          </Text>
        ) : found.isError ? (
          <Text size="sm" c="red" role="alert">
            {found.error.message}
          </Text>
        ) : !waiting && found.data && hits.length === 0 ? (
          <Text size="sm" c="dimmed" role="status">
            Nothing matches “{term}”.
          </Text>
        ) : null}
        <Group gap="xs" justify="flex-end">
          <Text size="xs" c="dimmed">
            <Kbd size="xs">↑</Kbd> <Kbd size="xs">↓</Kbd> to choose, <Kbd size="xs">Enter</Kbd> to open,{' '}
            <Kbd size="xs">Esc</Kbd> to close
          </Text>
        </Group>
      </Stack>
    </Modal>
  );
}
