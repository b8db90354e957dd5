import { setFlagsFromString } from 'v8';
import { runInNewContext } from 'vm';

/**
 * A full garbage collection, for the long jobs that allocate far more short-lived objects than
 * they keep (the import's parse, the export's rows): left alone, V8 lets the old generation grow
 * to about twice the live data between collections, and the process's resident set with it.
 * `gc` is exposed at run time, as --expose-gc would; where that fails, nothing happens.
 */
let gcFn: (() => void) | null | undefined;
export const collectGarbage = (): void => {
  if (gcFn === undefined) {
    try {
      setFlagsFromString('--expose_gc');
      gcFn = runInNewContext('gc') as () => void;
    } catch {
      gcFn = null;
    }
  }
  gcFn?.();
};
