/**
 * The marker of a demand a citizen files through the public intake: the complaint guard records
 * its `created` event with the citizen as actor (history-chain.ts CITIZEN_ACTOR) instead of the
 * system. Like the ledger writer's, the scope can only be entered by code that imports this module.
 */
import { AsyncLocalStorage } from 'async_hooks';

const scope = new AsyncLocalStorage<true>();

export const asCitizenIntake = <T>(fn: () => T): T => scope.run(true, fn);

export const isCitizenIntake = (): boolean => scope.getStore() === true;
