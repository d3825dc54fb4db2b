import type { StateValues } from '../slack';
import { isObject, list, optionsOf, str, type Json } from './render/elements';

/** What the page read from one input of a modal: the raw value(s) the user chose or typed. */
export interface FormInput {
  blockId: string;
  actionId: string;
  value: string | string[] | null;
}

function option(element: Json, value: string): Json | undefined {
  const found = optionsOf(element).find((o) => str(o.value) === value);
  return found ? { text: found.text, value } : undefined;
}

function elementValue(element: Json, raw: string | string[] | null): Json {
  const type = str(element.type);
  const first = Array.isArray(raw) ? raw[0] : raw;
  switch (type) {
    case 'static_select':
    case 'radio_buttons':
      return { type, selected_option: first ? (option(element, first) ?? null) : null };
    case 'checkboxes':
      return { type, selected_options: (Array.isArray(raw) ? raw : []).map((v) => option(element, v)).filter(Boolean) };
    case 'datepicker':
      return { type, selected_date: first || null };
    default:
      return { type, value: first ?? null };
  }
}

/**
 * The `state.values` Slack would send with a view submission, built from the modal's own input blocks
 * (so an option arrives with its text and value, exactly as the app defined it).
 */
export function stateValuesFrom(blocks: unknown, inputs: FormInput[]): StateValues {
  const values: StateValues = {};
  list(blocks).forEach((block, index) => {
    if (block.type !== 'input' || !isObject(block.element)) return;
    const blockId = str(block.block_id) || `block-${index}`;
    const actionId = str(block.element.action_id);
    const raw = inputs.find((i) => i.blockId === blockId && i.actionId === actionId)?.value ?? null;
    values[blockId] = { [actionId]: elementValue(block.element, raw) };
  });
  return values;
}

/** The option object behind a select or overflow value in a message, for a block action. */
export function selectedOption(
  blocks: unknown,
  actionId: string,
  value: string,
): { text: { type: 'plain_text'; text: string }; value: string } | undefined {
  for (const block of list(blocks)) {
    const elements = [block.accessory, ...list(block.elements), block.element].filter(isObject);
    const element = elements.find((e) => e.action_id === actionId);
    const found = element ? option(element, value) : undefined;
    if (found) return found as { text: { type: 'plain_text'; text: string }; value: string };
  }
  return undefined;
}
