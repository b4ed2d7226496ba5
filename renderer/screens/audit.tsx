// The audit log: who did what, when, filtered; and whether the hash chain is intact.
import { Alert, Code, Group, Stack, Text, TextInput } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { useState } from 'react';
import type { OutputOf } from '../../main/contract.js';
import { useOperation } from '../api/operations.js';
import { formatInstant } from '../format.js';
import { DataTable } from '../ui/data-table.js';
import { OffsetPager } from '../ui/pager.js';
import { Page } from '../ui/page.js';
import { Empty, QueryView } from '../ui/states.js';

type AuditRow = OutputOf<'audit/list'>['items'][number];
const PAGE = 100;

const columns: ColumnDef<AuditRow, unknown>[] = [
  { id: 'at', header: 'When', cell: ({ row }) => formatInstant(row.original.at) },
  { id: 'action', header: 'Action', cell: ({ row }) => <Code>{row.original.action}</Code> },
  {
    id: 'entity',
    header: 'Record',
    cell: ({ row }) => [row.original.entityType, row.original.entityId].filter(Boolean).join(' ') || '—',
  },
  {
    id: 'actor',
    header: 'By',
    cell: ({ row }) =>
      row.original.actorId ? `${row.original.actorRole ?? ''} ${row.original.actorId.slice(-8)}` : 'system',
  },
];

type Verdict = OutputOf<'audit/verify'>;

/**
 * Tampering in plain words: what was found, and the way out. Shown on this screen and on About,
 * whenever the chain or the sync server's anchor does not hold, or Roomy noticed it earlier.
 */
export function TamperNotice({ message, at }: { message: string; at?: string | undefined }) {
  return (
    <Alert color="red" title="Someone changed this computer's records outside Roomy" data-testid="tamper-notice">
      <Stack gap={4}>
        <Text size="sm">{message}</Text>
        {at && <Text size="sm">Roomy first noticed it on {formatInstant(at)}.</Text>}
        <Text size="sm">
          Tell your administrator. Restoring a backup made before then (or, with a sync server, setting this computer up
          again from it) brings back records that can be trusted.
        </Text>
      </Stack>
    </Alert>
  );
}

/** What the sync server's anchor said of this computer's trail; nothing when it works alone. */
function AnchorNote({ anchor }: { anchor: Verdict['anchor'] }) {
  if (anchor?.state !== 'unchecked') return null;
  return (
    <Alert color="gray" title="Not compared with the sync server" data-testid="anchor-unchecked">
      <Text size="sm">{anchor.message}</Text>
    </Alert>
  );
}

function ChainCheck() {
  const verify = useOperation('audit/verify', {});
  return (
    <QueryView query={verify} loading="Checking the hash chain…">
      {(result) => (
        <Stack gap="xs" data-testid="audit-verify">
          {!result.intact ? (
            <TamperNotice message={result.message} />
          ) : result.noticed ? (
            <TamperNotice message={result.noticed.message} at={result.noticed.at} />
          ) : (
            <Alert color="green" title="The audit chain is intact">
              All {result.rows} entries link to the one before them: none has been edited, removed or reordered.
              {result.anchor?.state === 'holds' &&
                result.anchor.seq !== null &&
                ` They hold entry ${result.anchor.seq}, the newest the sync server has from this computer, as it was sent.`}
            </Alert>
          )}
          <AnchorNote anchor={result.anchor} />
        </Stack>
      )}
    </QueryView>
  );
}

export function AuditScreen() {
  const [action, setAction] = useState('');
  const [entityType, setEntityType] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [offset, setOffset] = useState(0);
  const list = useOperation(
    'audit/list',
    {
      action: action || undefined,
      entityType: entityType || undefined,
      from: from || undefined,
      to: to || undefined,
      limit: PAGE,
      offset,
    },
    { keepPrevious: true },
  );
  return (
    <Page title="Audit log">
      <ChainCheck />
      <Group align="flex-end">
        <TextInput
          label="Action"
          placeholder="e.g. reservations.update"
          value={action}
          onChange={(e) => (setAction(e.currentTarget.value.trim()), setOffset(0))}
        />
        <TextInput
          label="Record type"
          placeholder="e.g. reservations"
          value={entityType}
          onChange={(e) => (setEntityType(e.currentTarget.value.trim()), setOffset(0))}
        />
        <TextInput
          type="date"
          label="From"
          value={from}
          onChange={(e) => (setFrom(e.currentTarget.value), setOffset(0))}
        />
        <TextInput
          type="date"
          label="Until"
          value={to}
          onChange={(e) => (setTo(e.currentTarget.value), setOffset(0))}
        />
      </Group>
      <QueryView query={list}>
        {(data) => (
          <Stack gap="sm">
            <DataTable
              label="Audit entries"
              data={data.items}
              columns={columns}
              rowKey={(r) => String(r.seq)}
              empty={<Empty title="No entries match" />}
            />
            <OffsetPager
              offset={offset}
              pageSize={PAGE}
              total={data.total}
              onChange={setOffset}
              labels={['Newer', 'Older']}
            />
          </Stack>
        )}
      </QueryView>
    </Page>
  );
}
