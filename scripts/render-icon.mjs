// Renders media/icon.svg to the 128×128 PNG the Marketplace shows (package.json "icon"), with the Debian
// Chromium and playwright-core the UI tests already use: no extra rasteriser dependency.
// `npm run render-icon` after editing the SVG; the PNG is committed (vsce needs a PNG icon).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from '../test/harness/codeServer.mjs';
import { chromiumPath, root } from '../test/harness/ensure.mjs';

const SIZE = 128;
const svgPath = join(root, 'media', 'icon.svg');
const pngPath = join(root, 'media', 'icon.png');

/** The PNG's width and height from its IHDR chunk. */
export function pngSize(bytes) {
  if (bytes.readUInt32BE(0) !== 0x89504e47) {
    throw new Error('not a PNG');
  }
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

export async function renderIcon() {
  const svg = readFileSync(svgPath, 'utf8');
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE }, deviceScaleFactor: 1 });
    await page.setContent(
      `<!DOCTYPE html><html><body style="margin:0;background:transparent">${svg.replace('<svg ', '<svg style="display:block" ')}</body></html>`,
    );
    // Transparent outside the rounded square.
    return await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: SIZE, height: SIZE } });
  } finally {
    await browser.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const png = await renderIcon();
  const { width, height } = pngSize(png);
  if (width !== SIZE || height !== SIZE) {
    throw new Error(`rendered ${width}×${height}, expected ${SIZE}×${SIZE}`);
  }
  writeFileSync(pngPath, png);
  console.log(`media/icon.png: ${width}×${height}, ${png.length} bytes`);
}
