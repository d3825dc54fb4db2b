import { failureTeller } from '../slack/tell-user';

export { tellUser } from '../slack/tell-user';

/** An unexpected failure on a request card: the person is told to look at the card before trying again. */
export const tellFailure = failureTeller("The error is in certops' log; check the request card before trying again.");
