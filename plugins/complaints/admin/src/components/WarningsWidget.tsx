/**
 * Deadline warnings (预警) per responsible unit: the user's own unit(s) first, then the other
 * units, the red list (红牌榜), the totals, and the warning job's last run, so an administrator
 * can see the job is alive. Data: GET /complaints/warnings/overview (counts only, no personal
 * data). Used as a Strapi homepage widget and on the plugin's own page.
 */
import { useEffect, useState } from 'react';
import { Box, Flex, Typography } from '@strapi/design-system';
import { CheckCircle } from '@strapi/icons';
import { useFetchClient, Widget } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { Link } from 'react-router-dom';
import { styled } from 'styled-components';

import { CLOCK_STATES } from '../pages/Dashboard/query';
import { getTranslation } from '../utils/getTranslation';

type Level = 'yellow' | 'orange' | 'red';
const LEVELS: Level[] = ['yellow', 'orange', 'red'];

interface UnitWarnings {
  unitId: number | null;
  code: string | null;
  name: string | null;
  yellow: number;
  orange: number;
  red: number;
  overdueDays: number;
}

interface LastRun {
  slot: string;
  /** Shown to county roles only; absent for unit roles. */
  instance?: string | null;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  changed: number | null;
}

export interface WarningsOverview {
  today: string;
  ownUnitIds: number[];
  /** The user's own units, with or without warnings. */
  ownUnits?: Array<{ id: number; code: string | null; name: string | null }>;
  units: UnitWarnings[];
  redList: UnitWarnings[];
  totals: { yellow: number; orange: number; red: number; overdueDays: number };
  lastRun: LastRun | null;
  /** The county's IANA zone (config.timeZone). */
  timeZone?: string;
}

/** Other units shown in the compact (widget) view; the plugin page shows them all. */
const OTHERS_IN_WIDGET = 5;

const COMPLAINT_LIST = '/content-manager/collection-types/plugin::complaints.complaint';
/**
 * The Content Manager list of exactly the complaints a badge counts (services/warnings.ts
 * `overview`): one unit's, at one level, whose clock runs now (assigned, or rectifying). A
 * complaint in sign-off or closed keeps its last level but is not counted, so the list leaves it
 * out too. (A policy-limited measure has no clock, and its level is always none.)
 */
const listHref = (unitId: number, level: Level) =>
  `${COMPLAINT_LIST}?page=1&filters[$and][0][warningLevel][$eq]=${level}&filters[$and][1][responsibleUnitId][$eq]=${unitId}` +
  CLOCK_STATES.map((state, i) => `&filters[$and][2][state][$in][${i}]=${state}`).join('');

/** Level colours: yellow, orange and red, as on the paper ledger (the theme has no yellow/orange pair). */
export const PILL: Record<Level | 'zero', { bg: string; fg: string; border: string }> = {
  yellow: { bg: '#FFF6C2', fg: '#6B5200', border: '#E6C200' },
  orange: { bg: '#FFE2C4', fg: '#8F3B00', border: '#F08A24' },
  red: { bg: '#FDE1DE', fg: '#A8201A', border: '#E5484D' },
  zero: { bg: 'transparent', fg: '#8E8EA9', border: '#DCDCE4' },
};

const Pill = styled.span<{ $level: Level | 'zero' }>`
  display: inline-block;
  min-width: 4.4rem;
  padding: 0.2rem 0.8rem;
  border-radius: 0.4rem;
  border: 1px solid ${({ $level }) => PILL[$level].border};
  background: ${({ $level }) => PILL[$level].bg};
  color: ${({ $level }) => PILL[$level].fg};
  font-size: 1.2rem;
  font-weight: 600;
  line-height: 1.6rem;
  text-align: center;
  white-space: nowrap;
`;

