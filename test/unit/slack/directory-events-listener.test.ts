import { registerDirectoryEvents } from '../../../src/slack/directory/directory-events';
import { createLogger } from '../../../src/util/logger';
import { fakeApp } from '../../helpers/fake-bolt';

function setup() {
  const forgotten: string[] = [];
  let groupsForgotten = 0;
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  });
  const { app, events } = fakeApp();
  registerDirectoryEvents(app, {
    directory: { forgetUser: (id) => void forgotten.push(id), forgetGroups: () => void groupsForgotten++ },
    logger,
  });
  const fire = (name: string, event: Record<string, unknown>) => {
    const handler = events.get(name);
    if (!handler) throw new Error(`no handler for ${name}`);
    return handler({ event: { type: name, ...event } });
  };
  return { events, fire, forgotten, groupsForgotten: () => groupsForgotten, messages: () => lines.map((l) => l.msg) };
}

describe('directory events', () => {
  it('subscribes to the four events that make cached people or groups stale', () => {
    expect([...setup().events.keys()].sort()).toEqual([
      'subteam_members_changed',
      'subteam_updated',
      'team_join',
      'user_change',
    ]);
  });

  it.each([
    ['user_change', { user: { id: 'U0CHANGED' } }, ['U0CHANGED'], 0, ['user changed in Slack; cached facts dropped']],
    ['team_join', { user: { id: 'U0JOINED' } }, ['U0JOINED'], 0, []],
    [
      'subteam_updated',
      { subteam: { id: 'S0APPROVERS' } },
      [],
      1,
      ['a user group changed in Slack; cached memberships dropped'],
    ],
    [
      'subteam_members_changed',
      { subteam_id: 'S0APPROVERS' },
      [],
      1,
      ['user group members changed in Slack; cached memberships dropped'],
    ],
  ])('%s drops what the directory cached about it', async (name, event, users, groups, logged) => {
    const t = setup();
    await t.fire(name, event);
    expect(t.forgotten).toEqual(users);
    expect(t.groupsForgotten()).toBe(groups);
    expect(t.messages()).toEqual(logged);
  });
});
