export * from './slack-user';
export * from './authorise';
export * from './kubernetes-identities';
