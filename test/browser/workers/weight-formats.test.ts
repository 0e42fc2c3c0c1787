// Weight formats in a real engine worker on this machine's real adapter (SwiftShader: software, no shader-f16):
// 'auto' takes fp32 on WASM and says why; fp16 is refused with the reason, on WASM and on WebGPU; WebGPU skips the
// 16-bit file; a format the folder lacks is named with what it has. The fp16 file is the forged model with its
// weights stored in 16 bits (onnx/model_fp16.onnx), built here by the project's ONNX writer.

import { expect } from '@esm-bundle/chai';
import { forgeFamily } from '../../../src/core/forge/index.ts';
import { buildLlamaOnnx } from '../../../src/core/onnx/llama-graph.ts';
import type { OnnxDtype } from '../../../src/core/onnx-dtypes.ts';
import { forgedFiles, runtime, spawnEngine } from '../helpers.ts';

describe('weight formats on the real adapter', () => {
  let files: Record<string, Uint8Array>;
  before(async () => {
    files = {
      ...(await forgedFiles()),
      'onnx/model_fp16.onnx': buildLlamaOnnx(forgeFamily().base.weights, '', { storage: 'fp16' }),
    };
  });

  async function load(dtype: OnnxDtype | 'auto', device: 'auto' | 'webgpu' | 'wasm' = 'auto') {
    const { engine, worker } = spawnEngine();
    try {
      return await engine.load({ kind: 'files', name: 'smol', files, dtype }, runtime(device));
    } catch (e) {
      return (e as Error).message;
    } finally {
      worker.terminate();
    }
  }

  it("'auto' on a software adapter: fp32 on WASM, with the reasons", async () => {
    const info = await load('auto');
    if (typeof info === 'string') throw new Error(info);
    expect([info.dtype, info.device]).to.deep.equal(['fp32', 'wasm']);
    expect(info.notes!.join(' ')).to.contain('Only a software WebGPU adapter: running on WASM');
    expect(info.notes!.join(' ')).to.contain('onnxruntime-web on WASM, fp32: 0.8 MB to download.');
  });

  it('fp16 is refused without shader-f16, saying why and what to choose', async () => {
    expect(await load('fp16')).to.equal(
      'Cannot load smol/ here: fp16 weights compute in 16-bit floats, which needs WebGPU with shader-f16, and the ' +
        'WebGPU adapter here has no shader-f16 (it is a software adapter): choose fp32, q8 or q4 weights.',
    );
    expect(await load('fp16', 'webgpu')).to.match(/needs WebGPU with shader-f16, and this GPU has no shader-f16/);
  });

  it('WebGPU asked for: the 16-bit file is skipped and fp32 runs on the adapter', async () => {
    const info = await load('auto', 'webgpu');
    if (typeof info === 'string') throw new Error(info);
    expect([info.dtype, info.device]).to.deep.equal(['fp32', 'webgpu']);
    expect(info.notes!.join(' ')).to.contain('This GPU has no shader-f16, so 16-bit weights are skipped.');
  });

  it('a format the folder lacks is named, with the formats it has', async () => {
    expect(await load('q4')).to.equal(
      'Cannot load smol/ here: This model has no q4 weights (onnx/model_q4.onnx); it has: fp32, fp16.',
    );
  });
});
