// Where a model folder keeps its ONNX file, in the order a loader looks (shared by the Node and browser hosts).
export const MODEL_FILE_CANDIDATES = [
  'model.onnx',
  'onnx/model.onnx',
  'model_quantized.onnx',
  'onnx/model_quantized.onnx',
];
