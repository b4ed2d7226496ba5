// People: whose accounts a role may create, change and delete, and what the office keeps on guests.
import type { UserRole } from '../domain/enums.js';
import { mayAdminister, type SignInRole } from '../policy/roles.js';
import type { ChangeRule, Row } from './rulebook.js';
import { roleWords } from './words.js';

const table = 'users' as const;
/** Everything but the stamps of signing in: stamping one's own sign-in is not administering anyone. */
const ACCOUNT_COLUMNS = [
  'email',
  'phone',
  'first_name',
  'last_name',
  'role',
  'status',
  'avatar',
  'country',
  'flag',
  'is_verified',
  'notes',
  'tags',
  'do_not_rent',
  'do_not_rent_reason',
] as const;
/** What the office keeps about a guest, and no one else. */
const GUEST_COLUMNS = ['notes', 'tags', 'do_not_rent', 'do_not_rent_reason'] as const;
const DO_NOT_RENT = ['do_not_rent', 'do_not_rent_reason'] as const;
const OFFICE_ROLES: readonly SignInRole[] = ['ADMIN', 'MANAGER', 'AGENT'];

/** Whether a column holds something: an empty list, a blank text and false hold nothing. */
function holds(row: Row | null, column: string): boolean {
  const value = row?.[column];
  if (Array.isArray(value)) return value.length > 0;
  return value !== null && value !== undefined && value !== false && value !== '';
}
const valueOf = (row: Row | null, column: string) => (holds(row, column) ? row![column] : null);
const flagged = (row: Row | null) => row?.do_not_rent === true;

const plural = (role: unknown) => `${roleWords(role).replace(/^an? /, '')}s’`;

export const userChangeRules: ChangeRule[] = [
  {
    id: 'users.administer-own-kind',
    table,
    field: 'role',
    label: 'Role',
    code: 'forbidden',
    columns: ACCOUNT_COLUMNS,
    onDelete: true,
    refuse: ({ before, after, actor }) => {
      const roles = [before?.role, after?.role].filter((r): r is UserRole => typeof r === 'string');
      const refused = roles.find((role) => !mayAdminister(actor.role, role));
      return refused ? `As ${roleWords(actor.role)} you may not manage ${plural(refused)} accounts.` : null;
    },
  },
  {
    id: 'users.not-yourself',
    table,
    field: 'role',
    label: 'Role',
    code: 'forbidden',
    columns: ['role', 'status'],
    onInsert: false,
    onDelete: true,
    refuse: ({ before, after, actor }) => {
      if (before!.id !== actor.id) return null;
      if (!after) return 'You cannot delete your own account.';
      if (before!.role !== after.role) return 'You cannot change your own role.';
      if (after.status === 'INACTIVE' || after.status === 'SUSPENDED') return 'You cannot deactivate your own account.';
      return null;
    },
  },
  {
    id: 'users.guest-details-for-guests',
    table,
    field: 'notes',
    label: 'Notes, tags and “do not rent”',
    code: 'validation',
    columns: GUEST_COLUMNS,
    refuse: ({ after }) =>
      after && after.role !== 'GUEST' && GUEST_COLUMNS.some((column) => holds(after, column))
        ? 'are kept for guests only'
        : null,
  },
  {
    id: 'users.do-not-rent-has-reason',
    table,
    field: 'doNotRentReason',
    label: 'Reason not to rent',
    code: 'validation',
    columns: DO_NOT_RENT,
    refuse: ({ after }) =>
      flagged(after) && !holds(after, 'do_not_rent_reason') ? 'is required to mark the guest “do not rent”' : null,
  },
  {
    // Any office desk may stop a guest's bookings; lifting the stop is a manager's decision, so the
    // person who wants the booking is not the one who clears the way for it.
    id: 'users.do-not-rent-by-office',
    table,
    field: 'doNotRent',
    label: 'Do not rent',
    code: 'forbidden',
    columns: DO_NOT_RENT,
    refuse: ({ before, after, actor }) => {
      if (DO_NOT_RENT.every((c) => valueOf(before, c) === valueOf(after, c))) return null;
      if (!OFFICE_ROLES.includes(actor.role))
        return `As ${roleWords(actor.role)} you may not mark guests “do not rent”.`;
      if (flagged(before) && !flagged(after) && actor.role === 'AGENT')
        return 'Only a manager can lift a guest’s “do not rent” flag: ask one to review it.';
      return null;
    },
  },
];
