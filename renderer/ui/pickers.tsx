// Choosing a location, a property or a person: searchable selects fed by the same operations
// as the lists, so each shows only what the user may see. A second click on the chosen option
// keeps it (only the clear button, where there is one, empties the field).
import { Select, type ComboboxData, type ComboboxItem, type SelectProps } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import type { TaskType, UserRole } from '../../db/domain/enums.js';
import type { OutputOf } from '../../main/contract.js';
import { useOperation } from '../api/operations.js';
import { label as words, personName } from '../format.js';

type PickerProps = Omit<SelectProps, 'data' | 'value' | 'onChange'> & {
  value?: string | null;
  onChange: (value: string | null) => void;
};

export function LocationSelect(props: PickerProps) {
  const locations = useOperation('locations/list', { includeInactive: false });
  return (
    <Select
      searchable
      allowDeselect={false}
      nothingFoundMessage={locations.isPending ? 'Loading…' : 'No locations yet: add one under Locations'}
      data={(locations.data ?? []).map((l) => ({ value: l.id, label: `${l.name} (${l.city})` }))}
      {...props}
    />
  );
}

/**
 * The search behind a select whose options come from main. The chosen option is remembered, so
 * it stays shown while the list is refetched; and once chosen, its label is not used as a search.
 */
function useOptionSearch() {
  const [text, setText] = useState('');
  const [picked, setPicked] = useState<ComboboxItem | null>(null);
  const [term] = useDebouncedValue(text === picked?.label ? '' : text, 200);
  const withChosen = (found: ComboboxItem[], value: string | null | undefined, chosenLabel: string | undefined) => {
    if (!value || found.some((o) => o.value === value)) return found;
    const label = picked?.value === value ? picked.label : chosenLabel;
    return label ? [{ value, label }, ...found] : found;
  };
  return { term: term || undefined, setText, setPicked, withChosen };
}

export function PropertySelect({ onChange, ...props }: PickerProps) {
  const search = useOptionSearch();
  const list = useOperation('properties/list', { search: search.term, limit: 50 }, { keepPrevious: true });
  const chosen = useOperation('properties/get', { id: props.value ?? '' }, { enabled: Boolean(props.value) });
  const found = (list.data?.items ?? []).map((p) => ({ value: p.id!, label: p.name! }));
  return (
    <Select
      searchable
      allowDeselect={false}
      onSearchChange={search.setText}
      filter={({ options }) => options}
      nothingFoundMessage={list.isPending ? 'Loading…' : 'No property matches'}
      data={search.withChosen(found, props.value, chosen.data?.name)}
      onChange={(value, option) => {
        search.setPicked(option);
        onChange(value);
      }}
      {...props}
    />
  );
}

const personLabel = (u: { firstName: string; lastName: string; email: string }) =>
  `${u.firstName} ${u.lastName} · ${u.email}`;

/** `known`: a person the caller already has in hand (just created), shown even if the search cannot find them. */
export function UserSelect({
  roles,
  known,
  onChange,
  ...props
}: PickerProps & { roles: UserRole[]; known?: ComboboxItem | null }) {
  const search = useOptionSearch();
  const list = useOperation('users/list', { role: roles, search: search.term, limit: 50 }, { keepPrevious: true });
  const isKnown = Boolean(known && known.value === props.value);
  const chosen = useOperation('users/get', { id: props.value ?? '' }, { enabled: Boolean(props.value) && !isKnown });
  const found = (list.data?.items ?? []).map((u) => ({ value: u.id, label: personLabel(u) }));
  const chosenLabel = isKnown ? known?.label : chosen.data ? personLabel(chosen.data) : undefined;
  return (
    <Select
      searchable
      allowDeselect={false}
      onSearchChange={search.setText}
      filter={({ options }) => options}
      nothingFoundMessage={list.isPending ? 'Loading…' : 'Nobody matches'}
      data={search.withChosen(found, props.value, chosenLabel)}
      onChange={(value, option) => {
        search.setPicked(option);
        onChange(value);
      }}
      {...props}
    />
  );
}

type Assignee = OutputOf<'tasks/assignees'>['items'][number];

/** "Carla Dias · Cleaner · Lisbon": who they are, what they do, where they work. */
const assigneeLabel = (p: Assignee) => [personName(p), words(p.role), p.locationName ?? 'no location yet'].join(' · ');

/**
 * The people a task may go to: those whose work this type of task is come first (those working
 * where the property is before others), then the others who may take it, then, greyed out,
 * those the rules keep from it, so the list never hides why someone is missing.
 */
export function AssigneeSelect({
  type,
  propertyId,
  onChange,
  ...props
}: PickerProps & { type?: TaskType | null; propertyId?: string | null }) {
  const search = useOptionSearch();
  const list = useOperation(
    'tasks/assignees',
    { type: type ?? undefined, propertyId: propertyId || undefined, search: search.term },
    { keepPrevious: true },
  );
  const chosen = useOperation('users/get', { id: props.value ?? '' }, { enabled: Boolean(props.value) });
  const people = list.data?.items ?? [];
  const option = (p: Assignee): ComboboxItem => ({ value: p.id, label: assigneeLabel(p), disabled: !p.eligible });
  const groups: { group: string; items: ComboboxItem[] }[] = [
    { group: 'Suited to this task', items: people.filter((p) => p.suited).map(option) },
    { group: 'Others who may take it', items: people.filter((p) => p.eligible && !p.suited).map(option) },
    { group: 'Not allowed this task', items: people.filter((p) => !p.eligible).map(option) },
  ].filter((g) => g.items.length > 0);
  const flat = people.map(option);
  const known = people.find((p) => p.id === props.value);
  const chosenLabel = known ? assigneeLabel(known) : chosen.data ? personName(chosen.data) : undefined;
  const missing = search.withChosen(flat, props.value, chosenLabel).filter((o) => !flat.includes(o));
  const data: ComboboxData = type ? [...missing, ...groups] : [...missing, ...flat];
  return (
    <Select
      searchable
      allowDeselect={false}
      onSearchChange={search.setText}
      filter={({ options }) => options}
      nothingFoundMessage={list.isPending ? 'Loading…' : 'Nobody matches'}
      data={data}
      onChange={(value, picked) => {
        search.setPicked(picked);
        onChange(value);
      }}
      {...props}
    />
  );
}
