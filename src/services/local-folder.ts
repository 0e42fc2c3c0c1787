// A model folder from the user's disk — picked (showDirectoryPicker or <input webkitdirectory>) or dropped — as a
// model source the worker can mount. Files are passed as File objects: the worker streams them, nothing is copied
// or uploaded.

import { readLlama2cHeader } from '../core/llama2c/checkpoint.ts';
import { LocalFolderError, classifyFolder, describeVariants, type FolderPlan } from '../core/local-folder.ts';
import type { ModelSource } from '../core/engine/types.ts';
import type { OnnxDtype } from '../core/onnx-dtypes.ts';

export interface PickedFile {
  /** Path inside what was picked or dropped, starting with the folder's own name: `smol/onnx/model.onnx`. */
  path: string;
  file: File;
}

export interface LocalFolderModel {
  label: string;
  source: ModelSource;
  /** Formats and sizes (ONNX folders), for the capability check before loading. */
  variants: Partial<Record<OnnxDtype, number>>;
  /** One line for the page: what was found. */
  summary: string;
  engine: 'onnx' | 'llama2c';
}

/** Files of an <input type=file webkitdirectory> (webkitRelativePath holds `folder/…`). */
export function filesFromInput(list: FileList | readonly File[]): PickedFile[] {
  return [...list].map((file) => ({ path: file.webkitRelativePath || file.name, file }));
}

interface DirectoryHandleLike {
  kind: 'directory';
  name: string;
  values(): AsyncIterable<DirectoryHandleLike | { kind: 'file'; name: string; getFile(): Promise<File> }>;
}

/** Files under a directory handle (showDirectoryPicker, or a dropped folder's getAsFileSystemHandle). */
export async function filesFromHandle(dir: DirectoryHandleLike, prefix = `${dir.name}/`): Promise<PickedFile[]> {
  const out: PickedFile[] = [];
  for await (const entry of dir.values()) {
    if (entry.name.startsWith('.')) continue;
    if (entry.kind === 'directory') out.push(...(await filesFromHandle(entry, `${prefix}${entry.name}/`)));
    else out.push({ path: `${prefix}${entry.name}`, file: await entry.getFile() });
  }
  return out;
}

/**
 * Files of a drop: folders are walked (FileSystemEntry API, in every current browser), loose files kept by name.
 * Must be called during the drop event: the browser empties the DataTransfer afterwards.
 */
export function filesFromDrop(data: DataTransfer): Promise<PickedFile[]> {
  const entries = [...data.items]
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry())
    .filter((e): e is FileSystemEntry => e !== null);
  if (entries.length === 0) return Promise.resolve(filesFromInput([...data.files]));
  return Promise.all(entries.map((e) => walkEntry(e, ''))).then((lists) => lists.flat());
}

async function walkEntry(entry: FileSystemEntry, prefix: string): Promise<PickedFile[]> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    return [{ path: `${prefix}${entry.name}`, file }];
  }
  if (entry.name.startsWith('.')) return [];
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const children: FileSystemEntry[] = [];
  // readEntries answers in batches (100 in Chromium) until it answers with none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    children.push(...batch);
  }
  const lists = await Promise.all(children.map((c) => walkEntry(c, `${prefix}${entry.name}/`)));
  return lists.flat();
}

/** Two files picked together: a llama2.c checkpoint and its tokenizer, in either order. */
export function modelFromLlama2cFiles(list: FileList | readonly File[]): Promise<LocalFolderModel> {
  const files = [...list];
  if (files.length !== 2)
    throw new LocalFolderError(
      `Choose exactly two files, the llama2.c checkpoint (.bin) and its tokenizer.bin (got ${files.length}).`,
    );
  return modelFromFolder(
    filesFromInput(files).map((f) => ({ ...f, path: f.file.name })),
    'llama2.c files',
  );
}

/** Checks what a folder holds and builds the model source; throws LocalFolderError / Llama2cFormatError with why. */
export async function modelFromFolder(
  files: readonly PickedFile[],
  fallbackName = 'dropped files',
): Promise<LocalFolderModel> {
  const byPath = new Map(files.map((f) => [f.path, f.file]));
  const plan: FolderPlan = classifyFolder(
    files.map((f) => ({ path: f.path, size: f.file.size })),
    fallbackName,
  );
  if (plan.kind === 'onnx') {
    const picked = Object.fromEntries([...plan.files].map(([inside, path]) => [inside, byPath.get(path)!]));
    return {
      label: plan.name,
      source: { kind: 'files', name: plan.name, files: picked },
      variants: plan.variants,
      engine: 'onnx',
      summary: `${plan.name}: a Hugging Face ONNX model (${describeVariants(plan.variants)}), read from your disk.`,
    };
  }
  const checkpoint = byPath.get(plan.checkpoint)!;
  const tokenizer = byPath.get(plan.tokenizer)!;
  readLlama2cHeader(new Uint8Array(await checkpoint.slice(0, 28).arrayBuffer()), checkpoint.name);
  const label = checkpoint.name.replace(/\.bin$/, '');
  return {
    label,
    source: { kind: 'llama2c', name: label, checkpoint, tokenizer },
    variants: { fp32: checkpoint.size },
    engine: 'llama2c',
    summary: `${label}: a llama2.c checkpoint (${(checkpoint.size / 1e6).toFixed(1)} MB) with ${tokenizer.name}, read from your disk.`,
  };
}
