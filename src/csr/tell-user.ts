import { failureTeller } from '../slack/tell-user';

export { tellUser } from '../slack/tell-user';

/** An unexpected failure on a CSR card: the CSR may be unchanged, so trying again is safe. */
export const tellFailure = failureTeller("The CSR may be unchanged: try again, or check certops' log.");
