import { blocksToHtml } from '../../../src/sandbox/demo/render/block-kit';
import { NO_NAMES } from '../../../src/sandbox/demo/render/mrkdwn';
import { renderModal } from '../../../src/sandbox/demo/render/view';
import { selectedOption, stateValuesFrom } from '../../../src/sandbox/demo/view-state';

const md = (text: string) => ({ type: 'mrkdwn', text });
const plain = (text: string) => ({ type: 'plain_text', text });

describe('Block Kit to HTML', () => {
  it('renders header, section fields, context, divider and an unknown block without dropping it', () => {
    const html = blocksToHtml(
      [
        { type: 'header', text: plain('CSR <pending>') },
        { type: 'section', fields: [md('*Node*\nworker-2'), md('*IPs*\n`10.0.1.12`')] },
        { type: 'divider' },
        { type: 'context', elements: [md('requested by <@U0X>')] },
        { type: 'video', title: plain('x') },
      ],
      NO_NAMES,
    );
    expect(html).toContain('<div class="block header">CSR &lt;pending&gt;</div>');
    expect(html).toContain('<b>Node</b><br>worker-2');
    expect(html).toContain('<hr class="block divider">');
    expect(html).toContain('[video]');
  });

  it('gives buttons their style and carries action id, block id, value and confirm dialog for the page', () => {
    const html = blocksToHtml(
      [
        {
          type: 'actions',
          block_id: 'csr_actions',
          elements: [
            { type: 'button', action_id: 'approve', value: 'csr-1', style: 'primary', text: plain('Approve') },
            {
              type: 'button',
              action_id: 'deny',
              value: 'csr-1"><script>',
              style: 'danger',
              text: plain('Deny'),
              confirm: {
                title: plain('Deny?'),
                text: md('Really *deny*?'),
                confirm: plain('Deny'),
                deny: plain('Keep'),
                style: 'danger',
              },
            },
          ],
        },
      ],
      NO_NAMES,
    );
    expect(html).toContain('class="btn btn-primary"');
    expect(html).toContain('class="btn btn-danger"');
    expect(html).not.toContain('<script>');
    const actions = [...html.matchAll(/data-action="([^"]*)"/g)].map((m) =>
      JSON.parse(
        (m[1] ?? '')
          .replace(/&quot;/g, '"')
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>')
          .replace(/&amp;/g, '&'),
      ),
    );
    expect(actions[0]).toEqual({ actionId: 'approve', blockId: 'csr_actions', value: 'csr-1' });
    expect(actions[1]).toMatchObject({
      actionId: 'deny',
      value: 'csr-1"><script>',
      confirm: { title: 'Deny?', text: 'Really <b>deny</b>?', confirm: 'Deny', deny: 'Keep', danger: true },
    });
  });

  it('renders a modal with its inputs and reads their values back as Slack state values', () => {
    const view = {
      type: 'modal',
      title: plain('Rotate'),
      submit: plain('Request'),
      blocks: [
        {
          type: 'input',
          block_id: 'op',
          label: plain('Operation'),
          element: {
            type: 'static_select',
            action_id: 'pick',
            options: [{ text: plain('AKS rotate-certs'), value: 'aks-rotate-certs' }],
          },
        },
        {
          type: 'input',
          block_id: 'why',
          label: plain('Reason'),
          element: { type: 'plain_text_input', action_id: 'text', multiline: true },
        },
      ],
    };
    const modal = renderModal(view, NO_NAMES);
    expect(modal).toMatchObject({ title: 'Rotate', submit: 'Request', close: 'Cancel' });
    expect(modal.html).toContain('data-block-id="op" data-action-id="pick" data-kind="static_select"');
    expect(modal.html).toContain('<textarea');

    const values = stateValuesFrom(view.blocks, [
      { blockId: 'op', actionId: 'pick', value: 'aks-rotate-certs' },
      { blockId: 'why', actionId: 'text', value: 'old CA' },
    ]);
    expect(values).toEqual({
      op: {
        pick: {
          type: 'static_select',
          selected_option: { text: plain('AKS rotate-certs'), value: 'aks-rotate-certs' },
        },
      },
      why: { text: { type: 'plain_text_input', value: 'old CA' } },
    });
  });

  it('finds the option behind a select value in a message, and nothing for a value it does not offer', () => {
    const blocks = [
      {
        type: 'section',
        text: md('x'),
        accessory: { type: 'overflow', action_id: 'more', options: [{ text: plain('Snooze'), value: 'snooze' }] },
      },
    ];
    expect(selectedOption(blocks, 'more', 'snooze')).toEqual({ text: plain('Snooze'), value: 'snooze' });
    expect(selectedOption(blocks, 'more', 'delete-everything')).toBeUndefined();
  });
});
