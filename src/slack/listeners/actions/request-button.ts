/** What the clicker is told when an Approve or Reject button does not carry a request id certops wrote. */
export const UNKNOWN_REQUEST_BUTTON = 'This button does not name an approval request; use the buttons on a request card, or `/certs requests` to find its id.';
