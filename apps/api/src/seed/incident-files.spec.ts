import { councilLines, POLICE_UK_CRIME_MIX, POLICE_UK_HEADER, policeUkStreetLines } from './incident-files';

const lsoas = [
  { code: 'E01000001', name: 'Riverside 001A', lat: 52.96, lng: -1.17 },
  { code: 'E01000002', name: 'Riverside 001B', lat: 52.95, lng: -1.15 },
];

describe('incident files', () => {
  it('writes a data.police.uk street file: its header, its twelve columns, months within the range, ASB rows without a Crime ID', () => {
    const lines = [...policeUkStreetLines({ lsoas, lastMonth: '2026-11', months: 12, rows: 2000 })];
    expect(lines[0]).toBe(POLICE_UK_HEADER);
    const rows = lines.slice(1).map((line) => line.split(','));
    expect(rows).toHaveLength(2000);
    for (const row of rows) {
      expect(row).toHaveLength(12);
      expect(row[1]! >= '2025-12' && row[1]! <= '2026-11').toBe(true);
      expect(row[9] === 'Anti-social behaviour' ? row[0] === '' && row[10] === '' : /^[0-9a-f]{64}$/.test(row[0]!)).toBe(true);
    }
    const share = (type: string) => rows.filter((row) => row[9] === type).length / rows.length;
    expect(share('Violence and sexual offences')).toBeGreaterThan(0.28);
    expect(share('Violence and sexual offences')).toBeLessThan(0.38);
    expect(new Set(rows.map((row) => row[9]))).toEqual(new Set(POLICE_UK_CRIME_MIX.map(([type]) => type)));
  });

  it('is the same file for the same seed, and a surge multiplies one LSOA and type in the last months', () => {
    const options = { lsoas, lastMonth: '2026-11', months: 12, rows: 3000, seed: 7 };
    expect([...policeUkStreetLines(options)]).toEqual([...policeUkStreetLines(options)]);
    const surged = [...policeUkStreetLines({ ...options, surge: { lsoa: 'E01000001', crimeType: 'Shoplifting', months: 2, factor: 5 } })];
    const count = (lines: string[]) => lines.filter((l) => l.includes('E01000001') && l.includes('Shoplifting') && /,2026-1[01],/.test(l)).length;
    expect(count(surged)).toBeGreaterThan(3 * count([...policeUkStreetLines(options)]));
  });

  it('writes a council extract with dates and grid references', () => {
    const lines = [...councilLines({ places: [{ easting: 457000, northing: 340000 }], lastDay: '2026-11-30', days: 365, rows: 100, types: ['Fly-tipping', 'Graffiti'] })];
    expect(lines).toHaveLength(101);
    for (const line of lines.slice(1)) expect(line).toMatch(/^CR\d+,(2025-1[12]|2026-\d\d)-\d\d,(Fly-tipping|Graffiti),\d{6},\d{6},,".+"$/);
  });
});
