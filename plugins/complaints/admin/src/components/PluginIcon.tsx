import { Feather } from '@strapi/icons';

const PluginIcon = () => <Feather />;

export { PluginIcon };
