// Contracts for creating and updating each entity: what crosses a boundary (IPC, HTTP, files)
// is parsed with these before anything is written. Field names are the schema's, so a parsed
// value goes straight into an insert; the type checks at the end keep the two from drifting.
import { z } from 'zod';
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
import { isCalendarDate } from '../domain/dates.js';
import type * as local from '../schema/sqlite.js';
import {
  bool,
  calendarDate,
  count,
  countryCode,
  currencyCode,
  email,
  enumOf,
  id,
  instant,
  longText,
  minorUnits,
  NON_EMPTY_UPDATE,
  nonEmptyUpdate,
  optionalText,
  phone,
  signedMinorUnits,
  stringList,
  text,
  timeZone,
} from './fields.js';

// ---- users ----

const userFields = z.strictObject({
  email: email(),
  phone: phone(),
  firstName: text(100),
  lastName: text(100),
  role: enumOf(USER_ROLES),
  status: enumOf(USER_STATUSES).optional(),
  avatar: optionalText(500),
  country: countryCode().nullish(),
  flag: optionalText(16),
  isVerified: bool().optional(),
  // A guest's record: the rulebook keeps these to guests and says who may mark one do not rent.
  notes: longText(5000),
  tags: stringList(20, 40).optional(),
  doNotRent: bool().optional(),
  doNotRentReason: optionalText(500),
});
export const userCreate = userFields;
export const userUpdate = userFields.partial().refine(nonEmptyUpdate, NON_EMPTY_UPDATE);

// ---- locations ----

const degrees = (limit: number) =>
  z
    .number({ error: 'must be a number of degrees' })
    .min(-limit, `must be between -${limit} and ${limit}`)
    .max(limit, `must be between -${limit} and ${limit}`);

const locationFields = z.strictObject({
  name: text(120),
  city: text(120),
  country: countryCode(),
  region: optionalText(120),
  coordinates: z.strictObject({ lat: degrees(90), lng: degrees(180) }).nullish(),
  timeZone: timeZone(),
  currency: currencyCode(),
  isActive: bool().optional(),
});
export const locationCreate = locationFields;
export const locationUpdate = locationFields.partial().refine(nonEmptyUpdate, NON_EMPTY_UPDATE);

// ---- properties ----

const propertyFields = z.strictObject({
  name: text(120),
  nickname: optionalText(60),
  title: optionalText(200),
  status: enumOf(PROPERTY_STATUSES).optional(),
  type: enumOf(PROPERTY_TYPES),
  address: text(300),
  locationId: id(),
  ownerId: id().nullish(),
  agentId: id().nullish(),
  capacity: count(1, 100),
  bedrooms: count(0, 50),
  bathrooms: z
    .number({ error: 'must be a number such as 1.5' })
    .min(0, 'must not be negative')
    .max(50, 'must be at most 50')
    .multipleOf(0.5, 'must be a whole or half number, such as 1.5'),
  area: z.number({ error: 'must be a number of square metres' }).positive('must be more than 0').nullish(),
  pricePerNightMinor: minorUnits(),
  currency: currencyCode(),
  description: longText(),
  accessNotes: longText(2000),
  pricelabId: optionalText(100),
  airbnbId: optionalText(100),
  bookingId: optionalText(100),
  primaryImage: optionalText(1000),
  tags: stringList().optional(),
  amenities: stringList().optional(),
  houseRules: stringList(50, 300).optional(),
});
export const propertyCreate = propertyFields;
export const propertyUpdate = propertyFields.partial().refine(nonEmptyUpdate, NON_EMPTY_UPDATE);

// ---- reservations ----

const reservationFields = z.strictObject({
  propertyId: id(),
  guestId: id(),
  agentId: id().nullish(),
  checkIn: calendarDate(),
  checkOut: calendarDate(),
  guests: count(1, 100),
  status: enumOf(RESERVATION_STATUSES).optional(),
  totalMinor: minorUnits(),
  currency: currencyCode(),
  guestName: text(200),
  guestEmail: email(),
  guestPhone: phone(),
  source: text(40),
  sourceId: optionalText(100),
  specialRequests: longText(2000),
  notes: longText(),
});

/** Stays are half-open: the check-out day is free for the next guest. */
const checkOutAfterCheckIn = {
  error: 'must be after the check-in date',
  path: ['checkOut'],
  when: (payload: { value: unknown }) => {
    if (typeof payload.value !== 'object' || payload.value === null) return false;
    const v = payload.value as { checkIn?: unknown; checkOut?: unknown };
    // Compare only two real dates; a malformed one already has its own message.
    return [v.checkIn, v.checkOut].every((d) => typeof d === 'string' && isCalendarDate(d));
  },
};
const datesInOrder = (v: { checkIn?: string; checkOut?: string }) =>
  v.checkIn === undefined || v.checkOut === undefined || v.checkOut > v.checkIn;

export const reservationCreate = reservationFields.refine(datesInOrder, checkOutAfterCheckIn);
export const reservationUpdate = reservationFields
  .omit({ propertyId: true, status: true })
  .partial()
  .refine(nonEmptyUpdate, NON_EMPTY_UPDATE)
  .refine(datesInOrder, checkOutAfterCheckIn);

// ---- tasks ----

