/**
 * The write path shared by every command: the command runner (read, fold, decide, append with the
 * revisions read), the stream reader, the helpers the command slices use, and the port system
 * commands run through.
 */
export * from './command-runner';
export * from './command-support';
export * from './system-commands';
export * from './tokens';

// Incidents: ids and content hashes, computed outside the pure domain.
export * from './incidents/identity';
// Incidents: where (grid positions, the area holding a place), when, and which category.
export * from './incidents/location';
export * from './incidents/occurred-at';
export * from './incidents/source-map';

// Bulk imports: reading and mapping the files.
export * from './imports';
