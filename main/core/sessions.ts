// Who is signed in on each connection to the core. A caller id names a connection (an Electron
// window's web contents, a browser-host tab): it is given by the transport, never by the caller's
// arguments, so a renderer cannot claim another identity.
import type { SignInRole } from '../../db/policy/roles.js';

export interface Identity {
  userId: string;
  role: SignInRole;
  email: string;
  name: string;
}

export class Sessions {
  readonly #byCaller = new Map<string, Identity>();

  /** `ended` hears of every session that ends, whatever ended it (sign-out, deactivation, a closed window). */
  constructor(private readonly ended: (callerId: string) => void = () => {}) {}

  get(callerId: string): Identity | undefined {
    return this.#byCaller.get(callerId);
  }

  bind(callerId: string, identity: Identity): void {
    this.#byCaller.set(callerId, identity);
  }

  end(callerId: string): void {
    if (this.#byCaller.delete(callerId)) this.ended(callerId);
  }

  /** Signs a user out everywhere, e.g. when they are deactivated or their password changes. */
  endAllFor(userId: string, except?: string): void {
    for (const [callerId, identity] of this.#byCaller) {
      if (identity.userId === userId && callerId !== except) this.end(callerId);
    }
  }
}
