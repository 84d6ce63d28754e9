// The few numpy/Python numeric behaviours the reference's decisions depend on, reproduced bit for bit.
// A value is a JS number plus a flag telling whether Python held it as a numpy float32 scalar or a Python float.

export interface PyNum {
  v: number;
  /** true: Python float (float64); false: numpy float32 scalar. */
  f64: boolean;
}

const f32 = Math.fround;

/** Python's `sum(p) / len(p)` over numpy float32 scalars and Python floats (NEP 50 promotion). */
export function pyMean(values: readonly PyNum[]): PyNum {
  // sum starts from int 0; a float32 operand makes the running sum float32 from then on.
  let s = 0;
  let isF64 = true;
  for (const x of values) {
    if (isF64 && x.f64) {
      s = s + x.v;
    } else {
      s = f32(s + x.v);
      isF64 = false;
    }
  }
  return isF64 ? { v: s / values.length, f64: true } : { v: f32(s / values.length), f64: false };
}

/**
 * numpy.percentile(list, q) with the default linear method (numpy 2.x): float32 arithmetic when every element
 * is a float32 scalar, float64 when any is a Python float.
 */
export function npPercentile(values: readonly PyNum[], q: number): PyNum {
  const isF64 = values.some((x) => x.f64);
  const arr = Float64Array.from(values, (x) => x.v).sort();
  const n = arr.length;
  if (n === 0) throw new Error('percentile of an empty list');
  const r = isF64 ? (x: number) => x : f32;
  const qq = r(q / 100);
  const vi = r((n - 1) * qq);
  let prev: number;
  let next: number;
  if (vi >= n - 1) {
    prev = n - 1;
    next = n - 1;
  } else if (vi < 0) {
    prev = 0;
    next = 0;
  } else {
    prev = Math.floor(vi);
    next = prev + 1;
  }
  const gamma = r(vi - Math.floor(vi >= n - 1 ? -1 : vi < 0 ? 0 : vi));
  const a = arr[prev]!;
  const b = arr[next]!;
  const diff = r(b - a);
  const value = gamma >= 0.5 ? r(b - r(diff * r(1 - gamma))) : r(a + r(diff * gamma));
  return { v: value, f64: isF64 };
}
