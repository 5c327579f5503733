/**
 * Imported first by the CLI and by every stage process (`Project.stageSetup`): TF.js prints
 * advice to install tfjs-node ("Hi, looks like you are running TensorFlow.js in Node.js…") on the
 * first tensor of the cpu backend whenever it sees Node APIs. The backend in use is already
 * printed and explained per stage, so production mode keeps that noise out of every log. It only
 * silences warnings; no number changes.
 * @module
 */
import { env } from "@tensorflow/tfjs-core";

env().set("PROD", true);
