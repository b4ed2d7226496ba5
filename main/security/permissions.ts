// Roomy needs no camera, microphone, location, notifications or any other web permission: every
// request is refused, and logged so that a refusal is explained if a feature ever needs one.
export type PermissionLog = (permission: string, origin: string) => void;

export function refuseAllPermissionRequests(log: PermissionLog) {
  return (
    _contents: unknown,
    permission: string,
    callback: (granted: boolean) => void,
    details?: { requestingUrl?: string },
  ) => {
    log(permission, details?.requestingUrl ?? '');
    callback(false);
  };
}

export const refuseAllPermissionChecks = (): boolean => false;
