import type { AuditLog } from '../../../state/audit-log';
import type { Subscriptions } from '../../../state/subscriptions';
import type { UserDirectory } from '../../../slack/directory/user-directory';
import type { DigestService } from '../../digest-service';
import { parseScope, parseSubscribeArgs, sameScope, scopeLabel, SUBSCRIBE_USAGE } from '../../schedule';
import type { DigestScope, DigestSubscription } from '../../../state/subscriptions';
import { UsageError } from '../../../util/errors';
import { slackDate } from '../../../util/slack-date';
import { errorBlocks } from '../../../slack/blocks/error';
import { scopeText } from '../../blocks/digest';
import type { SubcommandContext, SubcommandHandler } from '../../../slack/commands/context';
import { mayRead } from '../../../slack/commands/read-rights';

const USAGE = `\`${SUBSCRIBE_USAGE}\`, \`/certs digest unsubscribe [cluster|all]\`, \`/certs digest list\` or \`/certs digest now [cluster|all]\``;

function describe(sub: DigestSubscription, next?: Date): string {
  const when = next ? ` (next: ${slackDate(next)})` : '';
  return `${scopeText(sub.scope)} daily at ${sub.at} ${sub.tz}${sub.chart ? ', with a chart' : ', no chart'}${when}`;
}

function optionalScope(word: string | undefined, clusters: string[]): DigestScope | undefined {
  if (word === undefined) return undefined;
  const scope = parseScope(word, clusters);
  if (!scope)
    throw new UsageError(
      `\`${word}\` is neither \`all\` nor a configured cluster (${clusters.join(', ') || 'none configured'}). Usage: ${USAGE}.`,
    );
  return scope;
}

async function say(sc: SubcommandContext, text: string): Promise<void> {
  await sc.respond({ response_type: 'ephemeral', text });
}

/** What `/certs digest` needs: the configured clusters, who may do what, the digest service, the audit trail. */
export interface DigestCommandDeps {
  clusterNames: () => string[];
  directory: Pick<UserDirectory, 'authorise'>;
  digest: Pick<DigestService, 'subscribe' | 'unsubscribe' | 'list' | 'postNow'>;
  subscriptions: Pick<Subscriptions, 'forChannel'>;
  audit: Pick<AuditLog, 'append'>;
}

/** Operators and approvers (of the cluster, for a cluster digest) may change or trigger the channel's digest. */
async function authorised(
  bot: Pick<DigestCommandDeps, 'directory'>,
  sc: SubcommandContext,
  scope: DigestScope | undefined,
): Promise<boolean> {
  const { auth } = await bot.directory.authorise(
    sc.command.user_id,
    scope?.kind === 'cluster' ? scope.cluster : undefined,
  );
  if (auth.canRequest) return true;
  const message = `You may not change or post the digest: ${auth.reasons.join('; ')}.`;
  await sc.respond({ response_type: 'ephemeral', text: message, blocks: errorBlocks(message) });
  return false;
}

/** `/certs digest subscribe|unsubscribe|list|now`: the channel's daily expiry digest. */
export function digestSubcommand(bot: DigestCommandDeps): SubcommandHandler {
  const clusters = bot.clusterNames;
  return async (sc) => {
    const [action, ...rest] = sc.args;
    const channel = sc.command.channel_id;
    const actor = { id: sc.command.user_id, name: sc.command.user_name };
    switch (action?.toLowerCase()) {
      case 'subscribe': {
        const sub = parseSubscribeArgs(channel, rest, clusters());
        if (!(await authorised(bot, sc, sub.scope))) return;
        const { created, next } = await bot.digest.subscribe(sub);
        await bot.audit.append({
          type: 'subscription',
          action: 'digest-subscribe',
          actor,
          ...(sub.scope.kind === 'cluster' ? { cluster: sub.scope.cluster } : {}),
          params: { ...sub },
        });
        await say(
          sc,
          `${created ? 'Subscribed' : 'Updated'}: this channel gets the certificate digest for ${describe(sub, next)}.`,
        );
        return;
      }
      case 'unsubscribe': {
        const scope = optionalScope(rest[0], clusters());
        if (!(await authorised(bot, sc, scope))) return;
        const removed = await bot.digest.unsubscribe(channel, scope);
        if (removed.length === 0)
          return say(
            sc,
            `This channel has no digest subscription${scope ? ` for ${scopeText(scope)}` : ''}; \`/certs digest list\` shows what it has.`,
          );
        await bot.audit.append({
          type: 'subscription',
          action: 'digest-unsubscribe',
          actor,
          params: { channel, scopes: removed.map((s) => scopeLabel(s.scope)) },
        });
        return say(
          sc,
          `Unsubscribed: no more digest for ${removed.map((s) => scopeText(s.scope)).join(', ')} in this channel.`,
        );
      }
      case 'list': {
        if (!(await mayRead(bot, sc, undefined))) return;
        const subs = await bot.digest.list(channel);
        if (subs.length === 0)
          return say(sc, `This channel has no digest subscription. Subscribe with \`${SUBSCRIBE_USAGE}\`.`);
        return say(
          sc,
          `Digests in this channel:\n${subs.map(({ sub, next }) => `• ${describe(sub, next)}`).join('\n')}`,
        );
      }
      case 'now': {
        const scope = optionalScope(rest[0], clusters());
        if (!(await authorised(bot, sc, scope))) return;
        const subs = await bot.subscriptions.forChannel(channel);
        const existing = subs.find((s) => !scope || sameScope(s.scope, scope));
        const sub: DigestSubscription = existing ?? {
          channel,
          scope: scope ?? { kind: 'all' },
          at: '00:00',
          tz: 'UTC',
          chart: true,
        };
        await bot.digest.postNow(sub);
        return;
      }
      default:
        throw new UsageError(
          `${action ? `\`${action}\` is not a digest command` : 'Say what to do with the digest'}. Usage: ${USAGE}.`,
        );
    }
  };
}
