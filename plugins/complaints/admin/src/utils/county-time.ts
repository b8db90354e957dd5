/**
 * Times in the county's zone (the server's `timeZone` setting), wherever the reader's browser is.
 * The zone is asked of GET /complaints/info once per page load; until it answers, times are
 * shown in the zone of the server's default configuration, Asia/Shanghai.
 */
import { useEffect, useState } from 'react';
import { useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

export { countyWallDate, instantOfCountyWall } from './zone-wall';

const FALLBACK_ZONE = 'Asia/Shanghai';
let zone: Promise<string> | null = null;

export const useCountyZone = (): string => {
  const { get } = useFetchClient();
  const [tz, setTz] = useState(FALLBACK_ZONE);
  useEffect(() => {
    zone ??= get<{ data: { timeZone?: string } }>('/complaints/info')
      .then((res) => res.data.data.timeZone || FALLBACK_ZONE)
      .catch(() => {
        zone = null;
        return FALLBACK_ZONE;
      });
    let live = true;
    zone.then((z) => live && setTz(z));
    return () => {
      live = false;
    };
  }, [get]);
  return tz;
};

/** A formatter of instants in the county's zone, in the admin's language. */
export const useCountyTime = () => {
  const { formatDate } = useIntl();
  const timeZone = useCountyZone();
  return (iso: string, opts: Intl.DateTimeFormatOptions = { dateStyle: 'short', timeStyle: 'short' }) => formatDate(iso, { ...opts, timeZone });
};
