export * from './catalogue';
export * from './cluster-support';
export * from './approval-policy';
export * from './kms-params';
export * from './param-fields';
