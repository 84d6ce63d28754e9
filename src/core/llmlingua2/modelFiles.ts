// Where a model folder keeps its ONNX file, in the order a loader looks (shared by the Node and browser hosts).
export const MODEL_FILE_CANDIDATES = [
  'model.onnx',
  'onnx/model.onnx',
  'model_quantized.onnx',
  'onnx/model_quantized.onnx',
  // GPU variants "Download Compressor Model" may fetch (one ONNX file per model folder).
  'onnx/model_fp16.onnx',
  'onnx/model_q4f16.onnx',
  'onnx/model_q4.onnx',
];
