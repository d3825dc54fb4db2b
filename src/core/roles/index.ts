export * from './slack-user';
export * from './authorise';
