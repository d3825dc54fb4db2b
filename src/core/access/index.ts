export * from './access-ask';
export * from './access-kubeconfig';
export * from './grant-names';
export * from './level';
