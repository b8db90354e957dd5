/**
 * The homepage widget of My work (我的待办): each of the user's queues with its count, each
 * opening the queue, whose list holds exactly that many rows (both come from the same query,
 * GET /complaints/queues).
 */
import { useEffect, useState } from 'react';
import { Flex, Typography } from '@strapi/design-system';
import { useFetchClient, Widget } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { Link } from 'react-router-dom';

import { PLUGIN_ID } from '../pluginId';
import { getTranslation } from '../utils/getTranslation';

interface QueueCount {
  key: string;
  label: { zh: string; en: string };
  count: number;
}

export const MyWorkWidget = () => {
  const { formatMessage, locale } = useIntl();
  const { get } = useFetchClient();
  const [queues, setQueues] = useState<QueueCount[] | null>(null);
  const [error, setError] = useState(false);
  useEffect(() => {
    get<{ data: { queues: QueueCount[] } }>('/complaints/queues')
      .then((res) => setQueues(res.data.data.queues))
      .catch(() => setError(true));
  }, [get]);
  if (error) return <Widget.Error />;
  if (!queues) return <Widget.Loading />;
  if (queues.length === 0) return <Widget.NoData>{formatMessage({ id: getTranslation('mywork.none'), defaultMessage: 'Your role has no work queue.' })}</Widget.NoData>;
  const zh = locale.toLowerCase().startsWith('zh');
  return (
    <Flex direction="column" alignItems="stretch" gap={2} data-testid="minyi-mywork-widget">
      {queues.map((q) => (
        <Flex key={q.key} justifyContent="space-between" data-testid={`minyi-mywork-widget-${q.key}`}>
          <Link to={`/plugins/${PLUGIN_ID}/my-work?queue=${q.key}`}>
            <Typography textColor="primary600">{zh ? q.label.zh : q.label.en}</Typography>
          </Link>
          <Typography fontWeight="bold" textColor={q.count > 0 ? 'neutral800' : 'neutral500'}>{q.count}</Typography>
        </Flex>
      ))}
    </Flex>
  );
};
