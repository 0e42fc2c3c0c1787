// The ONNX weight formats transformers.js loads and the file each one lives in (its own naming: onnx/model.onnx for
// fp32, onnx/model_fp16.onnx, onnx/model_q4.onnx, onnx/model_quantized.onnx for q8, …). Pure.

export const ONNX_DTYPES = ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4'] as const;
export type OnnxDtype = (typeof ONNX_DTYPES)[number];

const SUFFIX: Record<OnnxDtype, string> = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  int8: '_int8',
  uint8: '_uint8',
  q4: '_q4',
  q4f16: '_q4f16',
  bnb4: '_bnb4',
};

/** Formats whose arithmetic is in 16-bit floats: on WebGPU they need the adapter's shader-f16 feature. */
export const F16_DTYPES: ReadonlySet<OnnxDtype> = new Set(['fp16', 'q4f16']);

export function isOnnxDtype(value: string): value is OnnxDtype {
  return (ONNX_DTYPES as readonly string[]).includes(value);
}

/** The weights file of a dtype, relative to the model folder: `onnx/model_q4.onnx`. */
export function onnxFileOf(dtype: OnnxDtype): string {
  return `onnx/model${SUFFIX[dtype]}.onnx`;
}

/** The dtype a weights file holds (`onnx/model_q4.onnx` → q4), or null for a file that is not a decoder's weights. */
export function dtypeOfOnnxFile(path: string): OnnxDtype | null {
  const m = /^onnx\/model(_[a-z0-9]+)?\.onnx$/.exec(path);
  if (!m) return null;
  return ONNX_DTYPES.find((d) => SUFFIX[d] === (m[1] ?? '')) ?? null;
}

/** Bytes per dtype in a folder listing, external data (`onnx/model_fp16.onnx_data`, `…_data_1`) included. */
export function onnxVariants(
  files: Iterable<readonly [path: string, bytes: number]>,
): Partial<Record<OnnxDtype, number>> {
  const list = [...files];
  const out: Partial<Record<OnnxDtype, number>> = {};
  for (const [path, bytes] of list) {
    const dtype = dtypeOfOnnxFile(path);
    if (dtype) out[dtype] = bytes;
  }
  for (const [path, bytes] of list) {
    const dtype = /\.onnx_data(?:_\d+)?$/.test(path)
      ? dtypeOfOnnxFile(path.replace(/\.onnx_data(?:_\d+)?$/, '.onnx'))
      : null;
    if (dtype && out[dtype] !== undefined) out[dtype] += bytes;
  }
  return out;
}
