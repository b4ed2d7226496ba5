// Choosing a location, a property or a person: searchable selects fed by the same operations
// as the lists, so each shows only what the user may see.
import { Select, type SelectProps } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import type { UserRole } from '../../db/domain/enums.js';
import { useOperation } from '../api/operations.js';

type PickerProps = Omit<SelectProps, 'data' | 'value' | 'onChange'> & {
  value?: string | null;
  onChange: (value: string | null) => void;
};

export function LocationSelect(props: PickerProps) {
  const locations = useOperation('locations/list', { includeInactive: false });
  return (
    <Select
      searchable
      nothingFoundMessage={locations.isPending ? 'Loading…' : 'No locations yet: add one under Locations'}
      data={(locations.data ?? []).map((l) => ({ value: l.id, label: `${l.name} (${l.city})` }))}
      {...props}
    />
  );
}

export function PropertySelect(props: PickerProps) {
  const [search, setSearch] = useState('');
  const [term] = useDebouncedValue(search, 200);
  const list = useOperation('properties/list', { search: term || undefined, limit: 50 }, { keepPrevious: true });
  const chosen = useOperation('properties/get', { id: props.value ?? '' }, { enabled: Boolean(props.value) });
  const options = (list.data?.items ?? []).map((p) => ({ value: p.id!, label: p.name! }));
  if (chosen.data && !options.some((o) => o.value === chosen.data.id)) {
    options.unshift({ value: chosen.data.id!, label: chosen.data.name! });
  }
  return (
    <Select
      searchable
      onSearchChange={setSearch}
      filter={({ options: all }) => all}
      nothingFoundMessage={list.isPending ? 'Loading…' : 'No property matches'}
      data={options}
      {...props}
    />
  );
}

export function UserSelect({ roles, ...props }: PickerProps & { roles: UserRole[] }) {
  const [search, setSearch] = useState('');
  const [term] = useDebouncedValue(search, 200);
  const list = useOperation(
    'users/list',
    { role: roles, search: term || undefined, limit: 50 },
    { keepPrevious: true },
  );
  const chosen = useOperation('users/get', { id: props.value ?? '' }, { enabled: Boolean(props.value) });
  const options = (list.data?.items ?? []).map((u) => ({
    value: u.id,
    label: `${u.firstName} ${u.lastName} · ${u.email}`,
  }));
  if (chosen.data && !options.some((o) => o.value === chosen.data.id)) {
    options.unshift({
      value: chosen.data.id,
      label: `${chosen.data.firstName} ${chosen.data.lastName} · ${chosen.data.email}`,
    });
  }
  return (
    <Select
      searchable
      onSearchChange={setSearch}
      filter={({ options: all }) => all}
      nothingFoundMessage={list.isPending ? 'Loading…' : 'Nobody matches'}
      data={options}
      {...props}
    />
  );
}
