// One ONNX model's weights as a WeightSource: the manifest (every weight with its role, shape and storage) and
// each weight as float32 on request, read from the file one tensor at a time. Pure: bytes come from ByteSources.

import { dequantizeNBits, toFloat32 } from './dequantize.ts';
import { OnnxFormatError, indexOnnx, initializerBytes, type ByteSource, type OnnxIndex } from './onnx-initializers.ts';
import { Dataflow } from './onnx-graph.ts';
import { roleFromName } from './weight-names.ts';
import { planWeights, type WeightModule, type WeightPlan } from './weight-plan.ts';
import { roleKey, structuralRoles } from './weight-roles.ts';

export interface WeightTensorInfo {
  /** Stable role name (blocks.0.attn.q, embed, unembed, ln_final; `other:<name>` when unplaced): pairs tensors. */
  key: string;
  /** The initializer's name in the file. */
  name: string;
  layer: number | null;
  module: WeightModule;
  /** Shape as read (MatMulNBits: [N, K]). */
  dims: number[];
  /** Which axis is the output side (matrices used as weights), else null. */
  outAxis: 0 | 1 | null;
  storage: string;
  /** How the role was found: the graph's structure, a common name pattern, or neither (module "other"). */
  placedBy: 'structure' | 'name' | null;
}

export interface WeightManifest {
  tensors: WeightTensorInfo[];
  /** Decoder layers found (the largest layer index + 1). */
  layers: number;
  /** One matrix is both the embedding and the head. */
  tiedEmbedding: boolean;
}

export interface WeightMatrix {
  data: Float32Array;
  dims: number[];
  outAxis: 0 | 1 | null;
}

/** What the weight diff reads a model through: in a worker this is a Comlink proxy of OnnxWeights. */
export interface WeightSource {
  manifest(): Promise<WeightManifest>;
  read(key: string): Promise<WeightMatrix>;
  /** Token texts of this model's vocabulary (for reading directions as words). */
  tokenTexts?(ids: number[]): Promise<string[]>;
}

export function manifestOf(index: OnnxIndex): { manifest: WeightManifest; plans: Map<string, WeightPlan> } {
  const flow = new Dataflow(index);
  const plans = planWeights(index, flow);
  const roles = structuralRoles(index, flow);
  const byKey = new Map<string, WeightPlan>();
  const tensors: WeightTensorInfo[] = [];
  for (const p of plans.values()) {
    const found = roles.get(p.name);
    const named = found ? null : roleFromName(p.name);
    let key = found?.key ?? (named ? roleKey(named.layer, named.module) : `other:${p.name}`);
    let role = found ?? named ?? { layer: null, module: 'other' as const };
    if (byKey.has(key)) {
      key = `other:${p.name}`; // two tensors in one role: only the first is paired by role
      role = { layer: null, module: 'other' };
    }
    byKey.set(key, p);
    tensors.push({
      key,
      name: p.name,
      layer: role.layer,
      module: role.module,
      dims: p.dims,
      outAxis: p.outAxis,
      storage: p.storage,
      placedBy: role.module === 'other' ? null : found ? 'structure' : 'name',
    });
  }
  const head = tensors.find((t) => t.module === 'head');
  const embedGather = index.nodes.find(
    (n) => n.opType === 'Gather' && flow.weightOf(n.inputs[0])?.init.name === head?.name,
  );
  const layers = Math.max(0, ...tensors.map((t) => (t.layer ?? -1) + 1));
  return { manifest: { tensors, layers, tiedEmbedding: Boolean(head && embedGather) }, plans: byKey };
}

export class OnnxWeights implements WeightSource {
  readonly #index: OnnxIndex;
  readonly #model: ByteSource;
  readonly #open: (location: string) => Promise<ByteSource>;
  readonly #manifest: WeightManifest;
  readonly #plans: Map<string, WeightPlan>;

  private constructor(index: OnnxIndex, model: ByteSource, open: (location: string) => Promise<ByteSource>) {
    this.#index = index;
    this.#model = model;
    this.#open = open;
    ({ manifest: this.#manifest, plans: this.#plans } = manifestOf(index));
  }

  /** `open` gives the bytes of an external data file next to the model, by its location. */
  static async open(model: ByteSource, open: (location: string) => Promise<ByteSource>): Promise<OnnxWeights> {
    return new OnnxWeights(await indexOnnx(model), model, open);
  }

  async manifest(): Promise<WeightManifest> {
    return this.#manifest;
  }

  async read(key: string): Promise<WeightMatrix> {
    const p = this.#plans.get(key);
    if (!p) throw new OnnxFormatError(`This model has no weight ${key}.`);
    const r = p.read;
    if (r.kind === 'plain') return { data: await this.#floats(p.name), dims: p.dims, outAxis: p.outAxis };
    if (r.kind === 'nbits') {
      const zp = r.zeroPoints ? this.#index.initializers.get(r.zeroPoints)! : null;
      const zeroPoints = zp ? (zp.dataType === 2 ? await this.#bytes(zp.name) : await this.#floats(zp.name)) : null;
      const b = await this.#bytes(p.name);
      const out = dequantizeNBits({ ...r, b, scales: await this.#floats(r.scales), zeroPoints }, p.name);
      return { data: out, dims: p.dims, outAxis: 0 };
    }
    // QDQ: y = (x − zero point) · scale, per tensor or per slice along `axis`.
    const data = await this.#floats(p.name);
    const scale = await this.#floats(r.scale);
    const zero = r.zeroPoint ? await this.#floats(r.zeroPoint) : new Float32Array(scale.length);
    const axis = r.axis < 0 ? r.axis + p.dims.length : r.axis;
    const inner = p.dims.slice(axis + 1).reduce((a, b) => a * b, 1);
    const along = scale.length === 1 ? 1 : (p.dims[axis] ?? 1);
    const out = new Float32Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const s = along === 1 ? 0 : Math.floor(i / inner) % along;
      out[i] = (data[i]! - zero[s]!) * scale[s]!;
    }
    return { data: out, dims: p.dims, outAxis: p.outAxis };
  }

  async #bytes(name: string): Promise<Uint8Array> {
    const t = this.#index.initializers.get(name);
    if (!t) throw new OnnxFormatError(`The model has no initializer ${name}.`);
    return initializerBytes(t, this.#model, this.#open);
  }

  async #floats(name: string): Promise<Float32Array> {
    const t = this.#index.initializers.get(name)!;
    const data = toFloat32(await this.#bytes(name), t.dataType, name);
    // A view into a larger buffer (a model held in memory) is copied: callers may transfer the buffer.
    return data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : data.slice();
  }
}
