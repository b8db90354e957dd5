/**
 * The in-process marker of a write made by Minyi's own code. Ledger records (measures,
 * evidence, sign-offs, …) are written only by Minyi's services and jobs, which record the
 * matching history event; every other path (the Content Manager, another plugin, a Document
 * Service call from app code) is refused by the guards. A request header or a flag in the
 * data could be sent by anyone; an AsyncLocalStorage scope can only be entered by code that
 * imports this module and calls `asLedgerWriter`.
 */
import { AsyncLocalStorage } from 'async_hooks';

const scope = new AsyncLocalStorage<true>();

export const asLedgerWriter = <T>(fn: () => T): T => (scope.getStore() ? fn() : scope.run(true, fn));

export const isLedgerWriter = (): boolean => scope.getStore() === true;

/**
 * Wraps every method of a service object so that its work (and every async continuation of
 * it) runs as Minyi's own code. Applied once, to every service of the plugin, so a new service
 * method cannot forget it.
 */
export const ledgerWriterService = <F extends (...args: any[]) => any>(factory: F): F =>
  ((...args: unknown[]) => {
    const service = factory(...args);
    if (!service || typeof service !== 'object') return service;
    for (const key of Object.keys(service)) {
      const method = service[key];
      if (typeof method !== 'function') continue;
      service[key] = function wrapped(this: unknown, ...a: unknown[]) {
        return asLedgerWriter(() => method.apply(this, a));
      };
    }
    return service;
  }) as F;
