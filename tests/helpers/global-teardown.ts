import { removeTemplate } from './template-db';

/** Removes the run's template database (global-setup.ts made it). */
export default async function globalTeardown(): Promise<void> {
  await removeTemplate();
}
