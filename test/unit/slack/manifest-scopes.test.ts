import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';

const root = join(__dirname, '../../..');

// The bot scope each Web API method the code calls needs (api.slack.com/methods). A method used in src/
// but missing here fails the test: add its scope here and to manifest.yml together.
const METHOD_SCOPES: Record<string, string | string[] | null> = {
  'auth.test': null,
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'chat.delete': 'chat:write',
  // Links between request cards and from /certs jobs: Slack asks no scope for it.
  'chat.getPermalink': null,
  'views.open': null,
  'views.update': null,
  'views.push': null,
  'views.publish': null,
  'users.info': 'users:read',
  'usergroups.list': 'usergroups:read',
  'usergroups.users.list': 'usergroups:read',
  'files.uploadV2': 'files:write',
  'conversations.info': 'channels:read',
  // The bot's DM with a user, where a temporary-access kubeconfig goes (files.uploadV2 wants a conversation id).
  'conversations.open': 'im:write',
  // Reading card metadata back (a CSR shown before is never auto-decided): public and private cluster channels.
  'conversations.history': ['channels:history', 'groups:history'],
};
// The scope Slack requires before it delivers each Events API event (api.slack.com/events).
const EVENT_SCOPES: Record<string, string | null> = {
  app_home_opened: null,
  user_change: 'users:read',
  team_join: 'users:read',
  subteam_updated: 'usergroups:read',
  subteam_members_changed: 'usergroups:read',
};
const EVENT_RE = /\.event\('([a-z_]+)'/g;

// Slash commands exist only with this scope; the code registers /certs.
const ALWAYS = ['commands'];

const FAMILIES = ['auth', 'chat', 'views', 'users', 'usergroups', 'files', 'conversations', 'apps', 'reactions', 'im'];
const CALL_RE = new RegExp(`\\.(${FAMILIES.join('|')})\\.([a-zA-Z0-9]+(?:\\.[a-zA-Z0-9]+)?)\\(`, 'g');
// Method names that are Array/Map calls on variables named like a family, not Web API methods.
const NOT_WEB_API = new Set([
  'users.filter',
  'users.find',
  'users.get',
  'users.set',
  'users.map',
  'users.has',
  'users.push',
  'files.keys',
]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return entry === 'sandbox' ? [] : sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

export function webApiCalls(text: string): string[] {
  return [...text.matchAll(CALL_RE)].map((m) => `${m[1]}.${m[2]}`).filter((method) => !NOT_WEB_API.has(method));
}

describe('manifest.yml', () => {
  const manifest = parse(readFileSync(join(root, 'manifest.yml'), 'utf8')) as {
    oauth_config: { scopes: { bot: string[] } };
    features: { slash_commands: Array<{ command: string }> };
    settings: {
      socket_mode_enabled: boolean;
      interactivity: { is_enabled: boolean };
      event_subscriptions: { bot_events: string[] };
    };
  };
  const used = new Map<string, string>();
  for (const file of sourceFiles(join(root, 'src'))) {
    for (const method of webApiCalls(readFileSync(file, 'utf8'))) used.set(method, relative(root, file));
  }

  it('knows the scope of every Web API method the code calls', () => {
    const unknown = [...used.entries()]
      .filter(([method]) => !(method in METHOD_SCOPES))
      .map(([m, f]) => `${m} in ${f}`);
    expect(unknown).toEqual([]);
  });

  it('declares exactly the bot scopes the code uses', () => {
    const needed = new Set(ALWAYS);
    for (const method of used.keys()) {
      const scope = METHOD_SCOPES[method];
      for (const one of scope === null || scope === undefined ? [] : Array.isArray(scope) ? scope : [scope])
        needed.add(one);
    }
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
  });

  it('declares /certs, interactivity, Socket Mode and the App Home event', () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(['/certs']);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toContain('app_home_opened');
  });

  it('subscribes to exactly the events the code listens to, with the scopes they need', () => {
    const listened = new Set<string>();
    for (const file of sourceFiles(join(root, 'src')))
      for (const m of readFileSync(file, 'utf8').matchAll(EVENT_RE)) listened.add(m[1] as string);
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual([...listened].sort());
    // Dropping cached roles depends on these arriving.
    expect([...listened]).toEqual(
      expect.arrayContaining(['user_change', 'team_join', 'subteam_updated', 'subteam_members_changed']),
    );
    for (const event of listened) {
      expect(event in EVENT_SCOPES).toBe(true);
      const scope = EVENT_SCOPES[event];
      if (scope) expect(manifest.oauth_config.scopes.bot).toContain(scope);
    }
  });

  it('finds calls in source text: the scanner is not blind', () => {
    expect(
      webApiCalls('await client.chat.postMessage({}); await ctx.slack.usergroups.users.list({}); users.filter(x)'),
    ).toEqual(['chat.postMessage', 'usergroups.users.list']);
  });
});
