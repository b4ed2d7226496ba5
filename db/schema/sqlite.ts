// The local schema: one SQLite file per device. Mirrors postgres.ts table for table; the
// differences are listed, with reasons, in db/parity-exceptions.ts and tested.
import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
  type AnySQLiteColumn,
} from 'drizzle-orm/sqlite-core';
import {
  LEDGER_ENTRY_STATUSES,
  LEDGER_ENTRY_TYPES,
  PROPERTY_STATUSES,
  PROPERTY_TYPES,
  RESERVATION_STATUSES,
  TASK_PRIORITIES,
  TASK_STATUSES,
  TASK_TYPES,
  USER_ROLES,
  USER_STATUSES,
} from '../domain/enums.js';
import {
  bool,
  calendarDate,
  createdAt,
  currency,
  enumCheck,
  id,
  json,
  minorUnits,
  nonNegative,
  stringList,
  timestamp,
  updatedAt,
} from './columns-sqlite.js';
import type { ChangesetOp, Coordinates, JsonObject } from './json-types.js';

export const users = sqliteTable(
  'users',
  {
    id: id(),
    email: text('email').notNull(),
    phone: text('phone'),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    role: text('role', { enum: USER_ROLES }).notNull(),
    status: text('status', { enum: USER_STATUSES }).notNull().default('ACTIVE'),
    avatar: text('avatar'),
    country: text('country'),
    flag: text('flag'),
    isVerified: bool('is_verified').notNull().default(false),
    lastLoginAt: timestamp('last_login_at'),
    // A guest's record in the office (db/rules/users.ts keeps these to guests).
    notes: text('notes'),
    tags: stringList('tags'),
    /** Warned on every new booking for the guest; the reason says why. */
    doNotRent: bool('do_not_rent').notNull().default(false),
    doNotRentReason: text('do_not_rent_reason'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('users_email_unique').on(t.email),
    index('users_role_idx').on(t.role, t.status),
    index('users_name_idx').on(t.lastName, t.firstName),
    enumCheck('users_role_check', t.role, USER_ROLES),
    enumCheck('users_status_check', t.status, USER_STATUSES),
  ],
);

export const locations = sqliteTable(
  'locations',
  {
    id: id(),
    name: text('name').notNull(),
    city: text('city').notNull(),
    country: text('country').notNull(),
    region: text('region'),
    coordinates: json<Coordinates>('coordinates'),
    timeZone: text('time_zone').notNull(),
    currency: currency().notNull(),
    isActive: bool('is_active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('locations_name_unique').on(t.name)],
);

export const properties = sqliteTable(
  'properties',
  {
    id: id(),
    name: text('name').notNull(),
    nickname: text('nickname'),
    title: text('title'),
    status: text('status', { enum: PROPERTY_STATUSES }).notNull().default('ACTIVE'),
    type: text('type', { enum: PROPERTY_TYPES }).notNull(),
    address: text('address').notNull(),
    locationId: text('location_id')
      .notNull()
      .references(() => locations.id),
    ownerId: text('owner_id').references(() => users.id),
    agentId: text('agent_id').references(() => users.id),
    capacity: integer('capacity').notNull(),
    bedrooms: integer('bedrooms').notNull(),
    bathrooms: real('bathrooms').notNull(),
    area: real('area'),
    pricePerNightMinor: minorUnits('price_per_night_minor').notNull(),
    currency: currency().notNull(),
    description: text('description'),
    accessNotes: text('access_notes'),
    pricelabId: text('pricelab_id'),
    airbnbId: text('airbnb_id'),
    bookingId: text('booking_id'),
    primaryImage: text('primary_image'),
    tags: stringList('tags'),
    amenities: stringList('amenities'),
    houseRules: stringList('house_rules'),
    archivedAt: timestamp('archived_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('properties_nickname_unique').on(t.nickname),
    index('properties_location_idx').on(t.locationId, t.status),
    index('properties_status_idx').on(t.status),
    index('properties_owner_idx').on(t.ownerId),
    index('properties_agent_idx').on(t.agentId),
    index('properties_name_idx').on(t.name, t.id),
    enumCheck('properties_status_check', t.status, PROPERTY_STATUSES),
    enumCheck('properties_type_check', t.type, PROPERTY_TYPES),
    check('properties_capacity_check', sql`${t.capacity} >= 1`),
    nonNegative('properties_bedrooms_check', t.bedrooms),
    nonNegative('properties_bathrooms_check', t.bathrooms),
    check('properties_area_check', sql`${t.area} is null or ${t.area} > 0`),
    nonNegative('properties_price_check', t.pricePerNightMinor),
  ],
);

export const reservations = sqliteTable(
  'reservations',
  {
    id: id(),
    propertyId: text('property_id')
      .notNull()
      .references(() => properties.id),
    guestId: text('guest_id')
      .notNull()
      .references(() => users.id),
    agentId: text('agent_id').references(() => users.id),
    checkIn: calendarDate('check_in').notNull(),
    checkOut: calendarDate('check_out').notNull(),
    guests: integer('guests').notNull(),
    status: text('status', { enum: RESERVATION_STATUSES }).notNull().default('PENDING'),
    totalMinor: minorUnits('total_minor').notNull(),
    currency: currency().notNull(),
    guestName: text('guest_name').notNull(),
    guestEmail: text('guest_email').notNull(),
    guestPhone: text('guest_phone'),
    source: text('source').notNull(),
    sourceId: text('source_id'),
    specialRequests: text('special_requests'),
    notes: text('notes'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // Also serves the overlap trigger, which looks up a property's stays by check-in.
    index('reservations_property_dates_idx').on(
      t.propertyId,
      t.checkIn,
      t.checkOut,
      t.status,
      t.totalMinor,
      t.currency,
      t.createdAt,
      t.id,
    ),
    index('reservations_dates_idx').on(t.checkIn, t.checkOut),
    index('reservations_guest_idx').on(t.guestId),
    index('reservations_agent_idx').on(t.agentId),
    index('reservations_status_idx').on(t.status, t.checkIn),
    enumCheck('reservations_status_check', t.status, RESERVATION_STATUSES),
    check('reservations_dates_check', sql`${t.checkOut} > ${t.checkIn}`),
    check('reservations_guests_check', sql`${t.guests} >= 1`),
    nonNegative('reservations_total_check', t.totalMinor),
  ],
);

export const tasks = sqliteTable(
  'tasks',
  {
    id: id(),
    propertyId: text('property_id')
      .notNull()
      .references(() => properties.id),
    reservationId: text('reservation_id').references(() => reservations.id),
    assigneeId: text('assignee_id').references(() => users.id),
    type: text('type', { enum: TASK_TYPES }).notNull(),
    title: text('title').notNull(),
    description: text('description'),
    status: text('status', { enum: TASK_STATUSES }).notNull().default('PENDING'),
    priority: text('priority', { enum: TASK_PRIORITIES }).notNull().default('MEDIUM'),
    scheduledAt: timestamp('scheduled_at'),
    completedAt: timestamp('completed_at'),
    dueAt: timestamp('due_at'),
    costMinor: minorUnits('cost_minor'),
    estimatedCostMinor: minorUnits('estimated_cost_minor'),
    currency: currency(),
    tags: stringList('tags'),
    notes: text('notes'),
    attachments: stringList('attachments'),
    /** The steps of its type's checklist ticked so far (db/domain/task-checklists.ts). */
    checklistDone: stringList('checklist_done'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('tasks_assignee_idx').on(t.assigneeId, t.status, t.scheduledAt),
    index('tasks_status_idx').on(t.status, t.scheduledAt),
    index('tasks_property_idx').on(t.propertyId, t.scheduledAt),
    index('tasks_reservation_idx').on(t.reservationId),
    enumCheck('tasks_type_check', t.type, TASK_TYPES),
    enumCheck('tasks_status_check', t.status, TASK_STATUSES),
    enumCheck('tasks_priority_check', t.priority, TASK_PRIORITIES),
    nonNegative('tasks_cost_check', t.costMinor),
    nonNegative('tasks_estimated_cost_check', t.estimatedCostMinor),
    check(
      'tasks_currency_check',
      sql`(${t.costMinor} is null and ${t.estimatedCostMinor} is null) or ${t.currency} is not null`,
    ),
  ],
);

/** The seed's Transaction table. Append-only: triggers refuse UPDATE and DELETE. */
export const ledgerEntries = sqliteTable(
  'ledger_entries',
  {
    id: id(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    propertyId: text('property_id').references(() => properties.id),
    reservationId: text('reservation_id').references(() => reservations.id),
    taskId: text('task_id').references(() => tasks.id),
    referenceEntryId: text('reference_entry_id').references((): AnySQLiteColumn => ledgerEntries.id),
    type: text('type', { enum: LEDGER_ENTRY_TYPES }).notNull(),
    category: text('category').notNull(),
    amountMinor: minorUnits('amount_minor').notNull(),
    currency: currency().notNull(),
    description: text('description'),
    paymentMethod: text('payment_method'),
    paymentGatewayId: text('payment_gateway_id'),
    gatewayReference: text('gateway_reference'),
    platformFeeMinor: minorUnits('platform_fee_minor').notNull().default(0),
    transactionFeeMinor: minorUnits('transaction_fee_minor').notNull().default(0),
    netAmountMinor: minorUnits('net_amount_minor').notNull(),
    /** Money taken beyond what the stay owes, knowingly: kept as the guest's credit (refund or keep). */
    isCredit: bool('is_credit').notNull().default(false),
    status: text('status', { enum: LEDGER_ENTRY_STATUSES }).notNull().default('COMPLETED'),
    processedAt: timestamp('processed_at'),
    metadata: json<JsonObject>('metadata'),
    notes: text('notes'),
    createdAt: createdAt(),
  },
  (t) => [
    // Covering indexes for the finance reports: each sum is one ordered read, no table lookups.
    index('ledger_reservation_idx').on(t.reservationId, t.status, t.type, t.amountMinor),
    index('ledger_period_idx').on(
      t.currency,
      t.type,
      t.createdAt,
      t.status,
      t.amountMinor,
      t.platformFeeMinor,
      t.transactionFeeMinor,
      t.propertyId,
    ),
    index('ledger_property_idx').on(t.propertyId, t.createdAt),
    index('ledger_user_idx').on(t.userId, t.createdAt),
    index('ledger_created_idx').on(t.createdAt),
    index('ledger_reference_idx').on(t.referenceEntryId),
    enumCheck('ledger_type_check', t.type, LEDGER_ENTRY_TYPES),
    enumCheck('ledger_status_check', t.status, LEDGER_ENTRY_STATUSES),
    // Only a reversal (an entry that references the one it undoes) may carry negative amounts.
    check('ledger_amount_check', sql`${t.amountMinor} >= 0 or ${t.referenceEntryId} is not null`),
    check('ledger_platform_fee_check', sql`${t.platformFeeMinor} >= 0 or ${t.referenceEntryId} is not null`),
    check('ledger_transaction_fee_check', sql`${t.transactionFeeMinor} >= 0 or ${t.referenceEntryId} is not null`),
    check(
      'ledger_net_check',
      sql`${t.netAmountMinor} = ${t.amountMinor} - ${t.platformFeeMinor} - ${t.transactionFeeMinor}`,
    ),
  ],
);

/**
 * What each reservation's guests have paid, net of refunds: COMPLETED guest payments minus
 * COMPLETED refunds, reversals included. Derived, never written by the app: a trigger on the
 * append-only ledger adds each entry as it is inserted, whichever device or server wrote it.
 * It lets a year's outstanding balances read one narrow row per stay instead of its entries.
 */
export const reservationPayments = sqliteTable('reservation_payments', {
  reservationId: text('reservation_id')
    .primaryKey()
    .references(() => reservations.id),
  paidMinor: minorUnits('paid_minor').notNull(),
});

/**
 * Append-only and hash-chained per device: each row carries the hash of the previous row
 * written by the same device (`seq` - 1), so chains from many devices can merge centrally.
 */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: id(),
    deviceId: text('device_id').notNull(),
    seq: integer('seq').notNull(),
    actorId: text('actor_id'),
    actorRole: text('actor_role'),
    action: text('action').notNull(),
    entityType: text('entity_type'),
    entityId: text('entity_id'),
    before: json<JsonObject>('before'),
    after: json<JsonObject>('after'),
    at: timestamp('at').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    uniqueIndex('audit_device_seq_unique').on(t.deviceId, t.seq),
    index('audit_actor_idx').on(t.actorId, t.at),
    index('audit_entity_idx').on(t.entityType, t.entityId, t.at),
    index('audit_action_idx').on(t.action, t.at),
    index('audit_at_idx').on(t.at),
    check('audit_seq_check', sql`${t.seq} >= 1`),
  ],
);

// ---- Device-only tables (never synced; see db/parity-exceptions.ts) ----

/** Local sign-in verifiers (argon2id) of users who have signed in on this device. */
export const localCredentials = sqliteTable('local_credentials', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id),
  verifier: text('verifier').notNull(),
  failedAttempts: integer('failed_attempts').notNull().default(0),
  lockedUntil: timestamp('locked_until'),
  updatedAt: updatedAt(),
});

/** Local changesets waiting for the server's answer, one per local transaction. */
export const outbox = sqliteTable(
  'outbox',
  {
    // Insertion order is upload order; the rowid alias makes it explicit and cheap.
    position: integer('position').primaryKey({ autoIncrement: true }),
    changesetId: text('changeset_id').notNull(),
    userId: text('user_id').notNull(),
    ops: json<ChangesetOp[]>('ops').notNull(),
    createdAt: createdAt(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at'),
    lastError: text('last_error'),
  },
  (t) => [uniqueIndex('outbox_changeset_unique').on(t.changesetId)],
);

/**
 * Changesets the server applied, with the Postgres transaction that wrote them. Each stays
 * pending in the tables whose streams have not shown it back yet (`awaiting`), and is kept a while
 * after, so that changes a restored server database lost can be sent again.
 */
export const sentChangesets = sqliteTable(
  'sent_changesets',
  {
    changesetId: text('changeset_id').primaryKey(),
    userId: text('user_id').notNull(),
    ops: json<ChangesetOp[]>('ops').notNull(),
    txid: integer('txid').notNull(),
    awaiting: json<string[]>('awaiting').notNull(),
    createdAt: createdAt(),
    answeredAt: timestamp('answered_at').notNull(),
  },
  (t) => [index('sent_changesets_answered_idx').on(t.answeredAt)],
);

/**
 * The server's version of each row this device has pending edits of, as its stream last showed it
 * (null: the server shows this user no such row). A row goes back to it, plus what is still
 * pending, when an edit lets go or is refused: server rows reach the device only through the stream.
 */
export const syncBase = sqliteTable(
  'sync_base',
  {
    tableName: text('table_name').notNull(),
    rowId: text('row_id').notNull(),
    row: json<Record<string, unknown>>('row'),
  },
  (t) => [primaryKey({ columns: [t.tableName, t.rowId] })],
);

/** Changesets the server refused: kept until the user dismisses or redoes them. */
export const syncConflicts = sqliteTable('sync_conflicts', {
  changesetId: text('changeset_id').primaryKey(),
  userId: text('user_id').notNull(),
  ops: json<ChangesetOp[]>('ops').notNull(),
  code: text('code').notNull(),
  message: text('message').notNull(),
  serverRows: json<JsonObject[]>('server_rows'),
  createdAt: createdAt(),
  resolvedAt: timestamp('resolved_at'),
  resolution: text('resolution', { enum: ['dismissed', 'redone'] }),
});

/** Where each table's shape stream stopped, so a restart resumes instead of re-downloading. */
export const shapeState = sqliteTable('shape_state', {
  tableName: text('table_name').primaryKey(),
  handle: text('handle'),
  offset: text('offset').notNull(),
  updatedAt: updatedAt(),
});

/** Small device facts: its id, the configured server, the next audit sequence number. */
export const deviceMeta = sqliteTable('device_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});
