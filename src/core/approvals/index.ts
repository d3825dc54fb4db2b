export * from './request';
export * from './outcome';
export * from './open-request';
export * from './decisions';
export * from './execution';
export * from './job';
