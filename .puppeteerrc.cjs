// Puppeteer never downloads a browser: PDFs are rendered with the system Chromium (Debian's
// `chromium`, installed by `npm run setup:browser`), found at run time or named by
// PUPPETEER_EXECUTABLE_PATH.
module.exports = {
  skipDownload: true,
  chrome: { skipDownload: true },
  'chrome-headless-shell': { skipDownload: true },
  firefox: { skipDownload: true },
};