/** A warning level as a small coloured badge, in the lists (My work, the Content Manager's complaint list). */
export const WarningBadge = styled.span<{ $level: Level | 'zero' }>`
  display: inline-block;
  padding: 0.1rem 0.6rem;
  border-radius: 0.4rem;
  border: 1px solid ${({ $level }) => PILL[$level].border};
  background: ${({ $level }) => PILL[$level].bg};
  color: ${({ $level }) => PILL[$level].fg};
  font-size: 1.2rem;
  font-weight: 600;
  white-space: nowrap;
`;

const PillLink = styled(Link)`
  text-decoration: none;
  &:hover span,
  &:focus span {
    text-decoration: underline;
  }
`;

const OwnBadge = styled.span`
  display: inline-block;
  padding: 0 0.6rem;
  border-radius: 0.4rem;
  background: ${({ theme }) => theme.colors.primary600};
  color: ${({ theme }) => theme.colors.neutral0};
  font-size: 1.1rem;
  font-weight: 600;
  line-height: 1.8rem;
  white-space: nowrap;
`;

const Row = styled(Flex)<{ $own?: boolean }>`
  border-radius: 0.4rem;
  background: ${({ $own, theme }) => ($own ? theme.colors.primary100 : 'transparent')};
  border-left: 3px solid ${({ $own, theme }) => ($own ? theme.colors.primary600 : 'transparent')};
`;

/** YYYY-MM-DD HH:mm in the county's zone (the browser's own zone may be another). */
export const formatCountyTime = (iso: string, timeZone: string | undefined) => {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value])
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
};

const useT = () => {
  const { formatMessage } = useIntl();
  return (id: string, defaultMessage: string, values?: Record<string, string | number>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);
};

const CountPill = ({ unit, level }: { unit: UnitWarnings; level: Level }) => {
  const t = useT();
  const n = unit[level];
  const short = t(`warnings.short.${level}`, level === 'yellow' ? 'Y' : level === 'orange' ? 'O' : 'R');
  const pill = (
    <Pill $level={n > 0 ? level : 'zero'} data-testid={`minyi-warnings-${level}`} title={t(`warning.${level}`, level)}>
      {short} {n}
    </Pill>
  );
  return n > 0 && unit.unitId !== null ? (
    <PillLink to={listHref(unit.unitId, level)} aria-label={`${unitName(unit, t)} ${t(`warning.${level}`, level)} ${n}`}>
      {pill}
    </PillLink>
  ) : (
    pill
  );
};

const unitName = (u: UnitWarnings, t: ReturnType<typeof useT>) => u.name ?? t('warnings.noUnit', 'No responsible unit');

const OverdueDays = ({ days }: { days: number }) => {
  const t = useT();
  return (
    <Typography variant="pi" textColor={days > 0 ? 'danger600' : 'neutral500'} fontWeight={days > 0 ? 'bold' : undefined} data-testid="minyi-warnings-overdue" style={{ whiteSpace: 'nowrap' }}>
      {t('warnings.overdueDays', '{days} days overdue', { days })}
    </Typography>
  );
};

const UnitRow = ({ unit, own }: { unit: UnitWarnings; own: boolean }) => {
  const t = useT();
  return (
    <Row $own={own} gap={2} paddingTop={1} paddingBottom={1} paddingLeft={2} paddingRight={2} justifyContent="space-between" data-testid="minyi-warnings-unit" data-unit-id={unit.unitId ?? ''} data-own={own ? 'true' : 'false'}>
      <Flex gap={2} minWidth={0}>
        {own && <OwnBadge data-testid="minyi-warnings-own">{t('warnings.own', 'Own unit')}</OwnBadge>}
        <Typography fontWeight={own ? 'bold' : undefined} ellipsis title={unit.code ?? undefined} data-testid="minyi-warnings-unit-name">
          {unitName(unit, t)}
        </Typography>
      </Flex>
      <Flex gap={1} shrink={0}>
        {LEVELS.map((l) => (
          <CountPill key={l} unit={unit} level={l} />
        ))}
        <Box paddingLeft={1} minWidth="7.2rem" textAlign="right">
          <OverdueDays days={unit.overdueDays} />
        </Box>
      </Flex>
    </Row>
  );
};

