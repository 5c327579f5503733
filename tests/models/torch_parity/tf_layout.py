"""TF.js ↔ PyTorch weight layouts, shared by parity.py (forward parity) and train_parity.py
(training parity): TF.js weight suffixes to PyTorch state keys and the tensor transposes."""

SUFFIX = {"kernel": "weight", "depthwise_kernel": "weight", "bias": "bias", "gamma": "weight",
          "beta": "bias", "moving_mean": "running_mean", "moving_variance": "running_var"}


def to_torch(kind, arr, first_fc, flatten_input):
    """One TF.js weight as PyTorch stores it; `first_fc`: the first dense kernel, whose rows
    follow a Flatten of `flatten_input` ([null, h, w, c], NHWC) and are reordered to NCHW."""
    if kind == "depthwise_kernel":  # [kh, kw, in, 1] → [in, 1, kh, kw]
        return arr.transpose(2, 3, 0, 1)
    if arr.ndim == 4:  # conv [kh, kw, in, out] → [out, in, kh, kw]
        return arr.transpose(3, 2, 0, 1)
    if arr.ndim == 2:  # dense [in, out] → [out, in]; after a Flatten, reorder NHWC → NCHW inputs
        if first_fc and flatten_input is not None:
            h, w, c = flatten_input[1:]
            return arr.reshape(h, w, c, -1).transpose(3, 2, 0, 1).reshape(arr.shape[1], -1)
        return arr.T
    return arr


def to_tf(kind, arr, first_fc, flatten_input):
    """The inverse of `to_torch`: a PyTorch tensor (numpy) in the TF.js layout."""
    if kind == "depthwise_kernel":  # [in, 1, kh, kw] → [kh, kw, in, 1]
        return arr.transpose(2, 3, 0, 1)
    if arr.ndim == 4:  # [out, in, kh, kw] → [kh, kw, in, out]
        return arr.transpose(2, 3, 1, 0)
    if arr.ndim == 2:
        if first_fc and flatten_input is not None:
            h, w, c = flatten_input[1:]
            return arr.reshape(-1, c, h, w).transpose(2, 3, 1, 0).reshape(h * w * c, -1)
        return arr.T
    return arr
