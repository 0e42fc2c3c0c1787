// The capability check on this machine's real WebGPU adapter (SwiftShader: software, no shader-f16) and the model
// chooser in the page: what the browser can do, the catalogue with what runs here, suggested pairs, a bad hub id.

import { expect } from '@esm-bundle/chai';
import '../../../src/elements/define.ts';
import { decide, describeDevice } from '../../../src/core/capabilities.ts';
import { CATALOGUE } from '../../../src/core/catalogue.ts';
import type { ModelDiffApp } from '../../../src/elements/model-diff-app.ts';
import { readGpuFacts } from '../../../src/services/model-store.ts';
import type { ModelChooser } from '../../../src/ui/model-chooser.ts';
import { until } from '../helpers.ts';

const base = document.createElement('base');
base.href = '/public/';
document.head.append(base);

const byId = (id: string) => CATALOGUE.find((e) => e.id === id)!;

describe('capability check on the real adapter', () => {
  it('reads the adapter: software, no shader-f16, real limits; decides WASM for ONNX', async () => {
    const gpu = await readGpuFacts();
    expect(gpu.adapter, 'Chromium runs with --enable-unsafe-webgpu').to.not.equal(null);
    expect(gpu.adapter!.isFallback).to.equal(true);
    expect(gpu.adapter!.shaderF16).to.equal(false);
    expect(gpu.adapter!.maxBufferSize).to.be.at.least(2 ** 28);
    expect(gpu.adapter!.maxStorageBufferBindingSize).to.be.at.least(2 ** 27);
    expect(describeDevice(gpu)[0]).to.match(/a software adapter \(no GPU\)\. ONNX models run on WASM/);
    const smol = decide(byId('HuggingFaceTB/SmolLM2-135M-Instruct'), gpu);
    // 540 MB of fp32 weights: fp32 on WASM where the device does not say it has under 8 GiB, else q4.
    const roomy = gpu.deviceMemoryGiB === null || gpu.deviceMemoryGiB >= 8;
    expect([smol.ok, smol.device, smol.dtype]).to.deep.equal([true, 'wasm', roomy ? 'fp32' : 'q4']);
    const webllm = decide(byId('SmolLM2-360M-Instruct-q4f32_1-MLC'), gpu);
    expect(webllm.ok).to.equal(true);
    expect(webllm.notes.join(' ')).to.contain('software one (no GPU): it will be very slow');
    expect(decide(byId('HuggingFaceTB/SmolLM2-135M-Instruct'), gpu, { dtype: 'fp16' }).ok).to.equal(false);
  });
});

