import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { Random } from '../simulator/random.ts';

/**
 * A multi-output quantile regressor: for every target column and every quantile level one output
 * (output index = target * levels + level), trained with the pinball loss. With no hidden layers
 * it is a linear quantile regression on the same inputs: the baseline that shows what depth adds.
 */
export interface NetworkShape {
  inputs: number;
  targets: number;
  levels: readonly number[];
  hidden: readonly number[];
}

export interface FitOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Epochs without validation improvement before training stops (the best weights are kept). */
  patience: number;
  /** Seeds the order rows are visited in each epoch (buildNetwork takes the same seed for the initial weights). */
  seed: number;
  onEpoch?: (epoch: number, loss: number, valLoss: number) => void;
}

export function buildNetwork(shape: NetworkShape, seed: number): tfl.LayersModel {
  const model = tfl.sequential();
  let units = shape.inputs;
  shape.hidden.forEach((h, i) => {
    model.add(
      tfl.layers.dense({
        units: h,
        activation: 'relu',
        inputShape: i === 0 ? [units] : undefined,
        kernelInitializer: tfl.initializers.heNormal({ seed: seed + i }),
      }),
    );
    units = h;
  });
  model.add(
    tfl.layers.dense({
      units: shape.targets * shape.levels.length,
      inputShape: shape.hidden.length === 0 ? [shape.inputs] : undefined,
      kernelInitializer: tfl.initializers.glorotNormal({ seed: seed + 100 }),
    }),
  );
  return model;
}

/**
 * One network whose output is the mean of the members' outputs (each member's layers copied with
 * its trained weights): a seed ensemble saved and loaded as a single model.json + weights.bin.
 * The outputs are standardized ln quantiles, so this is a geometric mean of the members' quantiles.
 */
export function averageNetworks(members: readonly tfl.LayersModel[], shape: NetworkShape): tfl.LayersModel {
  if (members.length === 1) return members[0]!;
  const input = tfl.input({ shape: [shape.inputs] });
  const outputs = members.map((member, k) => {
    let x: tfl.SymbolicTensor = input;
    member.layers.forEach((layer, j) => {
      const config = layer.getConfig();
      const copy = tfl.layers.dense({ units: config.units as number, activation: config.activation as 'relu' | 'linear', name: `member${k}_dense${j}` });
      x = copy.apply(x) as tfl.SymbolicTensor;
      copy.setWeights(layer.getWeights());
    });
    return x;
  });
  return tfl.model({ inputs: input, outputs: tfl.layers.average().apply(outputs) as tfl.SymbolicTensor });
}

/** Mean pinball loss over all outputs; `levels` repeats once per target column. */
export function pinballLoss(levels: readonly number[], targets: number): (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor {
  const q = tf.tensor1d(Array.from({ length: targets }, () => levels).flat());
  return (yTrue, yPred) =>
    tf.tidy(() => {
      const err = tf.sub(yTrue, yPred);
      return tf.mean(tf.maximum(tf.mul(q, err), tf.mul(tf.sub(q, 1), err)));
    });
}

/**
 * Trains on row-major standardized inputs `x` (n x inputs) and targets `y` (n x targets); each
 * target column is repeated for every quantile level. Returns the epochs actually run.
 * tfjs-layers' own shuffle draws from Math.random, so rows are shuffled here from the seed and
 * fit runs with `shuffle: false`: the same seed and data give the same weights (on one backend).
 */
export async function fitNetwork(
  model: tfl.LayersModel,
  shape: NetworkShape,
  train: { x: Float32Array; y: Float32Array },
  validation: { x: Float32Array; y: Float32Array },
  options: FitOptions,
): Promise<{ epochs: number; bestValLoss: number }> {
  const expand = (y: Float32Array) => repeatLevels(y, shape.targets, shape.levels.length);
  const xs = tf.tensor2d(train.x, [train.x.length / shape.inputs, shape.inputs]);
  const ys = tf.tensor2d(expand(train.y), [train.y.length / shape.targets, shape.targets * shape.levels.length]);
  const vx = tf.tensor2d(validation.x, [validation.x.length / shape.inputs, shape.inputs]);
  const vy = tf.tensor2d(expand(validation.y), [validation.y.length / shape.targets, shape.targets * shape.levels.length]);
  model.compile({ optimizer: tf.train.adam(options.learningRate), loss: pinballLoss(shape.levels, shape.targets) });
  let best = Number.POSITIVE_INFINITY;
  let bestWeights: tf.Tensor[] | undefined;
  let waited = 0;
  let epochs = 0;
  const random = new Random(options.seed);
  try {
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      const [ex, ey] = tf.tidy(() => {
        const order = tf.tensor1d(shuffledOrder(xs.shape[0], random), 'int32');
        return [tf.gather(xs, order), tf.gather(ys, order)];
      });
      const h = await model.fit(ex, ey, { epochs: 1, batchSize: options.batchSize, shuffle: false, verbose: 0, validationData: [vx, vy] }).finally(() => tf.dispose([ex, ey]));
      epochs++;
      const loss = Number(h.history.loss?.[0]);
      const valLoss = Number(h.history.val_loss?.[0]);
      options.onEpoch?.(epoch, loss, valLoss);
      if (valLoss < best - 1e-5) {
        best = valLoss;
        bestWeights?.forEach((w) => w.dispose());
        bestWeights = model.getWeights().map((w) => w.clone());
        waited = 0;
      } else if (++waited >= options.patience) break;
    }
    if (bestWeights) model.setWeights(bestWeights);
  } finally {
    bestWeights?.forEach((w) => w.dispose());
    tf.dispose([xs, ys, vx, vy]);
  }
  return { epochs, bestValLoss: best };
}

/** Runs the network on row-major inputs; returns row-major outputs (n x targets*levels). */
export function runNetwork(model: tfl.LayersModel, x: Float32Array, inputs: number): Float32Array {
  return tf.tidy(() => {
    const out = model.predict(tf.tensor2d(x, [x.length / inputs, inputs])) as tf.Tensor;
    return (out.dataSync() as Float32Array).slice();
  });
}

/** 0..n-1 in a random order drawn from `random` (Fisher-Yates). */
function shuffledOrder(n: number, random: Random): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = random.int(0, i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

function repeatLevels(y: Float32Array, targets: number, levels: number): Float32Array {
  const n = y.length / targets;
  const out = new Float32Array(n * targets * levels);
  for (let i = 0; i < n; i++)
    for (let t = 0; t < targets; t++) for (let l = 0; l < levels; l++) out[(i * targets + t) * levels + l] = y[i * targets + t]!;
  return out;
}
