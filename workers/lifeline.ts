// How a model worker tells the page it is gone or broken, outside Comlink (which ignores messages without its id).
// A worker that dies (closed, killed, out of memory) sends nothing and raises no event on the page; but a Web Lock
// it holds is released the moment its context ends, and the page, queued on that lock, is woken at once.

/** Page → worker: hold the lock of this name for as long as you live. */
export interface LifelineRequest {
  type: 'model-diff:lifeline';
  name: string;
}

/** Worker → page: the lifeline is held (asking for it before this would grant it to the page at once). */
export interface LifelineHeld {
  type: 'model-diff:lifeline-held';
  name: string;
}

/** Worker → page: the GPU device the model runs on was lost; every call from now on would fail or never answer. */
export interface DeviceLost {
  type: 'model-diff:device-lost';
  message: string;
}

export type LifelineMessage = LifelineRequest | LifelineHeld | DeviceLost;

interface WorkerScope {
  addEventListener(type: 'message', listener: (e: MessageEvent) => void): void;
  postMessage(message: LifelineMessage): void;
  navigator: { locks?: LockManager };
}

/** Worker side: answers lifeline requests by holding the named lock until this worker ends. */
export function holdLifeline(scope: WorkerScope = globalThis as unknown as WorkerScope): void {
  scope.addEventListener('message', (e: MessageEvent) => {
    const data = e.data as Partial<LifelineRequest> | null;
    if (data?.type !== 'model-diff:lifeline' || typeof data.name !== 'string') return;
    const name = data.name;
    void scope.navigator.locks?.request(name, () => {
      scope.postMessage({ type: 'model-diff:lifeline-held', name });
      return new Promise<never>(() => {});
    });
  });
}

/** Worker side: tells the page that the GPU device is lost. */
export function reportDeviceLost(message: string, scope: WorkerScope = globalThis as unknown as WorkerScope): void {
  scope.postMessage({ type: 'model-diff:device-lost', message });
}
