// An ONNX engine's weights for the weight diff: its model file (and external data), read again through the resolver
// it loaded from — the bytes it already has or has cached — as Blobs sliced one tensor at a time, and served to the
// weight-diff worker over a MessagePort (Comlink), each tensor's buffer transferred, not copied.

import { expose, transfer } from 'comlink';
import { blobSource, OnnxFormatError, type ByteSource } from '../src/core/internals/onnx-initializers.ts';
import { OnnxWeights, type WeightSource } from '../src/core/internals/onnx-weights.ts';
import type { Resolver } from './model-files.ts';

/** The weights of the model file `file` (e.g. onnx/model_q4.onnx), opened on first use. */
export function weightSource(
  resolver: Resolver,
  file: string,
  tokenTexts: (ids: number[]) => Promise<string[]>,
): WeightSource {
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
  const blobs = new Map<string, Promise<ByteSource>>();
  const read = (path: string) => {
    let b = blobs.get(path);
    if (!b) {
      b = resolver(path).then(async (res) => {
        if (!res.ok) throw new Error(`Could not read ${path} again for the weight diff: HTTP ${res.status}.`);
        return blobSource(await res.blob());
      });
      blobs.set(path, b);
    }
    return b;
  };
  let opened: Promise<OnnxWeights> | null = null;
  const weights = () =>
    (opened ??= read(file).then((model) =>
      OnnxWeights.open(model, (location) => {
        // External data lies beside the model file (onnx.proto: a relative path, no "..").
        if (/^[a-z][a-z0-9+.-]*:|^\/|(^|\/)\.\.(\/|$)|\\/i.test(location))
          throw new OnnxFormatError(`${file} names external data outside its folder (${location}); it is not read.`);
        return read(dir + location);
      }),
    ));
  return {
    manifest: async () => (await weights()).manifest(),
    read: async (key) => (await weights()).read(key),
    tokenTexts,
  };
}

/** Serves `source` on `port`: the weight-diff worker wraps the other end. */
export function serveWeights(port: MessagePort, source: WeightSource): void {
  expose(
    {
      manifest: () => source.manifest(),
      read: async (key: string) => {
        const m = await source.read(key);
        return transfer(m, [m.data.buffer]);
      },
      tokenTexts: (ids: number[]) => source.tokenTexts?.(ids) ?? Promise.resolve(ids.map((id) => `#${id}`)),
    } satisfies WeightSource,
    port,
  );
}
