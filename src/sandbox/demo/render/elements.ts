import { escapeHtml } from './html-escape';
import { mrkdwnToHtml, plainToHtml, type NameLookup } from './mrkdwn';

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export function list(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

/** A text object: `mrkdwn` formatted, `plain_text` escaped (its emoji codes drawn only with `emoji: true`). */
export function textObject(text: unknown, names: NameLookup): string {
  if (!isObject(text)) return '';
  return text.type === 'mrkdwn'
    ? mrkdwnToHtml(str(text.text), names)
    : plainToHtml(str(text.text), text.emoji === true);
}

/** What the page sends back when an element is used: everything Slack would put in the action. */
function actionAttribute(element: Json, blockId: string | undefined, names: NameLookup): string {
  const confirm = isObject(element.confirm) ? confirmDialog(element.confirm, names) : undefined;
  const action = { actionId: str(element.action_id), blockId, value: element.value, confirm };
  return `data-action="${escapeHtml(JSON.stringify(action))}"`;
}

function confirmDialog(confirm: Json, names: NameLookup): Json {
  return {
    title: textObject(confirm.title, names),
    text: textObject(confirm.text, names),
    confirm: textObject(confirm.confirm, names) || 'Confirm',
    deny: textObject(confirm.deny, names) || 'Cancel',
    danger: confirm.style === 'danger',
  };
}

export function optionsOf(element: Json): Json[] {
  return [...list(element.options), ...list(element.option_groups).flatMap((group) => list(group.options))];
}

function selectOptions(element: Json, selected: string | undefined, names: NameLookup): string {
  const placeholder = textObject(element.placeholder, names) || 'Select an option';
  const options = optionsOf(element).map((o) => {
    const value = str(o.value);
    return `<option value="${escapeHtml(value)}"${value === selected ? ' selected' : ''}>${textObject(o.text, names)}</option>`;
  });
  return `<option value="" disabled${selected === undefined ? ' selected' : ''}>${placeholder}</option>${options.join('')}`;
}

function initialValue(element: Json): string | undefined {
  return isObject(element.initial_option) ? str(element.initial_option.value) : undefined;
}

/** Interactive elements of sections and actions blocks (in messages, the Home tab or a modal). */
export function interactiveElement(element: Json, blockId: string | undefined, names: NameLookup): string {
  const action = actionAttribute(element, blockId, names);
  switch (element.type) {
    case 'button': {
      const style = element.style === 'danger' ? ' btn-danger' : element.style === 'primary' ? ' btn-primary' : '';
      const url = typeof element.url === 'string' ? ` data-url="${escapeHtml(element.url)}"` : '';
      return `<button type="button" class="btn${style}" ${action}${url}>${textObject(element.text, names)}</button>`;
    }
    case 'static_select':
    case 'external_select':
      return `<select class="select" ${action}>${selectOptions(element, initialValue(element), names)}</select>`;
    case 'overflow':
      return `<select class="select overflow" ${action}><option value="" selected disabled>⋯</option>${optionsOf(
        element,
      )
        .map((o) => `<option value="${escapeHtml(str(o.value))}">${textObject(o.text, names)}</option>`)
        .join('')}</select>`;
    case 'image':
      return imageElement(element);
    default:
      return `<span class="unsupported">[${escapeHtml(str(element.type) || 'element')}]</span>`;
  }
}

export function imageElement(element: Json): string {
  const url = str(element.image_url);
  if (!/^https?:|^data:image\//i.test(url))
    return `<span class="unsupported">[image: ${escapeHtml(str(element.alt_text))}]</span>`;
  return `<img class="thumb" src="${escapeHtml(url)}" alt="${escapeHtml(str(element.alt_text))}">`;
}

/** The element of an `input` block, as a form control the page reads back on submit. */
export function inputElement(element: Json, blockId: string, names: NameLookup): string {
  const key = `data-block-id="${escapeHtml(blockId)}" data-action-id="${escapeHtml(str(element.action_id))}" data-kind="${escapeHtml(str(element.type))}"`;
  const placeholder = escapeHtml(isObject(element.placeholder) ? str(element.placeholder.text) : '');
  switch (element.type) {
    case 'plain_text_input':
      return element.multiline === true
        ? `<textarea class="field" ${key} placeholder="${placeholder}" rows="3">${escapeHtml(str(element.initial_value))}</textarea>`
        : `<input class="field" type="text" ${key} placeholder="${placeholder}" value="${escapeHtml(str(element.initial_value))}">`;
    case 'number_input':
      return `<input class="field" type="number" ${key} value="${escapeHtml(str(element.initial_value))}">`;
    case 'datepicker':
      return `<input class="field" type="date" ${key} value="${escapeHtml(str(element.initial_date))}">`;
    case 'static_select':
      return `<select class="field" ${key}>${selectOptions(element, initialValue(element), names)}</select>`;
    case 'radio_buttons':
    case 'checkboxes': {
      const kind = element.type === 'radio_buttons' ? 'radio' : 'checkbox';
      const initial = new Set([initialValue(element), ...list(element.initial_options).map((o) => str(o.value))]);
      return `<div class="choices" ${key}>${optionsOf(element)
        .map((o) => {
          const value = str(o.value);
          return `<label><input type="${kind}" name="${escapeHtml(blockId)}" value="${escapeHtml(value)}"${initial.has(value) ? ' checked' : ''}> ${textObject(o.text, names)}</label>`;
        })
        .join('')}</div>`;
    }
    default:
      return `<span class="unsupported">[${escapeHtml(str(element.type) || 'input')}]</span>`;
  }
}
