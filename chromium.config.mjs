// How every test starts Debian Chromium: never a downloaded browser; as root, headless, no background network
// (this machine's closed network refuses it), and WebGPU on (the SwiftShader adapter).

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--enable-unsafe-webgpu',
];
