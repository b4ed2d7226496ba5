// Properties: who owns and looks after them, where they are, and when they may be archived.
import { accessFor } from '../policy/access.js';
import { MANAGER_ONLY_PROPERTY_COLUMNS } from '../policy/roles.js';
import { factsOfRow, type ChangeRule, type RowRule } from './rulebook.js';

const table = 'properties' as const;

export const propertyRowRules: RowRule[] = [
  {
    id: 'properties.owner-is-owner',
    table,
    field: 'ownerId',
    label: 'Owner',
    code: 'validation',
    columns: ['owner_id'],
    stage: 'before',
    holds: `:r_owner_id IS NULL OR EXISTS (SELECT 1 FROM users u WHERE u.id = :r_owner_id AND u.role = 'OWNER')`,
    message: 'must be an owner',
  },
  {
    id: 'properties.agent-is-agent',
    table,
    field: 'agentId',
    label: 'Agent',
    code: 'validation',
    columns: ['agent_id'],
    stage: 'before',
    holds: `:r_agent_id IS NULL OR EXISTS (SELECT 1 FROM users u WHERE u.id = :r_agent_id AND u.role = 'AGENT')`,
    message: 'must be an agent',
  },
  {
    id: 'properties.location-exists',
    table,
    field: 'locationId',
    label: 'Location',
    code: 'validation',
    columns: ['location_id'],
    // Before the write: the database's own foreign key would refuse it first, without the field.
    stage: 'before',
    holds: `EXISTS (SELECT 1 FROM locations l WHERE l.id = :r_location_id)`,
    message: 'must be an existing location',
  },
  {
    id: 'properties.archived-without-stays',
    table,
    field: 'archivedAt',
    label: 'Archive',
    code: 'conflict',
    columns: ['archived_at'],
    onInsert: false,
    holds: `r.archived_at IS NULL OR NOT EXISTS (SELECT 1 FROM reservations v WHERE v.property_id = r.id
              AND v.status IN ('PENDING', 'CONFIRMED', 'CHECKED_IN') AND v.check_out > :today)`,
    facts: factsOfRow(
      table,
      `r.name, (SELECT count(*) FROM reservations v WHERE v.property_id = r.id
         AND v.status IN ('PENDING', 'CONFIRMED', 'CHECKED_IN') AND v.check_out > :today) AS upcoming`,
    ),
    message: (f) =>
      `${String(f.name)} has ${String(f.upcoming)} current or upcoming reservations: move or cancel them before archiving it.`,
  },
];

export const propertyChangeRules: ChangeRule[] = [
  {
    id: 'properties.managers-assign',
    table,
    field: 'agentId',
    label: 'Owner, agent and status',
    code: 'forbidden',
    columns: MANAGER_ONLY_PROPERTY_COLUMNS,
    onInsert: false,
    refuse: ({ before, after, actor }) =>
      accessFor('properties/update', actor.role) === 'scoped' &&
      MANAGER_ONLY_PROPERTY_COLUMNS.some((c) => before![c] !== after![c])
        ? 'Only managers change a property’s owner, agent or status.'
        : null,
  },
  {
    id: 'properties.archived-once',
    table,
    field: 'archivedAt',
    label: 'Archive',
    code: 'conflict',
    columns: ['archived_at'],
    onInsert: false,
    refuse: ({ before }) => (before!.archived_at ? 'This property is already archived.' : null),
  },
];
