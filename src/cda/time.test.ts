import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hl7TsToIso, isoToHl7Ts, zoneOffsetMinutes } from './time.ts';

describe('isoToHl7Ts', () => {
  it('writes a UTC instant in Paris local time, winter and summer', () => {
    expect(isoToHl7Ts('2024-01-01T11:00:00Z')).toBe('20240101120000+0100');
    expect(isoToHl7Ts('2024-07-01T10:00:00.123Z')).toBe('20240701120000+0200');
    // the night of the change to summer time (31 March 2024, 01:00 UTC)
    expect(isoToHl7Ts('2024-03-31T00:59:59Z')).toBe('20240331015959+0100');
    expect(isoToHl7Ts('2024-03-31T01:00:00Z')).toBe('20240331030000+0200');
  });

  it('keeps the local time and offset the ISO string carries', () => {
    expect(isoToHl7Ts('2024-01-01T12:00:00+01:00')).toBe('20240101120000+0100');
    expect(isoToHl7Ts('2024-01-01T07:30-04:00')).toBe('20240101073000-0400');
  });

  it('uses a configured zone or fixed offset for UTC instants', () => {
    expect(isoToHl7Ts('2024-01-01T11:00:00Z', { offsetMinutes: 0 })).toBe('20240101110000+0000');
    expect(isoToHl7Ts('2024-01-01T11:00:00Z', 'America/Cayenne')).toBe('20240101080000-0300');
    expect(isoToHl7Ts('2024-01-01T11:00:00Z', { offsetMinutes: 330 })).toBe('20240101163000+0530');
  });

  it('keeps a date a date', () => {
    expect(isoToHl7Ts('1979-03-28')).toBe('19790328');
  });

  it('refuses what is not a valid ISO date or zoned date-time', () => {
    for (const bad of [
      '',
      '2024-02-30',
      '2024-01-01T25:00:00Z',
      '2024-01-01T12:00:00',
      '20240101',
      '2024-01-01T12:00+15:00',
    ]) {
      expect(isoToHl7Ts(bad), bad).toBeUndefined();
    }
  });
});

describe('hl7TsToIso', () => {
  it('reads zoned date-times as UTC instants, at any precision', () => {
    expect(hl7TsToIso('20240101120000+0100')).toBe('2024-01-01T11:00:00Z');
    expect(hl7TsToIso('201907011649+0100')).toBe('2019-07-01T15:49:00Z');
    expect(hl7TsToIso('202101040735+0100')).toBe('2021-01-04T06:35:00Z');
    expect(hl7TsToIso('20240101120000.25-0030')).toBe('2024-01-01T12:30:00.250Z');
  });

  it('reads dates as dates', () => {
    expect(hl7TsToIso('19790328')).toBe('1979-03-28');
    expect(hl7TsToIso('197903')).toBe('1979-03');
    expect(hl7TsToIso('1979')).toBe('1979');
  });

  it('reads a time without offset as local time of the zone', () => {
    expect(hl7TsToIso('20200701134745')).toBe('2020-07-01T11:47:45Z');
    expect(hl7TsToIso('20200101134745')).toBe('2020-01-01T12:47:45Z');
    expect(hl7TsToIso('20200101134745', { offsetMinutes: 0 })).toBe('2020-01-01T13:47:45Z');
  });

  it('refuses malformed values (three-digit offset, impossible dates)', () => {
    for (const bad of [
      '20240106113623+100',
      '20240230',
      '2024011',
      'abc',
      '20240101250000+0100',
      '20240101+9900',
    ]) {
      expect(hl7TsToIso(bad), bad).toBeUndefined();
    }
  });
});

describe('round trip', () => {
  it('ISO instant → TS → ISO gives the same second, in any zone', () => {
    const zones = fc.constantFrom<string | { offsetMinutes: number }>(
      'Europe/Paris',
      'Indian/Reunion',
      'Pacific/Noumea',
      { offsetMinutes: -210 },
    );
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 0, 1) }), zones, (ms, zone) => {
        const iso = `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}Z`;
        const ts = isoToHl7Ts(iso, zone);
        expect(ts).toMatch(/^\d{14}[+-]\d{4}$/);
        expect(hl7TsToIso(ts as string)).toBe(iso);
      }),
    );
  });

  it('knows the Paris offset', () => {
    expect(zoneOffsetMinutes(Date.UTC(2024, 0, 15))).toBe(60);
    expect(zoneOffsetMinutes(Date.UTC(2024, 6, 15))).toBe(120);
  });
});
