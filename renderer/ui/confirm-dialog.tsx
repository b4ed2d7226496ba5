// Asking before something that cannot be undone, optionally with a reason. The browser's own
// confirm() and prompt() fail in Electron (prompt throws; on Windows, confirm leaves the window's
// text fields unable to take typing), so every such question is this dialog.
import { Button, Group, Modal, Stack, Text, Textarea, type MantineColor } from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import { FormError } from './contract-form.js';

export interface ConfirmDialogProps {
  opened: boolean;
  title: string;
  /** What going ahead does. */
  children?: ReactNode;
  confirmLabel: string;
  /** Backing out, which changes nothing. */
  cancelLabel?: string;
  color?: MantineColor;
  /** Asks for a reason (optional unless `required`); the confirm handler gets it trimmed ('' when none is given). */
  reason?: { label: string; description?: string; maxLength?: number; required?: boolean };
  /** Runs the change; the dialog closes once it succeeds and shows its error otherwise. */
  onConfirm: (reason: string) => Promise<unknown>;
  onClose: () => void;
}

export function ConfirmDialog({
  opened,
  title,
  children,
  confirmLabel,
  cancelLabel = 'Keep it',
  color = 'red',
  reason,
  onConfirm,
  onClose,
}: ConfirmDialogProps) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // What was typed is forgotten on leaving: the next question starts empty.
  const close = () => {
    if (busy) return;
    setText('');
    setError(null);
    onClose();
  };
  const confirm = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (reason?.required && text.trim() === '') {
      setError(`${reason.label} is required.`);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onConfirm(text.trim());
      setText('');
      onClose();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={opened} onClose={close} title={title}>
      <form onSubmit={(event) => void confirm(event)} noValidate>
        <Stack>
          {children && <Text size="sm">{children}</Text>}
          {reason && (
            <Textarea
              label={reason.label}
              description={reason.description}
              maxLength={reason.maxLength}
              required={reason.required}
              value={text}
              onChange={(event) => setText(event.currentTarget.value)}
              autosize
              minRows={2}
              data-autofocus
            />
          )}
          <FormError message={error} />
          <Group justify="flex-end">
            {/* Without a reason to type, focus rests on the choice that changes nothing. */}
            <Button variant="default" onClick={close} disabled={busy} data-autofocus={reason ? undefined : true}>
              {cancelLabel}
            </Button>
            <Button type="submit" color={color} loading={busy}>
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
