// A full-page screenshot. Sections off screen skip rendering (`content-visibility: auto`), which
// a user scrolling never sees but a one-shot capture of the whole page would: render them all
// (through the CSSOM: the page's Content-Security-Policy refuses an injected <style>).
export async function fullPageShot(page, path) {
  await page.evaluate(() => {
    for (const s of document.querySelectorAll('section')) s.style.contentVisibility = 'visible';
  });
  await page.screenshot({ path, fullPage: true });
}
