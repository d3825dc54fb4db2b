import type { App } from '@slack/bolt';
import { createApprovalsFeature } from '../../../src/approvals/approvals-feature';
import { ActionIds, ApprovalBlockIds, CallbackIds } from '../../../src/slack/ids';
import { world } from './listener-world';

/** What the feature registered: each action's matcher and each view's callback id. */
function registrations() {
  const actions: Array<string | RegExp> = [];
  const views: unknown[] = [];
  const app = {
    action: (matcher: string | RegExp) => actions.push(matcher),
    view: (id: unknown) => views.push(id),
  } as unknown as App;
  const w = world();
  const feature = createApprovalsFeature({
    ...w.deps,
    audit: { ...w.deps.audit, latest: () => Promise.resolve([]) },
    requestsWithStatus: () => Promise.resolve([]),
  });
  feature.register?.(app);
  const handles = (id: string) => actions.filter((m) => (typeof m === 'string' ? m === id : m.test(id))).length;
  return { feature, views, handles };
}

describe('approvals feature', () => {
  it('answers /certs rotate, requests, jobs, cancel and audit', () => {
    expect(Object.keys(registrations().feature.subcommands ?? {}).sort()).toEqual([
      'audit',
      'cancel',
      'jobs',
      'requests',
      'rotate',
    ]);
  });

  it.each([ActionIds.approveRequest, ActionIds.rejectRequest, ActionIds.cancelJob, ActionIds.retryRequest])(
    'routes %s to exactly one listener, on a card and suffixed per request (the Home tab)',
    (id) => {
      const { handles } = registrations();
      expect([handles(id), handles(`${id}:R0000000AA`), handles(`${id}x`)]).toEqual([1, 1, 0]);
    },
  );

  it('routes the Rotate… button, the form’s two picks and both forms', () => {
    const { handles, views } = registrations();
    expect([
      handles(ActionIds.openRotate),
      handles(`${ActionIds.openRotate}:prod`),
      handles(ApprovalBlockIds.rotateClusterSelect),
      handles(ApprovalBlockIds.rotateOperationSelect),
    ]).toEqual([1, 1, 1, 1]);
    expect(views).toEqual([CallbackIds.rotateModal, CallbackIds.rejectModal]);
  });
});
