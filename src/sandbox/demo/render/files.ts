import type { SimFileRef } from '../../slack';
import { escapeHtml } from './html-escape';

export const FILES_PATH = '/files/';

const IMAGE_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
};

/** The content type of an uploaded file the page may show inline: raster images only (an SVG can carry script). */
export function fileContentType(name: string): string | undefined {
  return IMAGE_TYPES[name.split('.').pop()?.toLowerCase() ?? ''];
}

/** Files shared in a message, as Slack shows them: images inline with their title, anything else as a download. */
export function filesToHtml(files: readonly SimFileRef[]): string {
  if (files.length === 0) return '';
  const items = files.map((file) => {
    const href = `${FILES_PATH}${encodeURIComponent(file.id)}`;
    const title = escapeHtml(file.title || file.name);
    return fileContentType(file.name)
      ? `<figure class="file"><a href="${href}" target="_blank" rel="noopener"><img class="file-image" src="${href}" alt="${title}"></a><figcaption>${title}</figcaption></figure>`
      : `<a class="file file-download" href="${href}" download>${title} <span class="file-name">${escapeHtml(file.name)}</span></a>`;
  });
  return `<div class="files">${items.join('')}</div>`;
}