const taskFields = z.strictObject({
  propertyId: id(),
  reservationId: id().nullish(),
  assigneeId: id().nullish(),
  type: enumOf(TASK_TYPES),
  title: text(200),
  description: longText(),
  status: enumOf(TASK_STATUSES).optional(),
  priority: enumOf(TASK_PRIORITIES).optional(),
  scheduledAt: instant().nullish(),
  dueAt: instant().nullish(),
  completedAt: instant().nullish(),
  costMinor: minorUnits().nullish(),
  estimatedCostMinor: minorUnits().nullish(),
  currency: currencyCode().nullish(),
  tags: stringList().optional(),
  notes: longText(),
  attachments: stringList(50, 1000).optional(),
  // Ticked through tasks/check-step, which keeps it to the type's steps.
  checklistDone: stringList(20, 200).optional(),
});

const costHasCurrency = (v: {
  costMinor?: number | null;
  estimatedCostMinor?: number | null;
  currency?: string | null;
}) => (v.costMinor == null && v.estimatedCostMinor == null) || v.currency != null;
const CURRENCY_FOR_COST = { error: 'is required when a cost is given', path: ['currency'] };

export const taskCreate = taskFields.refine(costHasCurrency, CURRENCY_FOR_COST);
export const taskUpdate = taskFields.omit({ propertyId: true }).partial().refine(nonEmptyUpdate, NON_EMPTY_UPDATE);

// ---- ledger entries (append-only: there is no update contract) ----

export const ledgerEntryCreate = z
  .strictObject({
    userId: id(),
    propertyId: id().nullish(),
    reservationId: id().nullish(),
    taskId: id().nullish(),
    referenceEntryId: id().nullish(),
    type: enumOf(LEDGER_ENTRY_TYPES),
    category: text(80),
    amountMinor: signedMinorUnits(),
    currency: currencyCode(),
    description: optionalText(500),
    paymentMethod: optionalText(60),
    paymentGatewayId: optionalText(120),
    gatewayReference: optionalText(200),
    platformFeeMinor: signedMinorUnits().optional(),
    transactionFeeMinor: signedMinorUnits().optional(),
    netAmountMinor: signedMinorUnits(),
    status: enumOf(LEDGER_ENTRY_STATUSES).optional(),
    /** Taken as the guest's credit: allowed beyond what the stay owes, or on a stay that will not happen. */
    isCredit: bool().optional(),
    processedAt: instant().nullish(),
    // Flat and bounded: gateway references and the like, never a nested document.
    metadata: z
      .record(
        z.string().max(60, 'keys must be at most 60 characters'),
        z.union([z.string().max(500), z.number(), z.boolean(), z.null()]),
        {
          error: 'must be an object of text, number or true/false values',
        },
      )
      .refine((m) => Object.keys(m).length <= 50, 'must have at most 50 keys')
      .nullish(),
    notes: longText(2000),
  })
  .refine((v) => v.amountMinor >= 0 || v.referenceEntryId != null, {
    error: 'must not be negative unless the entry reverses another: to undo an entry, reverse it',
    path: ['amountMinor'],
  })
  .refine((v) => v.netAmountMinor === v.amountMinor - (v.platformFeeMinor ?? 0) - (v.transactionFeeMinor ?? 0), {
    error: 'must be the amount less its channel and payment fees',
    path: ['netAmountMinor'],
  });

export type UserCreate = z.infer<typeof userCreate>;
export type UserUpdate = z.infer<typeof userUpdate>;
export type LocationCreate = z.infer<typeof locationCreate>;
export type LocationUpdate = z.infer<typeof locationUpdate>;
export type PropertyCreate = z.infer<typeof propertyCreate>;
export type PropertyUpdate = z.infer<typeof propertyUpdate>;
export type ReservationCreate = z.infer<typeof reservationCreate>;
export type ReservationUpdate = z.infer<typeof reservationUpdate>;
export type TaskCreate = z.infer<typeof taskCreate>;
export type TaskUpdate = z.infer<typeof taskUpdate>;
export type LedgerEntryCreate = z.infer<typeof ledgerEntryCreate>;

// ---- the contracts must fit the schema: a parsed create is an insert minus server-made columns ----

type MadeOnWrite = 'id' | 'createdAt' | 'updatedAt';
type Fits<Contract, Insert> = Contract extends Omit<Insert, MadeOnWrite> ? true : false;
type Assert<T extends true> = T;
export type ContractsFitSchema = [
  Assert<Fits<UserCreate, typeof local.users.$inferInsert>>,
  Assert<Fits<LocationCreate, typeof local.locations.$inferInsert>>,
  Assert<Fits<PropertyCreate, typeof local.properties.$inferInsert>>,
  Assert<Fits<ReservationCreate, typeof local.reservations.$inferInsert>>,
  Assert<Fits<TaskCreate, typeof local.tasks.$inferInsert>>,
  Assert<Fits<LedgerEntryCreate, typeof local.ledgerEntries.$inferInsert>>,
];

/**
 * What the person saw of the fields they changed, sent with an update: a field that has changed
 * since makes the update stale (refused, naming who changed it), never silently overwritten.
 */
export const expectedValues = z.record(z.string(), z.unknown(), { error: 'must be the values the form started from' });
