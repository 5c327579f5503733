/** The tfjs-node packages that provide backend `tensorflow`, and how to install one. @module */
/** The tfjs-node packages that provide backend `tensorflow`, fastest first. */
export const TFJS_NODE_PACKAGES = ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"] as const;

/** How to make `tensorflow` available (also printed when it is requested but missing). */
export const TFJS_NODE_INSTALL =
  `add "@tensorflow/tfjs-node": "npm:@tensorflow/tfjs-node@4.22.0" (or tfjs-node-gpu, with CUDA) to the imports of deno.json, then run: deno install --allow-scripts=npm:@tensorflow/tfjs-node`;
