/**
 * Who is acting: the admin user of the current request (with their unit at this moment), or
 * the system. Stored in events as plain values, never as relations.
 */
import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import { SYSTEM_ACTOR, type Actor } from '../domain/history-chain';

export interface UnitRef {
  id: number;
  code: string;
  name: string;
}

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** The units an admin user belongs to (cached on the request). */
  async unitsOf(userId: number): Promise<UnitRef[]> {
    const ctx = strapi.requestContext.get() as any;
    const cache: Map<number, UnitRef[]> | undefined = ctx?.state ? (ctx.state.minyiUnits ??= new Map()) : undefined;
    const hit = cache?.get(userId);
    if (hit) return hit;
    const units = (await strapi.db.query(UID.unit as any).findMany({
      where: { members: { id: userId } },
      select: ['id', 'code', 'name'],
      orderBy: { id: 'asc' },
    })) as UnitRef[];
    cache?.set(userId, units);
    return units;
  },

  /** The actor of the current request: an admin user, or `system` outside any admin request. */
  async current(): Promise<Actor> {
    const ctx = strapi.requestContext.get() as any;
    const user = ctx?.state?.user;
    const strategy = ctx?.state?.auth?.strategy?.name;
    if (!user || strategy !== 'admin') return SYSTEM_ACTOR;
    const [unit] = await this.unitsOf(user.id);
    const name = [user.firstname, user.lastname].filter(Boolean).join(' ') || user.username || `admin#${user.id}`;
    return { kind: 'admin', id: user.id, name, unitId: unit?.id ?? null, unitName: unit?.name ?? null };
  },
});
