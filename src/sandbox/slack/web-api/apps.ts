import type { ApiHandler } from './context';

const connectionsOpen: ApiHandler = (ctx) => ({ url: ctx.openSocketUrl() });

export const appMethods: Record<string, ApiHandler> = {
  'apps.connections.open': connectionsOpen,
};
