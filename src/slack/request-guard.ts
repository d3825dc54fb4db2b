import type http from 'node:http';
import type { App } from '@slack/bolt';
import { REPLAY_WINDOW_SECONDS, type SeenRequests } from '../state/seen-requests';
import type { Logger } from '../util/logger';

/** The workspace (and Enterprise Grid org) certops is installed in, as auth.test answers at start. */
export interface Installation {
  teamId?: string;
  enterpriseId?: string;
}

interface Claimed {
  teamId?: string;
  enterpriseId?: string;
}

type Loose = Record<string, unknown> | undefined;

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Which workspace a command, interaction or event says it comes from. */
function claimedWorkspace(body: Loose): Claimed {
  const team = body?.team as Loose;
  const user = body?.user as Loose;
  const enterprise = body?.enterprise as Loose;
  const teamId = str(body?.team_id) ?? str(team?.id) ?? str(user?.team_id);
  const enterpriseId = str(body?.enterprise_id) ?? str(enterprise?.id);
  return { ...(teamId ? { teamId } : {}), ...(enterpriseId ? { enterpriseId } : {}) };
}

/** Why a request from `claimed` is not for this installation, or undefined when it is. */
export function foreignWorkspace(claimed: Claimed, own: Installation): string | undefined {
  if (own.enterpriseId) {
    // An org-wide install serves every workspace of its org, and only those.
    return claimed.enterpriseId === own.enterpriseId
      ? undefined
      : `enterprise ${claimed.enterpriseId ?? 'none'} is not ${own.enterpriseId}`;
  }
  if (claimed.enterpriseId) return `enterprise ${claimed.enterpriseId} on a workspace install`;
  return claimed.teamId === own.teamId ? undefined : `team ${claimed.teamId ?? 'none'} is not ${own.teamId ?? 'known'}`;
}

/** What makes a delivery unique: the trigger id of a command or interaction, the event id of an event. */
function deliveryId(body: Loose): string | undefined {
  const id = str(body?.trigger_id) ?? str(body?.event_id);
  return id && id.length <= 200 ? id : undefined;
}

export interface RequestGuardDeps {
  installation: () => Promise<Installation>;
  seen: SeenRequests;
  logger: Logger;
}

/**
 * Before any listener: refuse what comes from another workspace (a signed payload carrying someone else's
 * team), and what was already accepted once (a signed request replayed inside Slack's 5-minute window).
 * Refused requests are acknowledged, so Slack does not retry them, and logged; nothing else happens.
 */
export function registerRequestGuard(app: App, deps: RequestGuardDeps): void {
  const logger = deps.logger.child({ part: 'request-guard' });
  app.use(async ({ body, next, ...rest }) => {
    const ack = (rest as { ack?: () => Promise<void> }).ack;
    const payload = body as Loose;
    const refuse = async (why: string, fields: Record<string, unknown>): Promise<void> => {
      logger.warn({ ...fields, type: payload?.type ?? payload?.command }, why);
      if (ack) await ack();
    };
    let own: Installation;
    try {
      own = await deps.installation();
    } catch (err) {
      return refuse('Slack request refused: the installation is not known yet (auth.test failed)', { err });
    }
    const claimed = claimedWorkspace(payload);
    const foreign = foreignWorkspace(claimed, own);
    if (foreign)
      return refuse(`Slack request from another workspace refused: ${foreign}`, {
        claimedTeam: claimed.teamId,
        claimedEnterprise: claimed.enterpriseId,
      });
    const id = deliveryId(payload);
    if (id && !(await deps.seen.firstTime(id)))
      return refuse('replayed Slack request refused: it was already accepted', { deliveryId: id });
    await next();
  });
}

/**
 * HTTP mode: Bolt refuses signatures older than 5 minutes but not ones from the future; a request stamped
 * more than 5 minutes ahead is refused the same way (401) before Bolt sees it.
 */
export function refuseFutureTimestamps(
  listener: http.RequestListener,
  logger: Logger,
  now: () => number = Date.now,
): http.RequestListener {
  return (req, res) => {
    const stamp = Number(req.headers['x-slack-request-timestamp']);
    if (Number.isFinite(stamp) && stamp > now() / 1000 + REPLAY_WINDOW_SECONDS) {
      logger.warn({ stamp }, 'Slack request refused: its timestamp is in the future');
      res.writeHead(401, { 'content-type': 'text/plain' }).end('stale or future request timestamp');
      return;
    }
    listener(req, res);
  };
}
