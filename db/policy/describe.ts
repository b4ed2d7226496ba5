// The access policy as a Markdown document (docs/access-policy.md), made from the policy itself
// so the two cannot disagree; a test checks the committed file is current.
import {
  HIDDEN_COLUMNS,
  FIELD_STAFF_COLUMNS,
  OPERATION_ACCESS,
  ROW_SCOPES,
  SYNC_ONLY_READS,
  accessFor,
  type GuardedOperation,
} from './access.js';
import { SIGN_IN_ROLES } from './roles.js';

export function accessPolicyMarkdown(): string {
  const header = `| operation | ${SIGN_IN_ROLES.join(' | ')} |\n|---|${SIGN_IN_ROLES.map(() => '---').join('|')}|`;
  const rows = (Object.keys(OPERATION_ACCESS) as GuardedOperation[]).map(
    (op) => `| \`${op}\` | ${SIGN_IN_ROLES.map((role) => accessFor(op, role) ?? '—').join(' | ')} |`,
  );
  const scopes = Object.entries(ROW_SCOPES).flatMap(([table, byRole]) =>
    Object.entries(byRole).map(
      ([role, condition]) => `| \`${table}\` | ${role} | \`${condition.replace(/\|/g, '\\|')}\` |`,
    ),
  );
  const hidden = Object.entries(HIDDEN_COLUMNS).flatMap(([table, byRole]) =>
    Object.entries(byRole)
      .filter(([, columns]) => columns && columns.length > 0)
      .map(([role, columns]) => `| \`${table}\` | ${role} | ${columns!.map((c) => `\`${c}\``).join(', ')} |`),
  );
  return `# Access policy

Generated from \`db/policy/access.ts\` by \`npm run docs:policy\`; do not edit by hand. Main checks
it on every call and the sync server reads the same tables.

GUEST is a CRM record and cannot sign in. Public operations (no sign-in needed): \`auth/status\`,
\`auth/setup\` (only while there are no users), \`auth/sign-in\`.

**all** — every row; **scoped** — only the rows in the role's scope below; **—** — refused
(\`forbidden\`, and the refusal is audited). A row outside the caller's scope is answered as
\`not_found\`, so its existence is not revealed.

${header}
${rows.join('\n')}

## Row scopes

\`:me\` is the signed-in user's id, always bound as a parameter. A role without an entry for a
table sees none of its rows when its access is scoped.

| table | role | rows |
|---|---|---|
${scopes.join('\n')}

## Hidden columns

| table | role | never shown |
|---|---|---|
${hidden.join('\n')}

Cleaners and maintenance staff see only these columns:

${Object.entries(FIELD_STAFF_COLUMNS)
  .map(([table, columns]) => `- \`${table}\`: ${columns!.map((c) => `\`${c}\``).join(', ')}`)
  .join('\n')}

## Read on devices only

These tables reach a role's device, in its row scope, though no operation lists them for it:

${Object.entries(SYNC_ONLY_READS)
  .flatMap(([table, byRole]) => Object.keys(byRole!).map((role) => `- \`${table}\` for ${role}`))
  .join('\n')}

Field staff prepare a place for its next guests: their task page shows the next arrival's day and
party size, offline too.

## Refinements inside operations

- Managers administer every user except admins, and cannot make anyone an admin.
- Agents create and edit guest records only; nobody changes their own role or deactivates themselves.
- Agents edit their properties but not the owner, agent or status.
- Agents never record or see owner payouts.
- Cleaners and maintenance staff move their own tasks to in progress, on hold or completed, nothing else.
`;
}
