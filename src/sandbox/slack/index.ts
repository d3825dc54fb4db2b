export { SlackSim } from './server';
export type { SlackSimOptions } from './server';
export { SlackDriver } from './driver';
export type { DeliveryResult, DriverOptions, DriverTarget } from './driver';
export type { BlockActionInput, SelectedOption, StateValues } from './payloads';
export { signedHeaders, slackSignature } from './signing';
export { validateBlocks, validateView, MAX_BLOCKS } from './block-kit-validator';
export * from './types';
