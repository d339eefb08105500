import type { Event } from '../event';

/**
 * A bulk import of incidents (evidence.md, "Bulk import"): stream `import-<id>`, one per file
 * sent. The file itself is staged outside the log; the stream records who sent what, and how the
 * run ended. None of its fields is personal: rejected rows are reported by row, column and a
 * reason, never by their values.
 */

export const IMPORT_FORMATS = ['police-uk-street', 'mapped-csv'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** What a run did with the file's rows. */
export type ImportCounts = {
  rowsRead: number;
  recorded: number;
  unchanged: number;
  updated: number;
  /** Incidents of the file's (source, month)s imported earlier and absent now (`complete=true`). */
  withdrawn: number;
  rejected: number;
  /** Rows resolved to no area of the partnership: counted, not recorded. */
  outsidePartnership: number;
};

export type ImportStarted = Event<
  'ImportStarted',
  {
    importId: string;
    partnership: string;
    source: string;
    format: ImportFormat;
    /** The file declares itself complete for each (source, month) it holds. */
    complete: boolean;
    /** `mapped-csv`: which column holds each field. */
    mapping?: Record<string, string>;
    bytes: number;
    /** The user who sent it. */
    by: string;
  }
>;

export type ImportCompleted = Event<
  'ImportCompleted',
  {
    counts: ImportCounts;
    /** Incidents recorded or updated per area code. */
    byArea: Record<string, number>;
    /** The source's categories its map does not know (recorded as `other`). */
    unmappedCategories: string[];
    /** The log position after the run's last append. */
    position: string;
  }
>;

export type ImportFailed = Event<'ImportFailed', { reason: string }>;

/** Everything the import recorded was withdrawn (`POST /v1/imports/:id/withdraw`). */
export type ImportWithdrawn = Event<'ImportWithdrawn', { withdrawn: number; by: string }>;

export type ImportEvent = ImportStarted | ImportCompleted | ImportFailed | ImportWithdrawn;

const importEventTypes: Record<ImportEvent['type'], true> = { ImportStarted: true, ImportCompleted: true, ImportFailed: true, ImportWithdrawn: true };
export const IMPORT_EVENT_TYPES = Object.keys(importEventTypes) as readonly ImportEvent['type'][];
