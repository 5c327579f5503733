#!/usr/bin/env bash
# Installs what the tests and the pipeline need on a fresh Debian machine: system packages
# (real Fashion-MNIST, Chromium for the HTML report test, Mesa's Vulkan driver for WebGPU,
# oneDNN for the native backend, Slurm and munge for the cluster executor's test cluster,
# PyTorch for the training-parity test) and
# the npm packages deno.json names. Packages already installed are not asked for again.
set -euo pipefail
cd "$(dirname "$0")/.."
# fonts-droid-fallback: the CJK glyphs of Chinese run and class names in the report's PNG charts.
# python3-torch (with its BLAS, libopenblas0-pthread): the PyTorch side of the training-parity
# test (tests/models/torch_parity/train_parity_test.ts) and of `deno task bench`.
apt_packages=(dataset-fashion-mnist chromium mesa-vulkan-drivers libvulkan1 libdnnl-dev g++ fonts-droid-fallback slurm-wlm munge python3-torch libopenblas0-pthread)
missing=()
for p in "${apt_packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
deno install --quiet
if [ -f tasks/backends/native/build_native.sh ]; then bash tasks/backends/native/build_native.sh; fi
