// The warning shown wherever a guest is being booked: the office has marked them "do not rent".
// It warns, it does not block: the booking may still be right, and that is a person's call.
import { Alert, Text } from '@mantine/core';

export interface WarnedGuest {
  firstName: string;
  lastName: string;
  doNotRent?: boolean | null;
  doNotRentReason?: string | null;
}

export function DoNotRentWarning({ guest }: { guest: WarnedGuest | null | undefined }) {
  if (!guest?.doNotRent) return null;
  return (
    <Alert
      color="red"
      role="alert"
      title={`${guest.firstName} ${guest.lastName} is marked “do not rent”`}
      data-testid="do-not-rent-warning"
    >
      <Text size="sm">{guest.doNotRentReason || 'No reason was recorded.'}</Text>
      <Text size="sm">Check with a manager before booking them.</Text>
    </Alert>
  );
}
