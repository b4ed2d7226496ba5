// One colour per status, the same on every screen.
import { Badge } from '@mantine/core';
import { label } from '../format.js';

const COLOURS: Record<string, string> = {
  ACTIVE: 'green',
  INACTIVE: 'gray',
  MAINTENANCE: 'orange',
  SUSPENDED: 'red',
  VIP: 'grape',
  PENDING: 'yellow',
  CONFIRMED: 'blue',
  CHECKED_IN: 'teal',
  CHECKED_OUT: 'gray',
  CANCELLED: 'red',
  NO_SHOW: 'red',
  IN_PROGRESS: 'blue',
  COMPLETED: 'green',
  ON_HOLD: 'orange',
  PAID: 'green',
  PARTIAL: 'yellow',
  OVERDUE: 'red',
  REFUNDED: 'gray',
  PROCESSING: 'blue',
  FAILED: 'red',
  LOW: 'gray',
  MEDIUM: 'blue',
  HIGH: 'orange',
  URGENT: 'red',
};

export function StatusBadge({ status, testId }: { status: string | null | undefined; testId?: string }) {
  if (!status) return null;
  return (
    <Badge color={COLOURS[status] ?? 'gray'} variant="light" radius="sm" data-testid={testId}>
      {label(status)}
    </Badge>
  );
}
