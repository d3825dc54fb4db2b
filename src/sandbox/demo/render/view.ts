import { blocksToHtml } from './block-kit';
import { textObject, type Json } from './elements';
import type { NameLookup } from './mrkdwn';

export interface RenderedModal {
  title: string;
  submit?: string;
  close: string;
  html: string;
}

/** A modal's chrome and body; a modal without `submit` only has a close button, as in Slack. */
export function renderModal(view: Json, names: NameLookup): RenderedModal {
  const submit = textObject(view.submit, names);
  return {
    title: textObject(view.title, names),
    ...(submit ? { submit } : {}),
    close: textObject(view.close, names) || 'Cancel',
    html: blocksToHtml(view.blocks, names),
  };
}