describe('<md-model-chooser> in the page', () => {
  let app: ModelDiffApp;
  let chooser: ModelChooser;
  const text = () => chooser.shadowRoot!.textContent ?? '';
  const plan = (side: 'a' | 'b') =>
    [...chooser.shadowRoot!.querySelectorAll(`[data-plan="${side}"]`)].map((p) => p.textContent!.trim()).join(' | ');

  before(async () => {
    app = document.createElement('model-diff-app') as ModelDiffApp;
    document.body.append(app);
    await app.updateComplete;
    chooser = app.shadowRoot!.querySelector('md-model-chooser') as ModelChooser;
    await until(() => app.gpu, app);
    await chooser.updateComplete;
  });
  after(() => app.remove());

  it('says what this browser can do, and that the forged demo pair runs (the offline default)', () => {
    expect(text()).to.contain('a software adapter (no GPU)');
    expect(text()).to.contain('shader-f16: no');
    expect([app.state.a, app.state.b]).to.deep.equal(['forged-base', 'forged-trigger']);
    expect(plan('a')).to.match(
      /^Runs here\. Only a software WebGPU adapter: running on WASM.*fp32: 0\.8 MB to download/,
    );
  });

  it('lists the catalogue grouped, with size, licence and where it runs; choosing one explains it', async () => {
    const select = chooser.shadowRoot!.querySelector<HTMLSelectElement>(
      'select[aria-label="model A from the catalogue"]',
    )!;
    const groups = [...select.querySelectorAll('optgroup')].map((g) => g.label);
    expect(groups).to.include.members(['Forged demo (offline)', 'SmolLM2 (ONNX)', 'web-llm (needs WebGPU)']);
    expect(groups).to.include('TinyStories (llama2.c checkpoints)');
    const smol = [...select.options].find((o) => o.value === 'hf:HuggingFaceTB/SmolLM2-135M-Instruct')!;
    // fp32 on WASM at 540 MB where the device does not say it has under 8 GiB (capabilities.ts), else q4.
    const memory = (navigator as { deviceMemory?: number }).deviceMemory;
    const [dtype, size] = memory === undefined || memory >= 8 ? ['fp32', '540 MB'] : ['q4', '140 MB'];
    expect(smol.textContent!.trim()).to.equal(
      `SmolLM2 135M Instruct · instruct · ${size} · apache-2.0 · wasm ${dtype}`,
    );
    select.value = smol.value;
    select.dispatchEvent(new Event('change'));
    await until(() => app.state.a === 'hf:HuggingFaceTB/SmolLM2-135M-Instruct', app);
    await chooser.updateComplete;
    expect(plan('a')).to.contain('Runs here.');
    expect(plan('a')).to.contain(`onnxruntime-web on WASM, ${dtype}: ${size} to download.`);
    expect(plan('a')).to.contain('instruct · fp32 540 MB, fp16 270 MB, q4 140 MB');
    expect(plan('a')).to.contain('licence apache-2.0');
  });

  it('a suggested pair sets both sides and says which side will not run here, and why', async () => {
    const pair = [
      ...chooser.shadowRoot!.querySelectorAll<HTMLButtonElement>('[aria-label="suggested pairs"] button'),
    ].find((b) => b.textContent!.includes('q4 vs fp16'))!;
    expect(pair.textContent).to.contain('will not run here');
    pair.click();
    await until(() => app.state.b.endsWith('#fp16'), app);
    await chooser.updateComplete;
    expect(app.state.a).to.equal('hf:HuggingFaceTB/SmolLM2-135M-Instruct#q4');
    expect(plan('a')).to.match(/^Runs here\./);
    expect(plan('b')).to.match(
      /^Will not run here: fp16 weights compute in 16-bit floats, which needs WebGPU with shader-f16, and the WebGPU adapter here has no shader-f16 \(it is a software adapter\)/,
    );
  });

  it('a mistyped hub id is explained as typed; web-llm entries are specs for that engine', async () => {
    const input = chooser.shadowRoot!.querySelector<HTMLInputElement>('input[name="b"]')!;
    input.value = 'hf:HuggingFaceTB';
    input.dispatchEvent(new Event('change'));
    await until(() => app.state.b === 'hf:HuggingFaceTB', app);
    await chooser.updateComplete;
    expect(plan('b')).to.contain('"hf:HuggingFaceTB" is not a Hugging Face repository id. Write hf:org/name');
    const select = chooser.shadowRoot!.querySelector<HTMLSelectElement>(
      'select[aria-label="model B from the catalogue"]',
    )!;
    select.value = 'webllm:SmolLM2-360M-Instruct-q4f32_1-MLC';
    select.dispatchEvent(new Event('change'));
    await until(() => app.state.b === 'webllm:SmolLM2-360M-Instruct-q4f32_1-MLC', app);
    await chooser.updateComplete;
    expect(plan('b')).to.contain(
      'Runs here. The only WebGPU adapter is a software one (no GPU): it will be very slow.',
    );
  });

  it('an openai: model is said to run on its server, and gets an API key field that stays out of the state', async () => {
    const input = chooser.shadowRoot!.querySelector<HTMLInputElement>('input[name="a"]')!;
    expect(chooser.shadowRoot!.querySelector('input[aria-label="model A API key"]')).to.equal(null);
    input.value = 'openai:http://127.0.0.1:8000/v1,my-model';
    input.dispatchEvent(new Event('change'));
    await until(() => app.state.a.startsWith('openai:'), app);
    await chooser.updateComplete;
    expect(plan('a')).to.contain('runs there, not in this browser');
    const key = chooser.shadowRoot!.querySelector<HTMLInputElement>('input[aria-label="model A API key"]')!;
    expect(key.type).to.equal('password');
    key.value = 'sk-chooser-test';
    key.dispatchEvent(new Event('change'));
    await until(() => app.keys.a === 'sk-chooser-test', app);
    expect(JSON.stringify(app.state)).not.to.contain('sk-chooser-test');
    expect(location.href).not.to.contain('sk-chooser-test');
  });
});
