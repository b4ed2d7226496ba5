// Money is an integer count of minor units plus an ISO 4217 code. Never a float: amounts are
// summed and compared exactly, and converted to a decimal string only for display.

export interface Money {
  amountMinor: number;
  currency: string;
}

const CURRENCY_CODE = /^[A-Z]{3}$/;
const supportedCurrencies = new Set(Intl.supportedValuesOf('currency'));

export function isCurrencyCode(code: string): boolean {
  return CURRENCY_CODE.test(code) && supportedCurrencies.has(code);
}

/** Digits after the decimal point in the currency's minor unit: EUR 2, JPY 0, KWD 3. */
export function minorUnitDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** Parses a decimal string such as "1234.5" into minor units, exactly. */
export function parseMoney(decimal: string, currency: string): Money {
  const digits = minorUnitDigits(currency);
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(decimal.trim());
  if (!match) throw new RangeError(`"${decimal}" is not an amount: use digits with an optional decimal point`);
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > digits) {
    throw new RangeError(`"${decimal}" has more than ${digits} decimal places, the most ${currency} allows`);
  }
  const amountMinor = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  if (!Number.isSafeInteger(amountMinor)) throw new RangeError(`"${decimal}" is too large`);
  return { amountMinor: sign ? -amountMinor : amountMinor, currency };
}

/** Formats for people, in their locale: formatMoney({amountMinor: 123456, currency: 'EUR'}, 'pt-PT') → "1234,56 €". */
export function formatMoney(money: Money, locale?: string): string {
  const digits = minorUnitDigits(money.currency);
  return new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency }).format(
    money.amountMinor / 10 ** digits,
  );
}

/** Sums amounts per currency; different currencies are never added together. */
export function sumByCurrency(items: Iterable<Money>): Map<string, number> {
  const totals = new Map<string, number>();
  for (const { amountMinor, currency } of items) totals.set(currency, (totals.get(currency) ?? 0) + amountMinor);
  return totals;
}

/** A share of an amount in basis points (1/100 of a percent), rounded half away from zero. */
export function shareOf(amountMinor: number, basisPoints: number): number {
  const exact = (amountMinor * basisPoints) / 10_000;
  return Math.sign(exact) * Math.round(Math.abs(exact));
}
