import { describe, expect, it } from 'vitest';
import {
  formatMoney,
  isCurrencyCode,
  minorUnitDigits,
  parseMoney,
  shareOf,
  sumByCurrency,
} from '../../db/domain/money.js';

describe('money', () => {
  it('knows each currency’s minor unit', () => {
    expect([minorUnitDigits('EUR'), minorUnitDigits('JPY'), minorUnitDigits('KWD')]).toEqual([2, 0, 3]);
  });

  it('parses decimal strings exactly, with no float drift', () => {
    expect(parseMoney('0.1', 'EUR').amountMinor + parseMoney('0.2', 'EUR').amountMinor).toBe(30);
    expect(parseMoney('1234.5', 'EUR')).toEqual({ amountMinor: 123450, currency: 'EUR' });
    expect(parseMoney('1500', 'JPY')).toEqual({ amountMinor: 1500, currency: 'JPY' });
    expect(parseMoney('-2.05', 'USD').amountMinor).toBe(-205);
  });

  it('refuses amounts finer than the currency allows, or not numbers at all', () => {
    expect(() => parseMoney('1.234', 'EUR')).toThrow(/more than 2 decimal places/);
    expect(() => parseMoney('10.5', 'JPY')).toThrow(/more than 0 decimal places/);
    expect(() => parseMoney('12,50', 'EUR')).toThrow(/not an amount/);
  });

  it('formats for the reader’s locale', () => {
    expect(formatMoney({ amountMinor: 123456, currency: 'EUR' }, 'en-IE')).toBe('€1,234.56');
    expect(formatMoney({ amountMinor: 1500, currency: 'JPY' }, 'en-US')).toBe('¥1,500');
  });

  it('never adds different currencies together', () => {
    const totals = sumByCurrency([
      { amountMinor: 100, currency: 'EUR' },
      { amountMinor: 250, currency: 'GBP' },
      { amountMinor: 50, currency: 'EUR' },
    ]);
    expect(Object.fromEntries(totals)).toEqual({ EUR: 150, GBP: 250 });
  });

  it('takes shares in basis points, rounding half away from zero', () => {
    expect(shareOf(10_005, 2_000)).toBe(2_001);
    expect(shareOf(-10_005, 2_000)).toBe(-2_001);
    expect(shareOf(333, 5_000)).toBe(167);
  });

  it('recognises ISO 4217 codes only', () => {
    expect(isCurrencyCode('EUR')).toBe(true);
    expect(isCurrencyCode('eur')).toBe(false);
    expect(isCurrencyCode('XYZ')).toBe(false);
  });
});
