import { APP_JS } from './app-js';
import { INDEX_HTML } from './index-html';
import { STYLE_CSS } from './style-css';

export interface PageAsset {
  type: string;
  body: string;
}

// The page ships inside the compiled code, so `certops demo` works from dist/ or a container image alone.
export const PAGE_ASSETS: Record<string, PageAsset> = {
  '/': { type: 'text/html; charset=utf-8', body: INDEX_HTML },
  '/index.html': { type: 'text/html; charset=utf-8', body: INDEX_HTML },
  '/app.js': { type: 'text/javascript; charset=utf-8', body: APP_JS },
  '/style.css': { type: 'text/css; charset=utf-8', body: STYLE_CSS },
};
