import { Resvg } from '@resvg/resvg-js';

/** The font ships with certops, so the chart looks the same on every machine (no system fonts needed). */
function fontFile(): string {
  return require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
}

/** Renders an SVG document to PNG bytes at its own size. */
export function renderPng(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'original' },
    font: { fontFiles: [fontFile()], loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' },
    logLevel: 'off',
  });
  return resvg.render().asPng();
}
