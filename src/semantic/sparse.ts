/**
 * A sparse matrix in compressed sparse row form (flat typed arrays, no object per entry), built row by row, and
 * its products with tall dense matrices: all the truncated SVD needs from the entity × feature matrix.
 * Dense matrices here are row-major Float64Arrays of `rows × width`, so each product is one pass over the
 * sparse entries with contiguous inner loops of `width`.
 */
export class SparseMatrix {
  constructor(
    readonly rows: number,
    readonly cols: number,
    /** Row r's entries are at [rowStart[r], rowStart[r + 1]). */
    readonly rowStart: Uint32Array,
    readonly colIndex: Uint32Array,
    readonly values: Float32Array,
  ) {}

  get nonZeros(): number {
    return this.rowStart[this.rows];
  }

  /** Builds a matrix from rows given as parallel (column, value) arrays. */
  static fromRows(cols: number, rowList: ReadonlyArray<{ cols: ArrayLike<number>; values: ArrayLike<number> }>): SparseMatrix {
    const rowStart = new Uint32Array(rowList.length + 1);
    for (let r = 0; r < rowList.length; r++) rowStart[r + 1] = rowStart[r] + rowList[r].cols.length;
    const colIndex = new Uint32Array(rowStart[rowList.length]);
    const values = new Float32Array(rowStart[rowList.length]);
    rowList.forEach((row, r) => {
      colIndex.set(row.cols, rowStart[r]);
      values.set(row.values, rowStart[r]);
    });
    return new SparseMatrix(rowList.length, cols, rowStart, colIndex, values);
  }

  /** A · X, with X of `cols × width`; returns `rows × width`. */
  times(x: Float64Array, width: number): Float64Array {
    const out = new Float64Array(this.rows * width);
    const { rowStart, colIndex, values } = this;
    for (let r = 0; r < this.rows; r++) {
      const o = r * width;
      for (let e = rowStart[r]; e < rowStart[r + 1]; e++) {
        const v = values[e];
        const xo = colIndex[e] * width;
        for (let j = 0; j < width; j++) out[o + j] += v * x[xo + j];
      }
    }
    return out;
  }

  /** Aᵀ · Y, with Y of `rows × width`; returns `cols × width`. */
  transposeTimes(y: Float64Array, width: number): Float64Array {
    const out = new Float64Array(this.cols * width);
    const { rowStart, colIndex, values } = this;
    for (let r = 0; r < this.rows; r++) {
      const yo = r * width;
      for (let e = rowStart[r]; e < rowStart[r + 1]; e++) {
        const v = values[e];
        const o = colIndex[e] * width;
        for (let j = 0; j < width; j++) out[o + j] += v * y[yo + j];
      }
    }
    return out;
  }
}
