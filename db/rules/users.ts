// People: whose accounts a role may create, change and delete.
import type { UserRole } from '../domain/enums.js';
import { mayAdminister } from '../policy/roles.js';
import type { ChangeRule } from './rulebook.js';
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
] as const;

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
];