const Section = ({ title, testId, children }: { title: string; testId: string; children: React.ReactNode }) => (
  <Flex direction="column" alignItems="stretch" gap={1} data-testid={testId}>
    <Typography variant="sigma" textColor="neutral600">
      {title}
    </Typography>
    {children}
  </Flex>
);

const LastRunLine = ({ run, timeZone }: { run: LastRun | null; timeZone: string | undefined }) => {
  const t = useT();
  if (!run) {
    return (
      <Typography variant="pi" textColor="warning600" data-testid="minyi-warnings-lastrun">
        {t('warnings.lastRun.never', 'Warning job: no run recorded yet')}
      </Typography>
    );
  }
  const failed = run.status !== 'done';
  return (
    <Typography variant="pi" textColor={failed ? 'danger600' : 'neutral600'} data-testid="minyi-warnings-lastrun">
      {t('warnings.lastRun', 'Warning job last run: {time} · changed {changed}', {
        time: formatCountyTime(run.startedAt, timeZone),
        changed: run.changed ?? 0,
      })}
      {/* Only county roles are told which instance ran it. */}
      {run.instance ? ` · ${t('warnings.lastRun.instance', 'instance {instance}', { instance: run.instance })}` : ''}
      {run.durationMs !== null ? ` · ${t('warnings.lastRun.duration', '{ms} ms', { ms: run.durationMs })}` : ''}
      {failed ? ` · ${t('warnings.lastRun.failed', 'FAILED')}` : ''}
    </Typography>
  );
};

/** The overview's content; `compact` limits the other units to a few (the homepage widget). */
export const WarningsOverviewView = ({ data, compact }: { data: WarningsOverview; compact: boolean }) => {
  const t = useT();
  const own = data.units.filter((u) => u.unitId !== null && data.ownUnitIds.includes(u.unitId));
  const others = data.units.filter((u) => !(u.unitId !== null && data.ownUnitIds.includes(u.unitId)));
  const shownOthers = compact ? others.slice(0, OTHERS_IN_WIDGET) : others;
  const ownWithoutWarnings = data.ownUnitIds.length - own.length;
  const quietOwnNames = (data.ownUnits ?? [])
    .filter((u) => !own.some((o) => o.unitId === u.id))
    .map((u) => u.name ?? u.code ?? '')
    .filter(Boolean)
    .join('、');
  const { totals } = data;

  if (data.units.length === 0) {
    return (
      <Flex direction="column" alignItems="stretch" gap={3} data-testid="minyi-warnings">
        <Flex direction="column" gap={2} paddingTop={6} paddingBottom={4} data-testid="minyi-warnings-empty">
          <CheckCircle width="3.2rem" height="3.2rem" fill="success600" aria-hidden />
          <Typography variant="delta">{t('warnings.empty', 'No warnings')}</Typography>
          <Typography variant="pi" textColor="neutral600">
            {t('warnings.empty.help', 'No complaint is close to or past its deadline.')}
          </Typography>
        </Flex>
        <LastRunLine run={data.lastRun} timeZone={data.timeZone} />
      </Flex>
    );
  }

  return (
    <Flex direction="column" alignItems="stretch" gap={3} data-testid="minyi-warnings">
      <Flex direction="column" alignItems="stretch" gap={1} data-testid="minyi-warnings-units">
        {own.map((u) => (
          <UnitRow key={`own-${u.unitId}`} unit={u} own />
        ))}
        {ownWithoutWarnings > 0 && (
          <Row $own gap={2} paddingTop={1} paddingBottom={1} paddingLeft={2} paddingRight={2} data-testid="minyi-warnings-own-none">
            <OwnBadge>{t('warnings.own', 'Own unit')}</OwnBadge>
            {quietOwnNames && (
              <Typography variant="omega" fontWeight="semiBold">
                {quietOwnNames}
              </Typography>
            )}
            <Typography variant="pi" textColor="neutral600">
              {t('warnings.ownNone', 'No warnings for your unit')}
            </Typography>
          </Row>
        )}
        {shownOthers.map((u) => (
          <UnitRow key={`u-${u.unitId ?? 'none'}`} unit={u} own={false} />
        ))}
        {others.length > shownOthers.length && (
          <Typography variant="pi" textColor="neutral500" data-testid="minyi-warnings-more">
            {t('warnings.more', '{count} more units', { count: others.length - shownOthers.length })}
          </Typography>
        )}
      </Flex>

      {data.redList.length > 0 && (
        <Section title={t('warnings.redList', 'Red list: most overdue complaints')} testId="minyi-warnings-redlist">
          {data.redList.map((u, i) => (
            <Flex key={`red-${u.unitId ?? 'none'}`} gap={2} justifyContent="space-between" paddingLeft={2} paddingRight={2} data-testid="minyi-warnings-red-row">
              <Flex gap={2} minWidth={0}>
                <Typography variant="pi" textColor="neutral500" style={{ minWidth: '1.6rem' }}>
                  {i + 1}
                </Typography>
                <Typography variant="omega" ellipsis>
                  {unitName(u, t)}
                </Typography>
              </Flex>
              <Flex gap={2} shrink={0}>
                <CountPill unit={u} level="red" />
                <Box minWidth="7.2rem" textAlign="right">
                  <OverdueDays days={u.overdueDays} />
                </Box>
              </Flex>
            </Flex>
          ))}
        </Section>
      )}

      <Flex direction="column" alignItems="stretch" gap={1} paddingTop={2} style={{ borderTop: '1px solid #EAEAEF' }}>
        <Typography variant="pi" fontWeight="bold" data-testid="minyi-warnings-totals">
          {t('warnings.totals', 'Total: yellow {yellow} · orange {orange} · red {red} · {overdueDays} days overdue', totals)}
        </Typography>
        <LastRunLine run={data.lastRun} timeZone={data.timeZone} />
      </Flex>
    </Flex>
  );
};

