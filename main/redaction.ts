// What is taken out of logs before they leave the computer in a diagnostics bundle: personal data
// (email addresses, phone numbers, the home folder, which carries the person's account name) and
// secrets (sign-in tokens, authorization headers, passwords). Ids and timestamps stay, so support
// can follow a trail.
import { homedir } from 'node:os';

/** A bearer token, whatever the header or message it sits in. */
const BEARER = /\bBearer\s+[\w.~+/=-]+/gi;

/**
 * A secret by its key, in JSON, in a logged object or in JSON inside a string:
 * `"refreshToken":"…"`, `access_token='…'`, `password: "…"`, `{\"accessToken\":\"…\"}`.
 */
const SECRET_KEY = String.raw`(?:(?:refresh|access|id)[_-]?token|authorization|password|secret)`;
const QUOTED_SECRET = new RegExp(String.raw`(${SECRET_KEY}\\?["']?\s*[:=]\s*)(\\?["'])(?:\\.|[^\n])*?\2`, 'gi');

/** A header line's value: `authorization: Basic dXNlcjpwYXNz`, up to the end of the line. */
const AUTHORIZATION_HEADER = /(\b(?:proxy-)?authorization\s*:\s*)(?!["'[])[^\n,;}]+/gi;

/** +351 912 345 678, +44 20 7946 0958, +12125550100. */
const INTERNATIONAL_PHONE = /\+\d[\d ()/-]{6,}\d/g;

/**
 * 912 345 678, (212) 555-0100, 020 7946 0958, 06 12 34 56 78: groups of digits split by single
 * spaces or hyphens, 9 to 12 digits in all. Not part of a longer run of digits, dots, colons or
 * word characters, so dates with times, ids, versions, addresses and file names stay.
 */
const NATIONAL_PHONE =
  /(?<![\w.:/+-])(?:\(\d{2,5}\)[ -]?|\d{2,5}[ -])\d{2,4}(?:[ -]\d{2,4}){0,3}(?![\w/]|[.:-]?\d|[ -]\d)/g;
const NATIONAL_DIGITS = { min: 9, max: 12 };

export function redact(text: string, home = homedir()): string {
  let out = text;
  if (home.length > 1) {
    for (const form of new Set([home, home.replaceAll('\\', '\\\\'), home.replaceAll('\\', '/')]))
      out = out.replaceAll(form, '~');
  }
  return out
    .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '[email]')
    .replace(BEARER, 'Bearer [token]')
    .replace(QUOTED_SECRET, (_match, key: string, quote: string) => `${key}${quote}[secret]${quote}`)
    .replace(AUTHORIZATION_HEADER, '$1[secret]')
    .replace(INTERNATIONAL_PHONE, '[phone]')
    .replace(NATIONAL_PHONE, (match) => {
      const digits = match.replace(/\D/g, '').length;
      return digits >= NATIONAL_DIGITS.min && digits <= NATIONAL_DIGITS.max ? '[phone]' : match;
    });
}
