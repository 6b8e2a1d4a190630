"""Saving and exporting trained models: atomic writes, the safetensors bundle and ONNX."""
