export * from './catalogue';
export * from './cluster-support';
export * from './approval-policy';
