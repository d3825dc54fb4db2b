import { escapeHtml } from './html-escape';
import { imageElement, inputElement, interactiveElement, isObject, list, str, textObject, type Json } from './elements';
import type { NameLookup } from './mrkdwn';

function section(block: Json, names: NameLookup): string {
  const blockId = str(block.block_id) || undefined;
  const text = block.text ? `<div class="text">${textObject(block.text, names)}</div>` : '';
  const fields = list(block.fields);
  const grid =
    fields.length > 0
      ? `<div class="fields">${fields.map((f) => `<div>${textObject(f, names)}</div>`).join('')}</div>`
      : '';
  const accessory = isObject(block.accessory)
    ? `<div class="accessory">${interactiveElement(block.accessory, blockId, names)}</div>`
    : '';
  return `<div class="block section"><div class="section-body">${text}${grid}</div>${accessory}</div>`;
}

function context(block: Json, names: NameLookup): string {
  const parts = list(block.elements).map((e) =>
    e.type === 'image' ? imageElement(e) : `<span>${textObject(e, names)}</span>`,
  );
  return `<div class="block context">${parts.join('')}</div>`;
}

function actions(block: Json, names: NameLookup): string {
  const blockId = str(block.block_id) || undefined;
  return `<div class="block actions">${list(block.elements)
    .map((e) => interactiveElement(e, blockId, names))
    .join('')}</div>`;
}

function image(block: Json, names: NameLookup): string {
  const title = block.title ? `<div class="image-title">${textObject(block.title, names)}</div>` : '';
  return `<div class="block image">${title}${imageElement(block).replace('class="thumb"', 'class="picture"')}</div>`;
}

function input(block: Json, index: number, names: NameLookup): string {
  const blockId = str(block.block_id) || `block-${index}`;
  const element = isObject(block.element) ? inputElement(block.element, blockId, names) : '';
  const optional = block.optional === true ? ' <span class="optional">(optional)</span>' : '';
  const hint = block.hint ? `<div class="hint">${textObject(block.hint, names)}</div>` : '';
  const error = `<div class="input-error" data-error-for="${escapeHtml(blockId)}"></div>`;
  return `<div class="block input"><label class="input-label">${textObject(block.label, names)}${optional}</label>${element}${hint}${error}</div>`;
}

/** Rich text: its plain words are enough for the demo (the bot writes sections, not rich_text). */
function richText(block: Json): string {
  const words: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (isObject(node)) {
      if (typeof node.text === 'string') words.push(node.text);
      walk(node.elements);
    }
  };
  walk(block.elements);
  return `<div class="block section"><div class="text">${escapeHtml(words.join(''))}</div></div>`;
}

/** Block Kit blocks as HTML for the page; unknown block types show their type instead of vanishing. */
export function blocksToHtml(blocks: unknown, names: NameLookup): string {
  return list(blocks)
    .map((block, index) => {
      switch (block.type) {
        case 'header':
          return `<div class="block header">${textObject(block.text, names)}</div>`;
        case 'section':
          return section(block, names);
        case 'context':
          return context(block, names);
        case 'divider':
          return '<hr class="block divider">';
        case 'actions':
          return actions(block, names);
        case 'image':
          return image(block, names);
        case 'input':
          return input(block, index, names);
        case 'rich_text':
          return richText(block);
        default:
          return `<div class="block unsupported">[${escapeHtml(str(block.type) || 'block')}]</div>`;
      }
    })
    .join('');
}
