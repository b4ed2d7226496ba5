// Ids are UUIDv7 text: time-ordered (good for indexes and for reading logs) and safe to make on
// any device, offline, without coordination.
import { v7 as uuidv7, validate, version } from 'uuid';

export function newId(): string {
  return uuidv7();
}

/** A UUIDv7 for a given moment, with caller-supplied randomness (deterministic sample data). */
export function idAt(msecs: number, random: Uint8Array): string {
  return uuidv7({ msecs, random });
}

export function isUuidV7(value: string): boolean {
  return validate(value) && version(value) === 7;
}
