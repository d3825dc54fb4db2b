import type {
  AllMiddlewareArgs,
  BlockAction,
  BlockElementAction,
  SlackActionMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackViewAction,
  SlackViewMiddlewareArgs,
} from '@slack/bolt';

// The parts of Bolt's arguments a listener uses, and nothing else: a unit test builds them with fakes
// (test/helpers/fake-bolt.ts) instead of a whole Bolt app.

/** A button or menu click's arguments. */
export type ActionArgs<A extends BlockElementAction = BlockElementAction> = Pick<
  SlackActionMiddlewareArgs<BlockAction<A>>,
  'ack' | 'body' | 'action' | 'respond'
> &
  Pick<AllMiddlewareArgs, 'client'>;

/** A modal submission's arguments. */
export type ViewArgs<V extends SlackViewAction = SlackViewAction> = Pick<
  SlackViewMiddlewareArgs<V>,
  'ack' | 'body' | 'view'
> &
  Pick<AllMiddlewareArgs, 'client'>;

/** An Events API event's arguments (`app_home_opened`, …). */
export type EventArgs<T extends string> = Pick<SlackEventMiddlewareArgs<T>, 'event'> &
  Pick<AllMiddlewareArgs, 'client'>;
