import { DataFolderLockedError } from '@tasking/event-store';

/** Runs a script's `main`: a data folder another process holds ends it with its message and exit code 4, any other failure with 1. */
export function runMain(main: () => Promise<void>): void {
  main().catch((error) => {
    if (error instanceof DataFolderLockedError) {
      console.error(error.message);
      process.exit(4);
    }
    console.error(error);
    process.exit(1);
  });
}
