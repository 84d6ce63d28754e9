// Node: loads onnxruntime-node, the native model runtime, for core's ORT sessions (OrtSessionSetup.loadNativeOrt).
import type { NativeOrtLoader } from '../core/llmlingua2/ortSession';

/** Optional dependency; the specifier is hidden from bundlers and tsc so a missing package is a runtime fallback. */
export const loadOrtNode: NativeOrtLoader = () => {
  const name = 'onnxruntime-node';
  return import(/* @vite-ignore */ name);
};
