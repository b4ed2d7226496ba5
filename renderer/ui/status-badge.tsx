// One colour per status, the same on every screen; the whole label always shows (status-badge.css).
import { Badge } from '@mantine/core';
import { label } from '../format.js';
import './status-badge.css';

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
    <Badge className="status-badge" color={COLOURS[status] ?? 'gray'} variant="light" radius="sm" data-testid={testId}>
      {label(status)}
    </Badge>
  );
}
