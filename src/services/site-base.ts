// Where the model-diff site's own files are (forged models, bundled prompt sets, the WASM runtime). In the built
// site every script lies in assets/, so the site is the folder above this module: an element on a page in another
// folder (examples/) still finds them. In development and tests modules are served from their source folders, and
// the page's base is the site.

const built = (import.meta as ImportMeta & { env?: { PROD?: boolean } }).env?.PROD === true;

export function siteBase(): string {
  return built ? new URL('../', import.meta.url).href : document.baseURI;
}