/**
 * Loads the overview; renders it, or Strapi's widget loading and error states. `children`
 * wraps what is rendered (the plugin page puts it in a card); with `hideWhenForbidden`, a 403
 * renders nothing at all.
 */
export const WarningsOverviewPanel = ({
  compact,
  hideWhenForbidden = false,
  children = (content) => content,
}: {
  compact: boolean;
  hideWhenForbidden?: boolean;
  children?: (content: React.ReactNode) => React.ReactNode;
}) => {
  const t = useT();
  const { get } = useFetchClient();
  const [data, setData] = useState<WarningsOverview | null>(null);
  const [error, setError] = useState<{ status?: number; message: string } | null>(null);

  useEffect(() => {
    let alive = true;
    get<{ data: WarningsOverview }>('/complaints/warnings/overview')
      .then((res) => alive && setData(res.data.data))
      .catch((e: { response?: { status?: number }; status?: number }) => {
        if (!alive) return;
        const status = e.response?.status ?? e.status;
        setError({ status, message: status === 403 ? t('warnings.forbidden', 'You may not see the warnings') : t('warnings.error', 'Could not load the warnings') });
      });
    return () => {
      alive = false;
    };
  }, [get]);

  if (error?.status === 403 && hideWhenForbidden) return null;
  if (error) {
    return (
      <>
        {children(
          <Box data-testid="minyi-warnings-error" height="100%">
            <Widget.Error>{error.message}</Widget.Error>
          </Box>
        )}
      </>
    );
  }
  if (!data) return <>{children(<Widget.Loading />)}</>;
  return <>{children(<WarningsOverviewView data={data} compact={compact} />)}</>;
};

/** The Strapi homepage widget (registered in the plugin's register()). */
export const WarningsWidget = () => <WarningsOverviewPanel compact />;
