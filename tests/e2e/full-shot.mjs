// A full-page screenshot. Sections off screen skip rendering (`content-visibility: auto`), which
// a user scrolling never sees but a one-shot capture of the whole page would: render them all.
export async function fullPageShot(page, path) {
  await page.addStyleTag({ content: 'section { content-visibility: visible !important; }' });
  await page.screenshot({ path, fullPage: true });
}
