// The seed's enums, shared by both schemas, the contracts and the policy.
// Stored as text with a CHECK constraint in both databases (not a Postgres enum type), so the two
// dialects stay alike and adding a value is a plain constraint change.

export const USER_ROLES = ['ADMIN', 'MANAGER', 'AGENT', 'OWNER', 'GUEST', 'CLEANER', 'MAINTENANCE_STAFF'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const USER_STATUSES = ['ACTIVE', 'INACTIVE', 'SUSPENDED', 'VIP'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export const PROPERTY_STATUSES = ['ACTIVE', 'INACTIVE', 'MAINTENANCE', 'SUSPENDED'] as const;
export type PropertyStatus = (typeof PROPERTY_STATUSES)[number];

export const PROPERTY_TYPES = ['APARTMENT', 'VILLA', 'STUDIO', 'PENTHOUSE', 'HOUSE', 'CONDO'] as const;
export type PropertyType = (typeof PROPERTY_TYPES)[number];

export const RESERVATION_STATUSES = [
  'PENDING',
  'CONFIRMED',
  'CHECKED_IN',
  'CHECKED_OUT',
  'CANCELLED',
  'NO_SHOW',
] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

/** Statuses that release the property's dates: such reservations may overlap others. */
export const INACTIVE_RESERVATION_STATUSES = ['CANCELLED', 'NO_SHOW'] as const satisfies readonly ReservationStatus[];

export const PAYMENT_STATUSES = ['PENDING', 'PAID', 'PARTIAL', 'OVERDUE', 'REFUNDED'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const TASK_TYPES = [
  'CLEANING',
  'MAINTENANCE',
  'INSPECTION',
  'DELIVERY',
  'GUEST_MEETING',
  'CHECK_IN',
  'CHECK_OUT',
  'PHOTOGRAPHY',
  'MARKETING',
] as const;
export type TaskType = (typeof TASK_TYPES)[number];

export const TASK_STATUSES = ['PENDING', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED', 'ON_HOLD'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const TASK_PRIORITIES = ['LOW', 'MEDIUM', 'HIGH', 'URGENT'] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];

export const LEDGER_ENTRY_TYPES = [
  'GUEST_PAYMENT',
  'OWNER_PAYOUT',
  'REFUND',
  'TASK_COST',
  'AGENCY_FEE',
  'PLATFORM_FEE',
  'MAINTENANCE_COST',
  'CLEANING_COST',
  'MARKETING_COST',
] as const;
export type LedgerEntryType = (typeof LEDGER_ENTRY_TYPES)[number];

export const LEDGER_ENTRY_STATUSES = ['PENDING', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED', 'REFUNDED'] as const;
export type LedgerEntryStatus = (typeof LEDGER_ENTRY_STATUSES)[number];

export const RESERVATION_SOURCES = ['airbnb', 'booking', 'vrbo', 'direct', 'expedia', 'other'] as const;

/** SQL text of `column IN ('A', 'B', ...)`, for CHECK constraints. Values are our own constants. */
export function sqlInList(values: readonly string[]): string {
  return values.map((v) => `'${v}'`).join(', ');
}
