import { Box, Flex, Typography } from '@strapi/design-system';

/** A titled card of a Minyi page (the settings page's sections, the complaint page's parts). */
export const Section = ({ title, testId, children }: { title: string; testId: string; children: React.ReactNode }) => (
  <Box background="neutral0" hasRadius shadow="tableShadow" padding={6} marginBottom={4} data-testid={testId}>
    <Flex direction="column" alignItems="stretch" gap={3}>
      <Typography variant="delta" tag="h2">
        {title}
      </Typography>
      {children}
    </Flex>
  </Box>
);
